import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { readServerlessConfig } from '../dev/serverless-config';
import type { Bundle } from './lib/bundles';
import { benchEnv } from './lib/env';
import { lambdaContext, loadBundle, say, type Handler } from './lib/lambda';
import type { Stack } from './lib/stack';
import { percentile, round } from './lib/stats';

/**
 * 4. Sync throughput: connections synced per second through the bundled syncWorker against the
 * sandbox bank with an injected latency, beside the limit that latency and the concurrency allow
 * (concurrency ÷ latency: every sync in flight waits at least one bank round trip). The event
 * source mapping is played in-process: containers (each a fresh instance of the bundle), each
 * taking the next batch as soon as its previous batch is done, as Lambda's SQS poller does.
 *
 * Measured twice over:
 * - a sweep of one container with 1, 2, 5 and 10 syncs in flight (the batch size): how close the
 *   worker itself comes to the limit, i.e. what it adds to the bank's latency;
 * - serverless.yml's production setting (maximumConcurrency containers × 10), where this machine,
 *   not the worker, sets the pace: DynamoDB Local (a JVM) and every container share 2 cores,
 *   which in AWS are separate machines. Each run reports the CPU it took, in this process and in
 *   DynamoDB Local, and what share of the machine that was at the limit's rate.
 *
 * The goal (≥ 85% of the limit) is judged on the runs whose limit this machine could carry: the
 * CPU the run measured per sync, at the limit's rate, needs at most half of the cores.
 */
export interface SyncRun {
  label: string;
  containers: number;
  /** Syncs in flight: containers × the batch each takes (the handler runs a batch concurrently, 10 at most). */
  inFlight: number;
  syncs: number;
  seconds: number;
  perSecond: number;
  limitPerSecond: number;
  ofLimit: number;
  failures: number;
  /** Billed handler time per sync message (the container is billed for the whole batch). */
  msPerSync: number;
  cpu: { processMsPerSync: number; dynamoLocalMsPerSync: number | null; shareOfCores: number | null; machineCeilingPerSecond: number | null };
  /** Cores the limit's rate would take on this machine, at this run's CPU per sync. */
  coresAtLimit: number | null;
  /** Whether this machine could carry the limit (coresAtLimit ≤ half the cores): the goal is judged on these runs. */
  carried: boolean;
  /**
   * Where a batch's time goes beyond the bank's latency: the batch's wall time, and the DynamoDB
   * requests the syncs made, with the latency DynamoDB Local showed at this run's concurrency (a
   * quiet sync waits on two of them in turn: the claim beside the consents, then the next due time).
   */
  batch: { ms: number; overMs: number };
  dynamo: { requestsPerSync: number; p50Ms: number; meanMs: number };
}

