import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { performance } from 'node:perf_hooks';
import { metaJson, signedWebhookEvent, textMessage, webhookBody } from '../dev/messenger-payloads';
import type { Bundle } from './lib/bundles';
import { benchEnv, SECRETS, type Endpoints } from './lib/env';
import { lambdaContext, loadBundle, logBytes, say } from './lib/lambda';
import { ratio, summarize, type Summary } from './lib/stats';

/**
 * 1. Webhook ack: the bundled messengerWebhook against DynamoDB Local, one signed single-message
 * delivery at a time, interleaved with a baseline that only checks the HMAC and does one
 * conditional put through the same SDK client. Both warm; the order within each pair alternates
 * at random so neither gets a systematic advantage from DynamoDB Local's state or GC timing.
 */
export interface WebhookResult {
  events: number;
  handler: Summary;
  baseline: Summary;
  ratio: { p50: number; p99: number };
  goal: number;
  met: boolean;
  /** Log bytes the handler wrote per delivery (CloudWatch Logs ingestion). */
  logBytesPerInvocation: number;
}

type Http = (event: APIGatewayProxyEventV2, context: ReturnType<typeof lambdaContext>) => Promise<APIGatewayProxyResultV2>;

const PAGE = '100000000000001';
const delivery = (i: number) => {
  const who = { psid: `88${String(i % 500).padStart(12, '0')}`, pageId: PAGE };
  const raw = metaJson(webhookBody([{ pageId: PAGE, messaging: [textMessage(who, `what did I spend on groceries this month? #${i}`)] }]));
  return signedWebhookEvent(raw, SECRETS.MESSENGER_APP_SECRET);
};

export async function benchWebhook(bundles: { handler: Bundle; baseline: Bundle }, endpoints: Endpoints, options: { events: number; warmup: number }): Promise<WebhookResult> {
  const env = benchEnv(endpoints);
  const handler = await loadBundle<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(bundles.handler.file, env) as Http;
  const baseline = await loadBundle<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(bundles.baseline.file, env) as Http;
  const run = async (fn: Http, event: APIGatewayProxyEventV2) => {
    const context = lambdaContext('messengerWebhook', 1024, 6_000);
    const start = performance.now();
    const answer = await fn(event, context);
    const took = performance.now() - start;
    const status = typeof answer === 'object' ? answer.statusCode : 200;
    if (status !== 200) throw new Error(`webhook answered ${status}`);
    return took;
  };
  const times = { handler: [] as number[], baseline: [] as number[] };
  let handlerLogBytes = 0;
  const total = options.warmup + options.events;
  for (let i = 0; i < total; i++) {
    // Each side gets its own fresh event (a duplicate would skip the write).
    const a = delivery(2 * i);
    const b = delivery(2 * i + 1);
    const measured = i >= options.warmup;
    const handlerFirst = Math.random() < 0.5;
    for (const side of handlerFirst ? (['handler', 'baseline'] as const) : (['baseline', 'handler'] as const)) {
      const before = logBytes.count;
      const took = side === 'handler' ? await run(handler, a) : await run(baseline, b);
      if (measured) times[side].push(took);
      if (side === 'handler' && measured) handlerLogBytes += logBytes.count - before;
    }
    if ((i + 1) % 500 === 0) say(`  webhook: ${i + 1}/${total}`);
  }
  const h = summarize(times.handler);
  const b = summarize(times.baseline);
  const r = { p50: ratio(h.p50, b.p50), p99: ratio(h.p99, b.p99) };
  return { events: options.events, handler: h, baseline: b, ratio: r, goal: 1.15, met: r.p50 <= 1.15 && r.p99 <= 1.15, logBytesPerInvocation: Math.round(handlerLogBytes / options.events) };
}
