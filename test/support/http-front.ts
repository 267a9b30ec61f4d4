import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpApiEvent } from '../../dev/messenger-payloads';
import { lambdaContext } from './functions';

export type HttpHandler = (event: APIGatewayProxyEventV2, context: ReturnType<typeof lambdaContext>) => Promise<APIGatewayProxyStructuredResultV2>;

export interface HttpFront {
  /** e.g. http://127.0.0.1:41234: what PUBLIC_BASE_URL is set to, so the chat's links lead here. */
  url: string;
  close(): Promise<void>;
}

/**
 * The HTTP API in front of handlers loaded in the test's process, as API Gateway passes requests
 * to them: a browser, `fetch` or the sandbox bank's webhooks reach the real handlers over real
 * HTTP. `route` picks the handler by path when a request arrives (handlers load after the front
 * is listening, since their PUBLIC_BASE_URL is its address).
 */
export async function startHttpFront(route: (path: string) => { handler: HttpHandler; name: string } | undefined): Promise<HttpFront> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://front');
      const target = route(url.pathname);
      const method = req.method === 'POST' ? 'POST' : req.method === 'GET' ? 'GET' : undefined;
      if (!target || !method) {
        res.writeHead(404).end();
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
      const body = Buffer.concat(chunks).toString('utf8');
      const event = httpApiEvent({ method, path: url.pathname, headers, query: Object.fromEntries(url.searchParams), ...(method === 'POST' ? { body } : {}) });
      target
        .handler(event, lambdaContext(target.name))
        .then((answer) => {
          const responseHeaders = Object.fromEntries(Object.entries(answer.headers ?? {}).map(([name, value]) => [name, String(value)]));
          res.writeHead(answer.statusCode ?? 200, responseHeaders).end(answer.isBase64Encoded ? Buffer.from(answer.body ?? '', 'base64') : (answer.body ?? ''));
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
