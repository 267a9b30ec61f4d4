import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';

/**
 * Local tools read `.env` when a developer made one, otherwise the committed `.env.example`, so a
 * fresh clone runs on working defaults. Values already in the environment win.
 */
export function loadLocalEnv(): string {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const file = existsSync(`${root}.env`) ? `${root}.env` : `${root}.env.example`;
  process.loadEnvFile(file);
  return file;
}

/** The committed example's values: what a secret still has when nobody replaced it. */
export function exampleEnv(): Record<string, string | undefined> {
  return parseEnv(readFileSync(fileURLToPath(new URL('../.env.example', import.meta.url)), 'utf8'));
}

/** Whether a URL's host is this machine (a loopback address, localhost, or a *.localhost name). */
export function isThisMachine(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '::1' || host === '0.0.0.0';
}

export type GraphApiChoice =
  /** `npm start` runs its Graph API stub (on GRAPH_API_URL's port when it names one). */
  | { kind: 'stub' }
  /** GRAPH_API_URL is Meta's (or anything not on this machine): replies reach a real Page's conversations. */
  | { kind: 'real'; url: string }
  | { kind: 'refused'; reasons: string[] };

/**
 * Where `npm start` sends what the bot says. Only a GRAPH_API_URL outside this machine means a
 * real Page, and then the Page's real token and app secret must be there: Graph refuses the
 * example's token, and Meta signs its deliveries with the app's secret, so with the example's
 * every real message would be refused as unsigned.
 */
export function chooseGraphApi(env: Record<string, string | undefined>, example: Record<string, string | undefined>): GraphApiChoice {
  const configured = env.GRAPH_API_URL?.trim();
  if (!configured) return { kind: 'stub' };
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    return { kind: 'refused', reasons: [`GRAPH_API_URL is not a URL: ${configured}`] };
  }
  if (isThisMachine(url)) return { kind: 'stub' };
  const reasons = (['MESSENGER_PAGE_ACCESS_TOKEN', 'MESSENGER_APP_SECRET'] as const)
    .filter((name) => !env[name] || env[name] === example[name])
    .map((name) => `${name} is ${env[name] ? "still .env.example's value" : 'not set'}: put your app's real one in .env`);
  return reasons.length > 0 ? { kind: 'refused', reasons } : { kind: 'real', url: configured.replace(/\/+$/, '') };
}
