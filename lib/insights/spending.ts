import type { BankTransaction } from '../banking/bank-connector';

/**
 * What counts as spending, and where it went: the one definition the assistant's answers
 * (lib/assistant/money.ts) and the spending picture share, so the chart and the words never
 * disagree. Pure functions of the person's transactions.
 */

/** Calendar days `from`..`to`, inclusive (`YYYY-MM-DD`, in the person's time zone). */
export interface DayRange {
  from: string;
  to: string;
}

// Money that is not spending: moving money between one's own accounts, paying one's card, income.
const NOT_SPENDING = ['TRANSFER_IN', 'TRANSFER_OUT', 'LOAN_PAYMENTS', 'INCOME'];
/** The bank's primary category (Plaid's personal finance category), or '' when it gave none. */
export const primaryOf = (t: BankTransaction) => t.category?.primary ?? '';
export const isSpending = (t: BankTransaction) => t.amount > 0 && !NOT_SPENDING.includes(primaryOf(t));
export const within = (t: BankTransaction, days: DayRange) => t.date >= days.from && t.date <= days.to;

export interface CategoryTotal {
  /** The primary category code, OTHER when the bank gave none. */
  code: string;
  amount: number;
  transactions: number;
}

export interface SpendingByCategory {
  total: number;
  transactions: number;
  /** Largest first; ties in code order, so the same data always reads the same. */
  categories: CategoryTotal[];
}

/** Totals per primary category of the transactions given (the caller has kept only spending). */
export function byCategory(spending: BankTransaction[]): SpendingByCategory {
  const totals = new Map<string, CategoryTotal>();
  for (const t of spending) {
    const code = primaryOf(t) || 'OTHER';
    const entry = totals.get(code) ?? { code, amount: 0, transactions: 0 };
    entry.amount += t.amount;
    entry.transactions += 1;
    totals.set(code, entry);
  }
  // Cents, not binary fractions: a sum of .10s should read .30, and equal sums should sort as equal.
  const categories = [...totals.values()].map((c) => ({ ...c, amount: Math.round(c.amount * 100) / 100 }));
  categories.sort((a, b) => b.amount - a.amount || a.code.localeCompare(b.code));
  const total = Math.round(categories.reduce((sum, c) => sum + c.amount, 0) * 100) / 100;
  return { total, transactions: spending.length, categories };
}

/** Spending in the days given, by category, with the currency to write it in. */
export function spendingByCategory(transactions: BankTransaction[], days: DayRange): SpendingByCategory & { currency: string } {
  const spending = transactions.filter((t) => within(t, days) && isSpending(t));
  return { ...byCategory(spending), currency: spending[0]?.currency ?? transactions[0]?.currency ?? 'USD' };
}

const folded = (rest: CategoryTotal[]): CategoryTotal => {
  const other = rest.reduce((sum, c) => ({ ...sum, amount: sum.amount + c.amount, transactions: sum.transactions + c.transactions }), { code: 'OTHER', amount: 0, transactions: 0 });
  return { ...other, amount: Math.round(other.amount * 100) / 100 };
};

/**
 * At most `count` categories, each one the person can tell apart: those `named` keeps, largest
 * first, and the rest (smaller ones past the count, codes without a name) folded into OTHER, so a
 * picture stays readable, has no two bars called "other", and still adds up to the total.
 */
export function topCategories(categories: CategoryTotal[], count: number, named: (code: string) => boolean = () => true): CategoryTotal[] {
  const distinct = categories.filter((c) => c.code !== 'OTHER' && named(c.code));
  const room = distinct.length === categories.length && categories.length <= count ? count : count - 1;
  const kept = distinct.slice(0, room);
  const rest = categories.filter((c) => !kept.includes(c));
  if (rest.length === 0) return kept;
  return [...kept, folded(rest)].sort((a, b) => b.amount - a.amount || a.code.localeCompare(b.code));
}
