import type { PeriodSpec } from './understand';

/** A resolved period: calendar days `from`..`to` inclusive (`YYYY-MM-DD`, in the person's time zone). */
export interface Period {
  spec: PeriodSpec;
  from: string;
  to: string;
}

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const iso = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);

/** Today's calendar date where the person is (`YYYY-MM-DD`). */
export function localToday(now: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * Resolves a period as asked against today. Weeks start on Monday; "in October" is the last
 * October that has begun (in January, last year's); "since the 3rd" is this month's 3rd, or last
 * month's if today is before it. Returns undefined for a spec it does not know.
 */
export function resolvePeriod(spec: PeriodSpec, today: string): Period | undefined {
  const t = day(today);
  const year = t.getUTCFullYear();
  const month = t.getUTCMonth();
  const weekday = (t.getUTCDay() + 6) % 7; // Monday = 0
  const monthStart = (y: number, m: number) => new Date(Date.UTC(y, m, 1));
  const range = (from: Date, to: Date): Period => ({ spec, from: iso(from), to: iso(to) });

  switch (spec) {
    case 'today':
      return range(t, t);
    case 'yesterday':
      return range(addDays(t, -1), addDays(t, -1));
    case 'this-week':
      return range(addDays(t, -weekday), t);
    case 'last-week':
      return range(addDays(t, -weekday - 7), addDays(t, -weekday - 1));
    case 'this-month':
      return range(monthStart(year, month), t);
    case 'last-month':
      return range(monthStart(year, month - 1), addDays(monthStart(year, month), -1));
    case 'this-year':
      return range(new Date(Date.UTC(year, 0, 1)), t);
    case 'last-year':
      return range(new Date(Date.UTC(year - 1, 0, 1)), new Date(Date.UTC(year - 1, 11, 31)));
  }
  const lastDays = /^last-(\d{1,3})-days$/.exec(spec);
  if (lastDays) {
    const n = Math.max(1, Number(lastDays[1]));
    return range(addDays(t, -(n - 1)), t);
  }
  const named = /^month-(\d{1,2})$/.exec(spec);
  if (named) {
    const m = Number(named[1]) - 1;
    if (m < 0 || m > 11) return undefined;
    const y = m > month ? year - 1 : year;
    const end = addDays(monthStart(y, m + 1), -1);
    return range(monthStart(y, m), end < t ? end : t);
  }
  const since = /^since-(\d{1,2})$/.exec(spec);
  if (since) {
    const d = Number(since[1]);
    if (d < 1 || d > 31) return undefined;
    const thisMonths = new Date(Date.UTC(year, month, d));
    const from = d <= t.getUTCDate() ? thisMonths : new Date(Date.UTC(year, month - 1, d));
    return range(from, t);
  }
  return undefined;
}

export const inPeriod = (date: string, period: Period) => date >= period.from && date <= period.to;
