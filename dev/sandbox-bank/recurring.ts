/**
 * Recurring streams for `/transactions/recurring/get`, detected from an item's own ledger on each
 * call, so whatever the ledger holds (generated history, transactions posted through the controls)
 * is what the streams say, deterministically.
 *
 * Written here rather than taken from a library because none does this job: npm's "recurring"
 * packages create recurring payments (PayPal, GoCardless, Chargify); periodicity tools (FFT,
 * autocorrelation) want evenly sampled series, not a handful of dated payments per merchant, and
 * know nothing of calendar cadences (the same day each month with short months clamped, the 1st and
 * the 15th); Plaid's own detection is a service, not code. The rules are small enough to read whole:
 *
 * 1. Posted, non-zero transactions are grouped by account, direction (money out or in), currency
 *    and merchant (its clean name, else its descriptor without digits). Pending ones are left out:
 *    they may still change or vanish.
 * 2. Dates are when each payment was made (authorised), not when it posted. Charges on the same
 *    day, or of the same amount a day apart, are one occurrence: a double charge does not break
 *    the stream it lands in (the stream still lists both transactions).
 * 3. The occurrences must sit on one cadence's grid: weekly and biweekly in days, semi-monthly and
 *    monthly in months (a position of month + day/days-in-month, so Jan 31, Feb 28 and Mar 31 are
 *    evenly spaced), annually in years. The first cadence whose grid holds every occurrence within
 *    its tolerance, each in the slot after the one before (a monthly stream may miss one month),
 *    wins. A semi-monthly fit whose two halves have different amounts is two monthly streams.
 * 4. Amounts: bills, pay and transfers may vary; anything else (subscriptions, memberships) must
 *    charge one price, or one price then another (a price change) from three occurrences on.
 *    Weekly and biweekly streams need three occurrences. Together with 3, this keeps shopping out:
 *    on every day of 2026, no random purchase of any test person makes a stream.
 * 5. Status follows Plaid's definitions: MATURE from 3 occurrences (2 for annual ones), else
 *    EARLY_DETECTION, and TOMBSTONED once an early stream misses its next date. A stream is active
 *    until its next date plus a grace period passes; only active streams get a predicted date.
 *    With 90 days of history a monthly stream has two or three occurrences, so a long-standing bill
 *    can be EARLY_DETECTION: "new" means its first date is a full period after the history starts.
 *
 * Streams never get the UNKNOWN frequency or status: what fits no cadence is not a stream here.
 */
import { addDays, addMonths, daysInMonth, epochDay, round2, stableId } from './data';
import type { RecurringFrequency, Transaction, TransactionStream, TransactionStreamStatus } from './types';

export interface RecurringStreams {
  inflow_streams: TransactionStream[];
  outflow_streams: TransactionStream[];
}

type Frequency = Exclude<RecurringFrequency, 'UNKNOWN'>;

interface Cadence {
  frequency: Frequency;
  /** Where a date sits on this cadence's axis: days, months or years. */
  position: (date: string) => number;
  /** Axis units between two occurrences. */
  step: number;
  /** How far (axis units) an occurrence may sit from the grid, each way. */
  tolerance: number;
  /** Slots one gap may span: 1 = back to back, 2 = one occurrence missed. */
  maxSkip: number;
  /** Days past the predicted date before the stream counts as lapsed. */
  graceDays: number;
  /** Occurrences before anything is reported: two shop visits a week apart are chance, not a plan. */
  minOccurrences: number;
  /** Occurrences that make the stream MATURE, per Plaid's definition. */
  matureOccurrences: number;
}

const year = (date: string) => Number(date.slice(0, 4));
const month = (date: string) => Number(date.slice(5, 7));
const day = (date: string) => Number(date.slice(8, 10));
const monthPosition = (date: string) => year(date) * 12 + month(date) - 1 + (day(date) - 1) / daysInMonth(year(date), month(date));
const yearPosition = (date: string) => {
  const days = epochDay(`${year(date) + 1}-01-01`) - epochDay(`${year(date)}-01-01`);
  return year(date) + (epochDay(date) - epochDay(`${year(date)}-01-01`)) / days;
};

/** In the order tried: a biweekly stream is also "semi-monthly" over a short stretch, not the reverse. */
const CADENCES: readonly Cadence[] = [
  // Positions are of the day a payment was made (authorised), so day grids allow a day each way.
  { frequency: 'WEEKLY', position: epochDay, step: 7, tolerance: 1, maxSkip: 1, graceDays: 3, minOccurrences: 3, matureOccurrences: 3 },
  { frequency: 'BIWEEKLY', position: epochDay, step: 14, tolerance: 1, maxSkip: 1, graceDays: 5, minOccurrences: 3, matureOccurrences: 3 },
  { frequency: 'SEMI_MONTHLY', position: monthPosition, step: 0.5, tolerance: 2.5 / 30, maxSkip: 1, graceDays: 5, minOccurrences: 2, matureOccurrences: 3 },
  { frequency: 'MONTHLY', position: monthPosition, step: 1, tolerance: 2.5 / 30, maxSkip: 2, graceDays: 7, minOccurrences: 2, matureOccurrences: 3 },
  { frequency: 'ANNUALLY', position: yearPosition, step: 1, tolerance: 7 / 365, maxSkip: 1, graceDays: 30, minOccurrences: 2, matureOccurrences: 2 },
];

