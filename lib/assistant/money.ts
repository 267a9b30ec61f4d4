import { accountKind, inAccountOrder } from '../banking/account-order';
import type { BankTransaction } from '../banking/bank-connector';
import type { StoredAccount } from '../financial';
import type { OutboundMessage } from '../messenger/send-api';
import { asOf, dateRange, money, shortDate, type Formatting } from './format';
import { categories, type CategoryKey } from './nlu/lexicon';
import { inPeriod, resolvePeriod, type Period } from './nlu/periods';
import { normalise, type Slots } from './nlu/understand';
import { Payloads } from './payloads';
import { askMore, qr } from './replies';

/**
 * Answers to questions about money, from the person's own data only: balances, recent
 * transactions, spending totals, searches and largest purchases. Pure functions of the data and
 * the question; the caller has already checked consent and scope.
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


// Money that is not spending: moving money between one's own accounts, paying one's card, income.
const NOT_SPENDING = ['TRANSFER_IN', 'TRANSFER_OUT', 'LOAN_PAYMENTS', 'INCOME'];
const primaryOf = (t: BankTransaction) => t.category?.primary ?? '';
const detailedOf = (t: BankTransaction) => t.category?.detailed ?? '';
const isSpending = (t: BankTransaction) => t.amount > 0 && !NOT_SPENDING.includes(primaryOf(t));

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

const periodWords = {
  en: {
    today: 'today', yesterday: 'yesterday', 'this-week': 'this week', 'last-week': 'last week', 'this-month': 'this month',
    'last-month': 'last month', 'this-year': 'this year', 'last-year': 'last year',
  },
  es: {
    today: 'hoy', yesterday: 'ayer', 'this-week': 'esta semana', 'last-week': 'la semana pasada', 'this-month': 'este mes',
    'last-month': 'el mes pasado', 'this-year': 'este año', 'last-year': 'el año pasado',
  },
} as const;

/** "last month (Oct 1 – 31)", "in the last 30 days", "since Nov 3". */
export function describePeriod(period: Period, ctx: MoneyContext): string {
  const en = ctx.lang === 'en';
  const named = (periodWords[ctx.lang] as Record<string, string>)[period.spec];
  const range = dateRange(period.from, period.to, ctx);
  if (named) return period.spec === 'today' || period.spec === 'yesterday' ? named : `${named} (${range})`;
  const lastDays = /^last-(\d+)-days$/.exec(period.spec);
  if (lastDays) {
    const days = lastDays[1]!;
    if (days === '1') return en ? 'in the last day' : 'en el último día';
    return en ? `in the last ${days} days` : `en los últimos ${days} días`;
  }
  if (period.spec.startsWith('since-')) return en ? `since ${shortDate(period.from, ctx)}` : `desde el ${shortDate(period.from, ctx)}`;
  const month = new Intl.DateTimeFormat(ctx.locale, { month: 'long', timeZone: 'UTC', ...(period.from.slice(0, 4) !== ctx.today.slice(0, 4) ? { year: 'numeric' } : {}) }).format(
    new Date(`${period.from}T00:00:00Z`),
  );
  return en ? `in ${month}` : `en ${month}`;
}

const categoryWords: Record<CategoryKey, { en: string; es: string }> = {
  groceries: { en: 'groceries', es: 'supermercado' },
  restaurants: { en: 'restaurants', es: 'restaurantes' },
  coffee: { en: 'coffee', es: 'café' },
  food: { en: 'food and drink', es: 'comida y bebida' },
  gas: { en: 'gas', es: 'gasolina' },
  transport: { en: 'transport', es: 'transporte' },
  travel: { en: 'travel', es: 'viajes' },
  shopping: { en: 'shopping', es: 'compras' },
  entertainment: { en: 'entertainment', es: 'entretenimiento' },
  rent: { en: 'rent', es: 'renta' },
  utilities: { en: 'bills and utilities', es: 'servicios' },
  health: { en: 'health', es: 'salud' },
  fitness: { en: 'fitness', es: 'gimnasio' },
  fees: { en: 'bank fees', es: 'comisiones' },
  income: { en: 'income', es: 'ingresos' },
  transfers: { en: 'transfers', es: 'transferencias' },
};
export const categoryName = (key: CategoryKey, lang: Formatting['lang']) => categoryWords[key][lang];

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
  const en = ctx.lang === 'en';
  const shown = inAccountOrder(asked.named ? [asked.named] : accountsOfType(accounts, asked.type));
  if (shown.length === 0) {
    const kind = asked.type ? (en ? { checking: 'checking', savings: 'savings', credit: 'credit card' } : { checking: 'de cheques', savings: 'de ahorros', credit: 'de tarjeta de crédito' })[asked.type] : '';
    const list = inAccountOrder(accounts).map(accountLabel).join(', ');
    return {
      text: en ? `I don't see a ${kind} account among the ones you share with me: ${list}.` : `No veo una cuenta ${kind} entre las que compartes conmigo: ${list}.`,
      quick_replies: [qr(en ? 'All balances' : 'Todos los saldos', Payloads.balance)],
    };
  }
  const oldest = new Date(Math.min(...shown.map((a) => Date.parse(a.balancesAsOf))));
  const head = en ? `Your balance${shown.length > 1 ? 's' : ''}, ${asOf(oldest, ctx.now, ctx)}:` : `Tu${shown.length > 1 ? 's saldos' : ' saldo'}, ${asOf(oldest, ctx.now, ctx)}:`;
  const lines = shown.map((a) => `• ${accountLabel(a)}: ${balanceLine(a, ctx)}`);
  const text = fitLines(head, lines, note ?? '', (n) => (en ? `…and ${n} more account${n === 1 ? '' : 's'}` : `…y ${n} cuenta${n === 1 ? '' : 's'} más`));
  return { text, quick_replies: askMore(ctx.lang, Payloads.balance) };
}

