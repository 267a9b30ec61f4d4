import { describe, expect, it } from 'vitest';
import { evaluateCharges, evaluateStreams } from '../../../lib/alerts/insights';
import { alertMessage } from '../../../lib/alerts/messages';
import { DEFAULT_ALERT_SETTINGS, type AlertSettings } from '../../../lib/alerts/rules';
import type { OutboundMessage } from '../../../lib/messenger/send-api';
import type { BankAccount, BankTransaction, RecurringStream } from '../../../lib/banking/bank-connector';

/** The money insights, pure: a fixed `now`, streams and transactions as the bank reports them. */
const now = new Date('2026-11-21T15:00:00Z');
const settings: AlertSettings = { ...DEFAULT_ALERT_SETTINGS };
const en = { lang: 'en' as const, locale: 'en-US', timeZone: 'America/New_York' };
const textOf = (message: OutboundMessage) => ('text' in message ? message.text : '');
const es = { lang: 'es' as const, locale: 'es-US', timeZone: 'America/New_York' };

const stream = (over: Partial<RecurringStream> & Pick<RecurringStream, 'streamId'>): RecurringStream => ({
  accountId: 'card',
  direction: 'outflow',
  description: 'NETFLIX.COM',
  merchantName: 'Netflix',
  category: null,
  frequency: 'monthly',
  averageAmount: 15.49,
  lastAmount: 15.49,
  currency: 'USD',
  firstDate: '2026-08-25',
  lastDate: '2026-11-11',
  predictedNextDate: '2026-12-11',
  isActive: true,
  status: 'mature',
  transactionIds: ['n1', 'n2', 'n3'],
  ...over,
});
const pay = stream({ streamId: 'pay', direction: 'inflow', merchantName: 'Acme Payroll', averageAmount: -1900, lastAmount: -1900, firstDate: '2026-08-24', lastDate: '2026-11-15' });
const checking: BankAccount = {
  accountId: 'checking',
  name: 'Everyday Checking',
  mask: '2468',
  type: 'depository',
  subtype: 'checking',
  balances: { current: 985.4, available: null, limit: null, currency: 'USD' },
} as BankAccount;
const rent = stream({ streamId: 'rent', accountId: 'checking', merchantName: 'Oakwood Apartments', averageAmount: 1450, lastAmount: 1450, lastDate: '2026-10-25', predictedNextDate: '2026-11-25' });
/** A normal month: steady prices, long-standing streams, bills the account covers. */
const normal = [pay, stream({ streamId: 'netflix' }), stream({ streamId: 'rent', accountId: 'checking', merchantName: 'Oakwood Apartments', averageAmount: 900, lastAmount: 900, predictedNextDate: '2026-11-24' })];

const charge = (id: string, over: Partial<BankTransaction> = {}): BankTransaction => ({
  transactionId: id,
  accountId: 'card',
  amount: 38.62,
  currency: 'USD',
  date: '2026-11-21',
  name: 'DOORDASH*THAI BASIL',
  merchantName: 'DoorDash',
  category: { primary: 'FOOD_AND_DRINK', detailed: 'FOOD_AND_DRINK_RESTAURANT' },
  pending: false,
  ...over,
});
const history = Array.from({ length: 20 }, (_, i) => charge(`old-${i}`, { amount: 20 + i, date: `2026-10-${String(i + 1).padStart(2, '0')}` }));

