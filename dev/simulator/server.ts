/**
 * The Messenger simulator: a local page that plays Messenger for a test person. What the person
 * does in the page is posted to the real webhook as Meta would (a signed `page` body), what the bot
 * sends is read back from the Graph API stub, and the side panels drive the sandbox bank and show
 * what the person has shared (from DynamoDB Local). Nothing here calls a handler directly.
 *
 *   GET  /                                  the page (public/)
 *   GET  /api/people, POST /api/people      test people (PSIDs)
 *   POST /api/send                          a text, a quick-reply tap or a postback → signed POST /webhook
 *   GET  /api/outbound?psid=                what this page sent for that person
 *   GET  /api/graph?psid=&after=            the Graph requests the stub received for that person
 *   GET  /api/attachments/:message          an image the bot sent (from the Graph API stub)
 *   GET  /api/profile                       the Page: name, persistent menu, ice breakers, greeting
 *   GET  /api/person?psid=                  shared data (consents, accounts…) and the person's bank items
 *   POST|PUT /api/bank/items/:item/…        sandbox-bank controls
 *
 * Run standalone against a running `npm start`: `tsx dev/simulator/server.ts`.
 */
import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as z from 'zod/mini';
import { signBody } from '../../lib/messenger/signature';
import { describeIssues } from '../../lib/validation';
import { loadLocalEnv } from '../env';
import { metaJson, postback, quickReply, textMessage, webhookBody } from '../messenger-payloads';
import { pageProfile, type PageProfile } from './page-profile';
import { sharedDataReader } from './shared-data';

export interface SimulatorOptions {
  /** 0 (the default): a free port. */
  port?: number;
  host?: string;
  /** The real webhook, e.g. http://127.0.0.1:3000/webhook */
  webhookUrl: string;
  /** GRAPH_API_URL of the Graph API stub (its control routes live at its root). */
  graphUrl: string;
  bankUrl: string;
  /** The app secret the webhook checks X-Hub-Signature-256 with. */
  appSecret: string;
  pageId: string;
  /** The Page's name (BRAND_NAME). */
  brand: string;
  dynamo: { endpoint: string; region: string; table: string };
}

export interface Simulator {
  url: string;
  close(): Promise<void>;
}

interface Person {
  psid: string;
  name: string;
}

/** What the page sent as the person: shown on the right of the conversation. */
interface Outbound {
  at: string;
  psid: string;
  mid: string;
  kind: 'text' | 'quick_reply' | 'postback';
  text: string;
  payload?: string;
  status: number;
}

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};
const MAX_BODY_BYTES = 64 * 1024;

const psid = z.string().check(z.regex(/^\d{1,20}$/, 'a PSID is digits only'));
const itemRef = z.string().check(z.regex(/^[\w-]{1,128}$/));
const payload = z.string().check(z.minLength(1), z.maxLength(1000));
const title = z.string().check(z.minLength(1), z.maxLength(640));
const money = z.number().check(z.gte(-1_000_000), z.lte(1_000_000));

const sendBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), psid, text: z.string().check(z.minLength(1), z.maxLength(2000)) }),
  z.object({ kind: z.literal('quick_reply'), psid, title, payload }),
  z.object({ kind: z.literal('postback'), psid, title, payload }),
]);
const personBody = z.object({ name: z.optional(z.string().check(z.maxLength(60))) });
const transactionBody = z.object({
  merchant: z.string().check(z.minLength(1), z.maxLength(100)),
  amount: money,
  category: z.optional(z.string().check(z.regex(/^[A-Z_]{2,80}$/))),
  account_id: z.optional(itemRef),
  pending: z.optional(z.boolean()),
  foreign: z.optional(z.boolean()),
});
const balanceBody = z.object({ current: z.optional(money), available: z.optional(money) });
const webhookCode = z.object({ webhook_code: z.enum(['SYNC_UPDATES_AVAILABLE', 'DEFAULT_UPDATE', 'PENDING_EXPIRATION', 'PENDING_DISCONNECT', 'NEW_ACCOUNTS_AVAILABLE', 'USER_PERMISSION_REVOKED']) });

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const graphRoot = new URL('/', options.graphUrl).href.replace(/\/$/, '');
  const bankRoot = options.bankUrl.replace(/\/$/, '');
  const shared = sharedDataReader(options.dynamo);
  const people: Person[] = [{ psid: '5500000000000001', name: 'Test person 1' }];
  const outbound: Outbound[] = [];

  const graphRequests = async (query: Record<string, string>) => {
    const response = await fetch(`${graphRoot}/__received?${new URLSearchParams(query)}`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new HttpError(502, `Graph API stub answered ${response.status}`);
    return (await response.json()) as { seq: number; at: string; path: string; status: number; body: unknown }[];
  };

  const bank = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${bankRoot}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : null;
    return { status: response.status, body: parsed };
  };

  /** A bank item as the controls need it: never its access token. */
  const bankItem = async (itemId: string) => {
    const { status, body } = await bank('GET', `/__control/items/${encodeURIComponent(itemId)}`);
    if (status !== 200) return { item_id: itemId, missing: true };
    const { access_token: _token, ...rest } = body as Record<string, unknown>;
    return rest;
  };

  const send = async (input: z.infer<typeof sendBody>) => {
    const who = { psid: input.psid, pageId: options.pageId };
    const event =
      input.kind === 'text' ? textMessage(who, input.text) : input.kind === 'quick_reply' ? quickReply(who, input.title, input.payload) : postback(who, input.payload, { title: input.title });
    const raw = metaJson(webhookBody([{ pageId: options.pageId, messaging: [event] }]));
    const response = await fetch(options.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, options.appSecret) },
      body: raw,
      signal: AbortSignal.timeout(15_000),
    });
    await response.arrayBuffer();
    const mid = 'message' in event ? event.message.mid : event.postback.mid;
    const record: Outbound = {
      at: new Date(event.timestamp).toISOString(),
      psid: input.psid,
      mid,
      kind: input.kind,
      text: input.kind === 'text' ? input.text : input.title,
      ...(input.kind === 'text' ? {} : { payload: input.payload }),
      status: response.status,
    };
    outbound.push(record);
    if (!people.some((p) => p.psid === input.psid)) people.push({ psid: input.psid, name: `Test person ${people.length + 1}` });
    return record;
  };

  const profile = async (): Promise<PageProfile & { name: string }> => {
    const requests = (await graphRequests({})).filter((r) => r.status === 200 && r.path.endsWith('/messenger_profile'));
    return { name: options.brand, ...pageProfile(requests.map((r) => r.body), options.brand) };
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    const query = (name: string, schema: z.ZodMiniType<string> = psid) => parse(schema, url.searchParams.get(name) ?? '', name);
    const asset = STATIC[url.pathname];
    if (asset && method === 'GET') return sendStatic(res, asset.file, asset.type);
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    if (url.pathname === '/api/people' && method === 'GET') return sendJson(res, 200, people);
    if (url.pathname === '/api/people' && method === 'POST') {
      const body = parse(personBody, await readJson(req));
      let id: string;
      do id = `55${String(randomInt(10 ** 13, 10 ** 14))}`;
      while (people.some((p) => p.psid === id));
      const person = { psid: id, name: body.name?.trim() || `Test person ${people.length + 1}` };
      people.push(person);
      return sendJson(res, 201, person);
    }
    if (url.pathname === '/api/send' && method === 'POST') {
      const sent = await send(parse(sendBody, await readJson(req)));
      return sendJson(res, sent.status === 200 ? 200 : 502, sent);
    }
    if (url.pathname === '/api/outbound' && method === 'GET') {
      const who = query('psid');
      return sendJson(res, 200, outbound.filter((o) => o.psid === who));
    }
    if (url.pathname === '/api/graph' && method === 'GET') {
      const who = query('psid');
      const after = query('after', z.string().check(z.regex(/^-?\d{1,9}$/)));
      return sendJson(res, 200, await graphRequests({ psid: who, after }));
    }
    const attachment = /^\/api\/attachments\/(m_\d{1,12})$/.exec(url.pathname);
    if (attachment && method === 'GET') {
      // An image the bot sent, from the stub; served from here, as the page's policy allows only its own images.
      const response = await fetch(`${graphRoot}/__attachments/${attachment[1]}`, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new HttpError(404, 'no such attachment');
      const type = response.headers.get('content-type') ?? '';
      if (!/^image\/(png|jpeg)$/.test(type)) throw new HttpError(502, 'not an image');
      return void res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).end(Buffer.from(await response.arrayBuffer()));
    }
    if (url.pathname === '/api/profile' && method === 'GET') return sendJson(res, 200, await profile());
    if (url.pathname === '/api/person' && method === 'GET') {
      const data = await shared.read(query('psid'));
      const itemIds = [...new Set([...data.consents.flatMap((c) => (c.itemId ? [c.itemId] : [])), ...data.connections.map((c) => c.itemId)])];
      return sendJson(res, 200, { shared: data, bankItems: await Promise.all(itemIds.map(bankItem)) });
    }

    const control = /^\/api\/bank\/items\/([^/]+)\/(transactions|webhooks|login-required|login-repaired|accounts\/([^/]+)\/balance)$/.exec(url.pathname);
    if (control) {
      const item = encodeURIComponent(parse(itemRef, decodeURIComponent(control[1]!), 'item'));
      const action = control[2]!;
      let result: { status: number; body: unknown } | undefined;
      if (action === 'transactions' && method === 'POST') result = await bank('POST', `/__control/items/${item}/transactions`, parse(transactionBody, await readJson(req)));
      else if (action === 'webhooks' && method === 'POST') result = await bank('POST', `/__control/items/${item}/webhooks`, parse(webhookCode, await readJson(req)));
      else if ((action === 'login-required' || action === 'login-repaired') && method === 'POST') result = await bank('POST', `/__control/items/${item}/${action}`);
      else if (control[3] !== undefined && method === 'PUT') {
        const account = encodeURIComponent(parse(itemRef, decodeURIComponent(control[3]), 'account'));
        result = await bank('PUT', `/__control/items/${item}/accounts/${account}/balance`, parse(balanceBody, await readJson(req)));
      }
      if (result) return sendJson(res, result.status === 204 ? 200 : result.status, result.body ?? { ok: true });
    }
    throw new HttpError(404, `no route ${method} ${url.pathname}`);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    route(req, res, url).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.message });
      sendJson(res, 502, { error: error instanceof Error ? error.message : 'failed' });
    });
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://localhost:${port}`,
    close: async () => {
      shared.close();
      server.closeAllConnections();
      await new Promise<void>((resolveClose, rejectClose) => server.close((error) => (error ? rejectClose(error) : resolveClose())));
    },
  };
}