function balanceLine(a: AccountView, ctx: MoneyContext): string {
  const en = ctx.lang === 'en';
  const { available, current, limit, currency } = a.balances;
  const m = (n: number) => money(n, currency, ctx);
  const notReported = en ? 'not reported by your bank' : 'tu banco no lo informa';
  if (a.type === 'loan') return current === null ? notReported : en ? `${m(current)} owed` : `debes ${m(current)}`;
  if (a.type === 'credit') {
    const owed = current === null ? undefined : en ? `${m(current)} owed` : `debes ${m(current)}`;
    const credit = availableCredit(available, current, limit, m, en);
    if (!owed && !credit) return notReported;
    return [owed, credit].filter(Boolean).join(', ');
  }
  if (current === null) return available === null ? notReported : en ? `${m(available)} available` : `${m(available)} disponible`;
  if (available !== null && available !== current) return en ? `${m(available)} available (${m(current)} current)` : `${m(available)} disponible (${m(current)} actual)`;
  return m(current);
}

/**
 * The credit left on a card. The bank's available figure already holds back pending charges and
 * credits pending payments, so limit − owed would overstate it whenever anything is pending: it is
 * worked out only when the bank gives none, and then says it is an estimate.
 */
function availableCredit(available: number | null, current: number | null, limit: number | null, m: (n: number) => string, en: boolean): string | undefined {
  const of = limit === null ? '' : en ? ` of ${m(limit)}` : ` de ${m(limit)}`;
  if (available !== null) return en ? `${m(available)} available${of}` : `${m(available)} disponibles${of}`;
  if (limit === null || current === null) return undefined;
  const estimate = m(Math.max(0, limit - current));
  return en ? `about ${estimate} available${of} (estimated from your limit)` : `unos ${estimate} disponibles${of} (estimado a partir de tu límite)`;
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
  const en = ctx.lang === 'en';
  const amount = t.amount < 0 ? `+${money(-t.amount, t.currency, ctx)}` : money(t.amount, t.currency, ctx);
  return `• ${shortDate(t.date, ctx)} ${merchantOf(t)}: ${amount}${t.pending ? (en ? ' (pending)' : ' (pendiente)') : ''}`;
}

/** When the period reaches back before what is held, say so rather than under-report. */
function coverageNote(period: Period | undefined, ctx: MoneyContext): string {
  if (!period || period.from >= ctx.heldFrom) return '';
  return ctx.lang === 'en'
    ? `(I keep 90 days of transactions, so this counts from ${shortDate(ctx.heldFrom, ctx)}.)`
    : `(Guardo 90 días de movimientos, así que cuento desde el ${shortDate(ctx.heldFrom, ctx)}.)`;
}

export function recentTransactionsReply(transactions: BankTransaction[], q: TransactionQuery & { count?: number }, ctx: MoneyContext, note?: string): OutboundMessage {
  const en = ctx.lang === 'en';
  const found = filterTransactions(transactions, q).sort(newestFirst);
  const count = Math.min(Math.max(q.count ?? 5, 1), LIST_LIMIT);
  const shown = found.slice(0, count);
  const scope = q.period ? ` ${describePeriod(q.period, ctx)}` : '';
  if (shown.length === 0) {
    return { text: [en ? `No transactions${scope}.` : `No hay movimientos${scope}.`, note].filter(Boolean).join('\n'), quick_replies: askMore(ctx.lang, Payloads.recentTransactions) };
  }
  const head =
    shown.length === 1
      ? en ? `Your last transaction${scope}:` : `Tu último movimiento${scope}:`
      : en ? `Your last ${shown.length} transactions${scope}:` : `Tus últimos ${shown.length} movimientos${scope}:`;
  const text = fitLines(head, shown.map((t) => transactionLine(t, ctx)), [coverageNote(q.period, ctx), note].filter(Boolean).join('\n'), (n) => (en ? `…and ${n} more` : `…y ${n} más`));
  return { text, quick_replies: [...(found.length > count ? [qr(en ? 'Show more' : 'Ver más', Payloads.moreTransactions)] : []), ...askMore(ctx.lang, Payloads.recentTransactions)] };
}

