import { accountKind, inAccountOrder } from '../banking/account-order';
import type { BankTransaction } from '../banking/bank-connector';
import type { StoredAccount } from '../store';
import { Payloads } from '../messenger/payloads';
import { qr, type OutboundMessage } from '../messenger/send-api';
import { byCategory, isSpending, primaryOf } from '../insights/spending';
import { asOf, money, shortDate, type Formatting } from '../text/format';
import { moneyWords, primaryCategoryName, type MoneyWords } from '../text/money';
import { describePeriod } from '../text/periods';
import { categories, type CategoryKey } from './nlu/lexicon';
import { inPeriod, resolvePeriod, type Period } from './nlu/periods';
import { normalise, type Slots } from './nlu/understand';
import { askMore } from './replies';

/**
 * Answers to questions about money, from the person's own data only: balances, recent
 * transactions, spending totals, searches and largest purchases. Pure functions of the data and
 * the question; the caller has already checked consent and scope. The words, in each language,
 * are in lib/text/money.ts.
 */
export interface AccountView extends StoredAccount {
  /** The bank's name, when the person shares more than one bank. */
  bank?: string;
}

export interface MoneyContext extends Formatting {
  now: Date;
  /** Today in the person's time zone (`YYYY-MM-DD`). */
  today: string;
  /** The oldest day transactions are held for (90 days back, or the first sync). */
  heldFrom: string;
}

const MAX_TEXT = 2000;
const LIST_LIMIT = 10;


// What counts as spending is lib/insights/spending.ts's, shared with the spending picture.
const detailedOf = (t: BankTransaction) => t.category?.detailed ?? '';

export function inCategory(t: BankTransaction, key: CategoryKey): boolean {
  const { pfc, exclude = [] } = categories[key];
  const detailed = detailedOf(t);
  const matches = (code: string) => detailed === code || detailed.startsWith(`${code}_`) || primaryOf(t) === code;
  return pfc.some(matches) && !exclude.some(matches);
}

const compact = (s: string) => s.replace(/\s+/g, '');
export function matchesMerchant(t: BankTransaction, merchant: string): boolean {
  const wanted = normalise(merchant);
  return [t.merchantName, t.name].some((name) => {
    if (!name) return false;
    const have = normalise(name);
    return have.includes(wanted) || compact(have).includes(compact(wanted));
  });
}

export const merchantOf = (t: BankTransaction) => t.merchantName?.trim() || t.name;
/** A merchant as the person named it ("netflix"), when none of their transactions shows its own spelling. */
const asNamed = (merchant: string) => merchant.replace(/\b\p{L}/gu, (c) => c.toUpperCase());

/** Accounts of the type asked ("savings"), or all of them. */
export function accountsOfType(accounts: AccountView[], type: Slots['accountType']): AccountView[] {
  return type ? accounts.filter((a) => accountKind(a) === type) : accounts;
}

/** An account the person named in their own words ("my Gold Standard account", "ending 0000"). */
export function accountNamed(accounts: AccountView[], text: string): AccountView | undefined {
  const words = normalise(text);
  return accounts.find((a) => (a.mask && new RegExp(`\\b${a.mask}\\b`).test(words)) || (a.name.length >= 4 && words.includes(normalise(a.name))));
}

// ── wording ──────────────────────────────────────────────────────────────────────────────────────

export const categoryName = (key: CategoryKey, lang: Formatting['lang']) => moneyWords[lang].categories[key];

const accountLabel = (a: AccountView) => `${a.bank ? `${a.bank} ` : ''}${a.name}${a.mask ? ` ••${a.mask}` : ''}`;

function fitLines(head: string, lines: string[], tail: string, more: (n: number) => string): string {
  const kept: string[] = [];
  for (const [i, line] of lines.entries()) {
    const rest = lines.length - i - 1;
    const candidate = [head, ...kept, line, rest > 0 ? more(rest) : '', tail].filter(Boolean).join('\n');
    if (candidate.length > MAX_TEXT) {
      return [head, ...kept, more(lines.length - kept.length), tail].filter(Boolean).join('\n').slice(0, MAX_TEXT);
    }
    kept.push(line);
  }
  return [head, ...kept, tail].filter(Boolean).join('\n');
}