describe('money insights from the recurring streams', () => {
  it('a price rise: old → new, since the last payment, once per stream and date', () => {
    const alerts = evaluateStreams({ streams: [pay, stream({ streamId: 'netflix', averageAmount: 16.32, lastAmount: 17.99 })], accounts: [], settings, now });

    expect(alerts.map((a) => [a.rule, a.dedupeKey])).toEqual([['price-up', 'price-up:netflix:2026-11-11']]);
    expect(textOf(alertMessage(alerts, 'a1', en))).toBe('📈 Netflix went from $15.49 to $17.99 (since Nov 11).\nWhy: the price of this subscription went up.');
    expect(textOf(alertMessage(alerts, 'a1', es))).toBe('📈 Netflix pasó de $15.49 a $17.99 (desde el 11 nov).\nPor qué: subió el precio de esta suscripción.');
  });

  it('a new recurring charge a full period after the history starts (a trial that turned into a payment)', () => {
    const disney = stream({ streamId: 'disney', merchantName: 'Disney+', averageAmount: 13.99, lastAmount: 13.99, firstDate: '2026-10-19', lastDate: '2026-11-19', status: 'early-detection', transactionIds: ['d1', 'd2'] });

    const alerts = evaluateStreams({ streams: [pay, disney], accounts: [], settings, now });

    expect(alerts.map((a) => a.dedupeKey)).toEqual(['new-recurring:disney']);
    expect(textOf(alertMessage(alerts, 'a1', en))).toBe('🆕 New recurring charge: $13.99 to Disney+, monthly, since Oct 19.\nWhy: a payment that repeats began recently, for example after a free trial ended.');
  });

  it('a stream that starts with the history is not new, even recent (a first sync of a young account)', () => {
    const young = stream({ streamId: 'gym', firstDate: '2026-10-25', lastDate: '2026-11-18' });

    expect(evaluateStreams({ streams: [young, stream({ streamId: 'phone', firstDate: '2026-10-24' })], accounts: [], settings, now })).toEqual([]);
  });

  it('a bill due within 5 days while its account holds less than it usually takes', () => {
    const alerts = evaluateStreams({ streams: [pay, rent], accounts: [checking], settings, now });

    expect(alerts.map((a) => a.dedupeKey)).toEqual(['bill-due-low:rent:2026-11-25']);
    expect(textOf(alertMessage(alerts, 'a1', en))).toBe(
      '📅 Oakwood Apartments (usually $1,450.00) is due Nov 25; your Everyday Checking holds $985.40.\nWhy: the account this bill is usually paid from holds less than it usually takes.',
    );
  });

  it('stays silent on a normal month, and on a bill due later than 5 days or without a known balance', () => {
    expect(evaluateStreams({ streams: normal, accounts: [checking], settings, now })).toEqual([]);
    expect(evaluateStreams({ streams: [pay, { ...rent, predictedNextDate: '2026-11-27' }], accounts: [checking], settings, now })).toEqual([]);
    expect(evaluateStreams({ streams: [pay, rent], accounts: [], settings, now })).toEqual([]);
  });

  it('a price rise older than 35 days is not news', () => {
    expect(evaluateStreams({ streams: [pay, stream({ streamId: 'netflix', averageAmount: 16.32, lastAmount: 17.99, lastDate: '2026-10-10' })], accounts: [], settings, now })).toEqual([]);
  });

  it('each kind the person turned off is not raised, the others still are', () => {
    const streams = [pay, rent, stream({ streamId: 'netflix', averageAmount: 16.32, lastAmount: 17.99 })];

    const alerts = evaluateStreams({ streams, accounts: [checking], settings: { ...settings, insights: { 'price-up': false } }, now });

    expect(alerts.map((a) => a.rule)).toEqual(['bill-due-low']);
  });
});

describe('a double charge', () => {
  it('the same merchant and amount twice on one day, one of them new: one alert naming both', () => {
    const alerts = evaluateCharges({ newTransactions: [charge('t2')], history: [...history, charge('t1')], settings, now });

    expect(alerts.map((a) => [a.rule, a.dedupeKey])).toEqual([['double-charge', 'double-charge:t1:t2']]);
    expect(textOf(alertMessage(alerts, 'a1', en))).toBe('👯 $38.62 at DoorDash, twice on Nov 21.\nWhy: same amount at the same merchant twice in one day.');
  });

  it('a pending purchase and its posted version are one purchase', () => {
    const pending = charge('p1', { pending: true });
    const posted = charge('t1', { pendingTransactionId: 'p1' });

    expect(evaluateCharges({ newTransactions: [posted], history: [...history, pending], settings, now })).toEqual([]);
  });

  it('transit fares are not a double charge', () => {
    const fare = (id: string) => charge(id, { amount: 2.75, name: 'MTA', merchantName: 'MTA', category: { primary: 'TRANSPORTATION', detailed: 'TRANSPORTATION_PUBLIC_TRANSIT' } });

    expect(evaluateCharges({ newTransactions: [fare('f2')], history: [...history, fare('f1')], settings, now })).toEqual([]);
  });

  it('stays silent on a normal month: different amounts, or the same amount on different days', () => {
    const month = [charge('a', { amount: 12 }), charge('b', { amount: 12, date: '2026-11-20' }), charge('c', { amount: 13 })];

    expect(evaluateCharges({ newTransactions: month, history, settings, now })).toEqual([]);
  });

  it('on a first sync, a double charge weeks old is not news; one from today is', () => {
    const old = [charge('o1', { date: '2026-10-02' }), charge('o2', { date: '2026-10-02' })];

    expect(evaluateCharges({ newTransactions: old, history: [], settings, now, initialSync: true })).toEqual([]);
    expect(evaluateCharges({ newTransactions: [...old, charge('t1'), charge('t2')], history: [], settings, now, initialSync: true }).map((a) => a.dedupeKey)).toEqual([
      'double-charge:t1:t2',
    ]);
  });

  it('is not raised when the person turned double-charge alerts off', () => {
    expect(evaluateCharges({ newTransactions: [charge('t2')], history: [charge('t1')], settings: { ...settings, insights: { 'double-charge': false } }, now })).toEqual([]);
  });
});