// ── spending ─────────────────────────────────────────────────────────────────────────────────────

export function spendingReply(transactions: BankTransaction[], q: TransactionQuery, ctx: MoneyContext, note?: string): OutboundMessage {
  const en = ctx.lang === 'en';
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
    if (income) head = en ? `You received nothing ${when}.` : `No recibiste nada ${when}.`;
    else if (q.merchant) head = en ? `You paid nothing to ${what} ${when}.` : `No le pagaste nada a ${what} ${when}.`;
    else if (what) head = en ? `You spent nothing on ${what} ${when}.` : `No gastaste nada en ${what} ${when}.`;
    else head = en ? `You spent nothing ${when}.` : `No gastaste nada ${when}.`;
  } else if (income) head = en ? `You received ${amount} ${when}, in ${n} payment${n === 1 ? '' : 's'}.` : `Recibiste ${amount} ${when}, en ${n} pago${n === 1 ? '' : 's'}.`;
  else if (q.merchant) head = en ? `You paid ${what} ${amount} ${when}, in ${n} payment${n === 1 ? '' : 's'}.` : `Pagaste ${amount} a ${what} ${when}, en ${n} pago${n === 1 ? '' : 's'}.`;
  else if (what) head = en ? `You spent ${amount} on ${what} ${when}, in ${n} transaction${n === 1 ? '' : 's'}.` : `Gastaste ${amount} en ${what} ${when}, en ${n} movimiento${n === 1 ? '' : 's'}.`;
  else head = en ? `You spent ${amount} ${when}, in ${n} transaction${n === 1 ? '' : 's'}.` : `Gastaste ${amount} ${when}, en ${n} movimiento${n === 1 ? '' : 's'}.`;

  const detail: string[] = [];
  if (!what && n > 0) {
    // Where it went: the top categories of the period.
    const byCategory = new Map<string, number>();
    for (const t of matching) byCategory.set(primaryOf(t) || 'OTHER', (byCategory.get(primaryOf(t) || 'OTHER') ?? 0) + t.amount);
    const top = [...byCategory.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    detail.push((en ? 'Most of it: ' : 'Sobre todo: ') + top.map(([code, sum]) => `${primaryName(code, ctx.lang)} ${money(sum, currency, ctx)}`).join(', ') + '.');
  } else if (n > 0 && !q.merchant) {
    const biggest = [...matching].sort((a, b) => Math.abs(b.amount) - Math.abs(a.amount))[0]!;
    detail.push(en ? `Biggest: ${merchantOf(biggest)} ${money(Math.abs(biggest.amount), biggest.currency, ctx)} on ${shortDate(biggest.date, ctx)}.` : `La mayor: ${merchantOf(biggest)} ${money(Math.abs(biggest.amount), biggest.currency, ctx)} el ${shortDate(biggest.date, ctx)}.`);
  } else if (n > 0) {
    const last = [...matching].sort(newestFirst)[0]!;
    detail.push(en ? `The last one: ${money(Math.abs(last.amount), last.currency, ctx)} on ${shortDate(last.date, ctx)}.` : `El último: ${money(Math.abs(last.amount), last.currency, ctx)} el ${shortDate(last.date, ctx)}.`);
  }
  const text = [head, ...detail, coverageNote(period, ctx), note].filter(Boolean).join('\n').slice(0, MAX_TEXT);
  const follow = en ? qr('And last month?', Payloads.followLastMonth) : qr('¿Y el mes pasado?', Payloads.followLastMonth);
  return { text, quick_replies: [...(period.spec === 'last-month' ? [] : [follow]), qr(en ? 'Largest purchases' : 'Compras mayores', Payloads.largest), ...askMore(ctx.lang, Payloads.spendingThisMonth)].slice(0, 13) };
}

