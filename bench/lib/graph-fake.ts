import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * An in-process stand-in for the Graph API's Send API: answers every POST …/messages as Meta does
 * and notes when each request arrived, so a benchmark can time "stream record in → Send API
 * request out". Sender actions (typing indicators) are answered but not counted as replies.
 */
export interface GraphFake {
  url: string;
  /** performance.now() of the first reply message to this person since `expect(psid)`. */
  firstReplyAt(psid: string): number | undefined;
  expect(psid: string): void;
  requests(): number;
  close(): Promise<void>;
}

export async function startGraphFake(): Promise<GraphFake> {
  const first = new Map<string, number | undefined>();
  let count = 0;
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      count++;
      let body: { recipient?: { id?: string }; message?: unknown } = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        // form-encoded or empty: still answered
      }
      const psid = body.recipient?.id;
      if (psid && body.message !== undefined && first.has(psid) && first.get(psid) === undefined) first.set(psid, at);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ recipient_id: psid ?? '0', message_id: `m_bench_${++n}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v25.0`,
    firstReplyAt: (psid) => first.get(psid),
    expect: (psid) => void first.set(psid, undefined),
    requests: () => count,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