/** The production run's figures are also given flat, for the cost model. */
export interface SyncThroughputResult extends Pick<SyncRun, 'syncs' | 'seconds' | 'perSecond' | 'limitPerSecond' | 'ofLimit' | 'failures' | 'msPerSync' | 'cpu'> {
  connections: number;
  latencyMs: number;
  bankCallsPerSync: number;
  goal: number;
  /** The goal held on every run this machine could carry (and there was at least one). */
  met: boolean;
  sweep: SyncRun[];
  production: SyncRun;
  containers: number;
  batchSize: number;
  perContainer: number;
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

/**
 * Times the DynamoDB requests made in this process while it watches (the worker runs in-process),
 * through Node's HTTP client diagnostics channels: from the request's start to its response's end.
 */
export function watchDynamoDb(): { stop(): number[] } {
  const started = new WeakMap<ClientRequest, number>();
  const latencies: number[] = [];
  const onStart = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    if (String(request.getHeader('x-amz-target') ?? '').startsWith('DynamoDB_')) started.set(request, performance.now());
  };
  const onFinish = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    const at = started.get(request);
    if (at !== undefined) latencies.push(performance.now() - at);
  };
  subscribe('http.client.request.start', onStart);
  subscribe('http.client.response.finish', onFinish);
  return {
    stop() {
      unsubscribe('http.client.request.start', onStart);
      unsubscribe('http.client.response.finish', onFinish);
      return latencies;
    },
  };
}

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
  options: { latencyMs: number; rounds: number; sweep?: number[] },
): Promise<SyncThroughputResult> {
  const { containers, batchSize } = workerSettings();
  const perContainer = Math.min(batchSize, 10);
  const env = benchEnv(stack.endpoints(tables));
  const workers = await loadWorkers(bundle, env, containers);
  // Warm every container (first-call costs are the cold-start benchmark's business).
  stack.bank.controls.setLatency(0);
  await drain(workers, people.slice(0, containers).map((p) => ({ ...p, reason: 'webhook' as const })), 1);

  stack.bank.controls.setLatency(options.latencyMs);
  const callsBefore = stack.bank.apiCalls().length;
  let requested = 0;
  const run = async (label: string, pool: Worker[], inFlight: number, syncs: number): Promise<SyncRun> => {
    const batch = Math.min(inFlight / pool.length, 10);
    const cpuBefore = process.cpuUsage();
    const javaBefore = javaChildCpuSeconds();
    const dynamo = watchDynamoDb();
    const started = performance.now();
    let batches = 0;
    // Round by round: a connection is never queued again while its previous sync may still run.
    let failed: Request[] = [];
    let handlerMs = 0;
    for (let done = 0; done < syncs; ) {
      const round = people.slice(0, Math.min(people.length, syncs - done)).map((p) => ({ ...p, reason: 'webhook' as const }));
      const result = await drain(pool, round, batch);
      failed.push(...result.failed);
      handlerMs += result.handlerMs;
      done += round.length;
      batches += Math.ceil(round.length / batch);
    }
    let failures = failed.length;
    // A connection met still in flight ("busy") is retried, as the queue would.
    for (let retry = 0; failed.length && retry < 3; retry++) {
      const again = await drain(pool, failed, batch);
      failed = again.failed;
      handlerMs += again.handlerMs;
    }
    requested += syncs;
    const seconds = (performance.now() - started) / 1000;
    const dynamoMs = dynamo.stop();
    // Batches run side by side across containers: each container's share of the wall time.
    const batchMs = (seconds * 1000 * pool.length) / batches;
    const cpuUsed = process.cpuUsage(cpuBefore);
    const processSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
    const javaAfter = javaChildCpuSeconds();
    const javaSeconds = javaBefore !== null && javaAfter !== null ? javaAfter - javaBefore : null;
    const ok = syncs - failed.length;
    failures += failed.length;
    const limit = inFlight / (options.latencyMs / 1000);
    const perSecond = ok / seconds;
    const cpuPerSync = javaSeconds === null ? null : (processSeconds + javaSeconds) / syncs;
    const coresAtLimit = cpuPerSync === null ? null : round(cpuPerSync * limit, 2);
    const row: SyncRun = {
      label,
      containers: pool.length,
      inFlight,
      syncs: ok,
      seconds: round(seconds, 2),
      perSecond: round(perSecond, 1),
      limitPerSecond: round(limit, 1),
      ofLimit: round(perSecond / limit, 3),
      failures,
      msPerSync: round(handlerMs / syncs, 1),
      cpu: {
        processMsPerSync: round((processSeconds * 1000) / syncs, 1),
        dynamoLocalMsPerSync: javaSeconds === null ? null : round((javaSeconds * 1000) / syncs, 1),
        shareOfCores: javaSeconds === null ? null : round((processSeconds + javaSeconds) / (seconds * availableParallelism()), 2),
        // If every core of this machine did nothing but these syncs: the most it could show.
        machineCeilingPerSecond: cpuPerSync === null ? null : round(availableParallelism() / cpuPerSync, 1),
      },
      coresAtLimit,
      carried: coresAtLimit !== null && coresAtLimit <= availableParallelism() / 2,
      batch: { ms: round(batchMs, 1), overMs: round(batchMs - options.latencyMs, 1) },
      dynamo: {
        requestsPerSync: round(dynamoMs.length / syncs, 1),
        p50Ms: round(percentile(dynamoMs, 50), 1),
        meanMs: round(dynamoMs.reduce((sum, ms) => sum + ms, 0) / Math.max(1, dynamoMs.length), 1),
      },
    };
    say(`  sync ${label}: ${row.syncs} syncs in ${row.seconds} s = ${row.perSecond}/s; limit ${row.limitPerSecond}/s (${(row.ofLimit * 100).toFixed(0)}%); CPU ${row.cpu.processMsPerSync} + ${row.cpu.dynamoLocalMsPerSync ?? '?'} ms per sync; ${row.coresAtLimit ?? '?'} cores at the limit${row.carried ? '' : ' (more than this machine can give)'}; batch ${row.batch.ms} ms (+${row.batch.overMs}); DynamoDB ${row.dynamo.requestsPerSync} requests per sync, p50 ${row.dynamo.p50Ms} ms`);
    return row;
  };

  const sweep: SyncRun[] = [];
  for (const inFlight of options.sweep ?? [1, 2, 5, 10]) {
    // About 1.5 s of syncs at the limit, at least 10 and a whole number of batches.
    const syncs = Math.max(10, Math.ceil((1.5 * inFlight) / (options.latencyMs / 1000) / inFlight) * inFlight);
    sweep.push(await run(`1 container, ${inFlight} in flight`, workers.slice(0, 1), inFlight, syncs));
  }
  const production = await run(`production (${containers} containers × ${perContainer})`, workers, containers * perContainer, options.rounds * people.length);
  stack.bank.controls.setLatency(0);
  const bankCallsPerSync = (stack.bank.apiCalls().length - callsBefore) / requested;
  const judged = [...sweep, production].filter((r) => r.carried);
  const goal = 0.85;
  return {
    connections: people.length,
    latencyMs: options.latencyMs,
    bankCallsPerSync: round(bankCallsPerSync, 2),
    goal,
    met: judged.length > 0 && judged.every((r) => r.ofLimit >= goal),
    sweep,
    production,
    syncs: production.syncs,
    containers,
    batchSize,
    perContainer,
    seconds: production.seconds,
    perSecond: production.perSecond,
    limitPerSecond: production.limitPerSecond,
    ofLimit: production.ofLimit,
    failures: production.failures + sweep.reduce((n, r) => n + r.failures, 0),
    msPerSync: production.msPerSync,
    cpu: production.cpu,
  };
}
