import type { Language } from './nlu/understand';

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
  const key = `${f.locale}|${currency}`;
  let format = numberFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(f.locale, { style: 'currency', currency });
    } catch {
      format = new Intl.NumberFormat(f.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      const plain = format;
      format = { format: (n: number) => `${plain.format(n)} ${currency}` } as Intl.NumberFormat;
    }
    numberFormats.set(key, format);
  }
  return format.format(amount);
}

/** "9:14 AM" today, "Nov 20, 9:14 AM" on another day. */
export function asOf(when: Date, now: Date, f: Formatting): string {
  const sameDay = calendarDay(when, f.timeZone) === calendarDay(now, f.timeZone);
  return new Intl.DateTimeFormat(f.locale, {
    timeZone: f.timeZone,
    hour: 'numeric',
    minute: '2-digit',
    ...(sameDay ? {} : { month: 'short', day: 'numeric' }),
  }).format(when);
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