// ── balances ─────────────────────────────────────────────────────────────────────────────────────

export function balanceReply(accounts: AccountView[], asked: { type?: Slots['accountType']; named?: AccountView }, ctx: MoneyContext, note?: string): OutboundMessage {
  const w = moneyWords[ctx.lang];
  const shown = inAccountOrder(asked.named ? [asked.named] : accountsOfType(accounts, asked.type));
  if (shown.length === 0) {
    const kind = asked.type ? w.balances.kinds[asked.type] : '';
    const list = inAccountOrder(accounts).map(accountLabel).join(', ');
    return { text: w.balances.noAccountOfKind(kind, list), quick_replies: [qr(w.titles.allBalances, Payloads.balance)] };
  }
  const oldest = new Date(Math.min(...shown.map((a) => Date.parse(a.balancesAsOf))));
  const head = w.balances.head(shown.length, asOf(oldest, ctx.now, ctx));
  const lines = shown.map((a) => `• ${accountLabel(a)}: ${balanceLine(a, ctx)}`);
  const text = fitLines(head, lines, note ?? '', w.balances.moreAccounts);
  return { text, quick_replies: askMore(ctx.lang, Payloads.balance) };
}

function balanceLine(a: AccountView, ctx: MoneyContext): string {
  const w = moneyWords[ctx.lang].balances;
  const { available, current, limit, currency } = a.balances;
  const m = (n: number) => money(n, currency, ctx);
  if (a.type === 'loan') return current === null ? w.notReported : w.owed(m(current));
  if (a.type === 'credit') {
    const owed = current === null ? undefined : w.owed(m(current));
    const credit = availableCredit(available, current, limit, m, w);
    if (!owed && !credit) return w.notReported;
    return [owed, credit].filter(Boolean).join(', ');
  }
  if (current === null) return available === null ? w.notReported : w.available(m(available));
  if (available !== null && available !== current) return w.availableAndCurrent(m(available), m(current));
  return m(current);
}

/**
 * The credit left on a card. The bank's available figure already holds back pending charges and
 * credits pending payments, so limit − owed would overstate it whenever anything is pending: it is
 * worked out only when the bank gives none, and then says it is an estimate.
 */
function availableCredit(available: number | null, current: number | null, limit: number | null, m: (n: number) => string, w: MoneyWords['balances']): string | undefined {
  const of = limit === null ? undefined : m(limit);
  if (available !== null) return w.creditAvailable(m(available), of);
  if (limit === null || current === null) return undefined;
  return w.creditEstimated(m(Math.max(0, limit - current)), of);
}

// ── transactions ─────────────────────────────────────────────────────────────────────────────────

export interface TransactionQuery {
  period?: Period;
  category?: CategoryKey;
  merchant?: string;
  accountIds?: Set<string>;
  minAmount?: number;
  maxAmount?: number;
}

export function filterTransactions(transactions: BankTransaction[], q: TransactionQuery): BankTransaction[] {
  return transactions.filter(
    (t) =>
      (!q.period || inPeriod(t.date, q.period)) &&
      (!q.category || inCategory(t, q.category)) &&
      (!q.merchant || matchesMerchant(t, q.merchant)) &&
      (!q.accountIds || q.accountIds.has(t.accountId)) &&
      (q.minAmount === undefined || Math.abs(t.amount) >= q.minAmount) &&
      (q.maxAmount === undefined || Math.abs(t.amount) <= q.maxAmount),
  );
}

const newestFirst = (a: BankTransaction, b: BankTransaction) => b.date.localeCompare(a.date) || (b.datetime ?? '').localeCompare(a.datetime ?? '') || a.transactionId.localeCompare(b.transactionId);

