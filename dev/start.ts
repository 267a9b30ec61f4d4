/**
 * `npm start`: the whole product on this machine, on embedded defaults.
 *
 *   DynamoDB Local (tables from serverless.yml) ─ the Graph API stub ─ serverless-offline (HTTP API and
 *   the functions, bundled by serverless-esbuild exactly as deployed) ─ stream delivery from the
 *   table's stream to `conversation`, with serverless.yml's filter, batch size and retries.
 *
 * Ctrl-C stops all of it.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { DynamoDBBatchResponse, DynamoDBRecord, SQSBatchResponse } from 'aws-lambda';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { startDynamoDbLocal } from './dynamodb-local';
import { loadLocalEnv } from './env';
import { startGraphStub } from './graph-stub';
import { startSandboxBank } from './sandbox-bank/server';
import { sqsEventSources, startLocalSqs } from './local-sqs';
import { createSqsDelivery } from './sqs-delivery';
import { projectRoot, scheduledFunctions, streamConsumers, streamSource } from './serverless-config';
import { createStreamDelivery } from './stream-delivery';
import { createTables } from './tables';

const envFile = loadLocalEnv();
const env = process.env as Record<string, string>;
const STAGE = 'local';
const SERVICE = 'messenger-banking';
const HTTP_PORT = 3000;
const LAMBDA_PORT = 3002;
const DEV_SCHEDULE_MS = 60_000;
const portOf = (url: string) => Number(new URL(url).port);

const stops: (() => Promise<void> | void)[] = [];
let stopping = false;
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the local stack…');
  for (const stop of stops.reverse()) {
    try {
      await stop();
    } catch (error) {
      console.error('  while stopping:', error instanceof Error ? error.message : error);
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

async function main() {
  console.log(`Configuration from ${envFile.replace(projectRoot, '')}`);

  const dynamo = await startDynamoDbLocal({ port: portOf(env.DYNAMODB_ENDPOINT!) });
  stops.push(() => dynamo.stop());
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: env.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  stops.push(() => client.destroy());
  await createTables(client, { main: env.TABLE_NAME!, audit: env.AUDIT_TABLE_NAME! });
  console.log(`✔ DynamoDB Local        ${dynamo.endpoint}  (tables ${env.TABLE_NAME}, ${env.AUDIT_TABLE_NAME})`);

  const graph = await startGraphStub({ port: portOf(env.GRAPH_API_URL!), pageAccessToken: env.MESSENGER_PAGE_ACCESS_TOKEN });
  stops.push(() => graph.close());
  console.log(`✔ Graph API stub        ${graph.url}  (what the bot sends: ${new URL('/__sent', graph.url)})`);

  const bank = await startSandboxBank({ port: portOf(env.PLAID_BASE_URL!), ...(env.SANDBOX_BANK_SEED ? { seed: env.SANDBOX_BANK_SEED } : {}) });
  stops.push(() => bank.close());
  console.log(`✔ Sandbox bank          ${bank.url}  (test login user_good / pass_good; controls ${bank.url}/__control)`);

  // The local SQS endpoint, with the queues of serverless.yml; the functions find it through the
  // environment serverless-offline passes on.
  const sqs = await startLocalSqs({ port: portOf(env.SQS_ENDPOINT!), stage: STAGE, service: SERVICE });
  stops.push(() => sqs.stop());
  process.env.SQS_ENDPOINT = sqs.endpoint;
  process.env.SYNC_QUEUE_URL = sqs.queueUrl('SyncQueue');
  console.log(`✔ Local SQS             ${sqs.endpoint}  (${Object.keys(sqs.queues).join(', ')})`);

  const offline = startOffline();
  stops.push(() => stopProcessGroup(offline));
  await waitForHttp(`http://127.0.0.1:${HTTP_PORT}/webhook`, offline);
  console.log(`✔ HTTP API              http://localhost:${HTTP_PORT}/webhook  (serverless-offline, stage ${STAGE})`);

  const lambda = new LambdaClient({
    endpoint: `http://127.0.0.1:${LAMBDA_PORT}`,
    region: env.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  stops.push(() => lambda.destroy());
  const { Table } = await client.send(new DescribeTableCommand({ TableName: env.TABLE_NAME }));
  mkdirSync(`${projectRoot}.local`, { recursive: true });
  // One delivery per consumer, as each has its own event source mapping in AWS.
  const consumers = streamConsumers();
  for (const name of consumers) {
    const dlqFile = `${projectRoot}.local/${name}-dlq.jsonl`;
    const delivery = createStreamDelivery({
      endpoint: dynamo.endpoint,
      streamArn: Table!.LatestStreamArn!,
      startingPosition: 'LATEST',
      ...streamSource(name),
      invoke: async (event) => {
        const result = await lambda.send(new InvokeCommand({ FunctionName: `${SERVICE}-${STAGE}-${name}`, Payload: Buffer.from(JSON.stringify(event)) }));
        const payload = result.Payload ? JSON.parse(Buffer.from(result.Payload).toString('utf8') || 'null') : null;
        if (result.FunctionError) throw new Error(`${name} failed: ${JSON.stringify(payload)?.slice(0, 500)}`);
        return payload as DynamoDBBatchResponse;
      },
      onDeadLetter: (records: DynamoDBRecord[], reason: string) => {
        appendFileSync(dlqFile, JSON.stringify({ at: new Date().toISOString(), reason, records }) + '\n');
        console.error(`✖ ${records.length} stream record(s) for ${name} exhausted their retries → ${dlqFile.replace(projectRoot, '')}`);
      },
    });
    delivery.start(200);
    stops.push(() => delivery.stop());
  }
  console.log(`✔ Stream delivery       main table stream → ${consumers.join(', ')}`);

  // SQS event sources: the same batch size, batching window and concurrency as in AWS.
  const sources = sqsEventSources({ stage: STAGE }).filter((s) => s.enabled);
  for (const source of sources) {
    const delivery = createSqsDelivery({
      client: sqs.client,
      queueUrl: sqs.queueUrl(source.queue),
      queueArn: sqs.queueArn(source.queue),
      batchSize: source.batchSize,
      maximumBatchingWindowSeconds: source.maximumBatchingWindowSeconds,
      reportBatchItemFailures: source.reportBatchItemFailures,
      ...(source.maximumConcurrency ? { maximumConcurrency: source.maximumConcurrency } : {}),
      invoke: async (event) => {
        const result = await lambda.send(new InvokeCommand({ FunctionName: `${SERVICE}-${STAGE}-${source.functionName}`, Payload: Buffer.from(JSON.stringify(event)) }));
        const payload = result.Payload ? JSON.parse(Buffer.from(result.Payload).toString('utf8') || 'null') : null;
        if (result.FunctionError) throw new Error(`${source.functionName} failed: ${JSON.stringify(payload)?.slice(0, 500)}`);
        return payload as SQSBatchResponse;
      },
      onError: (error) => console.error(`${source.functionName} (sqs):`, error instanceof Error ? error.message : error),
    });
    delivery.start();
    stops.push(() => delivery.stop());
  }
  console.log(`✔ Queue delivery        ${sources.map((s) => `${s.queue} → ${s.functionName}`).join(', ')}`);

  // Schedules run on a short dev cadence instead of hourly.
  const scheduled = scheduledFunctions();
  const timers = scheduled.map((name) =>
    setInterval(() => {
      lambda
        .send(new InvokeCommand({ FunctionName: `${SERVICE}-${STAGE}-${name}`, Payload: Buffer.from('{"source":"aws.events","detail-type":"Scheduled Event"}') }))
        .catch((error: unknown) => console.error(`${name} (scheduled) failed:`, error instanceof Error ? error.message : error));
    }, DEV_SCHEDULE_MS),
  );
  stops.push(() => timers.forEach(clearInterval));
  console.log(`✔ Schedules             ${scheduled.join(', ')} every ${DEV_SCHEDULE_MS / 1000} s`);

  console.log(`
Try it:
  npm run say -- "hello"                      # sign and post a message as a test person, print the reply
  npm run say -- "link my bank"               # then open the link it prints: consent page → sandbox bank
  npm run say -- "stop sharing"               # revoke (one confirmation), and see what was deleted
  curl "http://localhost:${HTTP_PORT}/webhook?hub.mode=subscribe&hub.verify_token=${env.MESSENGER_VERIFY_TOKEN}&hub.challenge=42"

Ctrl-C stops everything.`);
}

function startOffline(): ChildProcess {
  // Its own process group, so Ctrl-C can end osls and every worker it started, leaving no orphans.
  const child = spawn(
    process.execPath,
    [`${projectRoot}node_modules/osls/bin/serverless.js`, 'offline', 'start', '--stage', STAGE, '--localEnvironment'],
    { cwd: projectRoot, env: process.env, stdio: ['ignore', 'inherit', 'inherit'], detached: true },
  );
  child.once('exit', (code) => {
    if (!stopping) {
      console.error(`serverless-offline exited (${code}); stopping.`);
      void stopAll(1);
    }
  });
  return child;
}

async function stopProcessGroup(child: ChildProcess) {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function waitForHttp(url: string, child: ChildProcess) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('serverless-offline exited during start-up');
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await delay(300);
  }
  throw new Error(`${url} did not answer within 180 s`);
}

main().catch((error: unknown) => {
  console.error('Could not start the local stack:', error instanceof Error ? error.message : error);
  void stopAll(1);
});
