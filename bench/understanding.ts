import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../dev/serverless-config';

/**
 * Time to understand one message, in-process: every labelled utterance (tuning and held-out texts,
 * as people wrote them) read by understand() over several rounds, after one warm-up round. The
 * first round on a fresh module is reported apart: it includes the patterns' and the model's
 * first use, which a cold Lambda pays once (the cold-start section measures the whole bundle), and
 * every word's first spelling correction, which later rounds find already worked out.
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

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export async function benchUnderstanding(options: { rounds: number }): Promise<UnderstandingResult> {
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
  };
}

if (process.argv[1]?.endsWith('understanding.ts')) console.log(await benchUnderstanding({ rounds: 20 }));
