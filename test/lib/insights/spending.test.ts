import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BankTransaction } from '../../../lib/banking/bank-connector';
import { spendingByCategory, topCategories } from '../../../lib/insights/spending';

let n = 0;
const tx = (date: string, amount: number, primary: string | null, overrides: Partial<BankTransaction> = {}): BankTransaction => ({
  transactionId: `t${++n}`,
  accountId: 'acc-1',
  amount,
  currency: 'USD',
  date,
  name: 'SOMEWHERE',
  category: primary === null ? null : { primary, detailed: `${primary}_OTHER` },
  pending: false,
  ...overrides,
});

const NOVEMBER = { from: '2026-11-01', to: '2026-11-14' };

describe('spendingByCategory', () => {
  it('sums the spending of the period by primary category, largest first, to the cent', () => {
    const transactions = [
      tx('2026-11-02', 0.1, 'FOOD_AND_DRINK'),
      tx('2026-11-03', 0.2, 'FOOD_AND_DRINK'),
      tx('2026-11-04', 1180, 'RENT_AND_UTILITIES'),
      tx('2026-11-05', 45.99, 'ENTERTAINMENT'),
      tx('2026-11-14', 12.01, 'ENTERTAINMENT', { pending: true }),
    ];

    expect(spendingByCategory(transactions, NOVEMBER)).toEqual({
      total: 1238.3,
      transactions: 5,
      currency: 'USD',
      categories: [
        { code: 'RENT_AND_UTILITIES', amount: 1180, transactions: 1 },
        { code: 'ENTERTAINMENT', amount: 58, transactions: 2 },
        { code: 'FOOD_AND_DRINK', amount: 0.3, transactions: 2 },
      ],
    });
  });

  it('counts the period inclusively: its first and last days are in, the days around them out', () => {
    const transactions = [tx('2026-10-31', 5, 'TRAVEL'), tx('2026-11-01', 7, 'TRAVEL'), tx('2026-11-14', 11, 'TRAVEL'), tx('2026-11-15', 13, 'TRAVEL')];
    expect(spendingByCategory(transactions, NOVEMBER).total).toBe(18);
    expect(spendingByCategory(transactions, { from: '2026-10-01', to: '2026-10-31' }).total).toBe(5);
  });

  it('leaves out money that is not spending: income, refunds, transfers between own accounts, card payments', () => {
    const transactions = [
      tx('2026-11-02', -2500, 'INCOME'),
      tx('2026-11-02', -30, 'GENERAL_MERCHANDISE'), // a refund
      tx('2026-11-03', 500, 'TRANSFER_OUT'),
      tx('2026-11-03', -500, 'TRANSFER_IN'),
      tx('2026-11-04', 410.2, 'LOAN_PAYMENTS'),
      tx('2026-11-05', 25, 'GENERAL_MERCHANDISE'),
    ];
    expect(spendingByCategory(transactions, NOVEMBER).categories).toEqual([{ code: 'GENERAL_MERCHANDISE', amount: 25, transactions: 1 }]);
  });

  it('puts what the bank did not categorise under OTHER', () => {
    expect(spendingByCategory([tx('2026-11-02', 9.5, null)], NOVEMBER).categories).toEqual([{ code: 'OTHER', amount: 9.5, transactions: 1 }]);
  });

  it('finds nothing in a period without spending, in the currency of what is held', () => {
    expect(spendingByCategory([tx('2026-10-02', 9.5, 'TRAVEL', { currency: 'EUR' })], NOVEMBER)).toEqual({ total: 0, transactions: 0, categories: [], currency: 'EUR' });
  });

  it('always adds up: the categories sum to the total, every amount positive (property)', () => {
    const primaries = fc.constantFrom('FOOD_AND_DRINK', 'TRAVEL', 'INCOME', 'TRANSFER_OUT', 'GENERAL_MERCHANDISE', null);
    const transaction = fc.record({
      day: fc.integer({ min: 1, max: 30 }),
      cents: fc.integer({ min: -100_000, max: 100_000 }),
      primary: primaries,
    });
    fc.assert(
      fc.property(fc.array(transaction, { maxLength: 60 }), (list) => {
        const spent = spendingByCategory(
          list.map((t) => tx(`2026-11-${String(t.day).padStart(2, '0')}`, t.cents / 100, t.primary)),
          NOVEMBER,
        );
        const sum = Math.round(spent.categories.reduce((s, c) => s + c.amount, 0) * 100);
        expect(sum).toBe(Math.round(spent.total * 100));
        expect(spent.categories.every((c) => c.amount > 0)).toBe(true);
        expect(spent.categories.map((c) => c.amount)).toEqual([...spent.categories.map((c) => c.amount)].sort((a, b) => b - a));
      }),
    );
  });
});

describe('topCategories', () => {
  const categories = ['A', 'B', 'C', 'D', 'E'].map((code, i) => ({ code, amount: 50 - i * 10, transactions: 1 }));

  it('keeps them all when they fit', () => {
    expect(topCategories(categories, 5)).toEqual(categories);
  });

  it('keeps the largest and folds the rest, with any OTHER, into one OTHER that still adds up, in order of size', () => {
    const withOther = [...categories, { code: 'OTHER', amount: 1, transactions: 2 }];
    expect(topCategories(withOther, 3)).toEqual([
      { code: 'OTHER', amount: 61, transactions: 5 },
      { code: 'A', amount: 50, transactions: 1 },
      { code: 'B', amount: 40, transactions: 1 },
    ]);
  });

  it('folds what has no name of its own into OTHER even when all would fit, so no two bars read "other"', () => {
    const named = (code: string) => code !== 'D';
    expect(topCategories([...categories, { code: 'OTHER', amount: 5, transactions: 1 }], 8, named)).toEqual([
      { code: 'A', amount: 50, transactions: 1 },
      { code: 'B', amount: 40, transactions: 1 },
      { code: 'C', amount: 30, transactions: 1 },
      { code: 'OTHER', amount: 25, transactions: 2 },
      { code: 'E', amount: 10, transactions: 1 },
    ]);
  });
});
