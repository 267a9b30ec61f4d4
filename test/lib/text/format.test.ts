import { describe, expect, it } from 'vitest';
import { asOf, dateRange, money, timeOfDay, wholeMoney } from '../../../lib/text/format';

describe('money', () => {
  it('writes amounts in the locale and the account currency', () => {
    expect(money(1234.5, 'USD', { locale: 'en-US' })).toBe('$1,234.50');
    expect(money(1234.5, 'USD', { locale: 'es-US' })).toBe('$1,234.50');
    expect(money(1234.5, 'EUR', { locale: 'en-US' })).toBe('€1,234.50');
  });

  it('writes a code Intl does not know after the number', () => {
    expect(money(0.5, 'BTC1', { locale: 'en-US' })).toBe('0.50 BTC1');
  });

  it('writes a whole threshold without its cents, and keeps the cents of one that has them', () => {
    expect(wholeMoney(500, 'USD', { locale: 'en-US' })).toBe('$500');
    expect(wholeMoney(912.4, 'USD', { locale: 'en-US' })).toBe('$912.40');
  });
});

describe('times and dates', () => {
  const en = { lang: 'en', locale: 'en-US', timeZone: 'America/New_York' } as const;
  const es = { lang: 'es', locale: 'es-US', timeZone: 'America/New_York' } as const;
  const now = new Date('2026-11-21T15:00:00Z');

  it('says a time of day with its zone, one plain space before the day period', () => {
    expect(timeOfDay(new Date('2026-11-21T14:14:00Z'), en)).toBe('9:14 AM ET');
    expect(timeOfDay(new Date('2026-11-21T14:14:00Z'), es)).toBe('9:14 a. m. ET');
  });

  it('says "as of" a time today, and the day too when it was another day', () => {
    expect(asOf(new Date('2026-11-21T14:14:00Z'), now, en)).toBe('as of 9:14 AM ET');
    expect(asOf(new Date('2026-11-20T14:14:00Z'), now, en)).toBe('as of Nov 20, 9:14 AM ET');
  });

  it('writes "a la" before one o’clock and "a las" before any other hour in Spanish', () => {
    expect(asOf(new Date('2026-11-21T14:14:00Z'), now, es)).toBe('a las 9:14 a. m. ET');
    expect(asOf(new Date('2026-11-21T18:05:00Z'), now, es)).toBe('a la 1:05 p. m. ET');
  });

  it('writes a range of days, or one day when it starts and ends on it', () => {
    expect(dateRange('2026-11-05', '2026-11-05', en)).toBe('Nov 5');
    expect(dateRange('2026-10-01', '2026-10-31', en)).toMatch(/^Oct 1\s–\s31$/);
  });
});
