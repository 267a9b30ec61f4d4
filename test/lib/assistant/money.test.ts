import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BankTransaction } from '../../../lib/banking/bank-connector';
import { balanceReply, searchReply, spendingReply, recentTransactionsReply, type AccountView, type MoneyContext } from '../../../lib/assistant/money';
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

describe('balance replies', () => {
  const es: MoneyContext = { ...ctx, lang: 'es', locale: 'es-US' };
  const account = (a: Pick<AccountView, 'name' | 'mask' | 'type' | 'subtype'> & { balances: Omit<AccountView['balances'], 'currency'> }): AccountView => ({
    accountId: `acc-${a.mask}`,
    itemId: 'item-1',
    balancesAsOf: '2026-11-21T14:00:00Z',
    ...a,
    balances: { ...a.balances, currency: 'USD' },
  });
  // $68.68 of pending charges: the bank's available is below limit − current.
  const card = account({ name: 'Rewards Credit Card', mask: '3333', type: 'credit', subtype: 'credit card', balances: { available: 3810.88, current: 1120.44, limit: 5000 } });
  const cardWithoutAvailable = account({ ...card, balances: { available: null, current: 1120.44, limit: 5000 } });
  const lineOf = (accounts: AccountView[], c: MoneyContext) => {
    const reply = balanceReply(accounts, {}, c);
    return ('text' in reply ? reply.text : '').split('\n').slice(1);
  };

  it('give a card’s available credit as the bank reports it, pending charges held back', () => {
    expect(lineOf([card], ctx)).toEqual(['• Rewards Credit Card ••3333: $1,120.44 owed, $3,810.88 available of $5,000.00']);
    expect(lineOf([card], es)).toEqual(['• Rewards Credit Card ••3333: debes $1,120.44, $3,810.88 disponibles de $5,000.00']);
  });

  it('estimate a card’s available credit from its limit only when the bank gives none, and say so', () => {
    expect(lineOf([cardWithoutAvailable], ctx)).toEqual(['• Rewards Credit Card ••3333: $1,120.44 owed, about $3,879.56 available of $5,000.00 (estimated from your limit)']);
    expect(lineOf([cardWithoutAvailable], es)).toEqual(['• Rewards Credit Card ••3333: debes $1,120.44, unos $3,879.56 disponibles de $5,000.00 (estimado a partir de tu límite)']);
  });

  it('give a card’s available credit without a limit when the bank reports no limit', () => {
    const noLimit = account({ ...card, balances: { available: 3810.88, current: 1120.44, limit: null } });
    expect(lineOf([noLimit], ctx)).toEqual(['• Rewards Credit Card ••3333: $1,120.44 owed, $3,810.88 available']);
    expect(lineOf([noLimit], es)).toEqual(['• Rewards Credit Card ••3333: debes $1,120.44, $3,810.88 disponibles']);
  });

  it('give only what is owed on a card when the bank reports neither its available credit nor its limit', () => {
    const bare = account({ ...card, balances: { available: null, current: 1120.44, limit: null } });
    expect(lineOf([bare], ctx)).toEqual(['• Rewards Credit Card ••3333: $1,120.44 owed']);
  });

  it('give a card’s available credit even when the bank does not report what is owed', () => {
    const noCurrent = account({ ...card, balances: { available: 3810.88, current: null, limit: 5000 } });
    expect(lineOf([noCurrent], ctx)).toEqual(['• Rewards Credit Card ••3333: $3,810.88 available of $5,000.00']);
    expect(lineOf([noCurrent], es)).toEqual(['• Rewards Credit Card ••3333: $3,810.88 disponibles de $5,000.00']);
  });

  it('give a bank account’s available balance with its current balance when they differ, and one figure when the bank gives one', () => {
    const checking = account({ name: 'Everyday Checking', mask: '0000', type: 'depository', subtype: 'checking', balances: { available: 2400.31, current: 2450.31, limit: null } });
    const savings = account({ name: 'Savings', mask: '1111', type: 'depository', subtype: 'savings', balances: { available: null, current: 8210.55, limit: null } });
    expect(lineOf([checking, savings], ctx)).toEqual(['• Everyday Checking ••0000: $2,400.31 available ($2,450.31 current)', '• Savings ••1111: $8,210.55']);
    expect(lineOf([checking, savings], es)).toEqual(['• Everyday Checking ••0000: $2,400.31 disponible ($2,450.31 actual)', '• Savings ••1111: $8,210.55']);
  });

  it('name a bank account’s only figure as available when the bank reports no current balance', () => {
    const checking = account({ name: 'Everyday Checking', mask: '0000', type: 'depository', subtype: 'checking', balances: { available: 2400.31, current: null, limit: null } });
    expect(lineOf([checking], ctx)).toEqual(['• Everyday Checking ••0000: $2,400.31 available']);
    expect(lineOf([checking], es)).toEqual(['• Everyday Checking ••0000: $2,400.31 disponible']);
  });
});

