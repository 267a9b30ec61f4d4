/** What a person can choose to share. Nothing outside a granted scope is ever read. */
export const SCOPES = ['balances', 'transactions', 'alerts'] as const;
export type Scope = (typeof SCOPES)[number];

export const isScope = (value: unknown): value is Scope => typeof value === 'string' && (SCOPES as readonly string[]).includes(value);

export const scopeLabels: Record<Scope, { title: string; detail: string }> = {
  balances: {
    title: 'Balances',
    detail: 'Your account names, the last 4 digits and current and available balances, to answer "what’s my balance?".',
  },
  transactions: {
    title: 'Transactions',
    detail: 'The last 90 days of transactions (amount, date, merchant, category), to answer questions about your spending.',
  },
  alerts: {
    title: 'Alerts',
    detail: 'Checking new transactions and balances for the fraud and balance alerts you choose.',
  },
};

/** Allowed durations in days; the longest is one year (consent rule 3). */
export const DURATIONS_DAYS = [30, 90, 180, 365] as const;
export type DurationDays = (typeof DURATIONS_DAYS)[number];
export const MAX_DURATION_DAYS = 365;
