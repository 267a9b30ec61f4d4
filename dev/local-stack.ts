/**
 * The whole product on this machine, as one call: `npm start` uses it with the documented ports, the
 * browser tests with free ports so that several stacks (and `osls package`) can run side by side.
 *
 *   DynamoDB Local (tables from serverless.yml) ─ the Graph API stub ─ the sandbox bank ─ the local
 *   SQS ─ serverless-offline (HTTP API and the functions, bundled by serverless-esbuild exactly as
 *   deployed, schedules included at the local stage's one-minute rates) ─ stream and queue delivery
 *   to the same handlers, with serverless.yml's filters, batch sizes and retries ─ the Messenger
 *   simulator page.
 *
 * With `graphApiUrl` (a real Page: `npm start` with GRAPH_API_URL outside this machine), the
 * functions talk to that Graph API instead, and neither the stub nor the simulator that drives it
 * is started.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBRecord, SQSBatchResponse } from 'aws-lambda';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { startDynamoDbLocal } from './dynamodb-local';
import { loadLocalEnv } from './env';
import { startGraphStub, type GraphStub } from './graph-stub';
import { sqsEventSources, startLocalSqs } from './local-sqs';
import { freePort } from './ports';
import { startSandboxBank, type SandboxBank } from './sandbox-bank/server';
import { projectRoot, scheduledFunctions, streamConsumers, streamSource } from './serverless-config';
import { startSimulator } from './simulator/server';
import { createSqsDelivery } from './sqs-delivery';
import { createStreamDelivery } from './stream-delivery';
import { createTables } from './tables';

export const STAGE = 'local';
const SERVICE = 'messenger-banking';

const STOP_STEP_CAP_MS = 15_000;
const OFFLINE_OUTPUT_KEPT = 20_000;

/** What stop() undoes, last started first. */
type StopStep = { name: string; run: () => Promise<void> | void };

export type PortName = 'http' | 'lambda' | 'dynamodb' | 'graph' | 'bank' | 'sqs' | 'simulator';

export interface LocalStackOptions {
  /** Fixed ports; any port left out (or 0) is a free one chosen by the OS. */
  ports?: Partial<Record<PortName, number>>;
  /** Where progress lines go (default: nowhere). */
  log?: (line: string) => void;
  /**
   * What serverless-offline prints: 'inherit' (npm start) shows what the functions log and its own
   * warnings and errors, but not its notices (its start-up listing and two or three lines per
   * invocation, which buried everything else; SLS_LOG_LEVEL=notice brings them back) nor its
   * table of routes (the progress lines name the same URLs); 'quiet' (tests) keeps all of it and
   * shows it only if it fails.
   */
  offlineOutput?: 'inherit' | 'quiet';
  /** Settings over .env / .env.example (and the process environment), e.g. POWERTOOLS_LOG_LEVEL. */
  env?: Record<string, string>;
  /** Where stream records that exhausted their retries are written (default .local/). */
  deadLetterDir?: string;
  /** Called if serverless-offline dies on its own after start-up. */
  onCrash?: (reason: string) => void;
  /** A real Graph API, base URL with its version (e.g. https://graph.facebook.com/v25.0); default: the stub. */
  graphApiUrl?: string;
}

export interface LocalStackUrls {
  /** The HTTP API, e.g. http://localhost:3000 (also PUBLIC_BASE_URL: consent pages live here). */
  api: string;
  webhook: string;
  /** The Graph API's base, including the version (GRAPH_API_URL): the stub's, or the real one. */
  graph: string;
  bank: string;
  dynamodb: string;
  sqs: string;
  simulator: string;
}

export interface LocalStack {
  urls: LocalStackUrls;
  /** The settings the functions run with. */
  env: Readonly<Record<string, string>>;
  graph: GraphStub;
  bank: SandboxBank;
  /** Stream records that exhausted their retries, and messages waiting in the local dead-letter queues. */
  deadLetters(): Promise<{ stream: { consumer: string; reason: string; records: number }[]; queues: Record<string, number> }>;
  /** The last lines serverless-offline printed (invocations, errors), when its output is kept quiet. */
  offlineOutput(): string;
  stop(): Promise<void>;
}

/** The stack against a real Graph API: no stub to read replies from, no simulator. */
export type RealPageStack = Omit<LocalStack, 'graph' | 'urls'> & { urls: Omit<LocalStackUrls, 'simulator'> };

