import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, DynamoDBBatchResponse, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { metaJson, signedWebhookEvent, textMessage, webhookBody } from '../dev/messenger-payloads';
import { inboxRecord } from './conversation';
import type { Bundle } from './lib/bundles';
import { diff, startMeter, type MeterTotals } from './lib/ddb-meter';
import { benchEnv, SECRETS } from './lib/env';
import { lambdaContext, loadBundle } from './lib/lambda';
import type { Stack } from './lib/stack';
import { round } from './lib/stats';
import { sqsEvent } from './sync';

/**
 * 6. Capacity units per operation, as DynamoDB Local reports them (ReturnConsumedCapacity set on
 * every request by the metering proxy; table and GSI units). Each figure is the mean over a few
 * repetitions on warm handlers. Failed conditional writes are estimated per AWS's rule (see
 * lib/ddb-meter.ts); they are reported apart.
 */
export interface UnitsPerOperation {
  operation: string;
  samples: number;
  readUnits: number;
  writeUnits: number;
  estimatedWriteUnits: number;
  /** Of writeUnits: counted from TransactWriteItems requests per AWS rules (DynamoDB Local reports 2 per table). */
  transactWriteUnits: number;
  requests: Record<string, number>;
}

export interface CapacityResult {
  source: string;
  rows: UnitsPerOperation[];
}

const per = (name: string, totals: MeterTotals, n: number): UnitsPerOperation => ({
  operation: name,
  samples: n,
  readUnits: round(totals.readUnits / n, 2),
  writeUnits: round(totals.writeUnits / n, 2),
  estimatedWriteUnits: round(totals.estimatedWriteUnits / n, 2),
  transactWriteUnits: round(totals.transactWriteUnits / n, 2),
  requests: Object.fromEntries(Object.entries(totals.requests).map(([k, v]) => [k, round(v / n, 2)])),
});

export async function benchCapacity(
  bundles: Record<string, Bundle>,
  stack: Stack,
  tables: { main: string; audit: string },
  people: { alerts: { psid: string; itemId: string }[]; plain: { psid: string; itemId: string }[] },
  options: { samples: number },
): Promise<CapacityResult> {
  const meter = await startMeter(stack.dynamo.endpoint);
  const env = benchEnv(stack.endpoints(tables, { dynamodb: meter.url }));
  const webhook = await loadBundle<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(bundles.messengerWebhook!.file, env);
  const conversation = await loadBundle<DynamoDBStreamEvent, DynamoDBBatchResponse>(bundles.conversation!.file, env);
  const worker = await loadBundle<SQSEvent, SQSBatchResponse>(bundles.syncWorker!.file, env);
  const rows: UnitsPerOperation[] = [];
  const measure = async (name: string, n: number, act: (i: number) => Promise<unknown>) => {
    await act(-1); // warm: first-call costs are not per-operation costs
    const before = meter.snapshot();
    for (let i = 0; i < n; i++) await act(i);
    rows.push(per(name, diff(meter.snapshot(), before), n));
  };
  const n = options.samples;
  const who = (i: number) => ({ psid: `99${Date.now()}${i + 1}`, pageId: '100000000000001' });

  await measure('inbound message (webhook)', n, (i) =>
    webhook(signedWebhookEvent(metaJson(webhookBody([{ pageId: '100000000000001', messaging: [textMessage(who(i), 'hi')] }])), SECRETS.MESSENGER_APP_SECRET), lambdaContext('messengerWebhook', 1024)),
  );
  await measure('conversation turn, not linked', n, (i) => conversation(inboxRecord(who(i).psid, `m_cap_${Date.now()}_${i}`, "what's my balance?"), lambdaContext('conversation')));
  const linked = people.alerts;
  await measure('conversation turn, linked ("what\'s my balance?")', n, (i) =>
    conversation(inboxRecord(linked[(i + 1) % linked.length]!.psid, `m_cap_${Date.now()}_${i}`, "what's my balance?"), lambdaContext('conversation')),
  );
  const sync = (p: { psid: string; itemId: string }) => worker(sqsEvent([{ ...p, reason: 'webhook' }]), lambdaContext('syncWorker'));
  await measure('sync, no changes (balances + transactions + alerts)', n, (i) => sync(linked[(i + 1) % linked.length]!));
  await measure('sync, no changes (balances + transactions)', n, (i) => sync(people.plain[(i + 1) % people.plain.length]!));
  await measure('sync, 10 new transactions (+ alerts)', n, async (i) => {
    const p = linked[(i + 1) % linked.length]!;
    for (let t = 0; t < 10; t++) stack.bank.controls.postTransaction(p.itemId, { amount: 12.5 + t, merchant: 'Whole Foods Market', category: 'FOOD_AND_DRINK_GROCERIES' });
    return sync(p);
  });
  await meter.close();
  return {
    source:
      'DynamoDB Local 3.x ReturnConsumedCapacity (INDEXES: table + GSI), added to every request by a metering proxy in front of the bundled handlers. Two exceptions, computed per AWS rules from the requests instead: TransactWriteItems (DynamoDB Local reports 2 units per table whatever the items; AWS charges 2 per item per started KB, plus GSI writes), and failed conditional writes (no ConsumedCapacity returned; shown apart).',
    rows,
  };
}
