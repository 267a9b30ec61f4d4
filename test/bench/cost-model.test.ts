import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { costModel, DEFAULT_USAGE, PRICES, renderCostReport, type MeasuredInputs } from '../../bench/cost-model';
import { usageFromArgs } from '../../bench/cost';

const measured = JSON.parse(readFileSync(new URL('./fixtures/results.json', import.meta.url), 'utf8')) as MeasuredInputs;
const usage = { ...DEFAULT_USAGE, people: 100_000 };
const line = (report: ReturnType<typeof costModel>, service: string, item: RegExp) => {
  const found = report.lines.find((l) => l.service === service && item.test(l.item));
  if (!found) throw new Error(`no line ${service} ${item}`);
  return found;
};

describe('cost model', () => {
  it('doubles the variable cost when the number of people doubles, and keeps the fixed cost', () => {
    const one = costModel(measured, usage);
    const two = costModel(measured, { ...usage, people: 200_000 });

    expect(two.variableUsd).toBeCloseTo(2 * one.variableUsd, 6);
    expect(two.totalUsd - two.variableUsd).toBeCloseTo(one.totalUsd - one.variableUsd, 9);
  });

  it('prices DynamoDB writes from the measured units: one conditional put per webhook delivery, turns and syncs', () => {
    const report = costModel(measured, { ...usage, people: 1_000, messagesPerPersonMonth: 10, webhooksPerMessage: 1, scheduledSyncsPerDay: 1, webhookSyncsPerDay: 0, refreshSyncsPerPersonMonth: 0, newTransactionsPerDay: 0 });

    // 10,000 deliveries × 1 WRU + 10,000 turns × 4 WRU + 30,000 quiet syncs × 8 WRU
    expect(line(report, 'DynamoDB', /writes/).quantity).toBe(10_000 + 40_000 + 240_000);
    expect(line(report, 'DynamoDB', /writes/).monthlyUsd).toBeCloseTo(290_000 * 0.625e-6, 9);
  });

  it('bills Lambda compute as measured duration × configured memory at the arm64 price', () => {
    const report = costModel(measured, { ...usage, people: 1_000, messagesPerPersonMonth: 10, webhooksPerMessage: 1, scheduledSyncsPerDay: 0, webhookSyncsPerDay: 0, refreshSyncsPerPersonMonth: 0 });

    // 10,000 webhooks × 10 ms × 1 GB + 10,000 turns × 100 ms × 0.5 GB
    expect(line(report, 'Lambda', /compute/).quantity).toBeCloseTo(100 + 500, 6);
    expect(line(report, 'Lambda', /compute/).monthlyUsd).toBeCloseTo(600 * PRICES.lambdaArmGbSecond.usd, 9);
  });

  it('counts real-time balance calls only for the refreshes people wait for, and a transactions page for every sync', () => {
    const report = costModel(measured, { ...usage, people: 13_000_000 });

    // 13M × 5 refreshes a month / 43,200 minutes ≈ 1,505 balance calls a minute against 1,200
    expect(report.capacity.balanceCallsPerMinute).toBeCloseTo((13_000_000 * 5) / 43_200, 3);
    // 13M × (2 syncs a day + 5 refreshes a month) / 1,440 minutes ≈ 19,560 pages a minute against 2,500
    expect(report.capacity.transactionsSyncCallsPerMinute).toBeCloseTo((13_000_000 * (2 + 5 / 30)) / 1440, 3);
    const use = (name: RegExp) => report.capacity.limits.find((l) => name.test(l.name))!.use;
    expect(use(/transactions\/sync/)).toBeCloseTo(19_560 / 2_500, 1);
    expect(use(/balance/)).toBeLessThan(use(/transactions\/sync/));
    const fewer = costModel(measured, { ...usage, people: 13_000_000, refreshSyncsPerPersonMonth: 0 });
    expect(fewer.capacity.balanceCallsPerMinute).toBe(0);
  });

  it('prints every price with its unit, every line and every assumption', () => {
    const report = costModel(measured, usage);
    const text = renderCostReport(report, usage);

    for (const [name, price] of Object.entries(PRICES)) {
      if (typeof price !== 'object') continue;
      expect(text).toContain(name);
      expect(text).toContain(price.per);
    }
    for (const l of report.lines) expect(text).toContain(l.item);
    for (const a of report.assumptions) expect(text).toContain(a);
    expect(text).toContain('Per person-month');
  });

  it('reads the people and usage from the command line and refuses nonsense', () => {
    expect(usageFromArgs(['--people', '13_000_000', '--messages-per-person-month', '8']).usage).toMatchObject({ people: 13_000_000, messagesPerPersonMonth: 8 });
    expect(() => usageFromArgs(['--people=-3'])).toThrow(/non-negative/);
    expect(() => usageFromArgs(['--people', '0'])).toThrow(/at least 1/);
  });
});
