import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { readServerlessConfig } from '../dev/serverless-config';
import type { Bundle } from './lib/bundles';
import { benchEnv } from './lib/env';
import { lambdaContext, loadBundle, say, type Handler } from './lib/lambda';
import type { Stack } from './lib/stack';
import { round } from './lib/stats';

/**
 * 4. Sync throughput: connections synced per second through the bundled syncWorker against the
 * sandbox bank with an injected latency, beside the limit that latency and the worker's
 * concurrency allow. The event source mapping is played in-process: `maximumConcurrency`
 * containers (each a fresh instance of the bundle), each taking the next batch of `batchSize`
 * messages as soon as its previous batch is done, as Lambda's SQS poller does.
 */
export interface SyncThroughputResult {
  connections: number;
  syncs: number;
  latencyMs: number;
  containers: number;
  batchSize: number;
  /** Syncs one container runs at once (the handler's own limit within a batch). */
  perContainer: number;
  bankCallsPerSync: number;
  seconds: number;
  perSecond: number;
  /** concurrency ÷ latency: every sync in flight needs at least one bank round trip. */
  limitPerSecond: number;
  ofLimit: number;
  goal: number;
  met: boolean;
  failures: number;
  /** Mean handler time per sync message, for the cost model (Lambda GB-s). */
  msPerSync: number;
  /**
   * Where the machine's time went during the timed syncs: CPU seconds of this process (handlers,
   * the in-process sandbox bank) and of DynamoDB Local's JVM, per sync and as a share of 2 cores.
   */
  cpu: { processMsPerSync: number; dynamoLocalMsPerSync: number | null; shareOfCores: number | null; machineCeilingPerSecond: number | null };
}

/** CPU seconds used so far by this process's Java children (DynamoDB Local), from /proc; null elsewhere. */
export function javaChildCpuSeconds(): number | null {
  try {
    let total = 0;
    for (const task of readdirSync(`/proc/${process.pid}/task`)) {
      for (const pid of readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').split(/\s+/).filter(Boolean)) {
        if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('java')) continue;
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        total += (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (100/s)
      }
    }
    return total;
  } catch {
    return null;
  }
}

export type Request = { psid: string; itemId: string; reason: 'webhook' | 'new-consent' | 'schedule'; dueAt?: string };

export const sqsEvent = (requests: Request[], offset = 0): SQSEvent => ({
  Records: requests.map((request, i) => ({
    messageId: `msg-${offset + i}`,
    receiptHandle: `receipt-${offset + i}`,
    body: JSON.stringify(request),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'bench', ApproximateFirstReceiveTimestamp: String(Date.now()) },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:bench-sync',
    awsRegion: 'eu-west-1',
  })),
});

type Worker = Handler<SQSEvent, SQSBatchResponse>;

/** Plays the SQS event source mapping: containers pull batches until the queue is empty. */
export async function drain(workers: Worker[], requests: Request[], batchSize: number): Promise<{ failed: Request[]; handlerMs: number }> {
  const queue = [...requests];
  const failed: Request[] = [];
  let offset = 0;
  let handlerMs = 0;
  await Promise.all(
    workers.map(async (worker) => {
      while (queue.length) {
        const context = lambdaContext('syncWorker');
        const batch = queue.splice(0, batchSize);
        const start = offset;
        offset += batch.length;
        const t = performance.now();
        const answer = await worker(sqsEvent(batch, start), context);
        handlerMs += (performance.now() - t) * 1; // the container is billed for the whole batch
        for (const f of answer.batchItemFailures) failed.push(batch[Number(f.itemIdentifier.slice(4)) - start]!);
      }
    }),
  );
  return { failed, handlerMs };
}

export function workerSettings(): { containers: number; batchSize: number } {
  const config = readServerlessConfig() as {
    params: { default: { syncWorkerConcurrency: number } };
    functions: { syncWorker: { events: { sqs?: { batchSize?: number } }[] } };
  };
  const sqs = config.functions.syncWorker.events.find((e) => e.sqs)?.sqs;
  return { containers: Number(config.params.default.syncWorkerConcurrency), batchSize: sqs?.batchSize ?? 10 };
}

