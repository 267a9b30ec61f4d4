import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BankTransaction } from '../../../lib/banking/bank-connector';
import { money } from '../../../lib/assistant/format';
import { searchReply, spendingReply, recentTransactionsReply, type MoneyContext } from '../../../lib/assistant/money';
import { resolvePeriod } from '../../../lib/assistant/nlu/periods';

describe('resolvePeriod', () => {
  it.each<[string, string, string, string]>([
    ['today', '2026-11-21', '2026-11-21', '2026-11-21'],
    ['yesterday', '2026-03-01', '2026-02-28', '2026-02-28'],
    ['this-week', '2026-11-21', '2026-11-16', '2026-11-21'], // a Saturday; weeks start on Monday
    ['last-week', '2026-11-16', '2026-11-09', '2026-11-15'], // on a Monday
    ['this-month', '2026-11-21', '2026-11-01', '2026-11-21'],
    ['last-month', '2026-01-10', '2025-12-01', '2025-12-31'],
    ['last-month', '2026-03-31', '2026-02-01', '2026-02-28'],
    ['this-year', '2026-11-21', '2026-01-01', '2026-11-21'],
    ['last-year', '2026-11-21', '2025-01-01', '2025-12-31'],
    ['last-30-days', '2026-11-21', '2026-10-23', '2026-11-21'],
    ['month-10', '2026-11-21', '2026-10-01', '2026-10-31'],
    ['month-11', '2026-11-21', '2026-11-01', '2026-11-21'], // the month so far
    ['month-12', '2026-01-15', '2025-12-01', '2025-12-31'], // December, asked in January: last year's
    ['since-3', '2026-11-21', '2026-11-03', '2026-11-21'],
    ['since-25', '2026-11-21', '2026-10-25', '2026-11-21'], // not yet this month: last month's
  ])('%s on %s is %s to %s', (spec, today, from, to) => {
    expect(resolvePeriod(spec, today)).toEqual({ spec, from, to });
  });

  it.each(['month-13', 'month-0', 'since-0', 'since-32', 'next-week', ''])('does not resolve %j', (spec) => {
    expect(resolvePeriod(spec, '2026-11-21')).toBeUndefined();
  });

  it('always ends on or before today and starts on or before it ends (property)', () => {
    const specs = fc.oneof(
      fc.constantFrom('today', 'yesterday', 'this-week', 'last-week', 'this-month', 'last-month', 'this-year', 'last-year'),
      fc.integer({ min: 1, max: 365 }).map((n) => `last-${n}-days`),
      fc.integer({ min: 1, max: 12 }).map((m) => `month-${m}`),
      fc.integer({ min: 1, max: 28 }).map((d) => `since-${d}`),
    );
    const days = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 11, 31) }).map((ms) => new Date(ms).toISOString().slice(0, 10));
    fc.assert(
      fc.property(specs, days, (spec, today) => {
        const period = resolvePeriod(spec, today)!;
        expect(period.from <= period.to && period.to <= today).toBe(true);
      }),
    );
  });
});

describe('money', () => {
  it('writes amounts in the locale and the account currency', () => {
    expect(money(1234.5, 'USD', { locale: 'en-US' })).toBe('$1,234.50');
    expect(money(1234.5, 'USD', { locale: 'es-US' })).toBe('$1,234.50');
    expect(money(1234.5, 'EUR', { locale: 'en-US' })).toBe('€1,234.50');
  });

  it('writes a code Intl does not know after the number', () => {
    expect(money(0.5, 'BTC1', { locale: 'en-US' })).toBe('0.50 BTC1');
  });
});

const ctx: MoneyContext = { lang: 'en', locale: 'en-US', timeZone: 'UTC', now: new Date('2026-11-21T15:00:00Z'), today: '2026-11-21', heldFrom: '2026-08-24' };
const many = (n: number): BankTransaction[] =>
  Array.from({ length: n }, (_, i) => ({
    transactionId: `t${i}`,
    accountId: 'a',
    amount: 10 + i,
    currency: 'USD',
    date: `2026-11-${String(1 + (i % 20)).padStart(2, '0')}`,
    name: `A MERCHANT WITH A RATHER LONG DESCRIPTOR NUMBER ${i}`,
    category: { primary: 'GENERAL_MERCHANDISE', detailed: 'GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE' },
    pending: i % 7 === 0,
  }));

describe('money replies', () => {
  it('keep within 2,000 characters, however many transactions match', () => {
    for (const reply of [searchReply(many(500), { minAmount: 1 }, ctx), spendingReply(many(500), {}, ctx), recentTransactionsReply(many(500), { count: 10 }, ctx)]) {
      expect('text' in reply && reply.text.length).toBeLessThanOrEqual(2000);
      expect(reply.quick_replies!.length).toBeLessThanOrEqual(13);
    }
  });

  it('say when a period reaches back before the 90 days held', () => {
    const reply = spendingReply(many(3), { period: resolvePeriod('this-year', ctx.today)! }, ctx);
    expect('text' in reply && reply.text).toContain('I keep 90 days of transactions, so this counts from Aug 24.');
  });

  it('say so plainly when nothing matches', () => {
    const reply = searchReply([], { merchant: 'netflix', period: resolvePeriod('last-month', ctx.today)! }, ctx);
    expect('text' in reply && reply.text).toMatch(/^Nothing at Netflix last month \(Oct 1\s–\s31\)\.$/);
  });
});