function transactionLine(t: BankTransaction, ctx: MoneyContext): string {
  const amount = t.amount < 0 ? `+${money(-t.amount, t.currency, ctx)}` : money(t.amount, t.currency, ctx);
  return `• ${shortDate(t.date, ctx)} ${merchantOf(t)}: ${amount}${t.pending ? moneyWords[ctx.lang].pending : ''}`;
}

/** When the period reaches back before what is held, say so rather than under-report. */
function coverageNote(period: Period | undefined, ctx: MoneyContext): string {
  if (!period || period.from >= ctx.heldFrom) return '';
  return moneyWords[ctx.lang].coverage(shortDate(ctx.heldFrom, ctx));
}

export function recentTransactionsReply(transactions: BankTransaction[], q: TransactionQuery & { count?: number }, ctx: MoneyContext, note?: string): OutboundMessage {
  const w = moneyWords[ctx.lang];
  const found = filterTransactions(transactions, q).sort(newestFirst);
  const count = Math.min(Math.max(q.count ?? 5, 1), LIST_LIMIT);
  const shown = found.slice(0, count);
  const scope = q.period ? ` ${describePeriod(q.period, ctx)}` : '';
  if (shown.length === 0) {
    return { text: [w.transactions.none(scope), note].filter(Boolean).join('\n'), quick_replies: askMore(ctx.lang, Payloads.recentTransactions) };
  }
  const head = shown.length === 1 ? w.transactions.last(scope) : w.transactions.lastN(shown.length, scope);
  const text = fitLines(head, shown.map((t) => transactionLine(t, ctx)), [coverageNote(q.period, ctx), note].filter(Boolean).join('\n'), w.andMore);
  return { text, quick_replies: [...(found.length > count ? [qr(w.titles.showMore, Payloads.moreTransactions)] : []), ...askMore(ctx.lang, Payloads.recentTransactions)] };
}

// ── spending ─────────────────────────────────────────────────────────────────────────────────────

export function spendingReply(transactions: BankTransaction[], q: TransactionQuery, ctx: MoneyContext, note?: string): OutboundMessage {
  const w = moneyWords[ctx.lang];
  const period = q.period ?? resolvePeriod('this-month', ctx.today)!;
  const income = q.category === 'income';
  const transfers = q.category === 'transfers';
  const matching = filterTransactions(transactions, { ...q, period }).filter((t) => (income ? t.amount < 0 : transfers ? true : isSpending(t)));
  const total = matching.reduce((sum, t) => sum + Math.abs(t.amount), 0);
  const currency = matching[0]?.currency ?? transactions[0]?.currency ?? 'USD';
  const when = describePeriod(period, ctx);
  const what = q.merchant
    ? matching[0] ? merchantOf(matching[0]) : asNamed(q.merchant)
    : q.category
      ? categoryName(q.category, ctx.lang)
      : undefined;
  const amount = money(total, currency, ctx);
  const n = matching.length;
  let head: string;
  // Nothing at all reads as nothing, not as "$0.00 in 0 transactions".
  if (n === 0) {
    if (income) head = w.spending.receivedNothing(when);
    else if (q.merchant) head = w.spending.paidNothing(what!, when);
    else if (what) head = w.spending.spentNothingOn(what, when);
    else head = w.spending.spentNothing(when);
  } else if (income) head = w.spending.received(amount, when, n);
  else if (q.merchant) head = w.spending.paid(what!, amount, when, n);
  else if (what) head = w.spending.spentOn(amount, what, when, n);
  else head = w.spending.spent(amount, when, n);

  const detail: string[] = [];
  if (!what && n > 0) {
    // Where it went: the top categories of the period.
    const top = byCategory(matching).categories.slice(0, 3);
    detail.push(w.spending.mostOfIt(top.map((c) => `${primaryCategoryName(c.code, ctx.lang)} ${money(c.amount, currency, ctx)}`)));
  } else if (n > 0 && !q.merchant) {
    const biggest = [...matching].sort((a, b) => Math.abs(b.amount) - Math.abs(a.amount))[0]!;
    detail.push(w.spending.biggest(merchantOf(biggest), money(Math.abs(biggest.amount), biggest.currency, ctx), shortDate(biggest.date, ctx)));
  } else if (n > 0) {
    const last = [...matching].sort(newestFirst)[0]!;
    detail.push(w.spending.lastOne(money(Math.abs(last.amount), last.currency, ctx), shortDate(last.date, ctx)));
  }
  const text = [head, ...detail, coverageNote(period, ctx), note].filter(Boolean).join('\n').slice(0, MAX_TEXT);
  const follow = qr(w.titles.andLastMonth, Payloads.followLastMonth);
  return { text, quick_replies: [...(period.spec === 'last-month' ? [] : [follow]), qr(w.titles.largestPurchases, Payloads.largest), ...askMore(ctx.lang, Payloads.spendingThisMonth)].slice(0, 13) };
}

