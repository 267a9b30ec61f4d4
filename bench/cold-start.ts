import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { metaJson, signedWebhookEvent, textMessage, webhookBody } from '../dev/messenger-payloads';
import { projectRoot, readServerlessConfig } from '../dev/serverless-config';
import { buildSdkBaseline, outDir, type Bundle } from './lib/bundles';
import { benchEnv, SECRETS, type Endpoints } from './lib/env';
import { say } from './lib/lambda';
import { median, ratio, round } from './lib/stats';

/**
 * 2. Cold start: each function's bundle loaded in a fresh Node process serving its first event,
 * beside a baseline bundle (same esbuild options) that imports only the AWS SDK clients the
 * function's bundle contains and makes one DynamoDB read. Runs alternate function / baseline.
 * Both run with the NODE_OPTIONS serverless.yml gives the functions in AWS (or the ones given).
 */
export interface ColdStartRow {
  function: string;
  bundleKiB: number;
  budgetKiB: number | undefined;
  sdkClients: string[];
  baseline: string;
  medianMs: number;
  initMs: number;
  firstInvokeMs: number;
  baselineMs: number;
  baselineInitMs: number;
  baselineFirstInvokeMs: number;
  /** Init alone (module load and wiring), function over baseline. */
  initRatio: number;
  /** The function's init when Node also maps stack traces (`--enable-source-maps`), if the deployed options do not. */
  initWithSourceMapsMs?: number;
  ratio: number;
  outcome: string;
}

export interface ColdStartResult {
  runs: number;
  goal: number;
  met: boolean;
  nodeOptions: string;
  rows: ColdStartRow[];
}

/** NODE_OPTIONS as serverless.yml sets it for a deployed stage: `${param:…}` read from the defaults. */
export function deployedNodeOptions(): string {
  const config = readServerlessConfig() as { provider: { environment?: Record<string, unknown> }; params?: { default?: Record<string, unknown> } };
  const value = String(config.provider.environment?.NODE_OPTIONS ?? '');
  const param = /^\$\{param:(\w+)\}$/.exec(value);
  return param ? String(config.params?.default?.[param[1]!] ?? '') : value;
}

