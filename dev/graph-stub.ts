/**
 * A stand-in for the Graph API's Messenger endpoints, for the local stack and for tests. It answers
 * like Meta does (same JSON, same error envelope) and keeps what it was sent, so a separate process
 * can read the bot's replies over HTTP (`GET /__sent`), or every request with its status, numbered
 * (`GET /__received?psid=…&after=<seq>`: what the Messenger simulator shows). An image sent with
 * its message (multipart, Meta's upload-and-send) is recorded with its file's name, type, size and
 * description; the file itself is served at `GET /__attachments/<message id>`.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { descriptionOf } from '../lib/charts/png';

export interface RecordedSend {
  at: string;
  path: string;
  body: unknown;
  messageId?: string;
}

/** Every request that reached a Graph route, including the ones the stub refused. */
export interface RecordedRequest extends RecordedSend {
  status: number;
}

export interface StubFailure {
  status: number;
  code: number;
  subcode?: number;
  message?: string;
}

export interface GraphStub {
  /** Base URL including the version, e.g. http://127.0.0.1:3100/v25.0 */
  url: string;
  /** Requests Meta would have accepted: messages, sender actions, profile updates. */
  sent(): RecordedSend[];
  sentTo(psid: string): RecordedSend[];
  /** Every Graph request, accepted or failed: counts attempts, retries included. */
  received(): RecordedRequest[];
  /** What Messenger appends to an account_link URL for this person (the stub then resolves it). */
  issueAccountLinkingToken(psid: string): string;
  /** The file of an image message the stub accepted (Meta's upload-and-send), by its message id. */
  attachment(messageId: string): { contentType: string; bytes: Buffer } | undefined;
  /** Forgets everything recorded and disarms pending failures. */
  clear(): void;
  /** The next `n` Graph requests fail with this Graph error. */
  failNext(n: number, error: StubFailure): void;
  waitFor(predicate: (s: RecordedSend) => boolean, timeoutMs?: number): Promise<RecordedSend>;
  close(): Promise<void>;
}

export interface GraphStubOptions {
  /** 0 picks a free port. */
  port?: number;
  /** When set, requests must carry it (Bearer header or access_token query), as Graph would demand. */
  pageAccessToken?: string;
  host?: string;
}

const GRAPH_ROUTE = /^\/v\d+\.\d+\/(?:me|\d+)\/(messages|messenger_profile|pass_thread_control)$/;

