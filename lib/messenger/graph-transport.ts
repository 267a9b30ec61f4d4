import type { Readable } from 'node:stream';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * How the Graph clients (Send API, Messenger profile) talk HTTP: the fetch-like slice they use, so
 * a test can still hand them `fetch` or a fake.
 */
export interface GraphHttpInit {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** JSON as text, or a multipart body's bytes (an image sent with its message). */
  body?: string | Uint8Array;
  /** Aborting it destroys the socket, whether the answer's headers or its body are still due. */
  signal: AbortSignal;
}
export interface GraphHttpAnswer {
  status: number;
  text(): Promise<string>;
}
export type GraphHttp = (url: string, init: GraphHttpInit) => Promise<GraphHttpAnswer>;

/**
 * Not Node's global fetch: the first fetch in a process loads Node's bundled undici, ~30 ms against
 * ~7 ms for a first node:http request (Node 20), and the conversation function's cold start sends
 * its first reply through here (a first Send API call in a fresh process measured ~33 ms with
 * fetch, ~11 ms through this). The AWS SDK's own node:http(s) handler is already in every bundle
 * (the DynamoDB client uses it), so it adds no dependency code, and it keeps connections alive.
 *
 * One handler (one keep-alive agent per protocol) per transport, created on the first call. The
 * whole body is read before the answer is returned, under the same signal, so a stalled body times
 * out like a stalled connection. Redirects are not followed and no compression is asked for.
 */
export function createGraphTransport(): GraphHttp {
  let handler: NodeHttpHandler | undefined;
  return async (url, { method, headers, body, signal }) => {
    const target = new URL(url);
    if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new TypeError(`Graph transport speaks http(s), not ${target.protocol}`);
    const request = new HttpRequest({
      method,
      protocol: target.protocol,
      hostname: target.hostname,
      ...(target.port ? { port: Number(target.port) } : {}),
      path: target.pathname,
      query: queryOf(target.searchParams),
      headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      ...(body === undefined ? {} : { body }),
    });
    handler ??= new NodeHttpHandler();
    const { response } = await handler.handle(request, { abortSignal: signal });
    const text = await readText(response.body as Readable | undefined, signal);
    return { status: response.statusCode, text: async () => text };
  };
}

/** The handler rebuilds the query string from a bag (keys sorted, values escaped again). */
function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  return query;
}

async function readText(body: Readable | undefined, signal: AbortSignal): Promise<string> {
  if (body === undefined) return '';
  // A signal that fires while the body is still coming ends the read here and destroys the socket
  // (the handler's own abort listener happens to do so too until the request closes; not relied on).
  const abort = () => body.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  if (signal.aborted) abort();
  signal.addEventListener('abort', abort, { once: true });
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    signal.removeEventListener('abort', abort);
  }
}
