import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SendApiUnavailable, type SendApiError } from '../../../lib/errors';
import { createGraphTransport } from '../../../lib/messenger/graph-transport';
import { createSendApi } from '../../../lib/messenger/send-api';

const TOKEN = 'EAAG-transport-test-token';
const PSID = '24000000000000001';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface TestServer {
  url: string;
  seen: Seen[];
  connections: number;
  /** Resolves when the server side of a connection closes. */
  socketClosed: Promise<void>;
  close(): Promise<void>;
}

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** A real node:http server on 127.0.0.1 that records each request, then answers with `answer`. */
async function serve(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const seen: Seen[] = [];
  let markClosed: () => void = () => {};
  const socketClosed = new Promise<void>((resolve) => (markClosed = resolve));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(req, res);
    });
  });
  const state: TestServer = {
    url: '',
    seen,
    connections: 0,
    socketClosed,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('connection', (socket: Socket) => {
    state.connections += 1;
    socket.on('close', () => markClosed());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(state);
  return state;
}

const json = (status: number, body: unknown) => (_req: IncomingMessage, res: ServerResponse) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

const delivered = json(200, { recipient_id: PSID, message_id: 'm_1' });

async function failureOf(promise: Promise<unknown>): Promise<SendApiError> {
  try {
    await promise;
  } catch (error) {
    return error as SendApiError;
  }
  throw new Error('expected the call to fail');
}

const noWait = { sleep: async () => {} };

describe('the Graph transport', () => {
  it('returns the status and the whole body, however it is chunked', async () => {
    const big = 'é'.repeat(100_000);
    const server = await serve((_req, res) => {
      res.writeHead(503, { 'content-type': 'text/html' });
      res.write('<html>');
      setTimeout(() => res.end(`${big}</html>`), 10);
    });
    const http = createGraphTransport();

    const answer = await http(`${server.url}/v25.0/me/messages`, { method: 'GET', headers: {}, signal: AbortSignal.timeout(5_000) });

    expect(answer.status).toBe(503);
    expect(await answer.text()).toBe(`<html>${big}</html>`);
  });

  it('sends the method, the headers and the body as given, with its length', async () => {
    const server = await serve(delivered);
    const http = createGraphTransport();
    const body = JSON.stringify({ recipient: { id: PSID }, message: { text: 'Solde : 12,34 €' } });

    await http(`${server.url}/v25.0/me/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(5_000),
    });

    const [request] = server.seen;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v25.0/me/messages');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(request?.body).toBe(body);
  });

  it('keeps the query string, escaped values and repeated keys included', async () => {
    const server = await serve(json(200, { recipient: PSID }));
    const http = createGraphTransport();
    const token = 'a+b c&d=é/';

    await http(`${server.url}/v25.0/me?fields=recipient&account_linking_token=${encodeURIComponent(token)}&tag=x&tag=y`, {
      method: 'GET',
      headers: {},
      signal: AbortSignal.timeout(5_000),
    });

    const url = new URL(server.seen[0]?.url ?? '', 'http://x');
    expect(url.pathname).toBe('/v25.0/me');
    expect(url.searchParams.get('fields')).toBe('recipient');
    expect(url.searchParams.get('account_linking_token')).toBe(token);
    expect(url.searchParams.getAll('tag')).toEqual(['x', 'y']);
  });

  it('reuses one kept-alive connection for the calls of one client', async () => {
    const server = await serve(delivered);
    const api = createSendApi({ graphApiUrl: `${server.url}/v25.0`, pageAccessToken: TOKEN });

    await api.sendText(PSID, 'one');
    await api.sendText(PSID, 'two');

    expect(server.seen).toHaveLength(2);
    expect(server.connections).toBe(1);
  });
});

describe('the Send API over the Graph transport', () => {
  it('sends the token as a bearer header and JSON, and returns what Graph answered', async () => {
    const server = await serve(delivered);
    const api = createSendApi({ graphApiUrl: `${server.url}/v25.0`, pageAccessToken: TOKEN });

    const result = await api.sendText(PSID, 'hello');

    expect(result).toEqual({ recipientId: PSID, messageId: 'm_1' });
    expect(server.seen[0]?.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' });
    expect(server.seen[0]?.url).toBe('/v25.0/me/messages');
  });

  it.each([
    ['an HTML 502 page', (_req: IncomingMessage, res: ServerResponse) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>')],
    ['an empty 500', (_req: IncomingMessage, res: ServerResponse) => res.writeHead(500).end()],
  ])('classifies %s as SendApiUnavailable with its status', async (_name, answer) => {
    const server = await serve(answer);
    const api = createSendApi({ graphApiUrl: `${server.url}/v25.0`, pageAccessToken: TOKEN, maxAttempts: 1 });

    const error = await failureOf(api.sendText(PSID, 'hello'));

    expect(error).toBeInstanceOf(SendApiUnavailable);
    expect(error.message).toMatch(/HTTP 50[02]/);
  });

  it('aborts a request Graph never answers: the socket is closed and the error says it timed out', async () => {
    const server = await serve(() => {});
    const api = createSendApi({ graphApiUrl: `${server.url}/v25.0`, pageAccessToken: TOKEN, timeoutMs: 50, maxAttempts: 1 });

    const error = await failureOf(api.sendText(PSID, 'hello'));

    expect(error).toBeInstanceOf(SendApiUnavailable);
    expect(error.message).toContain('timed out after 50 ms');
    await server.socketClosed;
    expect(server.seen).toHaveLength(1);
  });

  it('aborts an answer whose body stalls, the same way', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"recipient_id":');
    });
    const api = createSendApi({ graphApiUrl: `${server.url}/v25.0`, pageAccessToken: TOKEN, timeoutMs: 50, maxAttempts: 1 });

    const error = await failureOf(api.sendText(PSID, 'hello'));

    expect(error).toBeInstanceOf(SendApiUnavailable);
    expect(error.message).toContain('timed out after 50 ms');
    await server.socketClosed;
  });

  it('delivers on the retry after a timed-out attempt, on a new connection', async () => {
    let calls = 0;
    const server = await serve((req, res) => {
      calls += 1;
      if (calls > 1) delivered(req, res);
    });
    const api = createSendApi({ graphApiUrl: `${server.url}/v25.0`, pageAccessToken: TOKEN, timeoutMs: 50, maxAttempts: 2 }, noWait);

    const result = await api.sendText(PSID, 'hello');

    expect(result.recipientId).toBe(PSID);
    expect(server.connections).toBe(2);
  });

  it('classifies a refused connection as SendApiUnavailable (could not be reached), retryable', async () => {
    const server = await serve(delivered);
    const closedUrl = server.url;
    await server.close();
    servers = servers.filter((s) => s !== server);
    const api = createSendApi({ graphApiUrl: `${closedUrl}/v25.0`, pageAccessToken: TOKEN, maxAttempts: 1 });

    const error = await failureOf(api.sendText(PSID, 'hello'));

    expect(error).toBeInstanceOf(SendApiUnavailable);
    expect(error.message).toContain('could not be reached');
    expect(error.retryable).toBe(true);
    expect((error.cause as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNREFUSED');
  });
});
