import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../dev/serverless-config';
import { esbuildOptions, outDir } from './lib/bundles';
import { median } from './lib/stats';

/**
 * Time to understand one message, in-process: every labelled utterance (tuning and held-out texts,
 * as people wrote them) read by understand() over several rounds, after one warm-up round. The
 * first round on a fresh module is reported apart: it includes the patterns' and the model's
 * first use, which a cold Lambda pays once (the cold-start section measures the whole bundle), and
 * every word's first spelling correction, which later rounds find already worked out.
 *
 * What a cold container pays is measured apart too: the understanding bundled as Lambda gets it,
 * loaded in fresh processes, each timing its first message and its second (the first compiles the
 * patterns, builds the stemmer, indexes the model).
 */
export interface UnderstandingResult {
  utterances: number;
  rounds: number;
  firstRoundMedianUs: number;
  firstRoundP99Us: number;
  medianUs: number;
  p99Us: number;
  goalMedianUs: number;
  met: boolean;
  /** Medians over fresh processes: a container's first message, and the one after it. */
  freshProcess: { runs: number; firstMessageMs: number; secondMessageMs: number };
}

const GOAL_MEDIAN_US = 1000;

function texts(): string[] {
  // Every labelled set people wrote: the first corpus, the development sets and the held-out one.
  const nlu = readdirSync(join(projectRoot, 'test/fixtures/nlu')).filter((f) => f.endsWith('.json')).sort();
  const files = ['test/fixtures/utterances.json', 'test/fixtures/utterances-holdout.json', ...nlu.map((f) => `test/fixtures/nlu/${f}`)];
  return files.flatMap((file) => {
    try {
      return (JSON.parse(readFileSync(join(projectRoot, file), 'utf8')) as { text: string }[]).map((e) => e.text);
    } catch {
      return [];
    }
  });
}

/** The first two messages a fresh process understands, from the bundled module, in `runs` processes. */
async function firstMessages(runs: number): Promise<UnderstandingResult['freshProcess']> {
  const dir = join(outDir, 'understanding');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'first-messages.entry.ts');
  writeFileSync(
    entry,
    [
      `import { understand } from ${JSON.stringify(join(projectRoot, 'lib/assistant/nlu/understand'))};`,
      `const t0 = performance.now();`,
      `understand("what's my balance");`,
      `const t1 = performance.now();`,
      `understand('cuánto gasté en uber el mes pasado');`,
      `console.log(JSON.stringify({ first: t1 - t0, second: performance.now() - t1 }));`,
    ].join('\n'),
  );
  const file = join(dir, 'first-messages.mjs');
  await build({ ...esbuildOptions(), entryPoints: [entry], outfile: file, sourcemap: false, logLevel: 'error' });
  const times: { first: number; second: number }[] = [];
  for (let run = 0; run < runs; run++) {
    const { stdout } = await promisify(execFile)(process.execPath, [file], { timeout: 30_000 });
    times.push(JSON.parse(stdout) as { first: number; second: number });
  }
  const round2 = (x: number) => Math.round(x * 100) / 100;
  return { runs, firstMessageMs: round2(median(times.map((t) => t.first))), secondMessageMs: round2(median(times.map((t) => t.second))) };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export async function benchUnderstanding(options: { rounds: number; freshRuns?: number }): Promise<UnderstandingResult> {
  const freshProcess = await firstMessages(options.freshRuns ?? 9);
  const { understand } = await import('../lib/assistant/nlu/understand');
  const all = texts();
  const time = () =>
    all.map((text) => {
      const start = process.hrtime.bigint();
      understand(text);
      return Number(process.hrtime.bigint() - start) / 1000;
    });
  const first = time().sort((a, b) => a - b);
  const samples: number[] = [];
  for (let round = 0; round < options.rounds; round++) samples.push(...time());
  samples.sort((a, b) => a - b);
  const round1 = (x: number) => Math.round(x * 10) / 10;
  const medianUs = round1(quantile(samples, 0.5));
  return {
    utterances: all.length,
    rounds: options.rounds,
    firstRoundMedianUs: round1(quantile(first, 0.5)),
    firstRoundP99Us: round1(quantile(first, 0.99)),
    medianUs,
    p99Us: round1(quantile(samples, 0.99)),
    goalMedianUs: GOAL_MEDIAN_US,
    met: medianUs < GOAL_MEDIAN_US,
    freshProcess,
  };
}

if (process.argv[1]?.endsWith('understanding.ts')) console.log(await benchUnderstanding({ rounds: 20 }));
