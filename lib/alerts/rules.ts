import type { BankAccount, BankTransaction } from '../banking/bank-connector';

/**
 * The alert rules: pure functions from what the bank reported to the alerts a person should read.
 * No clock, no randomness, no I/O: the same input always gives the same alerts, in the same order,
 * each with its reason as facts (the amounts, the merchant, the usual spending…) that `reasons.ts`
 * writes as a sentence in the person's language. Delivery and "one alert ever" are the caller's:
 * it records each alert's `dedupeKey` once (a conditional write) and sends only the first.
 *
 * How the sync worker calls `evaluateTransactions`:
 * - `newTransactions`: the transactions the sync added (a posted one replacing a pending one
 *   included); `history`: the person's stored transactions (up to 90 days, all their connections).
 *   History may already contain the new ones (the page is stored before alerts run): a history
 *   entry for the same purchase as a new one is set aside, the new version is judged.
 * - A connection's first sync (`initialSync: true`): its whole history arrives as "new". Nothing in
 *   it is news to the person, and there is no past to judge it against, so no fraud rule runs, and
 *   a large-transaction alert is sent only for what happened in the last few days. A call with no
 *   history besides the new transactions is treated the same way, so forgetting the flag on a first
 *   sync (`history: []`, new = everything) still stays silent.
 * - Pending then posted: the bank sends a purchase twice, first pending, then posted with
 *   `pendingTransactionId` naming the pending one. Both versions get the same dedupe key
 *   (`txn:<pending id>:<rule>`), so whatever the posted version triggers again is dropped by the
 *   caller's dedupe; and the two versions count as one purchase in every rule.
 *
 * Amounts follow the aggregator's sign convention (positive = money out). Only money out can
 * alert; refunds and income never do. Amounts are only compared with amounts in the same currency:
 * the thresholds (the person's own and the ones below) are in the account's usual currency, and a
 * payment in another currency is judged by the foreign-transaction rule instead.
 */

export type AlertRule =
  | 'unusual-amount'
  | 'new-merchant-high-amount'
  | 'foreign-transaction'
  | 'rapid-succession'
  | 'large-transaction'
  | 'low-balance'
  | InsightRule;

/** The money insights (lib/alerts/insights.ts): each one can be turned off on its own. */
export type InsightRule = 'price-up' | 'new-recurring' | 'double-charge' | 'bill-due-low';
export const INSIGHT_RULES: readonly InsightRule[] = ['price-up', 'new-recurring', 'double-charge', 'bill-due-low'];

/** Whether the person has this insight on (it is unless they turned it off). */
export const insightOn = (settings: Pick<AlertSettings, 'insights'>, rule: InsightRule) => settings.insights?.[rule] !== false;

export type AlertKind = 'fraud' | 'large-transaction' | 'low-balance' | 'insight';