function parse<T>(schema: z.ZodMiniType<T>, value: unknown, name?: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, `${name ? `${name}: ` : ''}${describeIssues(result.error)}`);
  return result.data;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

async function sendStatic(res: ServerResponse, file: string, type: string): Promise<void> {
  const content = await readFile(`${PUBLIC_DIR}${file}`);
  res.writeHead(200, {
    'content-type': type,
    'content-length': content.length,
    // Same-origin script and styles only; the page opens consent and bank pages in new tabs.
    'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  res.end(content);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

const runDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (runDirectly) {
  loadLocalEnv();
  const env = process.env as Record<string, string>;
  const simulator = await startSimulator({
    port: Number(env.SIMULATOR_PORT ?? 3300),
    webhookUrl: env.WEBHOOK_URL ?? 'http://127.0.0.1:3000/webhook',
    graphUrl: env.GRAPH_API_URL!,
    bankUrl: env.PLAID_BASE_URL!,
    appSecret: env.MESSENGER_APP_SECRET!,
    pageId: env.MESSENGER_PAGE_ID ?? '100000000000001',
    brand: env.BRAND_NAME ?? 'Demo Bank',
    dynamo: { endpoint: env.DYNAMODB_ENDPOINT!, region: env.AWS_REGION!, table: env.TABLE_NAME! },
  });
  console.log(`Messenger simulator on ${simulator.url}`);
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