interface Waiter {
  predicate: (s: RecordedSend) => boolean;
  resolve: (s: RecordedSend) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export async function startGraphStub(options: GraphStubOptions = {}): Promise<GraphStub> {
  const accountLinking = new Map<string, string>();
  const host = options.host ?? '127.0.0.1';
  let sent: RecordedSend[] = [];
  let received: RecordedRequest[] = [];
  let failures: StubFailure[] = [];
  let waiters: Waiter[] = [];
  let counter = 0;
  let attachments = new Map<string, { contentType: string; bytes: Buffer }>();

  const recipientOf = (s: RecordedSend): string | undefined => {
    const body = s.body as { recipient?: { id?: unknown } } | null | undefined;
    return typeof body?.recipient?.id === 'string' ? body.recipient.id : undefined;
  };

  const recordSent = (record: RecordedSend) => {
    sent.push(record);
    for (const waiter of waiters.filter((w) => w.predicate(record))) {
      clearTimeout(waiter.timer);
      waiters = waiters.filter((w) => w !== waiter);
      waiter.resolve(record);
    }
  };

  const graphError = (res: ServerResponse, status: number, code: number, message: string, subcode?: number) => {
    counter += 1;
    const error = {
      message,
      type: 'OAuthException',
      code,
      ...(subcode === undefined ? {} : { error_subcode: subcode }),
      fbtrace_id: `stub-trace-${counter}`,
    };
    json(res, status, { error });
  };

  const handleGraph = (req: IncomingMessage, res: ServerResponse, url: URL, raw: string, route: string, upload?: Upload) => {
    const at = new Date().toISOString();
    const body = upload ? upload.body : parseJson(raw);
    const record = (status: number, messageId?: string) => {
      const base: RecordedSend = messageId === undefined ? { at, path: url.pathname, body } : { at, path: url.pathname, body, messageId };
      received.push({ ...base, status });
      return base;
    };

    if (options.pageAccessToken !== undefined && tokenOf(req, url) !== options.pageAccessToken) {
      record(400);
      return graphError(res, 400, 190, 'Invalid OAuth access token - Cannot parse access token');
    }
    const failure = failures.shift();
    if (failure) {
      record(failure.status);
      return graphError(res, failure.status, failure.code, failure.message ?? 'Stubbed failure', failure.subcode);
    }
    if (body === undefined) {
      record(400);
      return graphError(res, 400, 100, '(#100) Request body is not valid JSON');
    }
    if (route === 'messenger_profile') {
      recordSent(record(200));
      return json(res, 200, { result: 'success' });
    }

    const request = body as { recipient?: { id?: unknown }; message?: unknown; sender_action?: unknown; messaging_type?: unknown; target_app_id?: unknown };
    const recipientId = request.recipient?.id;
    if (typeof recipientId !== 'string' || recipientId === '') {
      record(400);
      return graphError(res, 400, 100, '(#100) The parameter recipient is required');
    }
    if (route === 'pass_thread_control') {
      // Handover protocol: the thread goes to another app (the Page inbox); Meta answers success.
      if (request.target_app_id === undefined) {
        record(400);
        return graphError(res, 400, 100, '(#100) The parameter target_app_id is required');
      }
      recordSent(record(200));
      return json(res, 200, { success: true });
    }
    if (request.sender_action !== undefined) {
      recordSent(record(200));
      return json(res, 200, { recipient_id: recipientId });
    }
    if (request.message === undefined || request.messaging_type === undefined) {
      record(400);
      return graphError(res, 400, 100, '(#100) message and messaging_type are required');
    }
    counter += 1;
    const messageId = `m_${counter}`;
    if (upload) {
      // The file is kept for the simulator (GET /__attachments/<message id>) and recorded by size.
      attachments.set(messageId, { contentType: upload.file.contentType, bytes: upload.file.bytes });
      const filedata = (body as { filedata: Record<string, unknown> }).filedata;
      filedata.url = `${root()}/__attachments/${messageId}`;
    }
    recordSent(record(200, messageId));
    return json(res, 200, { recipient_id: recipientId, message_id: messageId });
  };

  const handleControl = (req: IncomingMessage, res: ServerResponse, url: URL, raw: string): boolean => {
    if (url.pathname === '/__sent' && req.method === 'GET') {
      const psid = url.searchParams.get('psid');
      json(res, 200, psid === null ? sent : sent.filter((s) => recipientOf(s) === psid));
      return true;
    }
    if (url.pathname === '/__received' && req.method === 'GET') {
      // Every Graph request in arrival order, numbered so a reader can ask only for newer ones.
      const psid = url.searchParams.get('psid');
      const after = Number(url.searchParams.get('after') ?? -1);
      const numbered = received.map((r, seq) => ({ seq, ...r }));
      json(res, 200, numbered.filter((r) => r.seq > after && (psid === null || recipientOf(r) === psid)));
      return true;
    }
    const attachment = /^\/__attachments\/(m_\d+)$/.exec(url.pathname);
    if (attachment && req.method === 'GET') {
      const file = attachments.get(attachment[1]!);
      if (!file) json(res, 404, { error: 'no such attachment' });
      else res.writeHead(200, { 'content-type': file.contentType, 'cache-control': 'no-store' }).end(file.bytes);
      return true;
    }
    if (url.pathname === '/__sent' && req.method === 'DELETE') {
      stub.clear();
      res.writeHead(204).end();
      return true;
    }
    if (url.pathname === '/__fail' && req.method === 'POST') {
      const body = parseJson(raw) as Partial<StubFailure & { count: number }> | undefined;
      if (typeof body?.count !== 'number' || typeof body.status !== 'number' || typeof body.code !== 'number') {
        json(res, 400, { error: 'expected {count, status, code, subcode?, message?}' });
        return true;
      }
      stub.failNext(body.count, {
        status: body.status,
        code: body.code,
        ...(typeof body.subcode === 'number' ? { subcode: body.subcode } : {}),
        ...(typeof body.message === 'string' ? { message: body.message } : {}),
      });
      res.writeHead(204).end();
      return true;
    }
    return false;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const raw = bytes.toString('utf8');
      const url = new URL(req.url ?? '/', 'http://stub');
      if (handleControl(req, res, url, raw)) return;
      const route = GRAPH_ROUTE.exec(url.pathname)?.[1];
      if (route === 'messages' && req.method === 'POST' && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
        void readUpload(bytes, req.headers['content-type']!).then((upload) => handleGraph(req, res, url, raw, route, upload), () => graphError(res, 400, 100, '(#100) Invalid multipart body'));
        return;
      }
      if (route !== undefined && req.method === 'POST') return handleGraph(req, res, url, raw, route);
      if (req.method === 'GET' && /^\/v\d+\.\d+\/me$/.test(url.pathname) && url.searchParams.has('account_linking_token')) {
        // Account linking: Meta tells the Page who holds an account_linking_token.
        const psid = accountLinking.get(url.searchParams.get('account_linking_token') ?? '');
        return psid ? json(res, 200, { id: '100000000000001', recipient: psid }) : graphError(res, 400, 100, 'Invalid account_linking_token');
      }
      if (url.pathname === '/__account-linking-token' && req.method === 'POST') {
        const psid = (parseJson(raw) as { psid?: unknown } | undefined)?.psid;
        if (typeof psid !== 'string') return json(res, 400, { error: 'expected {psid}' });
        return json(res, 200, { account_linking_token: stub.issueAccountLinkingToken(psid) });
      }
      graphError(res, 404, 100, `Unknown path components: ${req.method} ${url.pathname}`);
    });
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const root = () => `http://${host}:${port}`;