// ── search and largest ───────────────────────────────────────────────────────────────────────────

export function searchReply(transactions: BankTransaction[], q: TransactionQuery, ctx: MoneyContext, note?: string): OutboundMessage {
  const w = moneyWords[ctx.lang];
  const found = filterTransactions(transactions, q).sort(newestFirst);
  const parts: string[] = [];
  if (q.merchant) parts.push(w.search.at(found[0] ? merchantOf(found[0]) : asNamed(q.merchant)));
  if (q.category) parts.push(w.search.inCategory(categoryName(q.category, ctx.lang)));
  const currency = found[0]?.currency ?? transactions[0]?.currency ?? 'USD';
  if (q.minAmount !== undefined) parts.push(w.search.over(money(q.minAmount, currency, ctx)));
  if (q.maxAmount !== undefined) parts.push(w.search.under(money(q.maxAmount, currency, ctx)));
  if (q.period) parts.push(describePeriod(q.period, ctx));
  const what = parts.join(' ');
  const tail = [coverageNote(q.period, ctx), note].filter(Boolean).join('\n');
  if (found.length === 0) {
    return { text: [w.search.nothing(what), tail].filter(Boolean).join('\n'), quick_replies: askMore(ctx.lang, '') };
  }
  const total = found.reduce((sum, t) => sum + Math.abs(t.amount), 0);
  const n = found.length;
  const head = w.search.found(n, what, money(total, currency, ctx));
  const lines = found.slice(0, LIST_LIMIT).map((t) => transactionLine(t, ctx));
  const more = n - lines.length;
  const text = fitLines(head, lines, [more > 0 ? w.andMore(more) : '', tail].filter(Boolean).join('\n'), w.andMore);
  return { text, quick_replies: askMore(ctx.lang, '') };
}

export function largestReply(transactions: BankTransaction[], q: TransactionQuery & { count?: number }, ctx: MoneyContext, note?: string): OutboundMessage {
  const w = moneyWords[ctx.lang];
  const period = q.period ?? resolvePeriod('this-month', ctx.today)!;
  const count = Math.min(Math.max(q.count ?? 3, 1), LIST_LIMIT);
  const found = filterTransactions(transactions, { ...q, period }).filter(isSpending).sort((a, b) => b.amount - a.amount || newestFirst(a, b)).slice(0, count);
  const when = describePeriod(period, ctx);
  const tail = [coverageNote(period, ctx), note].filter(Boolean).join('\n');
  if (found.length === 0) return { text: [w.largest.none(when), tail].filter(Boolean).join('\n'), quick_replies: askMore(ctx.lang, '') };
  const head = found.length === 1 ? w.largest.one(when) : w.largest.many(found.length, when);
  return { text: fitLines(head, found.map((t) => transactionLine(t, ctx)), tail, w.andMore), quick_replies: askMore(ctx.lang, '') };
}