export async function loadWorkers(bundle: Bundle, env: Record<string, string>, n: number): Promise<Worker[]> {
  const workers: Worker[] = [];
  for (let i = 0; i < n; i++) workers.push(await loadBundle<SQSEvent, SQSBatchResponse>(bundle.file, env));
  return workers;
}

export async function benchSync(
  bundle: Bundle,
  stack: Stack,
  tables: { main: string; audit: string },
  people: { psid: string; itemId: string }[],
  options: { latencyMs: number; rounds: number },
): Promise<SyncThroughputResult> {
  const { containers, batchSize } = workerSettings();
  const perContainer = Math.min(batchSize, 10);
  const workers = await loadWorkers(bundle, benchEnv(stack.endpoints(tables)), containers);
  // Warm every container (first-call costs are the cold-start benchmark's business).
  stack.bank.controls.setLatency(0);
  await drain(workers, people.slice(0, containers).map((p) => ({ ...p, reason: 'webhook' as const })), 1);

  stack.bank.controls.setLatency(options.latencyMs);
  const requests: Request[] = [];
  for (let round = 0; round < options.rounds; round++) for (const p of people) requests.push({ ...p, reason: 'webhook' });
  const callsBefore = stack.bank.apiCalls().length;
  const cpuBefore = process.cpuUsage();
  const javaBefore = javaChildCpuSeconds();
  const started = performance.now();
  // Round by round: a connection is never queued again while its previous sync may still run.
  let failed: Request[] = [];
  let handlerMs = 0;
  for (let round = 0; round < options.rounds; round++) {
    const done = await drain(workers, requests.slice(round * people.length, (round + 1) * people.length), batchSize);
    failed.push(...done.failed);
    handlerMs += done.handlerMs;
  }
  let failures = failed.length;
  // A connection met still in flight ("busy") is retried, as the queue would.
  for (let retry = 0; failed.length && retry < 3; retry++) {
    const again = await drain(workers, failed, batchSize);
    failed = again.failed;
    handlerMs += again.handlerMs;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuUsed = process.cpuUsage(cpuBefore);
  const processSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
  const javaAfter = javaChildCpuSeconds();
  const javaSeconds = javaBefore !== null && javaAfter !== null ? javaAfter - javaBefore : null;
  stack.bank.controls.setLatency(0);
  const syncs = requests.length - failed.length;
  failures += failed.length;
  const bankCallsPerSync = (stack.bank.apiCalls().length - callsBefore) / requests.length;
  const concurrency = containers * perContainer;
  const limit = concurrency / (options.latencyMs / 1000);
  const perSecond = syncs / seconds;
  const ofLimit = round(perSecond / limit, 3);
  say(`  sync: ${syncs} syncs in ${seconds.toFixed(1)} s = ${perSecond.toFixed(1)}/s; limit ${limit.toFixed(1)}/s (${(ofLimit * 100).toFixed(0)}%); ${bankCallsPerSync.toFixed(2)} bank calls per sync`);
  return {
    connections: people.length,
    syncs,
    latencyMs: options.latencyMs,
    containers,
    batchSize,
    perContainer,
    bankCallsPerSync: round(bankCallsPerSync, 2),
    seconds: round(seconds, 2),
    perSecond: round(perSecond, 1),
    limitPerSecond: round(limit, 1),
    ofLimit,
    goal: 0.85,
    met: ofLimit >= 0.85,
    failures,
    msPerSync: round(handlerMs / requests.length, 1),
    cpu: {
      processMsPerSync: round((processSeconds * 1000) / requests.length, 1),
      dynamoLocalMsPerSync: javaSeconds === null ? null : round((javaSeconds * 1000) / requests.length, 1),
      shareOfCores: javaSeconds === null ? null : round((processSeconds + javaSeconds) / (seconds * availableParallelism()), 2),
      // If every core of this machine did nothing but these syncs: the most it could show.
      machineCeilingPerSecond: javaSeconds === null ? null : round(availableParallelism() / ((processSeconds + javaSeconds) / requests.length), 1),
    },
  };
}
