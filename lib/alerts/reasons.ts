import { alertWords } from '../text/alerts';
import { money as formatMoney, shortDate, wholeMoney, type Formatting } from '../text/format';
import { safeText, type AlertReason, type Payee } from './rules';

/**
 * An alert's reasons in the person's language: money, numbers, dates and country names in their
 * locale, the way the assistant writes them. The facts come from the rules already safe to show;
 * only the category words are made here from the bank's category code. The words, in each
 * language, are in lib/text/alerts.ts.
 */
export type AlertLanguage = Pick<Formatting, 'lang' | 'locale' | 'timeZone'>;

/**
 * A transaction's reason as the short "why" its alert lists after the facts ("9× your usual spend
 * on electronics"): the amount, merchant, account and time are said once, before, so no reason
 * repeats them. A low balance has one reason and no facts line: its reason is the whole sentence.
 */
export function reasonText(reason: AlertReason, f: Pick<AlertLanguage, 'lang' | 'locale'>): string {
  const w = alertWords[f.lang].reasons;
  switch (reason.type) {
    case 'unusual-amount':
      return w.unusualAmount(count(reason.times, f), categoryWords(reason.category, reason.primaryCategory, f));
    case 'new-merchant':
      return w.newMerchant(Boolean(reason.payee?.paidTo), count(reason.days, f));
    case 'foreign-country':
      return w.chargedAbroad(reason.country ? countryName(reason.country, f) : undefined);
    case 'foreign-currency':
      return w.foreignCurrency(reason.currency, reason.usualCurrency);
    case 'rapid-succession': {
      // The same amount each time is the alert's own amount, already said; a total is a new figure.
      const total = reason.each === undefined && reason.total !== undefined ? money(reason.total, reason.currency, f) : undefined;
      const minutes = reason.minutes ?? 1;
      const span = reason.date ? w.onDate(shortDate(reason.date, f)) : w.inMinutes(count(minutes, f), minutes);
      return w.rapidSuccession(count(reason.charges, f), Boolean(reason.payee), span, total);
    }
    case 'large-transaction':
      return w.largeTransaction(reason.exact, reason.isDefault, wholeMoney(reason.threshold, reason.currency, f).trim());
    case 'low-balance':
      return w.lowBalance(reason.account, reason.available, money(reason.balance, reason.currency, f), money(reason.threshold, reason.currency, f));
    case 'price-up':
    case 'new-recurring':
    case 'double-charge':
    case 'bill-due-low':
      return insightLines(reason, f).facts;
  }
}

type InsightReason = Extract<AlertReason, { type: 'price-up' | 'new-recurring' | 'double-charge' | 'bill-due-low' }>;

/** A money insight as its facts (said once) and its one-line reason, without the "Why:" word. */
export function insightLines(reason: InsightReason, f: Pick<AlertLanguage, 'lang' | 'locale'>): { facts: string; why: string } {
  const w = alertWords[f.lang].insights;
  switch (reason.type) {
    case 'price-up':
      return { facts: w.priceUp(reason.name, money(reason.before, reason.currency, f), money(reason.after, reason.currency, f), shortDate(reason.since, f)), why: w.priceUpWhy };
    case 'new-recurring':
      return {
        facts: w.newRecurring(reason.name, money(reason.amount, reason.currency, f), w.frequencies[reason.frequency] ?? w.frequencies.unknown ?? '', shortDate(reason.since, f)),
        why: w.newRecurringWhy,
      };
    case 'double-charge':
      return { facts: w.doubleCharge(paidText(reason, f), shortDate(reason.date, f), reason.account), why: w.doubleChargeWhy };
    case 'bill-due-low':
      return {
        facts: w.billDueLow(reason.name, money(reason.usual, reason.currency, f), shortDate(reason.due, f), reason.account, money(reason.balance, reason.currency, f)),
        why: w.billDueLowWhy,
      };
  }
}

/** "$912.40 at ELECTRO-WORLD", "$1,200.00 a Greenview Property Mgmt": how much, and to whom. */
export const paidText = (paid: { amount: number; currency: string; payee?: Payee | undefined }, f: Pick<AlertLanguage, 'lang' | 'locale'>) =>
  `${money(paid.amount, paid.currency, f)}${paid.payee ? payeeText(paid.payee, f) : ''}`;

// ---- Words and numbers --------------------------------------------------------------------------

/** `$912.40`, `MX$850.00` as the assistant writes money; what is not a currency code follows the number (or nothing, when empty). */
const money = (amount: number, currency: string, f: Pick<AlertLanguage, 'locale'>) => formatMoney(amount, currency, f).trim();

const integers = new Map<string, Intl.NumberFormat>();
function count(n: number, f: Pick<AlertLanguage, 'locale'>): string {
  let format = integers.get(f.locale);
  if (!format) integers.set(f.locale, (format = new Intl.NumberFormat(f.locale, { maximumFractionDigits: 0 })));
  return format.format(n);
}

const regions = new Map<string, Intl.DisplayNames>();
function countryName(code: string, f: Pick<AlertLanguage, 'locale'>): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    let names = regions.get(f.locale);
    if (!names) regions.set(f.locale, (names = new Intl.DisplayNames([f.locale], { type: 'region' })));
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

function payeeText(payee: Payee, f: Pick<AlertLanguage, 'lang'>): string {
  return ` ${alertWords[f.lang].paidWord(payee.paidTo)} ${payee.name}`;
}

/**
 * The bank's category (Plaid's personal finance categories) in words. English reads the code
 * (`GENERAL_MERCHANDISE_ELECTRONICS` → "electronics"); Spanish has a word for each primary category
 * and the common detailed ones, and otherwise says "this kind of purchase" rather than guess.
 */
function categoryWords(category: string, primary: string, f: Pick<AlertLanguage, 'lang'>): string {
  const { categories, anyCategory, readsCategoryCodes } = alertWords[f.lang];
  if (!readsCategoryCodes) {
    const other = category.startsWith(`${primary}_OTHER_`) ? primary : category;
    return categories[category] ?? categories[other] ?? anyCategory;
  }
  const known = categories[category];
  if (known) return known;
  const rest = category !== primary && category.startsWith(`${primary}_`) ? category.slice(primary.length + 1) : category;
  const words = rest
    .toLowerCase()
    .split('_')
    .filter(Boolean)
    .map((w) => (w === 'tv' ? 'TV' : w));
  return safeText(words.join(' ')) || anyCategory;
}
