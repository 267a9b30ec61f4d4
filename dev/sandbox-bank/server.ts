/**
 * The sandbox bank: a local server speaking the subset of Plaid's API this product uses, so the
 * real Plaid adapter (official `plaid` SDK pointed at PLAID_BASE_URL) runs against it in
 * `npm start` and in tests. Routing and the shared request pipeline live here:
 *
 *   POST /<plaid endpoint>   latency → credentials → armed failures → field checks → handler,
 *                            answering JSON with a request_id, errors in Plaid's envelope
 *   GET|POST /link/...       Hosted Link pages (link.ts)
 *   /__control/...           test controls (controls.ts)
 *
 * Run standalone: `tsx dev/sandbox-bank/server.ts` (port from PLAID_BASE_URL, default 3200).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadLocalEnv } from '../env';
import { Bank, requestId } from './bank';
import { createControls, handleControlRequest, type Runtime, type SandboxControls } from './controls';
import { INSTITUTIONS, PEOPLE } from './data';
import { PlaidApiError, invalidApiKeys, invalidBody, notFound } from './errors';
import { BodyTooLarge, readBody, sendJson, sleep } from './http';
import { handleLinkPage } from './link';
import { PLAID_ROUTES, handlePlaidRequest, type ApiContext } from './plaid-api';
import { WebhookKeys, WebhookSender } from './webhooks';

export type { SandboxControls, ItemSummary } from './controls';
export type { ArmedMutation, PostTransactionInput, SettleInput, ModifyInput, BalanceInput } from './bank';
export type { WebhookDelivery, ItemWebhookCode } from './webhooks';
export type { ArmedErrorPreset, PlaidErrorSpec } from './errors';

export interface SandboxBankOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Credentials the bank accepts; default PLAID_CLIENT_ID / PLAID_SECRET, else the local dev values. */
  clientId?: string;
  secret?: string;
  /** The bank's clock: histories, token lifetimes and webhook `iat` are relative to it. */
  now?: () => Date;
  /** Artificial delay before every Plaid API call (benchmarks); changeable via controls. */
  latencyMs?: number;
  /** Base URL used in hosted_link_url; default the listening URL. */
  publicUrl?: string;
  /**
   * Seeds ids (items, accounts, transactions) and transaction content. Without it, content is
   * still deterministic per person, institution and clock, but ids are fresh per start, so a
   * restarted bank never hands out an id a previous run's data still holds.
   */
  seed?: string;
  /** How long a webhook receiver gets to answer (default 5 s). */
  webhookTimeoutMs?: number;
}

export interface SandboxBank {
  /** e.g. http://127.0.0.1:53211 — the value for PLAID_BASE_URL. */
  url: string;
  controls: SandboxControls;
  close(): Promise<void>;
  /** Every Plaid API call received (path, time, whether it named an access token): tests count bank calls. */
  apiCalls(): ApiCall[];
}

export interface ApiCall {
  path: string;
  at: string;
  accessToken?: string;
}

const DEFAULT_CONTENT_SEED = 'sandbox-bank';

