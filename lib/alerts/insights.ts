import type { BankAccount, BankTransaction, RecurringStream } from '../banking/bank-connector';
import { accountLabel, currencyCode, latestVersions, merchantKeyOf, purchaseIdOf, safeText, type Alert, insightOn, type AlertSettings, type InsightRule, type TransactionsToEvaluate } from './rules';

/**
 * The money insights: pure functions from what the bank reported (recurring streams, balances,
 * transactions) to the alerts a person should read about their money, not about fraud. No clock
 * beyond the `now` given, no I/O. Each alert's `dedupeKey` names the event (the stream and the date
 * it happened, the two transactions), so the caller's "one alert per key, ever" makes each one
 * message ever, however many syncs see it again.
 *
 * They describe the present, so they run on every sync, a first one included, each guarded so a
 * first sync's history is not news: a price rise or a new stream only when its last (or first)
 * payment is recent, and a stream is "new" only when it began a full period after the history does
 * (with 90 days of history, a monthly bill first seen on day one is old, not new). A double charge
 * on a first sync counts only when it happened in the last few days, as a large payment does.
 */

export const INSIGHT_LIMITS = Object.freeze({
  /** price-up: the last payment is at least this much above the earlier ones (ratio and amount). */
  priceUpMinRatio: 0.05,
  priceUpMinAmount: 1,
  /** price-up and new-recurring: the payment that makes the news is at most this many days old. */
  recentDays: 35,
  /** bill-due-low: bills predicted within this many days. */
  billDueDays: 5,
  /** double-charge on a first sync: only charges dated this many days before now or later. */
  initialSyncRecentDays: 3,
});

const DAY_MS = 86_400_000;
/** A full period of each frequency, in days: a stream is "new" only when it began this long after the history. */
const PERIOD_DAYS: Record<string, number> = { weekly: 7, biweekly: 14, 'semi-monthly': 16, monthly: 31, annually: 366 };
/** Fares and tolls repeat at one price on one day by nature: never a double charge. */
const REPEATING_FARES = /^TRANSPORTATION_(PUBLIC_TRANSIT|TOLLS|PARKING)/;
/** Bills, transfers and fees vary from one payment to the next by nature: a higher one is no price rise. */
const VARYING_PRIMARIES = new Set(['INCOME', 'TRANSFER_IN', 'TRANSFER_OUT', 'LOAN_PAYMENTS', 'RENT_AND_UTILITIES', 'BANK_FEES', 'GOVERNMENT_AND_NON_PROFIT']);

export interface StreamsToEvaluate {
  streams: RecurringStream[];
  /** The connection's accounts with their balances (empty without the balances scope). */
  accounts: BankAccount[];
  settings: AlertSettings;
  now: Date;
}

/** A double charge is judged on what the transaction rules see. */
export type ChargesToEvaluate = TransactionsToEvaluate;

/** Price rises, new recurring charges and bills due with too little to pay them, from the streams. */
export function evaluateStreams(input: StreamsToEvaluate): Alert[] {
  const today = dayOf(input.now);
  if (Number.isNaN(today)) return [];
  const on = (rule: InsightRule) => insightOn(input.settings, rule);
  // The bank's history starts where its oldest stream does (pay and rent start on day one); a
  // stream alone is never "new" against itself.
  const historyStart = Math.min(...input.streams.map((s) => dayOf(s.firstDate)).filter(Number.isFinite));
  const outflows = input.streams.filter((s) => s.direction === 'outflow' && s.isActive && s.status !== 'tombstoned');
  const accounts = new Map(input.accounts.map((a) => [a.accountId, a]));
  return outflows.flatMap((stream) =>
    [
      on('price-up') ? priceUp(stream, today) : undefined,
      on('new-recurring') ? newRecurring(stream, today, historyStart) : undefined,
      on('bill-due-low') ? billDueLow(stream, today, accounts.get(stream.accountId)) : undefined,
    ].filter((a): a is Alert => a !== undefined),
  );
}

/**
 * The last payment above what the earlier ones were (their average, from the stream's average and
 * count), by 5 % and a dollar at least, paid in the last 35 days.
 */
function priceUp(stream: RecurringStream, today: number): Alert | undefined {
  const n = stream.transactionIds.length;
  const last = stream.lastAmount;
  if (n < 2 || !(last > 0) || !recent(stream.lastDate, today) || VARYING_PRIMARIES.has(stream.category?.primary ?? '')) return undefined;
  const before = round2((stream.averageAmount * n - last) / (n - 1));
  if (!(before > 0) || last - before < INSIGHT_LIMITS.priceUpMinAmount || last < before * (1 + INSIGHT_LIMITS.priceUpMinRatio)) return undefined;
  const currency = currencyCode(stream.currency);
  return streamAlert('price-up', stream, `price-up:${stream.streamId}:${stream.lastDate}`, { type: 'price-up', name: nameOf(stream), before, after: last, currency, since: stream.lastDate });
}

