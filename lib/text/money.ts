import { money as en } from './en/money';
import { money as es } from './es/money';
import type { Language } from './language';

/** The spending categories a person can ask about (lib/assistant/nlu/lexicon.ts, `categoryKeys`). */
export type SpendingCategory =
  | 'groceries'
  | 'restaurants'
  | 'coffee'
  | 'food'
  | 'gas'
  | 'transport'
  | 'travel'
  | 'shopping'
  | 'entertainment'
  | 'rent'
  | 'utilities'
  | 'health'
  | 'fitness'
  | 'fees'
  | 'income'
  | 'transfers';

/** The periods with a name of their own ("last month"); the others are said from their dates. */
export type NamedPeriod = 'today' | 'yesterday' | 'this-week' | 'last-week' | 'this-month' | 'last-month' | 'this-year' | 'last-year';

/** The kinds of account a person can ask the balance of. */
export type AccountKind = 'checking' | 'savings' | 'credit';

/** The bank's primary categories (Plaid's personal finance categories) named in "Most of it: …"; OTHER for the rest. */
export type PrimaryCategory =
  | 'FOOD_AND_DRINK'
  | 'GENERAL_MERCHANDISE'
  | 'RENT_AND_UTILITIES'
  | 'TRANSPORTATION'
  | 'TRAVEL'
  | 'ENTERTAINMENT'
  | 'MEDICAL'
  | 'PERSONAL_CARE'
  | 'GENERAL_SERVICES'
  | 'HOME_IMPROVEMENT'
  | 'BANK_FEES'
  | 'GOVERNMENT_AND_NON_PROFIT'
  | 'OTHER';

/**
 * The answers about money (lib/assistant/money.ts): balances, transactions, spending, searches and
 * largest purchases. Amounts, dates, periods and names arrive already written in the locale.
 */
export interface MoneyWords {
  periods: Record<NamedPeriod, string>;
  lastDay: string;
  lastDays: (days: string) => string;
  since: (date: string) => string;
  inMonth: (month: string) => string;
  categories: Record<SpendingCategory, string>;
  primaryCategories: Record<PrimaryCategory, string>;
  titles: { allBalances: string; showMore: string; andLastMonth: string; largestPurchases: string };
  balances: {
    /** `kind` is empty when the question named no kind of account. */
    noAccountOfKind: (kind: string, accounts: string) => string;
    kinds: Record<AccountKind, string>;
    head: (accounts: number, asOf: string) => string;
    moreAccounts: (n: number) => string;
    notReported: string;
    owed: (amount: string) => string;
    available: (amount: string) => string;
    availableAndCurrent: (available: string, current: string) => string;
    creditAvailable: (amount: string, limit: string | undefined) => string;
    creditEstimated: (amount: string, limit: string | undefined) => string;
  };
  pending: string;
  /** When the period asked reaches back before the 90 days held. */
  coverage: (from: string) => string;
  andMore: (n: number) => string;
  /** `scope` is empty or " <period>". */
  transactions: { none: (scope: string) => string; last: (scope: string) => string; lastN: (n: number, scope: string) => string };
  spending: {
    receivedNothing: (when: string) => string;
    paidNothing: (payee: string, when: string) => string;
    spentNothingOn: (what: string, when: string) => string;
    spentNothing: (when: string) => string;
    received: (amount: string, when: string, payments: number) => string;
    paid: (payee: string, amount: string, when: string, payments: number) => string;
    spentOn: (amount: string, what: string, when: string, transactions: number) => string;
    spent: (amount: string, when: string, transactions: number) => string;
    /** Each item is "<category> <amount>". */
    mostOfIt: (items: string[]) => string;
    biggest: (merchant: string, amount: string, date: string) => string;
    lastOne: (amount: string, date: string) => string;
  };
  search: {
    at: (merchant: string) => string;
    inCategory: (category: string) => string;
    over: (amount: string) => string;
    under: (amount: string) => string;
    nothing: (what: string) => string;
    found: (n: number, what: string, total: string) => string;
  };
  largest: { none: (when: string) => string; one: (when: string) => string; many: (n: number, when: string) => string };
}

export const moneyWords: Record<Language, MoneyWords> = { en, es };

/** A bank's primary category in the person's words ("food and drink"); "other" for one not named. */
export const primaryCategoryName = (code: string, lang: Language): string =>
  (moneyWords[lang].primaryCategories as Partial<Record<string, string>>)[code] ?? moneyWords[lang].primaryCategories.OTHER;