export interface AlertSettings {
  /** The four fraud rules (unusual amount, new merchant, foreign, rapid succession). */
  fraudAlerts: boolean;
  /** Alert on any payment of at least this much; null = off. */
  largeTransactionThreshold: number | null;
  /** Alert when a bank account's balance falls below this; null = off. */
  lowBalanceThreshold: number | null;
  /** ISO 3166-1 alpha-2, e.g. `US`. */
  homeCountry: string;
  /** The money insights the person turned off (false) or on; absent = on. */
  insights?: Readonly<Partial<Record<InsightRule, boolean>>>;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = Object.freeze({
  fraudAlerts: true,
  largeTransactionThreshold: 500,
  // Opt-in: what counts as "low" is too personal to guess.
  lowBalanceThreshold: null,
  homeCountry: 'US',
});

/** The rules' tunable limits. Amounts are in the account's usual currency unless said otherwise. */
export const ALERT_LIMITS = Object.freeze({
  /** unusual-amount: past payments needed in the category before it can judge "usual". */
  unusualMinPastPayments: 5,
  /** unusual-amount: never for less than this (no alert on a $12 coffee, however rare). */
  unusualMinAmount: 50,
  /** unusual-amount: at least this many times the median... */
  unusualMedianMultiple: 3,
  /** ...and at least the median plus this many spreads (scaled median absolute deviation). */
  unusualSpreadMultiple: 3,
  /** unusual-amount: a payment this close (×0.9) to one already made at the merchant is not unusual. */
  unusualKnownAmountRatio: 0.9,
  /** new-merchant-high-amount: the smallest first payment that alerts. */
  newMerchantMinAmount: 250,
  /** new-merchant-high-amount: stored history must reach this far back to know a merchant is new. */
  newMerchantMinHistoryDays: 30,
  /** foreign-transaction: the smallest payment that alerts, in the payment's own currency. */
  foreignMinAmount: 20,
  /** rapid-succession: payments at one merchant within this many minutes (time of day known)... */
  rapidWindowMinutes: 10,
  /** ...at least this many of them; */
  rapidMinCharges: 3,
  /** or, when the bank gives only the date, at least this many on the same day. */
  rapidSameDayMinCharges: 4,
  /** First sync: a large-transaction alert only for payments dated this many days before now or later. */
  initialSyncRecentDays: 3,
});

export interface Alert {
  rule: AlertRule;
  kind: AlertKind;
  transactionId?: string;
  accountId: string;
  /** stable: one alert per (transaction, rule) or, for balances, per (account, rule, day) */
  dedupeKey: string;
  /** why, as facts for the sentence the person reads (see `AlertReason`) */
  reason: AlertReason;
  amount: number;
  currency: string;
  merchant?: string;
  /** Who was paid, "at" a shop or "to" a payee (made safe to show). */
  payee?: Payee;
  /** The account's name as the bank gives it, without anything like an account number; absent when not known. */
  account?: string;
  date: string;
  /** When the bank gives the time of day: ISO 8601. */
  datetime?: string;
}

/** Who was paid, as the bank names them (made safe to show): "at" a shop, "to" a payee of a transfer or bill. */
export interface Payee {
  name: string;
  paidTo: boolean;
}

/**
 * Why an alert was raised: the facts its sentence is written from, in each language. Amounts are
 * in `currency` (an upper-case code, as the bank gave it); every text from the bank is already
 * made safe to show (no account or reference numbers); codes (categories, countries, currencies)
 * are the renderer's to name.
 */
export type AlertReason =
  | { type: 'unusual-amount'; amount: number; currency: string; payee?: Payee; times: number; usual: number; category: string; primaryCategory: string }
  | { type: 'new-merchant'; amount: number; currency: string; payee?: Payee; days: number }
  | { type: 'foreign-country'; amount: number; currency: string; payee?: Payee; country: string; homeCountry: string }
  | { type: 'foreign-currency'; amount: number; currency: string; payee?: Payee; usualCurrency: string }
  | {
      type: 'rapid-succession';
      charges: number;
      currency: string;
      /** The same amount each time, or the total when the amounts differ; absent when currencies differ. */
      each?: number;
      total?: number;
      payee?: Payee;
      /** Only dates were known: "on <date>" (`YYYY-MM-DD`); else "within <minutes>". */
      date?: string;
      minutes?: number;
    }
  | {
      type: 'large-transaction';
      amount: number;
      currency: string;
      payee?: Payee;
      threshold: number;
      exact: boolean;
      /** The threshold is the product's default: the person did not choose it (see `largeTransaction`). */
      isDefault: boolean;
    }
  | { type: 'low-balance'; balance: number; currency: string; threshold: number; available: boolean; account: string }
  | { type: 'price-up'; name: string; before: number; after: number; currency: string; since: string }
  | { type: 'new-recurring'; name: string; amount: number; currency: string; since: string; frequency: string }
  | { type: 'double-charge'; amount: number; currency: string; payee?: Payee; date: string; account?: string }
  | { type: 'bill-due-low'; name: string; usual: number; currency: string; due: string; balance: number; account: string };

export interface TransactionsToEvaluate {
  newTransactions: BankTransaction[];
  history: BankTransaction[];
  settings: AlertSettings;
  now: Date;
  /** The connection's first sync: no fraud alerts, large-transaction alerts only for recent payments. */
  initialSync?: boolean;
  /** The connection's accounts, when known: each alert names the account it is about. */
  accounts?: Pick<BankAccount, 'accountId' | 'name' | 'mask'>[];
}

export interface BalancesToEvaluate {
  accounts: BankAccount[];
  settings: AlertSettings;
  now: Date;
}

const FRAUD_RULES: ReadonlySet<AlertRule> = new Set(['unusual-amount', 'new-merchant-high-amount', 'foreign-transaction', 'rapid-succession']);
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Makes the median absolute deviation comparable to a standard deviation. */
const MAD_SCALE = 1.4826;

export function evaluateTransactions(input: TransactionsToEvaluate): Alert[] {
  const { settings } = input;
  const fresh = sortByTime(latestVersions(input.newTransactions).map((tx, i) => toEntry(tx, true, i)));
  const freshPurchases = new Set(fresh.map((e) => e.purchaseId));
  const past = sortByTime(
    latestVersions(input.history)
      .filter((tx) => !freshPurchases.has(purchaseIdOf(tx)))
      .map((tx, i) => toEntry(tx, false, i)),
  );

  const initial = input.initialSync === true || past.length === 0;
  const fraud = settings.fraudAlerts && !initial;
  const context: Context = {
    settings,
    accountNames: new Map((input.accounts ?? []).map((a) => [a.accountId, accountLabel(a)])),
    usualCurrency: usualCurrencies(past, fresh),
    historyStartDay: minOf(past.map((e) => e.day)),
    recentFromDay: initial ? utcDayNumber(input.now) - ALERT_LIMITS.initialSyncRecentDays : null,
    bursts: fraud ? findBursts([...past, ...fresh]) : new Map(),
  };

  // The person's past as it stood before each new transaction: all of history, then the new ones
  // in time order, each one joining the past once judged.
  const known = new PastSpending();
  for (const entry of past) known.add(entry);
  const alerts: Alert[] = [];
  for (const entry of fresh) {
    if (entry.outflow) {
      if (fraud) {
        alerts.push(...compact([unusualAmount(entry, known), newMerchant(entry, known, context), foreignTransaction(entry, context), rapidSuccession(entry, context)]));
      }
      alerts.push(...compact([largeTransaction(entry, context)]));
    }
    known.add(entry);
  }
  return alerts.map((alert) => {
    const account = context.accountNames.get(alert.accountId);
    return account ? { ...alert, account } : alert;
  });
}

export function evaluateBalances(input: BalancesToEvaluate): Alert[] {
  const threshold = input.settings.lowBalanceThreshold;
  const day = utcDay(input.now);
  if (threshold === null || !Number.isFinite(threshold) || day === null) return [];
  const seen = new Set<string>();
  const alerts: Alert[] = [];
  for (const account of input.accounts) {
    if (account.type !== 'depository' || seen.has(account.accountId)) continue;
    seen.add(account.accountId);
    const { available, current, currency } = account.balances;
    const usesAvailable = typeof available === 'number' && Number.isFinite(available);
    const balance = usesAvailable ? available : current;
    if (typeof balance !== 'number' || !Number.isFinite(balance) || balance >= threshold) continue;
    alerts.push({
      rule: 'low-balance',
      kind: 'low-balance',
      accountId: account.accountId,
      dedupeKey: `low-balance:${account.accountId}:${day}`,
      reason: { type: 'low-balance', balance, currency: currencyCode(currency), threshold, available: usesAvailable, account: accountLabel(account) },
      amount: balance,
      currency,
      date: day,
    });
  }
  return alerts;
}

// ---- The rules ---------------------------------------------------------------------------------

interface Context {
  settings: AlertSettings;
  /** accountId → the account's name, safe to show ('' when nothing is left of it). */
  accountNames: Map<string, string>;
  /** accountId → the currency most of its transactions are in. */
  usualCurrency: Map<string, string>;
  /** The first day (epoch days) stored history covers; NaN without history. */
  historyStartDay: number;
  /** On a first sync: large-transaction alerts only for payments on or after this day (epoch days). */
  recentFromDay: number | null;
  /** The transaction completing each burst of rapid charges → the whole burst. */
  bursts: Map<Entry, Burst>;
}

/**
 * Far above what the person usually spends in the category: at least 3× the median and 3 spreads
 * above it, over at least 5 past payments in the same currency. The detailed category is used when
 * it has enough history, else the primary one; the primary one mixes kinds of spending (a median
 * set by daily coffees would make a first $60 bar bill "4× usual food and drink"), so against it a
 * payment must also be larger than any before in it. A payment about as large as one already made
 * at the same merchant (this month's rent, last year's insurance premium) is not news either.
 */
function unusualAmount(entry: Entry, known: PastSpending): Alert | undefined {
  const { tx } = entry;
  if (!tx.category || tx.amount < ALERT_LIMITS.unusualMinAmount) return undefined;
  const detailed = known.inCategory(entry.currency, tx.category.detailed);
  const [amounts, category] =
    detailed.length >= ALERT_LIMITS.unusualMinPastPayments
      ? [detailed, tx.category.detailed]
      : [known.inCategory(entry.currency, tx.category.primary), tx.category.primary];
  if (amounts.length < ALERT_LIMITS.unusualMinPastPayments) return undefined;
  if (category !== tx.category.detailed && amounts.some((a) => a >= tx.amount)) return undefined;
  if (known.maxAtMerchant(entry) >= tx.amount * ALERT_LIMITS.unusualKnownAmountRatio) return undefined;

  const typical = median(amounts);
  const spread = MAD_SCALE * median(amounts.map((a) => Math.abs(a - typical)));
  const threshold = Math.max(ALERT_LIMITS.unusualMedianMultiple * typical, typical + ALERT_LIMITS.unusualSpreadMultiple * spread);
  if (!(tx.amount >= threshold)) return undefined;
  return transactionAlert('unusual-amount', entry, {
    type: 'unusual-amount',
    ...paid(entry),
    times: Math.round(tx.amount / typical),
    usual: typical,
    category,
    primaryCategory: tx.category.primary,
  });
}

/**
 * A large first payment to a merchant the person has never paid, judged only when stored history
 * reaches back far enough to know the merchant is new (a week-old connection knows nobody).
 */
function newMerchant(entry: Entry, known: PastSpending, context: Context): Alert | undefined {
  const { tx } = entry;
  if (!entry.merchantKey || known.hasMerchant(entry.merchantKey)) return undefined;
  if (!isUsualCurrency(entry, context) || tx.amount < ALERT_LIMITS.newMerchantMinAmount) return undefined;
  const days = entry.day - context.historyStartDay;
  if (!(days >= ALERT_LIMITS.newMerchantMinHistoryDays)) return undefined;
  return transactionAlert('new-merchant-high-amount', entry, { type: 'new-merchant', ...paid(entry), days });
}

/** Charged in another country than the person's, or in a currency the account does not usually use. */
function foreignTransaction(entry: Entry, context: Context): Alert | undefined {
  const { tx } = entry;
  if (tx.amount < ALERT_LIMITS.foreignMinAmount) return undefined;
  const country = tx.location?.country?.trim().toUpperCase();
  const home = context.settings.homeCountry.trim().toUpperCase();
  if (country && country !== home) {
    return transactionAlert('foreign-transaction', entry, { type: 'foreign-country', ...paid(entry), country: safeText(country), homeCountry: safeText(home) });
  }
  const usual = context.usualCurrency.get(tx.accountId);
  if (usual !== undefined && entry.currency !== usual) {
    return transactionAlert('foreign-transaction', entry, { type: 'foreign-currency', ...paid(entry), usualCurrency: safeText(usual) });
  }
  return undefined;
}

/** Several charges at one merchant in quick succession: one alert per burst, on the charge that completes it. */
function rapidSuccession(entry: Entry, context: Context): Alert | undefined {
  const burst = context.bursts.get(entry);
  if (!burst) return undefined;
  const { tx } = entry;
  const charges = burst.members.map((m) => m.tx);
  const sameCurrency = charges.every((c) => c.currency === tx.currency);
  const sameAmount = sameCurrency && charges.every((c) => c.amount === tx.amount);
  const total = charges.reduce((sum, c) => sum + c.amount, 0);
  const payee = payeeOf(entry);
  return transactionAlert('rapid-succession', entry, {
    type: 'rapid-succession',
    charges: charges.length,
    currency: safeText(entry.currency),
    ...(sameAmount ? { each: tx.amount } : sameCurrency ? { total } : {}),
    ...(payee ? { payee } : {}),
    ...(burst.sameDay ? { date: new Date(entry.day * DAY_MS).toISOString().slice(0, 10) } : { minutes: Math.max(1, Math.ceil(burst.spanMs / MINUTE_MS)) }),
  });
}

/** At least the person's own large-transaction threshold. Not a fraud rule: it runs with fraud alerts off. */
function largeTransaction(entry: Entry, context: Context): Alert | undefined {
  const { tx } = entry;
  const threshold = context.settings.largeTransactionThreshold;
  if (threshold === null || !isUsualCurrency(entry, context)) return undefined;
  if (!(tx.amount >= threshold)) return undefined;
  if (context.recentFromDay !== null && !(entry.day >= context.recentFromDay)) return undefined;
  // The chat stores every threshold whenever any setting changes, so a stored threshold equal to the
  // default cannot be told from one never chosen; it is the default amount either way.
  const isDefault = threshold === DEFAULT_ALERT_SETTINGS.largeTransactionThreshold;
  return transactionAlert('large-transaction', entry, { type: 'large-transaction', ...paid(entry), threshold, exact: tx.amount === threshold, isDefault });
}

function transactionAlert(rule: AlertRule, entry: Entry, reason: AlertReason): Alert {
  const { tx } = entry;
  const payee = payeeOf(entry);
  return {
    rule,
    kind: FRAUD_RULES.has(rule) ? 'fraud' : 'large-transaction',
    transactionId: tx.transactionId,
    accountId: tx.accountId,
    // The purchase, not the version: a posted transaction shares its pending version's key.
    dedupeKey: `txn:${entry.purchaseId}:${rule}`,
    reason,
    amount: tx.amount,
    currency: tx.currency,
    ...(entry.merchant ? { merchant: entry.merchant } : {}),
    ...(payee ? { payee } : {}),
    date: tx.date,
    ...(entry.clocked ? { datetime: tx.datetime } : {}),
  };
}

// ---- Transactions as the rules see them --------------------------------------------------------

interface Entry {
  tx: BankTransaction;
  isNew: boolean;
  /** The purchase across its pending and posted versions. */
  purchaseId: string;
  /** Epoch ms of the transaction's datetime, else of its date; NaN when neither parses. */
  time: number;
  /** The bank reported the time of day (a datetime), not only the date. */
  clocked: boolean;
  /** Epoch days of the date; NaN when it does not parse. */
  day: number;
  /** A finite amount of money out. */
  outflow: boolean;
  currency: string;
  /** For comparing merchants: case, punctuation and store numbers removed; '' when unknown. */
  merchantKey: string;
  /** For the person to read: the merchant as the bank names it, without long digit runs. */
  merchant: string;
  order: number;
}

export const purchaseIdOf = (tx: BankTransaction) => tx.pendingTransactionId || tx.transactionId;

/** One version per purchase: a posted version wins over a pending one, else the later one. */
export function latestVersions(transactions: BankTransaction[]): BankTransaction[] {
  const byPurchase = new Map<string, BankTransaction>();
  for (const tx of transactions) {
    const id = purchaseIdOf(tx);
    const seen = byPurchase.get(id);
    if (!seen || seen.pending || !tx.pending) byPurchase.set(id, tx);
  }
  return [...byPurchase.values()];
}

function toEntry(tx: BankTransaction, isNew: boolean, order: number): Entry {
  const clock = typeof tx.datetime === 'string' ? Date.parse(tx.datetime) : Number.NaN;
  const day = dayNumber(tx.date);
  const display = tx.merchantName || tx.name || '';
  return {
    tx,
    isNew,
    purchaseId: purchaseIdOf(tx),
    time: Number.isFinite(clock) ? clock : day * DAY_MS,
    clocked: Number.isFinite(clock),
    day,
    outflow: Number.isFinite(tx.amount) && tx.amount > 0,
    currency: String(tx.currency).trim().toUpperCase(),
    merchantKey: merchantKeyOf(display),
    merchant: safeText(display),
    order,
  };
}

function sortByTime(entries: Entry[]): Entry[] {
  const time = (e: Entry) => (Number.isNaN(e.time) ? Number.NEGATIVE_INFINITY : e.time);
  return entries.sort((a, b) => {
    const ta = time(a);
    const tb = time(b);
    if (ta !== tb) return ta < tb ? -1 : 1;
    if (a.isNew !== b.isNew) return a.isNew ? 1 : -1;
    if (a.tx.transactionId !== b.tx.transactionId) return a.tx.transactionId < b.tx.transactionId ? -1 : 1;
    return a.order - b.order;
  });
}

/**
 * "STARBUCKS #1234", "Starbucks 5678" and "starbucks" are one merchant: lower case, punctuation to
 * spaces, trailing store numbers dropped.
 */
export function merchantKeyOf(name: string): string {
  const words = name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return words.replace(/(?:\s+\d+)+$/, '') || words;
}

/** What the person has spent so far, for the rules that compare with the past. */
class PastSpending {
  private readonly merchants = new Set<string>();
  private readonly byCategory = new Map<string, number[]>();
  private readonly largestAtMerchant = new Map<string, number>();