describe('replies that read naturally', () => {
  const es: MoneyContext = { ...ctx, lang: 'es', locale: 'es-US' };
  const textOf = (reply: ReturnType<typeof spendingReply>) => ('text' in reply ? reply.text : '');
  const one = many(1);

  it('say "nothing" for no spending, never "$0.00 in 0 transactions"', () => {
    expect(textOf(spendingReply([], {}, es)).split('\n')[0]).toMatch(/^No gastaste nada este mes \(1\s?–\s?21 de nov\)\.$/);
    expect(textOf(spendingReply([], {}, ctx)).split('\n')[0]).toMatch(/^You spent nothing this month \(Nov 1\s–\s21\)\.$/);
    expect(textOf(spendingReply([], { category: 'restaurants', period: resolvePeriod('last-month', ctx.today)! }, es))).toMatch(/^No gastaste nada en restaurantes el mes pasado \(/);
    expect(textOf(spendingReply([], { merchant: 'netflix' }, es))).toMatch(/^No le pagaste nada a Netflix este mes \(/);
    expect(textOf(spendingReply([], { category: 'income' }, ctx))).toMatch(/^You received nothing this month \(/);
  });

  it('use the singular for one', () => {
    expect(textOf(recentTransactionsReply(one, {}, es)).split('\n')[0]).toBe('Tu último movimiento:');
    expect(textOf(recentTransactionsReply(one, {}, ctx)).split('\n')[0]).toBe('Your last transaction:');
    expect(textOf(spendingReply(one, {}, es)).split('\n')[0]).toMatch(/, en 1 movimiento\.$/);
  });
});

describe('times of day', () => {
  const checking: AccountView = {
    accountId: 'acc-1',
    itemId: 'item-1',
    name: 'Everyday Checking',
    mask: '0000',
    type: 'depository',
    subtype: 'checking',
    balancesAsOf: '2026-11-21T11:53:00Z',
    balances: { available: 100, current: 100, limit: null, currency: 'USD' },
  };
  const newYork: MoneyContext = { ...ctx, timeZone: 'America/New_York' };
  const headOf = (c: MoneyContext, accounts = [checking]) => {
    const reply = balanceReply(accounts, {}, c);
    return ('text' in reply ? reply.text : '').split('\n')[0];
  };

  it('say their zone', () => {
    expect(headOf(newYork)).toBe('Your balance, as of 6:53 AM ET:');
    expect(headOf({ ...newYork, now: new Date('2026-11-22T15:00:00Z'), today: '2026-11-22' })).toBe('Your balance, as of Nov 21, 6:53 AM ET:');
  });

  it('read as Spanish does: "a las 6:53 a. m.", never "al 6:53 a.m."', () => {
    const es: MoneyContext = { ...newYork, lang: 'es', locale: 'es-US' };
    const one = { ...checking, balancesAsOf: '2026-11-21T18:05:00Z' };

    expect(headOf(es)).toBe('Tu saldo, a las 6:53 a. m. ET:');
    expect(headOf(es, [one])).toBe('Tu saldo, a la 1:05 p. m. ET:');
    expect(headOf({ ...es, now: new Date('2026-11-22T15:00:00Z'), today: '2026-11-22' })).toBe('Tu saldo, al 21 nov a las 6:53 a. m. ET:');
  });
});

describe('the order of accounts', () => {
  const account = (name: string, type: AccountView['type'], subtype: string): AccountView => ({
    accountId: `acc-${name}`,
    itemId: 'item-1',
    name,
    type,
    subtype,
    balancesAsOf: '2026-11-21T14:00:00Z',
    balances: { available: null, current: 10, limit: null, currency: 'USD' },
  });
  const shuffled = [
    account('Zeta Card', 'credit', 'credit card'),
    account('Car Loan', 'loan', 'auto'),
    account('Cash Card', 'depository', 'prepaid'),
    account('Rainy Day', 'depository', 'savings'),
    account('Everyday', 'depository', 'checking'),
    account('Bills', 'depository', 'checking'),
    account('Brokerage', 'investment', 'brokerage'),
  ];
  const namesIn = (reply: ReturnType<typeof balanceReply>) =>
    [...('text' in reply ? reply.text : '').matchAll(/(Zeta Card|Car Loan|Cash Card|Rainy Day|Everyday|Bills|Brokerage)/g)].map((m) => m[1]);

  it('is checking, savings, credit, then the rest, each kind by name, whatever order the bank gave', () => {
    const expected = ['Bills', 'Everyday', 'Rainy Day', 'Zeta Card', 'Brokerage', 'Car Loan', 'Cash Card'];

    expect(namesIn(balanceReply(shuffled, {}, ctx))).toEqual(expected);
    expect(namesIn(balanceReply([...shuffled].reverse(), {}, ctx))).toEqual(expected);
  });

  it('is the same when listing the accounts that do not match the question', () => {
    const reply = balanceReply(shuffled.filter((a) => a.subtype !== 'savings'), { type: 'savings' }, ctx);

    expect(namesIn(reply)).toEqual(['Bills', 'Everyday', 'Zeta Card', 'Brokerage', 'Car Loan', 'Cash Card']);
  });
});
