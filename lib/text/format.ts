import type { Language } from './language';

/**
 * How the assistant writes money, dates and times for a person: in their language's locale, in
 * the account's own currency, and in the time zone the bank serves.
 */
export interface Formatting {
  lang: Language;
  locale: string;
  timeZone: string;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** "$1,234.56" (en-US, USD), "1234,56 €" (es-ES, EUR); a code Intl does not know is written after the number. */
export function money(amount: number, currency: string, f: Pick<Formatting, 'locale'>): string {
  return currencyFormat(f.locale, currency, 'auto').format(amount);
}

/** "$500", "$912.40": a whole amount without its cents, as thresholds are written. */
export function wholeMoney(amount: number, currency: string, f: Pick<Formatting, 'locale'>): string {
  return currencyFormat(f.locale, currency, 'stripIfInteger').format(amount);
}

function currencyFormat(locale: string, currency: string, trailingZeroDisplay: 'auto' | 'stripIfInteger'): Intl.NumberFormat {
  const key = `${locale}|${currency}|${trailingZeroDisplay}`;
  let format = numberFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency, trailingZeroDisplay });
    } catch {
      const plain = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, trailingZeroDisplay });
      format = { format: (n: number) => `${plain.format(n)} ${currency}` } as Intl.NumberFormat;
    }
    numberFormats.set(key, format);
  }
  return format;
}

/**
 * When figures were read, as the person reads it: "as of 9:14 AM ET" today, "as of Nov 20, 9:14 AM
 * ET" another day; in Spanish "a las 9:14 a. m. ET", "al 20 nov a las 9:14 a. m. ET" (a time takes
 * "a las", never "al").
 */
export function asOf(when: Date, now: Date, f: Formatting): string {
  const sameDay = calendarDay(when, f.timeZone) === calendarDay(now, f.timeZone);
  const day = sameDay ? '' : dateFormat(f.locale, { timeZone: f.timeZone, month: 'short', day: 'numeric' }).format(when);
  if (f.lang === 'en') return `as of ${day ? `${day}, ` : ''}${timeOfDay(when, f)}`;
  return `${day ? `al ${day} ` : ''}${atTime(when, f)}`;
}

/** A moment with its date: "Nov 21, 3:00 PM ET", "21 nov, 3:00 p. m. ET". */
export function dateAndTime(when: Date, f: Formatting): string {
  return `${dateFormat(f.locale, { timeZone: f.timeZone, month: 'short', day: 'numeric' }).format(when)}, ${timeOfDay(when, f)}`;
}

/**
 * A time of day, always with its zone: the product answers in one zone (the deployment's), and the
 * person may be in another. "9:14 AM ET"; Spanish writes "9:14 a. m. ET", as the RAE does.
 */
export function timeOfDay(when: Date, f: Formatting): string {
  const parts = dateFormat(f.locale, { timeZone: f.timeZone, hour: 'numeric', minute: '2-digit' }).formatToParts(when);
  // ICU puts a narrow no-break space before AM in some Node versions and not in others: one space, always.
  const time = parts
    .map((p) => (p.type === 'dayPeriod' && f.lang === 'es' ? spanishDayPeriod(p.value) : p.type === 'literal' ? p.value.replace(/[\u202f\u00a0]/g, ' ') : p.value))
    .join('');
  return `${time} ${zoneName(when, f)}`;
}

/** "a las 9:14 a. m. ET", "a la 1:05 p. m. ET". */
function atTime(when: Date, f: Formatting): string {
  const hour = dateFormat(f.locale, { timeZone: f.timeZone, hour: 'numeric', minute: '2-digit' })
    .formatToParts(when)
    .find((p) => p.type === 'hour')?.value;
  return `${hour === '1' || hour === '01' ? 'a la' : 'a las'} ${timeOfDay(when, f)}`;
}

const spanishDayPeriod = (value: string) => (/^a/i.test(value) ? 'a. m.' : /^p/i.test(value) ? 'p. m.' : value);

/**
 * The zone's short name: "ET", "PT", "CET", else "GMT-5". The locale's generic name when it is an
 * abbreviation ("ET" in en-US and es-US), then the English one (es-MX names zones "hora de Nueva
 * York"), then the specific one ("EST", "CET"); an offset when no zone has letters to show.
 */
function zoneName(when: Date, f: Pick<Formatting, 'locale' | 'timeZone'>): string {
  const name = (locale: string, style: 'shortGeneric' | 'short') =>
    dateFormat(locale, { timeZone: f.timeZone, timeZoneName: style })
      .formatToParts(when)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const candidates = [name(f.locale, 'shortGeneric'), name('en-US', 'shortGeneric'), name(f.locale, 'short'), name('en-US', 'short')];
  return candidates.find((c) => /^[A-Z]{2,5}$/.test(c)) ?? candidates[2]!;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

/** A transaction's calendar date (`YYYY-MM-DD`) as "Nov 20" / "20 nov". */
export function shortDate(isoDate: string, f: Pick<Formatting, 'locale'>): string {
  return new Intl.DateTimeFormat(f.locale, { timeZone: 'UTC', month: 'short', day: 'numeric' }).format(new Date(`${isoDate}T00:00:00Z`));
}

/** "Nov 1 – 21" style ranges, or a single day. */
export function dateRange(from: string, to: string, f: Pick<Formatting, 'locale'>): string {
  if (from === to) return shortDate(from, f);
  const format = new Intl.DateTimeFormat(f.locale, { timeZone: 'UTC', month: 'short', day: 'numeric', ...(from.slice(0, 4) !== to.slice(0, 4) ? { year: 'numeric' } : {}) });
  return format.formatRange(new Date(`${from}T00:00:00Z`), new Date(`${to}T00:00:00Z`));
}

export const calendarDay = (when: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(when);

/** "7 Dec 2026" in the locale, or nothing without a date: the days a consent starts and ends, as the chat says them. */
export const dateIn = (locale: string) => (iso: string | undefined) =>
  iso ? new Date(iso).toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }) : '';

/** "1 account", "3 accounts". */
export const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
