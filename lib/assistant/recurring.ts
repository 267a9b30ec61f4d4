import type { RecurringFrequency, RecurringStream } from '../banking/bank-connector';
import { Payloads } from '../messenger/payloads';
import { qr, type OutboundMessage, type QuickReply } from '../messenger/send-api';
import { money, shortDate } from '../text/format';
import { moneyWords } from '../text/money';
import { describePeriod } from '../text/periods';
import { recurringWords, type Cadence } from '../text/recurring';
import type { Language } from '../text/language';
import { categoryName, type AccountView, type MoneyContext } from './money';
import { categories, type CategoryKey } from './nlu/lexicon';
import { resolvePeriod } from './nlu/periods';
import { normalise, type Slots } from './nlu/understand';
import { askMore } from './replies';

/**
 * Answers about recurring payments, from the streams the bank found in the person's own
 * transactions (lib/banking/bank-connector.ts, RecurringStream): their subscriptions with what they
 * come to a month, the bills falling due in the days asked about (or when one named bill is due),
 * and their pay, last and next. Pure functions of the streams, the accounts and the question; the
 * caller has checked consent and scope. The words, in each language, are in lib/text/recurring.ts.
 */

/** The questions answered here. */
export type RecurringIntent = 'subscriptions' | 'bills' | 'income';
export const isRecurringIntent = (intent: string): intent is RecurringIntent => intent === 'subscriptions' || intent === 'bills' || intent === 'income';

/** A reply of text and quick replies: what every answer here is. */
export type TextReply = Extract<OutboundMessage, { text: string }>;

const MAX_TEXT = 2000;
const LIST_LIMIT = 10;
const DAY_MS = 86_400_000;

// ── what a stream is ─────────────────────────────────────────────────────────────────────────────

const primaryOf = (s: RecurringStream) => s.category?.primary ?? '';
const detailedOf = (s: RecurringStream) => s.category?.detailed ?? '';

/** Money moved between the person's own accounts (savings, paying their card) and money in: neither a bill nor a subscription. */
const OWN_MONEY = new Set(['TRANSFER_IN', 'TRANSFER_OUT', 'INCOME']);
/** Housing, utilities, loans, fees, taxes and insurance: bills, never subscriptions. */
const BILL_PRIMARIES = new Set(['RENT_AND_UTILITIES', 'LOAN_PAYMENTS', 'BANK_FEES', 'GOVERNMENT_AND_NON_PROFIT']);
const BILL_DETAILED = new Set(['GENERAL_SERVICES_INSURANCE']);
/** Money in that is not pay. */
const NOT_PAY = new Set(['INCOME_INTEREST_EARNED', 'INCOME_DIVIDENDS']);

/** Still running: an early stream whose next payment never came (tombstoned) is not. */
const isCurrent = (s: RecurringStream) => s.isActive && s.status !== 'tombstoned';
/** A payment that will go out again: every subscription and bill. */
const isOutgoing = (s: RecurringStream) => s.direction === 'outflow' && s.lastAmount > 0 && isCurrent(s) && !OWN_MONEY.has(primaryOf(s));
const isSubscription = (s: RecurringStream) => isOutgoing(s) && !BILL_PRIMARIES.has(primaryOf(s)) && !BILL_DETAILED.has(detailedOf(s));
/** Regular pay: wages, a pension, benefits; not interest or dividends. */
const isPay = (s: RecurringStream) =>
  s.direction === 'inflow' && s.lastAmount < 0 && s.status !== 'tombstoned' && primaryOf(s) === 'INCOME' && !NOT_PAY.has(detailedOf(s));

/** Payments in an average month, per cadence: what turns one payment into a month's worth. */
const PER_MONTH: Record<Cadence, number> = { weekly: 52 / 12, biweekly: 26 / 12, 'semi-monthly': 2, monthly: 1, annually: 1 / 12 };
const cents = (n: number) => Math.round(n * 100) / 100;
const cadenceOf = (frequency: RecurringFrequency): Cadence | undefined => (frequency === 'unknown' ? undefined : frequency);

/** What a payment of `amount` coming at `frequency` costs in an average month; undefined when the bank gave no cadence. */
export function monthlyEquivalent(amount: number, frequency: RecurringFrequency): number | undefined {
  const cadence = cadenceOf(frequency);
  return cadence === undefined ? undefined : cents(amount * PER_MONTH[cadence]);
}