/** Primary categories whose payments vary from one time to the next (bills, pay, transfers). */
const VARIABLE_AMOUNT_PRIMARIES = new Set(['INCOME', 'TRANSFER_IN', 'TRANSFER_OUT', 'LOAN_PAYMENTS', 'RENT_AND_UTILITIES', 'BANK_FEES', 'GOVERNMENT_AND_NON_PROFIT']);

interface Occurrence {
  date: string;
  amount: number;
  transactions: Transaction[];
}

interface Fit {
  cadence: Cadence;
  /** Each occurrence's slot on the grid, 0 for the first. */
  slots: number[];
}

export function detectRecurringStreams(transactions: readonly Transaction[], today: string): RecurringStreams {
  const groups = new Map<string, Transaction[]>();
  for (const t of transactions) {
    if (t.pending || t.amount === 0) continue;
    const key = groupKey(t);
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const streams = [...groups].flatMap(([key, members]) => streamsOf(key, occurrences(members), today));
  streams.sort((a, b) => a.description.localeCompare(b.description) || a.stream_id.localeCompare(b.stream_id));
  return {
    inflow_streams: streams.filter((s) => s.last_amount.amount < 0),
    outflow_streams: streams.filter((s) => s.last_amount.amount > 0),
  };
}

function merchantKey(t: Transaction): string {
  const name = t.merchant_name ?? t.name.replace(/[\d#*]+/g, ' ');
  return name.toLowerCase().replace(/\s+/g, ' ').trim();
}

function groupKey(t: Transaction): string {
  const currency = t.iso_currency_code ?? t.unofficial_currency_code ?? '';
  return [t.account_id, t.amount < 0 ? 'inflow' : 'outflow', currency, merchantKey(t)].join('|');
}

/** When the payment was made: card payments post days later, and the cadence is in when they are made. */
const madeOn = (t: Transaction) => t.authorized_date ?? t.date;
const byPosting = (a: Transaction, b: Transaction) => a.date.localeCompare(b.date) || a.transaction_id.localeCompare(b.transaction_id);
/** To the cent: a subscription charges its price exactly, where near-equal shop bills are chance. */
const sameAmount = (a: number, b: number) => Math.round(Math.abs(a) * 100) === Math.round(Math.abs(b) * 100);

/** Oldest first; a charge repeated within a day (same amount) joins the occurrence it repeats. */
function occurrences(members: readonly Transaction[]): Occurrence[] {
  const sorted = [...members].sort((a, b) => madeOn(a).localeCompare(madeOn(b)) || byPosting(a, b));
  const out: Occurrence[] = [];
  for (const t of sorted) {
    const last = out[out.length - 1];
    const gap = last ? epochDay(madeOn(t)) - epochDay(last.date) : Infinity;
    if (last && (gap === 0 || (gap === 1 && sameAmount(t.amount, last.amount)))) last.transactions.push(t);
    else out.push({ date: madeOn(t), amount: t.amount, transactions: [t] });
  }
  return out;
}

/** Rule 4: one price, or one price change from three occurrences on, unless the payee is a bill. */
function amountsFit(found: readonly Occurrence[]): boolean {
  const primary = found[found.length - 1]!.transactions[0]!.personal_finance_category.primary;
  if (VARIABLE_AMOUNT_PRIMARIES.has(primary)) return true;
  const changes = found.filter((o, i) => i > 0 && !sameAmount(o.amount, found[i - 1]!.amount)).length;
  return changes <= (found.length >= 3 ? 1 : 0);
}

function fit(found: readonly Occurrence[], cadence: Cadence): Fit | undefined {
  if (found.length < cadence.minOccurrences) return undefined;
  const positions = found.map((o) => cadence.position(o.date));
  const first = positions[0]!;
  const slots = positions.map((p) => Math.round((p - first) / cadence.step));
  const residuals = positions.map((p, i) => p - first - slots[i]! * cadence.step);
  let skipped = 0;
  for (let i = 1; i < slots.length; i += 1) {
    const gap = slots[i]! - slots[i - 1]!;
    if (gap < 1 || gap > cadence.maxSkip) return undefined;
    skipped += gap - 1;
  }
  // One missed occurrence is a late or skipped payment; more, or one in two occurrences, is a
  // different cadence (every other month is not monthly).
  if (skipped > 1 || (skipped > 0 && found.length < 3)) return undefined;
  if (Math.max(...residuals) - Math.min(...residuals) > 2 * cadence.tolerance) return undefined;
  return { cadence, slots };
}

function cadenceOf(found: readonly Occurrence[]): Fit | undefined {
  if (found.length < 2 || !amountsFit(found)) return undefined;
  return CADENCES.map((c) => fit(found, c)).find((f) => f !== undefined);
}

function streamsOf(key: string, found: readonly Occurrence[], today: string): TransactionStream[] {
  const matched = cadenceOf(found);
  if (!matched) return [];
  if (matched.cadence.frequency === 'SEMI_MONTHLY') {
    // Two monthly payments to one payee, on different days and for different amounts (600 to
    // savings on the 3rd, 150 to the emergency fund on the 17th), are two streams, not one.
    const halves = [0, 1].map((parity) => found.filter((_, i) => matched.slots[i]! % 2 === parity));
    const [low, high] = halves.map((h) => h.map((o) => Math.abs(o.amount))).sort((a, b) => Math.min(...a) - Math.min(...b));
    if (Math.max(...low!) < Math.min(...high!)) {
      return halves.flatMap((half) => streamsOf(`${key}|${anchorDay(half.map((o) => o.date))}`, half, today));
    }
  }
  return [streamFrom(key, found, matched, today)];
}

function streamFrom(key: string, found: readonly Occurrence[], matched: Fit, today: string): TransactionStream {
  const { cadence } = matched;
  const predicted = predictNext(found, matched);
  const isActive = today <= addDays(predicted, cadence.graceDays);
  const status: TransactionStreamStatus = found.length >= cadence.matureOccurrences ? 'MATURE' : isActive ? 'EARLY_DETECTION' : 'TOMBSTONED';

  const transactions = found.flatMap((o) => o.transactions).sort(byPosting);
  const latest = transactions[transactions.length - 1]!;
  const amount = (value: number) => ({ amount: round2(value), iso_currency_code: latest.iso_currency_code, unofficial_currency_code: latest.unofficial_currency_code });
  return {
    account_id: latest.account_id,
    stream_id: stableId('stream', key),
    category: latest.category,
    category_id: latest.category_id,
    description: latest.name,
    merchant_name: latest.merchant_name,
    first_date: transactions[0]!.date,
    last_date: latest.date,
    predicted_next_date: isActive ? predicted : null,
    frequency: cadence.frequency,
    transaction_ids: transactions.map((t) => t.transaction_id),
    average_amount: amount(transactions.reduce((sum, t) => sum + t.amount, 0) / transactions.length),
    last_amount: amount(latest.amount),
    is_active: isActive,
    status,
    personal_finance_category: latest.personal_finance_category,
    is_user_modified: false,
  };
}

/**
 * The next slot after the last occurrence. Day cadences continue the grid; month cadences land on
 * the day of month that best explains the stream's dates (so a bill due on the 31st, paid on the
 * 30th and 28th of shorter months, is next due on the 31st again); annual ones a year after the last.
 */
function predictNext(found: readonly Occurrence[], { cadence, slots }: Fit): string {
  const last = found[found.length - 1]!;
  switch (cadence.frequency) {
    case 'WEEKLY':
    case 'BIWEEKLY': {
      const offsets = found.map((o, i) => epochDay(o.date) - epochDay(found[0]!.date) - slots[i]! * cadence.step).sort((a, b) => a - b);
      const median = offsets[Math.floor(offsets.length / 2)]!;
      return addDays(found[0]!.date, (slots[slots.length - 1]! + 1) * cadence.step + median);
    }
    case 'MONTHLY': {
      const anchor = anchorDay(found.map((o) => o.date));
      return addMonths(monthOf(last.date, anchor), 1, anchor);
    }
    case 'SEMI_MONTHLY': {
      // The next occurrence is the same half of the month as the one before the last.
      const nextSlot = slots[slots.length - 1]! + 1;
      const sameHalf = found.filter((_, i) => (nextSlot - slots[i]!) % 2 === 0).map((o) => o.date);
      const anchor = anchorDay(sameHalf);
      return addMonths(monthOf(sameHalf[sameHalf.length - 1]!, anchor), 1, anchor);
    }
    case 'ANNUALLY':
      return addMonths(last.date, 12);
  }
}

/** The day of month (1–31) whose monthly dates, clamped in short months, lie closest to `dates`. */
function anchorDay(dates: readonly string[]): number {
  let best = { day: 1, error: Infinity };
  for (const candidate of new Set(dates.map(day))) {
    const error = dates.reduce((sum, d) => sum + distance(d, candidate), 0);
    // Ties go to the later day: a 30 that is a clamped 31 must not pull a 31st back.
    if (error < best.error || (error === best.error && candidate > best.day)) best = { day: candidate, error };
  }
  return best.day;
}

/** Days from `date` to the nearest monthly date on `anchor` (this month, the one before or after). */
function distance(date: string, anchor: number): number {
  return Math.min(...[-1, 0, 1].map((m) => Math.abs(epochDay(date) - epochDay(addMonths(date, m, anchor)))));
}

/** The date on `anchor` in the month `date` belongs to (a payment posted on the 1st may be the 31st's). */
function monthOf(date: string, anchor: number): string {
  return [-1, 0, 1]
    .map((m) => addMonths(date, m, anchor))
    .reduce((best, d) => (Math.abs(epochDay(d) - epochDay(date)) < Math.abs(epochDay(best) - epochDay(date)) ? d : best));
}
