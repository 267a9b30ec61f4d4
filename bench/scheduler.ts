import { BatchWriteItemCommand, CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { tableDefinition } from '../dev/tables';
import { marshall } from '@aws-sdk/util-dynamodb';
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { performance } from 'node:perf_hooks';
import { connectionSk, syncDueGsi, userPk } from '../lib/store/keys';
import type { Bundle } from './lib/bundles';
import { startMeter, type MeterTotals } from './lib/ddb-meter';
import { benchEnv } from './lib/env';
import { lambdaContext, loadBundle, say } from './lib/lambda';
import type { Stack } from './lib/stack';
import { round } from './lib/stats';

/**
 * 5. Scheduler: the bundled syncScheduler selecting and enqueueing what is due, against DynamoDB
 * Local and the local SQS, both behind metering proxies (request counts by operation, consumed
 * units; SQS answers after an assumed in-region round trip of SQS_LATENCY_MS). Two runs: 10,000 of 10,000 linked connections due, and 1,000 due among 10,000 (the
 * other 9,000 due later), to show the cost follows what is due, not what is linked.
 */
/** The local SQS answers in well under a millisecond; SQS in AWS does not. Each answer waits this long. */
export const SQS_LATENCY_MS = 10;

export interface SchedulerRun {
  linked: number;
  due: number;
  enqueued: number;
  seconds: number;
  dynamodb: MeterTotals;
  sqs: MeterTotals;
}

export interface SchedulerResult {
  runs: SchedulerRun[];
  sqsLatencyMs: number;
  scans: number;
  proportional: boolean;
}

async function seed(admin: DynamoDBClient, table: string, linked: number, due: number, now: Date) {
  const items = Array.from({ length: linked }, (_, i) => {
    const psid = `55${String(i).padStart(10, '0')}`;
    const itemId = `item-${i}`;
    // Due ones spread over the last 50 minutes; the rest over the next 23 hours.
    const at = i < due ? new Date(now.getTime() - (1 + (i % 50)) * 60_000) : new Date(now.getTime() + (10 + (i % 1380)) * 60_000);
    return { pk: userPk(psid), sk: connectionSk(itemId), type: 'connection', psid, itemId, nextSyncAt: at.toISOString(), ...syncDueGsi(at, psid, itemId) };
  });
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < items.length; i += 25) {
    const chunk = items.slice(i, i + 25);
    writes.push(admin.send(new BatchWriteItemCommand({ RequestItems: { [table]: chunk.map((item) => ({ PutRequest: { Item: marshall(item) } })) } })));
    if (writes.length >= 32) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
}

/**
 * The main table's keys and GSI as serverless.yml defines them, without the stream: the scheduler
 * never reads it, and DynamoDB Local writes four times slower with one (seeding 20,000
 * connections took four minutes).
 */
async function schedulerTable(admin: DynamoDBClient): Promise<{ main: string; audit: string }> {
  const def = tableDefinition('main');
  const main = `bench-sched-${randomUUID().slice(0, 8)}`;
  await admin.send(
    new CreateTableCommand({ TableName: main, AttributeDefinitions: def.AttributeDefinitions, KeySchema: def.KeySchema, GlobalSecondaryIndexes: def.GlobalSecondaryIndexes, BillingMode: 'PAY_PER_REQUEST' }),
  );
  return { main, audit: `${main}-audit-unused` };
}

export async function benchScheduler(bundle: Bundle, stack: Stack, options: { linked: number; dueCounts: number[] }): Promise<SchedulerResult> {
  const runs: SchedulerRun[] = [];
  for (const due of options.dueCounts) {
    const tables = await schedulerTable(stack.admin);
    const now = new Date();
    await seed(stack.admin, tables.main, options.linked, due, now);
    await stack.sqs.client.send(new PurgeQueueCommand({ QueueUrl: stack.sqs.queueUrl('SyncQueue') })).catch(() => undefined);
    const dynamo = await startMeter(stack.dynamo.endpoint);
    const sqs = await startMeter(stack.sqs.endpoint, { dynamodb: false, latencyMs: SQS_LATENCY_MS });
    const handler = await loadBundle<unknown, { due: number; enqueued: number }>(bundle.file, benchEnv(stack.endpoints(tables, { dynamodb: dynamo.url, sqs: sqs.url })));
    const start = performance.now();
    const answer = await handler({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }, lambdaContext('syncScheduler', 512, 300_000));
    const seconds = (performance.now() - start) / 1000;
    runs.push({ linked: options.linked, due, enqueued: answer.enqueued, seconds: round(seconds, 2), dynamodb: dynamo.snapshot(), sqs: sqs.snapshot() });
    const r = runs.at(-1)!;
    say(`  scheduler: ${r.due} due of ${r.linked}: enqueued ${r.enqueued} in ${r.seconds} s; DynamoDB ${JSON.stringify(r.dynamodb.requests)} ${round(r.dynamodb.readUnits, 1)} RRU; SQS ${JSON.stringify(r.sqs.requests)}`);
    await dynamo.close();
    await sqs.close();
    await stack.sqs.client.send(new PurgeQueueCommand({ QueueUrl: stack.sqs.queueUrl('SyncQueue') })).catch(() => undefined);
  }
  const scans = runs.reduce((n, r) => n + (r.dynamodb.requests.Scan ?? 0), 0);
  const [all, some] = runs;
  const proportional = !!all && !!some && some.dynamodb.readUnits < all.dynamodb.readUnits * 0.2 && (some.sqs.requests.SendMessageBatch ?? 0) <= Math.ceil(some.due / 10) * 1.1;
  return { runs, sqsLatencyMs: SQS_LATENCY_MS, scans, proportional };
}
