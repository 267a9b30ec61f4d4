/**
 * The port through which the domain reaches a bank-data aggregator. Nothing here names Plaid's
 * types: the production adapter (`plaid-connector.ts`) maps Plaid's JSON into these shapes at the
 * edge, and tests of domain code pass a plain fake.
 *
 * Every method rejects only with the named `BankError`s of `lib/errors.ts`, already classified as
 * retryable or not; callers never inspect HTTP statuses or aggregator error codes.
 */

export type BankAccountType = 'depository' | 'credit' | 'loan' | 'investment' | 'other';

export interface BankBalances {
  /** What can be spent now; null when the bank does not report it (common for credit and loans). */
  available: number | null;
  /** The ledger balance (for credit and loans: what is owed). */
  current: number | null;
  /** Credit limit or overdraft, when the bank reports one. */
  limit: number | null;
  /** ISO 4217 code, or the aggregator's unofficial code for currencies without one (e.g. crypto). */
  currency: string;
}

export interface BankAccount {
  accountId: string;
  name: string;
  officialName?: string;
  /** The last 2–4 characters of the account number. */
  mask?: string;
  type: BankAccountType;
  /** E.g. `checking`, `savings`, `credit card`; open-ended because banks add new ones. */
  subtype?: string;
  balances: BankBalances;
}

export interface TransactionCategory {
  /** E.g. `FOOD_AND_DRINK`. */
  primary: string;
  /** E.g. `FOOD_AND_DRINK_GROCERIES`. */
  detailed: string;
}

export type PaymentChannel = 'online' | 'in store' | 'other';

export interface BankTransaction {
  transactionId: string;
  accountId: string;
  /** The aggregator's sign convention: positive = money out of the account, negative = money in. */
  amount: number;
  currency: string;
  /** Posting date (or, while pending, the date it occurred), `YYYY-MM-DD`. */
  date: string;
  /** When the card was authorised, `YYYY-MM-DD`, if known. */
  authorizedDate?: string;
  /** ISO 8601 timestamp of the transaction, if the bank reports one. */
  datetime?: string;
  name: string;
  merchantName?: string;
  category: TransactionCategory | null;
  pending: boolean;
  /** On a posted transaction: the id of the pending one it replaces (which is then removed). */
  pendingTransactionId?: string;
  paymentChannel?: PaymentChannel;
  /** Only the coarse location the alerts need; street address and coordinates are not kept. */
  location?: { city?: string; region?: string; country?: string };
}

export interface RemovedTransaction {
  transactionId: string;
  accountId?: string;
}

export interface SyncPage {
  added: BankTransaction[];
  modified: BankTransaction[];
  removed: RemovedTransaction[];
  /** Persist this only after the page has been applied; pass it to the next call. May be ''. */
  nextCursor: string;
  hasMore: boolean;
  /**
   * The item's accounts with the balances the aggregator last cached, as the page came with them
   * (Plaid lists the accounts that have transactions). Free with the page: a scheduled sync takes
   * its balances from here instead of paying for a real-time balance call.
   */
  accounts: BankAccount[];
}

/**
 * How often a recurring payment comes. `unknown` is the aggregator's own "no fixed cadence", and
 * also what a cadence it adds later maps to.
 */
export type RecurringFrequency = 'weekly' | 'biweekly' | 'semi-monthly' | 'monthly' | 'annually' | 'unknown';

/**
 * How established a stream is: `mature` (at least 3 payments on a steady cadence, 2 for annual
 * ones), `early-detection` (fewer so far; with 90 days of history a long-standing monthly bill may be
 * one, so "new" is a first date a full period after the history starts), `tombstoned` (an early
 * stream whose next payment never came), or `unknown`.
 */
export type RecurringStatus = 'mature' | 'early-detection' | 'tombstoned' | 'unknown';

