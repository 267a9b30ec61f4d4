/**
 * A tiny Plaid-shaped HTTP server for the adapter's tests: it records every request (path, headers,
 * parsed body) and answers from per-path scripts. Deliberately independent of the sandbox bank in
 * dev/: this one exists to produce exact failures on demand.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply =
  | { status: number; body: unknown }
  /** A body sent verbatim, e.g. an HTML error page from a proxy. */
  | { status: number; raw: string; contentType?: string }
  /** Accept the request and never answer. */
  | { hang: true }
  /** Drop the connection without an answer (the client sees ECONNRESET). */
  | { destroy: true }
  | { redirect: string };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: unknown;
}

export interface PlaidServer {
  url: string;
  requests: RecordedRequest[];
  /** Requests to one path. */
  requestsTo(path: string): RecordedRequest[];
  /**
   * Scripts the answers for a path: each request takes the next reply, and the last one repeats.
   * Replaces any earlier script for the path.
   */
  on(path: string, ...replies: Reply[]): void;
  /** Forgets the recorded requests and the scripts. */
  reset(): void;
  close(): Promise<void>;
}

export const plaidError = (
  status: number,
  errorType: string,
  errorCode: string,
  errorMessage = 'something went wrong',
  requestId = 'req-test-1',
): Reply => ({
  status,
  body: {
    error_type: errorType,
    error_code: errorCode,
    error_message: errorMessage,
    display_message: null,
    request_id: requestId,
    causes: [],
    status,
    documentation_url: 'https://plaid.com/docs/errors/',
    suggested_action: null,
  },
});

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export async function startPlaidServer(): Promise<PlaidServer> {
  const requests: RecordedRequest[] = [];
  const scripts = new Map<string, Reply[]>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      requests.push({ method: req.method ?? '', path, headers: req.headers, rawBody, body: parse(rawBody) });

      const script = scripts.get(path);
      const reply: Reply = (script && script.length > 1 ? script.shift() : script?.[0]) ??
        plaidError(404, 'INVALID_REQUEST', 'NOT_FOUND', `no script for ${path}`);
      if ('hang' in reply) return;
      if ('destroy' in reply) {
        req.socket.destroy();
        return;
      }
      if ('redirect' in reply) {
        res.writeHead(307, { location: reply.redirect }).end();
        return;
      }
      if ('raw' in reply) {
        res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'text/html' }).end(reply.raw);
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    on(path, ...replies) {
      scripts.set(path, [...replies]);
    },
    reset() {
      requests.length = 0;
      scripts.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A local URL where nothing listens: connecting to it is refused. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