const primaryNames: Record<string, { en: string; es: string }> = {
  FOOD_AND_DRINK: { en: 'food and drink', es: 'comida y bebida' },
  GENERAL_MERCHANDISE: { en: 'shopping', es: 'compras' },
  RENT_AND_UTILITIES: { en: 'rent and bills', es: 'renta y servicios' },
  TRANSPORTATION: { en: 'transport', es: 'transporte' },
  TRAVEL: { en: 'travel', es: 'viajes' },
  ENTERTAINMENT: { en: 'entertainment', es: 'entretenimiento' },
  MEDICAL: { en: 'health', es: 'salud' },
  PERSONAL_CARE: { en: 'personal care', es: 'cuidado personal' },
  GENERAL_SERVICES: { en: 'services', es: 'servicios' },
  HOME_IMPROVEMENT: { en: 'home', es: 'hogar' },
  BANK_FEES: { en: 'bank fees', es: 'comisiones' },
  GOVERNMENT_AND_NON_PROFIT: { en: 'taxes and donations', es: 'impuestos y donativos' },
  OTHER: { en: 'other', es: 'otros' },
};
const primaryName = (code: string, lang: Formatting['lang']) => (primaryNames[code] ?? primaryNames.OTHER!)[lang];

// ── search and largest ───────────────────────────────────────────────────────────────────────────

export function searchReply(transactions: BankTransaction[], q: TransactionQuery, ctx: MoneyContext, note?: string): OutboundMessage {
  const en = ctx.lang === 'en';
  const found = filterTransactions(transactions, q).sort(newestFirst);
  const parts: string[] = [];
  if (q.merchant) parts.push(`${en ? 'at' : 'en'} ${found[0] ? merchantOf(found[0]) : asNamed(q.merchant)}`);
  if (q.category) parts.push(en ? `in ${categoryName(q.category, 'en')}` : `en ${categoryName(q.category, 'es')}`);
  const currency = found[0]?.currency ?? transactions[0]?.currency ?? 'USD';
  if (q.minAmount !== undefined) parts.push(en ? `over ${money(q.minAmount, currency, ctx)}` : `de más de ${money(q.minAmount, currency, ctx)}`);
  if (q.maxAmount !== undefined) parts.push(en ? `under ${money(q.maxAmount, currency, ctx)}` : `de menos de ${money(q.maxAmount, currency, ctx)}`);
  if (q.period) parts.push(describePeriod(q.period, ctx));
  const what = parts.join(' ');
  const tail = [coverageNote(q.period, ctx), note].filter(Boolean).join('\n');
  if (found.length === 0) {
    return { text: [en ? `Nothing ${what}.` : `Nada ${what}.`, tail].filter(Boolean).join('\n'), quick_replies: askMore(ctx.lang, '') };
  }
  const total = found.reduce((sum, t) => sum + Math.abs(t.amount), 0);
  const n = found.length;
  const head = en
    ? `${n} transaction${n === 1 ? '' : 's'} ${what}, ${money(total, currency, ctx)} in all:`
    : `${n} movimiento${n === 1 ? '' : 's'} ${what}, ${money(total, currency, ctx)} en total:`;
  const lines = found.slice(0, LIST_LIMIT).map((t) => transactionLine(t, ctx));
  const more = n - lines.length;
  const text = fitLines(head, lines, [more > 0 ? (en ? `…and ${more} more` : `…y ${more} más`) : '', tail].filter(Boolean).join('\n'), (k) => (en ? `…and ${k} more` : `…y ${k} más`));
  return { text, quick_replies: askMore(ctx.lang, '') };
}

export function largestReply(transactions: BankTransaction[], q: TransactionQuery & { count?: number }, ctx: MoneyContext, note?: string): OutboundMessage {
  const en = ctx.lang === 'en';
  const period = q.period ?? resolvePeriod('this-month', ctx.today)!;
  const count = Math.min(Math.max(q.count ?? 3, 1), LIST_LIMIT);
  const found = filterTransactions(transactions, { ...q, period }).filter(isSpending).sort((a, b) => b.amount - a.amount || newestFirst(a, b)).slice(0, count);
  const when = describePeriod(period, ctx);
  const tail = [coverageNote(period, ctx), note].filter(Boolean).join('\n');
  if (found.length === 0) return { text: [en ? `No purchases ${when}.` : `No hay compras ${when}.`, tail].filter(Boolean).join('\n'), quick_replies: askMore(ctx.lang, '') };
  const head = en
    ? found.length === 1 ? `Your largest purchase ${when}:` : `Your ${found.length} largest purchases ${when}:`
    : found.length === 1 ? `Tu compra más grande ${when}:` : `Tus ${found.length} compras más grandes ${when}:`;
  return { text: fitLines(head, found.map((t) => transactionLine(t, ctx)), tail, (k) => (en ? `…and ${k} more` : `…y ${k} más`)), quick_replies: askMore(ctx.lang, '') };
}
