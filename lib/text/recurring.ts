import { recurring as en } from './en/recurring';
import { recurring as es } from './es/recurring';
import type { Language } from './language';

/** How often a recurring payment comes, as the answers say it after an amount ("$17.99 a month"). */
export type Cadence = 'weekly' | 'biweekly' | 'semi-monthly' | 'monthly' | 'annually';

/**
 * The answers about recurring payments (lib/assistant/recurring.ts): subscriptions, upcoming bills
 * and pay. Amounts, dates, names and periods arrive already written in the locale.
 */
export interface RecurringWords {
  titles: { upcomingBills: string; subscriptions: string };
  every: Record<Cadence, string>;
  /** When a payment falls due, from today: "today", "tomorrow", "in 4 days". */
  inDays: (days: number) => string;
  subscriptions: {
    /** `approximate` when a weekly, yearly… one was turned into a month's worth. */
    head: (n: number, perMonth: string, approximate: boolean) => string;
    /** `every` is empty when the bank gives no cadence; `perMonth` only for one that does not come monthly; `next` when its next date is known. */
    line: (payee: string, amount: string, every: string, perMonth: string | undefined, next: string | undefined) => string;
    none: string;
    /** Nothing for the merchant or category named. */
    noneFor: (what: string) => string;
  };
  bills: {
    /** The days asked about. */
    nextDays: (n: number) => string;
    today: string;
    thisWeek: string;
    restOfMonth: string;
    inMonth: (month: string) => string;
    head: (n: number, when: string, total: string) => string;
    line: (date: string, payee: string, amount: string) => string;
    /** Under a bill: the account it is paid from holds less than it. */
    short: (account: string, balance: string) => string;
    noneWithin: (when: string) => string;
    nextAfter: (payee: string, amount: string, date: string) => string;
    none: string;
    noneFor: (what: string) => string;
    /** A bill asked about by name ("when is rent due?"). */
    due: (payee: string, amount: string, date: string, inDays: string) => string;
    /** Its date passed and the payment has not been seen. */
    late: (payee: string, amount: string, date: string) => string;
    /** Active, but the bank gives no next date. */
    undated: (payee: string, amount: string, last: string) => string;
  };
  income: {
    /** Whether pay came in during the period asked about. */
    paidWithin: (when: string) => string;
    notPaidWithin: (when: string) => string;
    last: (payer: string, amount: string, date: string) => string;
    next: (date: string, inDays: string) => string;
    nextLate: (date: string) => string;
    /** Several payers: a heading, then one line each. */
    head: string;
    line: (payer: string, amount: string, date: string, next: string | undefined) => string;
    lineLate: (payer: string, amount: string, date: string, expected: string) => string;
    none: string;
  };
}

export const recurringWords: Record<Language, RecurringWords> = { en, es };