  const stub: GraphStub = {
    url: `http://${host}:${port}/v25.0`,
    issueAccountLinkingToken: (psid) => {
      const token = `alt_${randomBytes(12).toString('hex')}`;
      accountLinking.set(token, psid);
      return token;
    },
    sent: () => [...sent],
    sentTo: (psid) => sent.filter((s) => recipientOf(s) === psid),
    received: () => [...received],
    attachment: (messageId) => attachments.get(messageId),
    clear: () => {
      sent = [];
      received = [];
      failures = [];
      attachments = new Map();
    },
    failNext: (n, error) => {
      failures.push(...Array.from({ length: n }, () => error));
    },
    waitFor: (predicate, timeoutMs = 2000) => {
      const already = sent.find(predicate);
      if (already) return Promise.resolve(already);
      return new Promise((resolveWait, rejectWait) => {
        const waiter: Waiter = {
          predicate,
          resolve: resolveWait,
          reject: rejectWait,
          timer: setTimeout(() => {
            waiters = waiters.filter((w) => w !== waiter);
            rejectWait(new Error(`graph stub: no matching send within ${timeoutMs} ms`));
          }, timeoutMs),
        };
        waiters.push(waiter);
      });
    },
    close: async () => {
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error('graph stub closed'));
      }
      waiters = [];
      // Keep-alive sockets from fetch would otherwise hold close() open until they time out.
      server.closeAllConnections();
      await new Promise<void>((resolveClose, rejectClose) =>
        server.close((error) => (error ? rejectClose(error) : resolveClose())),
      );
    },
  };
  return stub;
}

/** An image sent with its message (multipart/form-data): the JSON fields, and the file beside them. */
interface Upload {
  body: { recipient?: unknown; messaging_type?: unknown; message?: unknown; filedata: Record<string, unknown> };
  file: { contentType: string; bytes: Buffer };
}

async function readUpload(bytes: Buffer, contentType: string): Promise<Upload> {
  const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? (parseJson(value) ?? value) : undefined;
  };
  const file = form.get('filedata');
  if (!file || typeof file === 'string') throw new Error('no filedata');
  const data = Buffer.from(await file.arrayBuffer());
  const description = descriptionOf(data);
  return {
    body: {
      recipient: field('recipient'),
      messaging_type: field('messaging_type'),
      message: field('message'),
      filedata: { filename: file.name, contentType: file.type, size: data.length, ...(description === undefined ? {} : { description }) },
    },
    file: { contentType: file.type, bytes: data },
  };
}

function tokenOf(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length);
  return url.searchParams.get('access_token') ?? undefined;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const runDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (runDirectly) {
  const stub = await startGraphStub({ port: Number(process.env.GRAPH_STUB_PORT ?? 3100) });
  console.log(`Graph API stub listening on ${stub.url}`);
  const stop = () => void stub.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
