/**
 * `npm run cost -- --people N [--messages-per-person-month M] [--scheduled-syncs-per-day S]
 *   [--webhook-syncs-per-day W] [--refresh-syncs-per-person-month R] [--new-transactions-per-day T] [--peak-factor P] [--results file]`
 *
 * Reads bench/results.json (written by `npm run bench`) and prints the monthly AWS bill, every
 * price and assumption, and the bank-call budget against Plaid's published rate limits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../dev/serverless-config';
import { costModel, DEFAULT_USAGE, renderCostReport, type MeasuredInputs, type Usage } from './cost-model';

const flags: Record<string, keyof Usage> = {
  people: 'people',
  'messages-per-person-month': 'messagesPerPersonMonth',
  'webhooks-per-message': 'webhooksPerMessage',
  'scheduled-syncs-per-day': 'scheduledSyncsPerDay',
  'webhook-syncs-per-day': 'webhookSyncsPerDay',
  'refresh-syncs-per-person-month': 'refreshSyncsPerPersonMonth',
  'new-transactions-per-day': 'newTransactionsPerDay',
  'peak-factor': 'peakFactor',
  'account-concurrency': 'accountConcurrency',
};

export function usageFromArgs(args: string[]): { usage: Usage; results: string } {
  const { values } = parseArgs({
    args,
    options: { ...Object.fromEntries(Object.keys(flags).map((f) => [f, { type: 'string' as const }])), results: { type: 'string' } },
    allowPositionals: false,
  });
  const usage: Usage = { ...DEFAULT_USAGE };
  for (const [flag, key] of Object.entries(flags)) {
    const raw = (values as Record<string, string | undefined>)[flag];
    if (raw === undefined) continue;
    const value = Number(raw.replace(/_/g, ''));
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${flag} must be a non-negative number (got ${raw})`);
    usage[key] = value;
  }
  if (usage.people <= 0) throw new Error('--people must be at least 1');
  return { usage, results: values.results ?? join(projectRoot, 'bench', 'results.json') };
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop()!);
if (isMain) {
  const { usage, results } = usageFromArgs(process.argv.slice(2));
  const measured = JSON.parse(readFileSync(results, 'utf8')) as MeasuredInputs & { date?: string };
  process.stdout.write(`Measured inputs: ${results}${measured.date ? ` (${measured.date.slice(0, 10)})` : ''}\n\n`);
  process.stdout.write(renderCostReport(costModel(measured, usage), usage));
}