export function startLocalStack(options?: LocalStackOptions & { graphApiUrl?: undefined }): Promise<LocalStack>;
export function startLocalStack(options: LocalStackOptions & { graphApiUrl: string }): Promise<RealPageStack>;
export function startLocalStack(options: LocalStackOptions): Promise<LocalStack | RealPageStack>;
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack | RealPageStack> {
  const log = options.log ?? (() => undefined);
  const stops: StopStep[] = [];
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const step of stops.reverse()) {
      const started = Date.now();
      // One stuck part (a delivery waiting on an invoke) must not keep the rest running.
      let timer: NodeJS.Timeout | undefined;
      const capped = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          log(`  gave up waiting for ${step.name} after ${STOP_STEP_CAP_MS / 1000} s`);
          resolve();
        }, STOP_STEP_CAP_MS);
      });
      try {
        await Promise.race([Promise.resolve().then(step.run), capped]);
      } catch (error) {
        log(`  while stopping ${step.name}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        clearTimeout(timer);
      }
      if (process.env.LOCAL_STACK_DEBUG) log(`  stopped ${step.name} in ${Date.now() - started} ms`);
    }
  };

  try {
    return await start(options, log, stops, stop, () => stopping);
  } catch (error) {
    await stop();
    throw error;
  }
}

async function start(
  options: LocalStackOptions,
  log: (line: string) => void,
  stops: StopStep[],
  stop: () => Promise<void>,
  isStopping: () => boolean,
): Promise<LocalStack | RealPageStack> {
  loadLocalEnv();
  const base: Record<string, string> = { ...(process.env as Record<string, string>), ...options.env };
  const port = async (name: PortName) => options.ports?.[name] || (await freePort());

  // Its own process group: stop() ends it after what reads it, Ctrl-C or not.
  const dynamo = await startDynamoDbLocal({ port: await port('dynamodb'), ownProcessGroup: true });
  stops.push({ name: 'DynamoDB Local', run: () => dynamo.stop() });
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: base.AWS_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  stops.push({ name: 'DynamoDB client', run: () => client.destroy() });
  await createTables(client, { main: base.TABLE_NAME!, audit: base.AUDIT_TABLE_NAME! });
  log(`✔ DynamoDB Local        ${dynamo.endpoint}  (tables ${base.TABLE_NAME}, ${base.AUDIT_TABLE_NAME})`);

  let graph: GraphStub | undefined;
  let graphUrl: string;
  if (options.graphApiUrl) {
    graphUrl = options.graphApiUrl;
    log(`✔ Graph API (real)      ${graphUrl}  (the bot sends to your Page's conversations)`);
  } else {
    const stub = await startGraphStub({ port: options.ports?.graph ?? 0, pageAccessToken: base.MESSENGER_PAGE_ACCESS_TOKEN });
    stops.push({ name: 'Graph API stub', run: () => stub.close() });
    const graphRoot = new URL('/', stub.url).href.replace(/\/$/, '');
    log(`✔ Graph API stub        ${stub.url}  (what the bot sends: ${graphRoot}/__sent)`);
    graph = stub;
    graphUrl = stub.url;
  }

  const bank = await startSandboxBank({ port: options.ports?.bank ?? 0, ...(base.SANDBOX_BANK_SEED ? { seed: base.SANDBOX_BANK_SEED } : {}) });
  stops.push({ name: 'sandbox bank', run: () => bank.close() });
  log(`✔ Sandbox bank          ${bank.url}  (test login user_good / pass_good; controls ${bank.url}/__control)`);

  const sqs = await startLocalSqs({ port: options.ports?.sqs ?? 0, stage: STAGE, service: SERVICE });
  stops.push({ name: 'local SQS', run: () => sqs.stop() });
  log(`✔ Local SQS             ${sqs.endpoint}  (${Object.keys(sqs.queues).join(', ')})`);

  const httpPort = await port('http');
  const lambdaPort = await port('lambda');
  const api = `http://localhost:${httpPort}`;
  // What the functions see: serverless.yml's `local` stage parameters read these.
  const env: Record<string, string> = {
    ...base,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    GRAPH_API_URL: graphUrl,
    PLAID_BASE_URL: bank.url,
    SQS_ENDPOINT: sqs.endpoint,
    SYNC_QUEUE_URL: sqs.queueUrl('SyncQueue'),
    PICTURE_QUEUE_URL: sqs.queueUrl('PictureQueue'),
    PUBLIC_BASE_URL: api,
  };

  const offline = await startOffline({ env, httpPort, lambdaPort, output: options.offlineOutput ?? 'inherit', isStopping, onCrash: options.onCrash });
  stops.push({ name: 'serverless-offline', run: () => offline.stop() });
  await offline.ready(`http://127.0.0.1:${httpPort}/webhook`);
  log(`✔ HTTP API              ${api}/webhook  (serverless-offline, stage ${STAGE})`);

  const lambda = new LambdaClient({ endpoint: `http://127.0.0.1:${lambdaPort}`, region: base.AWS_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  stops.push({ name: 'Lambda client', run: () => lambda.destroy() });
  const invoke = async <T>(name: string, event: unknown): Promise<T> => {
    const result = await lambda.send(new InvokeCommand({ FunctionName: `${SERVICE}-${STAGE}-${name}`, Payload: Buffer.from(JSON.stringify(event)) }));
    const payload: unknown = result.Payload ? JSON.parse(Buffer.from(result.Payload).toString('utf8') || 'null') : null;
    if (result.FunctionError) throw new Error(`${name} failed: ${JSON.stringify(payload)?.slice(0, 500)}`);
    return payload as T;
  };

  const { Table } = await client.send(new DescribeTableCommand({ TableName: base.TABLE_NAME }));
  const deadLetterDir = options.deadLetterDir ?? `${projectRoot}.local`;
  mkdirSync(deadLetterDir, { recursive: true });
  // One delivery per consumer, as each has its own event source mapping in AWS.
  const consumers = streamConsumers();
  const streamDeadLetters: { consumer: string; reason: string; records: number }[] = [];
  for (const name of consumers) {
    const dlqFile = join(deadLetterDir, `${name}-dlq.jsonl`);
    const delivery = createStreamDelivery({
      endpoint: dynamo.endpoint,
      streamArn: Table!.LatestStreamArn!,
      startingPosition: 'LATEST',
      ...streamSource(name),
      invoke: (event) => invoke<DynamoDBBatchResponse>(name, event),
      onDeadLetter: (records: DynamoDBRecord[], reason: string) => {
        appendFileSync(dlqFile, JSON.stringify({ at: new Date().toISOString(), reason, records }) + '\n');
        streamDeadLetters.push({ consumer: name, reason, records: records.length });
        log(`✖ ${records.length} stream record(s) for ${name} exhausted their retries → ${dlqFile.replace(projectRoot, '')}`);
      },
    });
    delivery.start(200);
    stops.push({ name: `stream delivery to ${name}`, run: () => delivery.stop() });
  }
  log(`✔ Stream delivery       main table stream → ${consumers.join(', ')}`);

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
      invoke: (event) => invoke<SQSBatchResponse>(source.functionName, event),
      onError: (error) => log(`${source.functionName} (sqs): ${error instanceof Error ? error.message : String(error)}`),
    });
    delivery.start();
    stops.push({ name: `queue delivery to ${source.functionName}`, run: () => delivery.stop() });
  }
  log(`✔ Queue delivery        ${sources.map((s) => `${s.queue} → ${s.functionName}`).join(', ')}`);

  // serverless-offline runs the schedule events itself, at the local stage's rates (every minute).
  log(`✔ Schedules             ${scheduledFunctions().join(', ')} every minute (serverless-offline, local stage rates)`);

  const running: RealPageStack = {
    urls: { api, webhook: `${api}/webhook`, graph: graphUrl, bank: bank.url, dynamodb: dynamo.endpoint, sqs: sqs.endpoint },
    env,
    bank,
    offlineOutput: () => offline.output(),
    deadLetters: async () => {
      const dlqs = Object.keys(sqs.queues).filter((id) => /DLQ$/.test(id));
      const counts = await Promise.all(
        dlqs.map(async (id) => {
          const { Attributes } = await sqs.client.send(
            new GetQueueAttributesCommand({ QueueUrl: sqs.queueUrl(id), AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
          );
          return [id, Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)] as const;
        }),
      );
      return { stream: [...streamDeadLetters], queues: Object.fromEntries(counts) };
    },
    stop,
  };
  // The simulator plays Messenger against the stub; a real Page is talked to from Messenger itself.
  if (!graph) return running;

  const simulator = await startSimulator({
    port: options.ports?.simulator ?? 0,
    webhookUrl: `http://127.0.0.1:${httpPort}/webhook`,
    graphUrl: graph.url,
    bankUrl: bank.url,
    appSecret: env.MESSENGER_APP_SECRET!,
    pageId: env.MESSENGER_PAGE_ID ?? '100000000000001',
    brand: env.BRAND_NAME ?? 'Demo Bank',
    dynamo: { endpoint: dynamo.endpoint, region: env.AWS_REGION!, table: env.TABLE_NAME! },
  });
  stops.push({ name: 'Messenger simulator', run: () => simulator.close() });
  log(`✔ Messenger simulator   ${simulator.url}`);

  return { ...running, urls: { ...running.urls, simulator: simulator.url }, graph };
}

interface Offline {
  ready(url: string): Promise<void>;
  /** The end of its output, when it is kept rather than shown. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * serverless-offline in its own process group (so stopping ends osls and every worker it started),
 * building into a work folder of its own: `osls package` (in the tests) and a second stack each
 * clean up their own build without pulling the handlers from under this one. osls only takes a
 * configuration file from the service's root, hence the generated copy there.
 */
async function startOffline(input: {
  env: Record<string, string>;
  httpPort: number;
  lambdaPort: number;
  output: 'inherit' | 'quiet';
  isStopping: () => boolean;
  onCrash: ((reason: string) => void) | undefined;
}): Promise<Offline> {
  removeAbandonedBuilds();
  // The owner's pid in the name lets a later start remove what a killed run left behind.
  const id = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const workFolder = `.local/esbuild-${id}`;
  const configName = `.serverless-${STAGE}-${id}.yml`;
  const original = readFileSync(`${projectRoot}serverless.yml`, 'utf8');
  const anchor = /^( {2})esbuild:\n/m;
  if (!anchor.test(original)) throw new Error('serverless.yml has no custom.esbuild section to build into a separate work folder');
  writeFileSync(`${projectRoot}${configName}`, original.replace(anchor, (line, indent: string) => `${line}${indent}${indent}outputWorkFolder: ${workFolder}\n`));
  const cleanUp = () => {
    rmSync(`${projectRoot}${configName}`, { force: true });
    rmSync(`${projectRoot}${workFolder}`, { recursive: true, force: true });
  };

  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      `${projectRoot}node_modules/osls/bin/serverless.js`,
      'offline',
      'start',
      '--config',
      configName,
      '--stage',
      STAGE,
      '--httpPort',
      String(input.httpPort),
      '--lambdaPort',
      String(input.lambdaPort),
      '--localEnvironment',
    ],
    { cwd: projectRoot, env: input.output === 'inherit' ? { SLS_LOG_LEVEL: 'warning', ...input.env } : input.env, stdio: ['ignore', 'pipe', input.output === 'inherit' ? 'inherit' : 'pipe'], detached: true },
  );
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OFFLINE_OUTPUT_KEPT));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (input.output === 'inherit' && child.stdout) showWithoutRouteTable(child.stdout);
  // Never leave osls behind when the parent dies of an uncaught error.
  const killOnExit = () => {
    if (child.exitCode === null) killGroup(child, 'SIGKILL');
    cleanUp();
  };
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      process.off('exit', killOnExit);
      if (!input.isStopping()) input.onCrash?.(`serverless-offline exited (${code})${output ? `:\n${output}` : ''}`);
      resolve();
    }),
  );

  return {
    output: () => output,
    ready: async (url) => {
      const deadline = Date.now() + 180_000;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`serverless-offline exited during start-up${output ? `:\n${output}` : ''}`);
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
          if (response.status < 500) return;
        } catch {
          // not listening yet
        }
        await delay(300);
      }
      throw new Error(`${url} did not answer within 180 s${output ? `:\n${output}` : ''}`);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        killGroup(child, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      cleanUp();
    },
  };
}