/**
 * Who is paid or paying, as the person knows them: the bank's clean merchant name, else the
 * statement descriptor without the reference numbers that end it ("ACME CORP PAYROLL PPD ID: 98…").
 */
export function payeeOf(s: RecurringStream): string {
  const named = s.merchantName?.trim();
  if (named) return named;
  const plain = s.description
    .replace(/\s+(?:PPD|CCD|WEB|ID|REF|#)(?=[\s:#]|$).*$/i, '')
    .replace(/\s+\S*\d{4,}.*$/, '')
    .trim();
  return plain || s.description;
}

function matchesMerchant(s: RecurringStream, merchant: string): boolean {
  const wanted = normalise(merchant);
  const compact = (t: string) => t.replace(/\s+/g, '');
  return [s.merchantName, s.description].some((name) => {
    if (!name) return false;
    const have = normalise(name);
    return have.includes(wanted) || compact(have).includes(compact(wanted));
  });
}

function inCategory(s: RecurringStream, key: CategoryKey): boolean {
  const { pfc, exclude = [] } = categories[key];
  const matches = (code: string) => detailedOf(s) === code || detailedOf(s).startsWith(`${code}_`) || primaryOf(s) === code;
  return pfc.some(matches) && !exclude.some(matches);
}

type Named = Pick<Slots, 'merchant' | 'category'>;
const isNamed = (asked: Named) => asked.merchant !== undefined || asked.category !== undefined;
const matchesNamed = (s: RecurringStream, asked: Named) => (!asked.merchant || matchesMerchant(s, asked.merchant)) && (!asked.category || inCategory(s, asked.category));
/** "rent", "Netflix": what was asked about, for "I don't see…". */
const namedAs = (asked: Named, lang: Language) =>
  asked.merchant ? asked.merchant.replace(/\b\p{L}/gu, (c) => c.toUpperCase()) : asked.category ? categoryName(asked.category, lang) : '';

// ── dates ────────────────────────────────────────────────────────────────────────────────────────

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const daysFrom = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
const monthEnd = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);

/** The days ahead a question about bills covers, `from` today, and how the answer names them. */
export interface Upcoming {
  from: string;
  to: string;
  when: string;
}

/** How many days "what bills are coming up?" looks ahead. */
const UPCOMING_DAYS = 7;

/**
 * The days ahead asked about: "today"; "this week" (to Sunday); "this month" (to its last day); a
 * named month (the rest of it, or its next occurrence); anything else, and no period, the next 7
 * days. A period behind us ("last week") asks nothing about bills to come: the next 7 days too.
 */
export function upcomingDays(spec: string | undefined, ctx: Pick<MoneyContext, 'today' | 'lang' | 'locale'>): Upcoming {
  const w = recurringWords[ctx.lang].bills;
  const { today } = ctx;
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  if (spec === 'today') return { from: today, to: today, when: w.today };
  if (spec === 'this-week') {
    const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
    return { from: today, to: addDays(today, 6 - weekday), when: w.thisWeek };
  }
  if (spec === 'this-month') return { from: today, to: monthEnd(year, month), when: w.restOfMonth };
  const named = /^month-(\d{1,2})$/.exec(spec ?? '');
  if (named && Number(named[1]) >= 1 && Number(named[1]) <= 12) {
    const m = Number(named[1]);
    if (m === month) return { from: today, to: monthEnd(year, month), when: w.restOfMonth };
    const y = m > month ? year : year + 1;
    const first = `${y}-${String(m).padStart(2, '0')}-01`;
    const name = new Intl.DateTimeFormat(ctx.locale, { month: 'long', timeZone: 'UTC', ...(y !== year ? { year: 'numeric' } : {}) }).format(new Date(`${first}T00:00:00Z`));
    return { from: first, to: monthEnd(y, m), when: w.inMonth(name) };
  }
  return { from: today, to: addDays(today, UPCOMING_DAYS - 1), when: w.nextDays(UPCOMING_DAYS) };
}

// ── wording helpers ──────────────────────────────────────────────────────────────────────────────

/** Amounts per currency, added up and written: "$48.92", or "$20.00 + €9.99" across currencies. */
function totalOf(items: { amount: number; currency: string }[], ctx: MoneyContext): string {
  const sums = new Map<string, number>();
  for (const { amount, currency } of items) sums.set(currency, (sums.get(currency) ?? 0) + amount);
  return [...sums].map(([currency, sum]) => money(cents(sum), currency, ctx)).join(' + ');
}

const accountLabel = (a: AccountView) => `${a.bank ? `${a.bank} ` : ''}${a.name}${a.mask ? ` ••${a.mask}` : ''}`;

/** The line under a bill when the account it is paid from holds less than it (only a bank account's own money counts). */
function shortfall(s: RecurringStream, accounts: AccountView[], ctx: MoneyContext): string | undefined {
  const account = accounts.find((a) => a.accountId === s.accountId);
  if (!account || account.type !== 'depository') return undefined;
  const held = account.balances.available ?? account.balances.current;
  if (held === null || held >= s.lastAmount) return undefined;
  return recurringWords[ctx.lang].bills.short(accountLabel(account), money(held, account.balances.currency, ctx));
}

function listed(head: string, lines: string[], tail: string[], ctx: MoneyContext): string {
  const shown = lines.slice(0, LIST_LIMIT);
  const more = lines.length - shown.length;
  return [head, ...shown, more > 0 ? moneyWords[ctx.lang].andMore(more) : '', ...tail].filter(Boolean).join('\n').slice(0, MAX_TEXT);
}

const quickReplies = (lang: Language, first: QuickReply): QuickReply[] => [first, ...askMore(lang)];

// ── subscriptions ────────────────────────────────────────────────────────────────────────────────

/**
 * "What subscriptions do I have?", "how much do I pay for subscriptions a month?": each one at its
 * latest price (a price rise shows at once), what it comes to a month when it is not monthly, its
 * next date, and the month's total; largest first.
 */
export function subscriptionsReply(streams: RecurringStream[], asked: Named, ctx: MoneyContext): TextReply {
  const w = recurringWords[ctx.lang];
  const found = streams
    .filter((s) => isSubscription(s) && matchesNamed(s, asked))
    .map((s) => ({ s, perMonth: monthlyEquivalent(s.lastAmount, s.frequency) }))
    .sort((a, b) => (b.perMonth ?? 0) - (a.perMonth ?? 0) || payeeOf(a.s).localeCompare(payeeOf(b.s)));
  const quick = quickReplies(ctx.lang, qr(w.titles.upcomingBills, Payloads.upcomingBills));
  if (found.length === 0) return { text: isNamed(asked) ? w.subscriptions.noneFor(namedAs(asked, ctx.lang)) : w.subscriptions.none, quick_replies: quick };

  const lines = found.map(({ s, perMonth }) => {
    const cadence = cadenceOf(s.frequency);
    const next = s.predictedNextDate && s.predictedNextDate >= ctx.today ? shortDate(s.predictedNextDate, ctx) : undefined;
    const monthly = cadence && cadence !== 'monthly' && perMonth !== undefined ? money(perMonth, s.currency, ctx) : undefined;
    return w.subscriptions.line(payeeOf(s), money(s.lastAmount, s.currency, ctx), cadence ? w.every[cadence] : '', monthly, next);
  });
  const counted = found.filter(({ perMonth }) => perMonth !== undefined);
  const total = totalOf(counted.map(({ s, perMonth }) => ({ amount: perMonth!, currency: s.currency })), ctx);
  // A weekly or yearly one turned into a month, or one without a cadence left out, makes the total an estimate.
  const approximate = found.some(({ s }) => s.frequency !== 'monthly' && s.frequency !== 'semi-monthly');
  return { text: listed(w.subscriptions.head(found.length, total, approximate), lines, [], ctx), quick_replies: quick };
}

// ── bills ────────────────────────────────────────────────────────────────────────────────────────

const byNextDate = (a: RecurringStream, b: RecurringStream) =>
  (a.predictedNextDate ?? '9999').localeCompare(b.predictedNextDate ?? '9999') || payeeOf(a).localeCompare(payeeOf(b));

/**
 * "What bills are coming up this week?": every subscription and bill whose next date falls in the
 * days asked about, with the total. "When is rent due?": the named one's next date and amount. Under
 * either, when the account a bill is paid from holds less than the bill, its balance (given only
 * when the person shares balances: `accounts` holds what may be shown).
 */
export function billsReply(streams: RecurringStream[], asked: Named & Pick<Slots, 'period'>, accounts: AccountView[], ctx: MoneyContext): TextReply {
  const w = recurringWords[ctx.lang];
  const quick = quickReplies(ctx.lang, qr(w.titles.subscriptions, Payloads.subscriptions));
  const outgoing = streams.filter(isOutgoing);
  const amountOf = (s: RecurringStream) => money(s.lastAmount, s.currency, ctx);
  const withShortfall = (line: string, s: RecurringStream) => [line, shortfall(s, accounts, ctx)].filter((l): l is string => l !== undefined);

  if (isNamed(asked)) {
    const named = outgoing.filter((s) => matchesNamed(s, asked)).sort(byNextDate);
    if (named.length === 0) return { text: w.bills.noneFor(namedAs(asked, ctx.lang)), quick_replies: quick };
    const lines = named.flatMap((s) => {
      const next = s.predictedNextDate;
      const line =
        next === undefined
          ? w.bills.undated(payeeOf(s), amountOf(s), shortDate(s.lastDate, ctx))
          : next < ctx.today
            ? w.bills.late(payeeOf(s), amountOf(s), shortDate(next, ctx))
            : w.bills.due(payeeOf(s), amountOf(s), shortDate(next, ctx), w.inDays(daysFrom(ctx.today, next)));
      return withShortfall(line, s);
    });
    return { text: lines.join('\n').slice(0, MAX_TEXT), quick_replies: quick };
  }

  const days = upcomingDays(asked.period, ctx);
  const due = outgoing.filter((s) => s.predictedNextDate !== undefined && s.predictedNextDate >= days.from && s.predictedNextDate <= days.to).sort(byNextDate);
  if (due.length === 0) {
    if (outgoing.length === 0) return { text: w.bills.none, quick_replies: quick };
    const after = outgoing.filter((s) => s.predictedNextDate !== undefined && s.predictedNextDate > days.to).sort(byNextDate)[0];
    const next = after ? w.bills.nextAfter(payeeOf(after), amountOf(after), shortDate(after.predictedNextDate!, ctx)) : '';
    return { text: [w.bills.noneWithin(days.when), next].filter(Boolean).join('\n'), quick_replies: quick };
  }
  const total = totalOf(due.map((s) => ({ amount: s.lastAmount, currency: s.currency })), ctx);
  const lines = due.flatMap((s) => withShortfall(w.bills.line(shortDate(s.predictedNextDate!, ctx), payeeOf(s), amountOf(s)), s));
  return { text: listed(w.bills.head(due.length, days.when, total), lines, [], ctx), quick_replies: quick };
}

// ── pay ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * "Did my paycheck come in?", "¿cuándo me pagan?": the last pay (amount, payer, day) and when the
 * next is expected, or that it was expected and has not come in. With a period ("did I get paid
 * this week?"), whether pay came in during it, first.
 */
export function incomeReply(streams: RecurringStream[], asked: Pick<Slots, 'period'>, ctx: MoneyContext): TextReply {
  const w = recurringWords[ctx.lang];
  const quick = quickReplies(ctx.lang, qr(w.titles.upcomingBills, Payloads.upcomingBills));
  const pay = streams.filter(isPay).sort((a, b) => b.lastDate.localeCompare(a.lastDate) || payeeOf(a).localeCompare(payeeOf(b)));
  if (pay.length === 0) return { text: w.income.none, quick_replies: quick };

  const lines: string[] = [];
  const period = asked.period ? resolvePeriod(asked.period, ctx.today) : undefined;
  if (period) {
    const when = describePeriod(period, ctx);
    lines.push(pay.some((s) => s.lastDate >= period.from && s.lastDate <= period.to) ? w.income.paidWithin(when) : w.income.notPaidWithin(when));
  }
  const amountOf = (s: RecurringStream) => money(-s.lastAmount, s.currency, ctx);
  if (pay.length === 1) {
    const s = pay[0]!;
    lines.push(w.income.last(payeeOf(s), amountOf(s), shortDate(s.lastDate, ctx)));
    const next = s.predictedNextDate;
    if (next !== undefined) lines.push(next >= ctx.today ? w.income.next(shortDate(next, ctx), w.inDays(daysFrom(ctx.today, next))) : w.income.nextLate(shortDate(next, ctx)));
  } else {
    lines.push(w.income.head);
    for (const s of pay) {
      const next = s.predictedNextDate;
      lines.push(
        next !== undefined && next < ctx.today
          ? w.income.lineLate(payeeOf(s), amountOf(s), shortDate(s.lastDate, ctx), shortDate(next, ctx))
          : w.income.line(payeeOf(s), amountOf(s), shortDate(s.lastDate, ctx), next === undefined ? undefined : shortDate(next, ctx)),
      );
    }
  }
  return { text: lines.join('\n').slice(0, MAX_TEXT), quick_replies: quick };
}