/** A stream whose first payment is recent and came a full period after the history starts (a trial that turned into a payment). */
function newRecurring(stream: RecurringStream, today: number, historyStart: number): Alert | undefined {
  const first = dayOf(stream.firstDate);
  const period = PERIOD_DAYS[stream.frequency];
  if (period === undefined || !recent(stream.firstDate, today) || !(first - historyStart >= period)) return undefined;
  const currency = currencyCode(stream.currency);
  return streamAlert('new-recurring', stream, `new-recurring:${stream.streamId}`, {
    type: 'new-recurring',
    name: nameOf(stream),
    amount: stream.lastAmount,
    currency,
    since: stream.firstDate,
    frequency: stream.frequency,
  });
}

/** A bill predicted in the next 5 days, while the account it is paid from holds less than it usually takes. */
function billDueLow(stream: RecurringStream, today: number, account: BankAccount | undefined): Alert | undefined {
  if (!stream.predictedNextDate || !account || account.type !== 'depository') return undefined;
  const due = dayOf(stream.predictedNextDate);
  if (!(due >= today && due - today <= INSIGHT_LIMITS.billDueDays)) return undefined;
  const { available, current } = account.balances;
  const balance = typeof available === 'number' && Number.isFinite(available) ? available : current;
  const usual = Math.max(stream.averageAmount, stream.lastAmount);
  if (typeof balance !== 'number' || !Number.isFinite(balance) || !(balance < usual)) return undefined;
  return streamAlert('bill-due-low', stream, `bill-due-low:${stream.streamId}:${stream.predictedNextDate}`, {
    type: 'bill-due-low',
    name: nameOf(stream),
    usual,
    currency: currencyCode(stream.currency),
    due: stream.predictedNextDate,
    balance,
    account: accountLabel(account),
  });
}

/**
 * The same merchant and amount charged twice on one day, one of them new: a double charge. Its
 * pending and posted versions are one purchase; fares (transit, tolls, parking) are left out.
 */
export function evaluateCharges(input: ChargesToEvaluate): Alert[] {
  if (!insightOn(input.settings, 'double-charge')) return [];
  const fresh = latestVersions(input.newTransactions);
  const freshIds = new Set(fresh.map(purchaseIdOf));
  const past = latestVersions(input.history).filter((tx) => !freshIds.has(purchaseIdOf(tx)));
  const fromDay = input.initialSync || past.length === 0 ? dayOf(input.now) - INSIGHT_LIMITS.initialSyncRecentDays : Number.NEGATIVE_INFINITY;
  const names = new Map((input.accounts ?? []).map((a) => [a.accountId, accountLabel(a)]));

  const seen = new Map<string, BankTransaction>();
  for (const tx of past) if (chargeable(tx)) seen.set(chargeKey(tx), tx);
  const alerts: Alert[] = [];
  for (const tx of [...fresh].sort((a, b) => (a.transactionId < b.transactionId ? -1 : 1))) {
    if (!chargeable(tx)) continue;
    const key = chargeKey(tx);
    const earlier = seen.get(key);
    seen.set(key, tx);
    if (!earlier || !(dayOf(tx.date) >= fromDay)) continue;
    const ids = [purchaseIdOf(earlier), purchaseIdOf(tx)].sort();
    const merchant = safeText(tx.merchantName || tx.name || '');
    const account = names.get(tx.accountId);
    alerts.push({
      rule: 'double-charge',
      kind: 'insight',
      accountId: tx.accountId,
      dedupeKey: `double-charge:${ids.join(':')}`,
      reason: {
        type: 'double-charge',
        amount: tx.amount,
        currency: currencyCode(tx.currency),
        ...(merchant ? { payee: { name: merchant, paidTo: false } } : {}),
        date: tx.date,
        ...(account ? { account } : {}),
      },
      amount: tx.amount,
      currency: tx.currency,
      ...(merchant ? { merchant } : {}),
      date: tx.date,
    });
  }
  return alerts;
}

const chargeable = (tx: BankTransaction) =>
  Number.isFinite(tx.amount) && tx.amount > 0 && Boolean(merchantKeyOf(tx.merchantName || tx.name || '')) && !REPEATING_FARES.test(tx.category?.detailed ?? '');
const chargeKey = (tx: BankTransaction) => [tx.accountId, merchantKeyOf(tx.merchantName || tx.name || ''), String(tx.currency).toUpperCase(), tx.amount.toFixed(2), tx.date].join('|');

function streamAlert(rule: InsightRule, stream: RecurringStream, dedupeKey: string, reason: Alert['reason']): Alert {
  return { rule, kind: 'insight', accountId: stream.accountId, dedupeKey, reason, amount: stream.lastAmount, currency: stream.currency, date: stream.lastDate };
}

const nameOf = (stream: RecurringStream) => safeText(stream.merchantName || stream.description);
const recent = (date: string, today: number) => today - dayOf(date) <= INSIGHT_LIMITS.recentDays && dayOf(date) <= today;
const round2 = (n: number) => Math.round(n * 100) / 100;

function dayOf(date: Date | string): number {
  if (date instanceof Date) return Math.floor(date.getTime() / DAY_MS);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return Number.NaN;
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}
