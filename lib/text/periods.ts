import { dateRange, shortDate, type Formatting } from './format';
import { moneyWords } from './money';

/** A period as asked ("last-month", "last-30-days", "month-10", "since-3") and the days it covers. */
export interface PeriodSpan {
  spec: string;
  from: string;
  to: string;
}

/**
 * A period as a person reads it: "last month (Oct 1 – 31)", "in the last 30 days", "since Nov 3",
 * "in October". `today` (`YYYY-MM-DD`) decides whether a month needs its year.
 */
export function describePeriod(period: PeriodSpan, ctx: Formatting & { today: string }): string {
  const w = moneyWords[ctx.lang];
  const named = (w.periods as Partial<Record<string, string>>)[period.spec];
  const range = dateRange(period.from, period.to, ctx);
  if (named) return period.spec === 'today' || period.spec === 'yesterday' ? named : `${named} (${range})`;
  const lastDays = /^last-(\d+)-days$/.exec(period.spec);
  if (lastDays) {
    const days = lastDays[1]!;
    return days === '1' ? w.lastDay : w.lastDays(days);
  }
  if (period.spec.startsWith('since-')) return w.since(shortDate(period.from, ctx));
  const month = new Intl.DateTimeFormat(ctx.locale, { month: 'long', timeZone: 'UTC', ...(period.from.slice(0, 4) !== ctx.today.slice(0, 4) ? { year: 'numeric' } : {}) }).format(
    new Date(`${period.from}T00:00:00Z`),
  );
  return w.inMonth(month);
}