  add(entry: Entry): void {
    // A refund from a merchant still means the person knows it.
    if (entry.merchantKey) this.merchants.add(entry.merchantKey);
    if (!entry.outflow) return;
    const { tx } = entry;
    const atMerchant = `${entry.currency}|${entry.merchantKey}`;
    this.largestAtMerchant.set(atMerchant, Math.max(tx.amount, this.largestAtMerchant.get(atMerchant) ?? 0));
    if (!tx.category) return;
    for (const category of new Set([tx.category.detailed, tx.category.primary])) {
      if (!category) continue;
      const key = `${entry.currency}|${category}`;
      const list = this.byCategory.get(key);
      if (list) list.push(tx.amount);
      else this.byCategory.set(key, [tx.amount]);
    }
  }

  hasMerchant(merchantKey: string): boolean {
    return this.merchants.has(merchantKey);
  }

  inCategory(currency: string, category: string): number[] {
    return category ? (this.byCategory.get(`${currency}|${category}`) ?? []) : [];
  }

  maxAtMerchant(entry: Entry): number {
    return entry.merchantKey ? (this.largestAtMerchant.get(`${entry.currency}|${entry.merchantKey}`) ?? 0) : 0;
  }
}

interface Burst {
  members: Entry[];
  /** Only dates were known: the burst is "several on one day". */
  sameDay: boolean;
  spanMs: number;
}

/**
 * Bursts of charges at one merchant, over history and new transactions together in time order.
 * With a time of day: at least 3 charges within 10 minutes; a burst lasts while each next charge
 * still has 3 within its own 10 minutes, and is reported once, on the charge that started it
 * being a burst. With dates only: the 4th charge at a merchant on one day. A burst completed by a
 * stored transaction was reported on an earlier sync; charges joining it later are not news.
 */
function findBursts(entries: Entry[]): Map<Entry, Burst> {
  const window = ALERT_LIMITS.rapidWindowMinutes * MINUTE_MS;
  const bursts = new Map<Entry, Burst>();
  const clocked = new Map<string, { recent: Entry[]; open?: Burst }>();
  const byDay = new Map<string, Burst>();

  for (const entry of sortByTime(entries)) {
    if (!entry.outflow || !entry.merchantKey) continue;
    if (entry.clocked) {
      const state = clocked.get(entry.merchantKey) ?? { recent: [] };
      clocked.set(entry.merchantKey, state);
      state.recent = [...state.recent.filter((e) => e.time >= entry.time - window), entry];
      if (state.recent.length < ALERT_LIMITS.rapidMinCharges) {
        state.open = undefined;
      } else if (state.open) {
        state.open.members.push(entry);
      } else {
        state.open = { members: [...state.recent], sameDay: false, spanMs: 0 };
        bursts.set(entry, state.open);
      }
    } else if (Number.isFinite(entry.day)) {
      const key = `${entry.merchantKey}|${entry.day}`;
      const burst = byDay.get(key) ?? { members: [], sameDay: true, spanMs: 0 };
      byDay.set(key, burst);
      burst.members.push(entry);
      if (burst.members.length === ALERT_LIMITS.rapidSameDayMinCharges) bursts.set(entry, burst);
    }
  }
  for (const burst of bursts.values()) {
    const times = burst.members.map((m) => m.time);
    burst.spanMs = Math.max(...times) - Math.min(...times);
  }
  return bursts;
}

/** The currency most of each account's stored transactions are in (the new ones when none are stored). */
function usualCurrencies(past: Entry[], fresh: Entry[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  const tally = (entries: Entry[]) => {
    for (const e of entries) {
      const perAccount = counts.get(e.tx.accountId) ?? new Map<string, number>();
      counts.set(e.tx.accountId, perAccount);
      perAccount.set(e.currency, (perAccount.get(e.currency) ?? 0) + 1);
    }
  };
  tally(past);
  tally(fresh.filter((e) => !counts.has(e.tx.accountId)));
  const usual = new Map<string, string>();
  for (const [accountId, perAccount] of counts) {
    const [best] = [...perAccount].sort(([ca, na], [cb, nb]) => nb - na || (ca < cb ? -1 : ca > cb ? 1 : 0));
    if (best) usual.set(accountId, best[0]);
  }
  return usual;
}

const isUsualCurrency = (entry: Entry, context: Context) => context.usualCurrency.get(entry.tx.accountId) === entry.currency;

// ---- Facts for the person ----------------------------------------------------------------------

/** " at ELECTRO-WORLD" for purchases, " to Greenview Property Mgmt" for transfers and bills. */
function payeeOf(entry: Entry): Payee | undefined {
  if (!entry.merchant) return undefined;
  const primary = entry.tx.category?.primary;
  const paidTo = entry.tx.paymentChannel === 'other' || primary === 'TRANSFER_OUT' || primary === 'LOAN_PAYMENTS' || primary === 'RENT_AND_UTILITIES';
  return { name: entry.merchant, paidTo };
}

/** What a transaction's reason starts with: how much, and to whom. */
function paid(entry: Entry): { amount: number; currency: string; payee?: Payee } {
  const payee = payeeOf(entry);
  return { amount: entry.tx.amount, currency: safeText(entry.currency), ...(payee ? { payee } : {}) };
}

/** A currency as the bank gave it, as a code made safe to show. */
export const currencyCode = (currency: string) => safeText(String(currency).trim().toUpperCase());

/** A bank account's name without anything that looks like an account number; '' when nothing is left. */
export function accountLabel(account: Pick<BankAccount, 'name' | 'mask'>): string {
  const name = account.mask ? account.name.split(account.mask).join(' ') : account.name;
  return safeText(name);
}

/**
 * Text from the bank, made safe to show: runs of 4 or more digits (account and reference numbers,
 * with the masking characters in front of them) are removed.
 */
export function safeText(text: string): string {
  return text
    .replace(/[*#xX•.-]*\d{4,}/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---- Small helpers -----------------------------------------------------------------------------

function dayNumber(date: string): number {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return Number.NaN;
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function utcDay(now: Date): string | null {
  return Number.isFinite(now.getTime()) ? now.toISOString().slice(0, 10) : null;
}

const utcDayNumber = (now: Date) => Math.floor(now.getTime() / DAY_MS);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function minOf(values: number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length > 0 ? finite.reduce((a, b) => Math.min(a, b)) : Number.NaN;
}

const compact = <T>(values: (T | undefined)[]): T[] => values.filter((v): v is T => v !== undefined);