/** A recurring payment the aggregator found in an item's transactions: a bill, subscription, pay… */
export interface RecurringStream {
  /** Stable across calls for the same stream. */
  streamId: string;
  accountId: string;
  /** `outflow`: money out (bills, subscriptions, transfers out); `inflow`: money in (pay, interest). */
  direction: 'inflow' | 'outflow';
  /** The aggregator's description, e.g. the statement descriptor of the latest payment. */
  description: string;
  merchantName?: string;
  category: TransactionCategory | null;
  frequency: RecurringFrequency;
  /** The aggregator's sign convention, as `BankTransaction.amount`: positive = money out. */
  averageAmount: number;
  lastAmount: number;
  currency: string;
  /** Posting dates of the first and the latest payment, `YYYY-MM-DD`. */
  firstDate: string;
  lastDate: string;
  /** When the next payment is expected, `YYYY-MM-DD`; absent when it cannot be predicted. */
  predictedNextDate?: string;
  isActive: boolean;
  status: RecurringStatus;
  /** The stream's payments, oldest first: the ids `syncTransactions` reports them under. */
  transactionIds: string[];
}

export interface RecurringStreams {
  inflows: RecurringStream[];
  outflows: RecurringStream[];
  /** When the aggregator last updated the item's streams. */
  updatedAt: Date;
}

export interface Institution {
  id: string;
  name: string;
}

export interface LinkToken {
  linkToken: string;
  expiration: Date;
  /** Where to send the person (Hosted Link), e.g. from a Messenger button. */
  hostedLinkUrl?: string;
}

export interface LinkSession {
  /**
   * `completed` once the person finished linking and a public token is available. A person who
   * closed Link, or whose link token expired, stays `pending`: the caller owns the deadline (it
   * knows `LinkToken.expiration`).
   */
  status: 'pending' | 'completed';
  /** Single-use, short-lived (30 minutes); exchange each at once. */
  publicTokens: string[];
  institution?: Institution;
}

export type BankProduct = 'transactions';

export interface CreateLinkTokenInput {
  /** An opaque pseudonymous id for the person. Never the PSID: the aggregator must not learn it. */
  userId: string;
  /** Hosted Link sends the person here when they finish (the completion page of our consent flow). */
  redirectUri: string;
  /** Where the aggregator posts item and transaction webhooks. */
  webhookUrl?: string;
  products: BankProduct[];
  language: 'en' | 'es';
  /** ISO 3166-1 alpha-2, e.g. `US`, `ES`. */
  countryCodes: string[];
  /** Set to reconnect an existing item (update mode), e.g. after `BankLoginRequired`. */
  accessToken?: string;
  /** Shown to the person in Link, e.g. the bank or fintech offering the assistant. */
  clientName: string;
}

export interface WebhookVerificationKey {
  kid: string;
  alg: string;
  crv: string;
  kty: string;
  x: string;
  y: string;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds; null while the key is current. */
  expiredAt: number | null;
}

/**
 * Why an item is removed, as the aggregator is told: the consent ended (the person revoked it, it
 * reached its end date, the bank withdrew access) or linking failed and no consent covers the item.
 * The aggregator learns the reason, never who the person is.
 */
export type ItemRemovalReason = 'person-revoked' | 'consent-expired' | 'bank-revoked' | 'linking-failed';

export interface BankConnector {
  createLinkToken(input: CreateLinkTokenInput): Promise<LinkToken>;
  getLinkSession(linkToken: string): Promise<LinkSession>;
  /** Single-use: never call twice for one public token (see the adapter's retry policy). */
  exchangePublicToken(publicToken: string): Promise<{ accessToken: string; itemId: string }>;
  getItem(accessToken: string): Promise<{ itemId: string; institution?: Institution }>;
  /** Accounts with the balances the aggregator last cached (cheap, may be hours old). */
  getAccounts(accessToken: string): Promise<BankAccount[]>;
  /** Accounts with balances fetched from the bank now (slower, billed per call). */
  getBalances(accessToken: string, accountIds?: string[]): Promise<BankAccount[]>;
  /**
   * One page of changes since `cursor` (undefined on the first sync). A `BankSyncMutated` error
   * means the caller must restart the whole pagination from the cursor it started from.
   */
  syncTransactions(accessToken: string, cursor: string | undefined, count?: number): Promise<SyncPage>;
  /** The item's recurring payments, in and out, as the aggregator currently sees them. */
  recurringStreams(accessToken: string): Promise<RecurringStreams>;
  /** Removes the item at the aggregator, saying why; the access token is invalid afterwards. */
  removeItem(accessToken: string, reason: ItemRemovalReason): Promise<void>;
  getWebhookVerificationKey(keyId: string): Promise<WebhookVerificationKey>;
}