/** The budgets the packaging test enforces (test/serverless/package.test.ts), read from its source. */
export function bundleBudgets(): Record<string, number> {
  const source = readFileSync(join(projectRoot, 'test/serverless/package.test.ts'), 'utf8');
  const block = /bundleBudgets[^{]*\{([\s\S]*?)\};/.exec(source)?.[1] ?? '';
  const out: Record<string, number> = {};
  for (const match of block.matchAll(/(\w+):\s*([\d_]+)\s*\*\s*1024/g)) out[match[1]!] = Number(match[2]!.replace(/_/g, '')) * 1024;
  return out;
}

function firstEvent(name: string, run: number): unknown {
  const sample = (file: string) => readFileSync(join(projectRoot, 'events', file), 'utf8');
  switch (name) {
    case 'messengerWebhook': {
      const who = { psid: `66${Date.now()}${run}`, pageId: '100000000000001' };
      return signedWebhookEvent(metaJson(webhookBody([{ pageId: who.pageId, messaging: [textMessage(who, 'hi')] }])), SECRETS.MESSENGER_APP_SECRET);
    }
    case 'conversation':
      // A fresh event id each run, so each cold container really answers (the reply ledger dedupes).
      return JSON.parse(sample('conversation.stream.json').replaceAll('m_sample_0001', `m_cold_${Date.now()}_${run}`));
    case 'consent':
      return JSON.parse(sample('consent.get.json'));
    case 'consentEffects':
      return JSON.parse(sample('consentEffects.stream.json'));
    case 'consentExpiry':
      return JSON.parse(sample('consentExpiry.scheduled.json'));
    case 'bankWebhook':
      return JSON.parse(sample('bankWebhook.post.json'));
    case 'syncScheduler':
      return JSON.parse(sample('syncScheduler.scheduled.json'));
    case 'syncWorker':
      return JSON.parse(sample('syncWorker.sqs.json'));
    case 'spendingPicture':
      return JSON.parse(sample('spendingPicture.sqs.json'));
    default:
      return {};
  }
}

interface ChildResult {
  initMs: number;
  firstInvokeMs: number;
  totalMs: number;
  outcome: string;
}

/** The event a variant (`syncWorker-nofd`) serves is its function's. */
const functionOf = (bundle: Bundle) => bundle.name.split('-')[0]!;

export async function benchColdStart(
  bundles: Record<string, Bundle>,
  endpoints: Endpoints,
  options: { runs: number; only?: string[]; nodeOptions?: string; events?: Record<string, (run: number) => Promise<unknown>> },
): Promise<ColdStartResult> {
  // The sample events in events/ unless a function's production-like first event is given.
  const eventFor = (name: string, run: number) => options.events?.[name]?.(run) ?? Promise.resolve(firstEvent(name, run));
  const dir = join(outDir, 'cold');
  mkdirSync(dir, { recursive: true });
  const child = join(dir, 'cold-child.mjs');
  await build({ entryPoints: [join(projectRoot, 'bench/lib/cold-child.ts')], outfile: child, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
  const nodeOptions = options.nodeOptions ?? deployedNodeOptions();
  const env = { ...process.env, ...benchEnv(endpoints), NODE_OPTIONS: nodeOptions };
  // What source maps would cost (Node reads and parses each bundle's map at load), measured beside.
  const sourceMaps = nodeOptions.includes('--enable-source-maps') ? undefined : `${nodeOptions} --enable-source-maps`.trim();
  const spawn = async (bundle: Bundle, name: string, event: unknown, withOptions = nodeOptions): Promise<ChildResult> => {
    const eventFile = join(dir, `${name}.event.json`);
    const resultFile = join(dir, `${name}.result.json`);
    writeFileSync(eventFile, JSON.stringify(event));
    rmSync(resultFile, { force: true });
    await promisify(execFile)(process.execPath, [child, bundle.file, eventFile, resultFile, name], { env: { ...env, NODE_OPTIONS: withOptions }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(readFileSync(resultFile, 'utf8')) as ChildResult;
  };

  const baselines = new Map<string, Bundle>();
  const budgets = bundleBudgets();
  const rows: ColdStartRow[] = [];
  for (const bundle of Object.values(bundles)) {
    if (options.only && !options.only.includes(bundle.name)) continue;
    const key = bundle.sdkClients.join(',');
    if (!baselines.has(key)) baselines.set(key, await buildSdkBaseline(bundle.sdkClients));
    const baseline = baselines.get(key)!;
    const fn: ChildResult[] = [];
    const base: ChildResult[] = [];
    const mapped: ChildResult[] = [];
    // One unmeasured pair first: the OS file cache, not the bundle, would otherwise pay for run one.
    for (let run = -1; run < options.runs; run++) {
      const order = run % 2 === 0 ? (['fn', 'base'] as const) : (['base', 'fn'] as const);
      for (const side of order) {
        const result = side === 'fn' ? await spawn(bundle, bundle.name, await eventFor(functionOf(bundle), run)) : await spawn(baseline, baseline.name, {});
        if (run >= 0) (side === 'fn' ? fn : base).push(result);
      }
      if (sourceMaps && run >= 0) mapped.push(await spawn(bundle, bundle.name, await eventFor(functionOf(bundle), run + 1_000), sourceMaps));
    }
    const fnMedian = median(fn.map((r) => r.totalMs));
    const baseMedian = median(base.map((r) => r.totalMs));
    const row: ColdStartRow = {
      function: bundle.name,
      bundleKiB: Math.round(bundle.bytes / 1024),
      budgetKiB: budgets[functionOf(bundle)] ? budgets[functionOf(bundle)]! / 1024 : undefined,
      sdkClients: bundle.sdkClients,
      baseline: baseline.name,
      medianMs: round(fnMedian, 1),
      initMs: round(median(fn.map((r) => r.initMs)), 1),
      firstInvokeMs: round(median(fn.map((r) => r.firstInvokeMs)), 1),
      baselineMs: round(baseMedian, 1),
      baselineInitMs: round(median(base.map((r) => r.initMs)), 1),
      baselineFirstInvokeMs: round(median(base.map((r) => r.firstInvokeMs)), 1),
      initRatio: ratio(median(fn.map((r) => r.initMs)), median(base.map((r) => r.initMs))),
      ratio: ratio(fnMedian, baseMedian),
      ...(mapped.length ? { initWithSourceMapsMs: round(median(mapped.map((r) => r.initMs)), 1) } : {}),
      outcome: fn[0]?.outcome ?? 'n/a',
    };
    rows.push(row);
    say(`  cold start ${row.function}: ${row.medianMs} ms (init ${row.initMs} + first event ${row.firstInvokeMs}) vs baseline ${row.baselineMs} ms (init ${row.baselineInitMs} + ${row.baselineFirstInvokeMs}) → ×${row.ratio}, init ×${row.initRatio}${row.initWithSourceMapsMs ? ` (init ${row.initWithSourceMapsMs} with source maps)` : ''}; ${row.bundleKiB} KiB (budget ${row.budgetKiB ?? '–'} KiB)`);
  }
  return { runs: options.runs, goal: 1.2, met: rows.filter((r) => r.function === functionOf({ name: r.function } as Bundle)).every((r) => r.ratio <= 1.2), nodeOptions, rows };
}