/**
 * serverless-offline's stdout line by line, less its boxed table of routes, which it prints with
 * console.log whatever SLS_LOG_LEVEL says, and the blank lines around it. What the functions log
 * is one line per record, so no line of theirs is blank.
 */
function showWithoutRouteTable(stdout: Readable) {
  let inTable = false;
  createInterface({ input: stdout, crlfDelay: Infinity }).on('line', (line) => {
    if (line.startsWith('┌')) inTable = true;
    const shown = !inTable && line.trim() !== '';
    if (line.startsWith('└')) inTable = false;
    if (shown) process.stdout.write(`${line}\n`);
  });
}

/** Generated configurations and build folders of runs whose process is gone (killed, not stopped). */
function removeAbandonedBuilds() {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  const pidOf = (name: string, pattern: RegExp) => Number(pattern.exec(name)?.[1] ?? NaN);
  const configPattern = new RegExp(`^\\.serverless-${STAGE}-(\\d+)-[0-9a-f]+\\.yml$`);
  for (const name of readdirSync(projectRoot)) {
    const pid = pidOf(name, configPattern);
    if (Number.isInteger(pid) && !alive(pid)) rmSync(`${projectRoot}${name}`, { force: true });
  }
  const local = `${projectRoot}.local`;
  for (const name of existsSync(local) ? readdirSync(local) : []) {
    const pid = pidOf(name, /^esbuild-(\d+)-[0-9a-f]+$/);
    if (Number.isInteger(pid) && !alive(pid)) rmSync(`${local}/${name}`, { recursive: true, force: true });
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
