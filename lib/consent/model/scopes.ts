/** What a person can choose to share. Nothing outside a granted scope is ever read. */
export const SCOPES = ['balances', 'transactions', 'alerts'] as const;
export type Scope = (typeof SCOPES)[number];

export const isScope = (value: unknown): value is Scope => typeof value === 'string' && (SCOPES as readonly string[]).includes(value);

/** Allowed durations in days; the longest is one year (consent rule 3). */
export const DURATIONS_DAYS = [30, 90, 180, 365] as const;
export type DurationDays = (typeof DURATIONS_DAYS)[number];
export const MAX_DURATION_DAYS = 365;