export async function startSandboxBank(options: SandboxBankOptions = {}): Promise<SandboxBank> {
  const host = options.host ?? '127.0.0.1';
  const clientId = options.clientId ?? process.env.PLAID_CLIENT_ID ?? 'local-client-id';
  const secret = options.secret ?? process.env.PLAID_SECRET ?? 'local-plaid-secret';
  const now = options.now ?? (() => new Date());

  const keys = await WebhookKeys.create(now);
  const sender = new WebhookSender({ keys, now, timeoutMs: options.webhookTimeoutMs ?? 5000 });
  const bank = new Bank({
    now,
    idSeed: options.seed ?? randomUUID(),
    contentSeed: options.seed ?? DEFAULT_CONTENT_SEED,
    webhooks: sender,
  });
  const runtime: Runtime = { latencyMs: options.latencyMs ?? 0, failures: [] };
  const controls = createControls(bank, runtime, sender, keys);
  const api: ApiContext = { bank, keys, publicUrl: '' };

  const calls: ApiCall[] = [];
  const handlePlaid = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const id = requestId();
    try {
      const body = parseJsonObject(await readBody(req));
      calls.push({ path, at: now().toISOString(), ...(typeof body.access_token === 'string' ? { accessToken: body.access_token } : {}) });
      if (runtime.latencyMs > 0) await sleep(runtime.latencyMs);
      // The SDK sends credentials as headers; raw HTTP clients often put them in the body.
      const givenId = body.client_id ?? req.headers['plaid-client-id'];
      const givenSecret = body.secret ?? req.headers['plaid-secret'];
      if (givenId !== clientId || givenSecret !== secret) throw invalidApiKeys();
      const armed = runtime.failures.find((f) => f.remaining > 0 && (f.path === path || f.path === '*'));
      if (armed) {
        armed.remaining -= 1;
        runtime.failures = runtime.failures.filter((f) => f.remaining > 0);
        throw new PlaidApiError(armed.error);
      }
      const result = await handlePlaidRequest(PLAID_ROUTES[path]!, body, api);
      sendJson(res, 200, { ...result, request_id: id });
    } catch (error) {
      const plaidError = error instanceof PlaidApiError ? error : error instanceof BodyTooLarge ? invalidBody() : undefined;
      if (plaidError) return sendJson(res, plaidError.status, plaidError.body(id));
      console.error('sandbox bank: unexpected error on', path, error);
      const internal = new PlaidApiError({ status: 500, error_type: 'API_ERROR', error_code: 'INTERNAL_SERVER_ERROR', error_message: 'an unexpected error occurred' });
      sendJson(res, 500, internal.body(id));
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox-bank');
    const route = async () => {
      if (req.method === 'POST' && PLAID_ROUTES[url.pathname]) return handlePlaid(req, res, url.pathname);
      if (url.pathname === '/__control' || url.pathname.startsWith('/__control/')) return handleControlRequest(req, res, url, controls);
      if (url.pathname.startsWith('/link/') && (await handleLinkPage(req, res, url, bank))) return;
      if (req.method === 'GET' && url.pathname === '/') return sendJson(res, 200, describe());
      const error = notFound(url.pathname);
      sendJson(res, error.status, error.body(requestId()));
    };
    route().catch((error: unknown) => {
      console.error('sandbox bank: request failed', error);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  api.publicUrl = (options.publicUrl ?? url).replace(/\/$/, '');

  return {
    url,
    controls,
    apiCalls: () => [...calls],
    close: async () => {
      // Webhooks in flight have their own timeout; waiting keeps a test's receiver from being
      // hit after the test closed it.
      await sender.flush();
      // Keep-alive sockets (the SDK's axios, fetch) would otherwise hold close() open.
      server.closeAllConnections();
      await new Promise<void>((resolveClose, rejectClose) => server.close((error) => (error ? rejectClose(error) : resolveClose())));
    },
  };
}

function parseJsonObject(raw: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw invalidBody();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidBody();
  return parsed as Record<string, unknown>;
}

function describe() {
  return {
    name: 'sandbox bank',
    plaid_endpoints: Object.keys(PLAID_ROUTES),
    institutions: INSTITUTIONS.map((i) => ({ institution_id: i.institution_id, name: i.name })),
    test_users: PEOPLE.map((p) => ({ username: p.username, password: p.password, description: p.description })),
    controls: '/__control',
  };
}

const runDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (runDirectly) {
  // Same settings as the rest of the local stack: .env, else .env.example; the environment wins.
  loadLocalEnv();
  const base = new URL(process.env.PLAID_BASE_URL ?? 'http://127.0.0.1:3200');
  const bank = await startSandboxBank({
    port: Number(base.port || 3200),
    host: base.hostname === 'localhost' ? '127.0.0.1' : base.hostname,
    ...(process.env.SANDBOX_BANK_SEED ? { seed: process.env.SANDBOX_BANK_SEED } : {}),
  });
  console.log(`Sandbox bank listening on ${bank.url} (controls: ${bank.url}/__control)`);
  const stop = () => void bank.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
