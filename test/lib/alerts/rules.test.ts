import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ALERT_SETTINGS,
  evaluateBalances,
  evaluateTransactions,
  merchantKeyOf,
  type Alert,
  type AlertSettings,
  type TransactionsToEvaluate,
} from '../../../lib/alerts/rules';
import { reasonText } from '../../../lib/alerts/reasons';
import type { BankTransaction } from '../../../lib/banking/bank-connector';
import {
  CARD,
  CATEGORIES as C,
  CHECKING,
  DAYS,
  NEW_YORK,
  NORMAL_ACCOUNTS,
  NORMAL_MONTH_FIRST_DAY,
  NORMAL_MONTH_LAST_DAY,
  addDays,
  normalMonth,
  normalMonthSplit,
  transaction,
  type Spend,
} from '../../fixtures/alerts/normal-month';
import {
  SCENARIO_DAY,
  SCENARIO_NOW,
  foreignTransaction,
  largeTransaction,
  lowBalance,
  newMerchantHighAmount,
  rapidSuccession,
  transactionScenarios,
  unusualAmount,
} from '../../fixtures/alerts/scenarios';

const FRAUD_ONLY: AlertSettings = { ...DEFAULT_ALERT_SETTINGS, largeTransactionThreshold: null };
const ALL_ON: AlertSettings = { fraudAlerts: true, largeTransactionThreshold: 1, lowBalanceThreshold: 100, homeCountry: 'US' };

/** Something new on the scenario day, judged against the normal month. */
const onScenarioDay = (spends: Omit<Spend, 'date'>[], settings: AlertSettings = FRAUD_ONLY, history = normalMonth()) =>
  evaluateTransactions({
    history,
    newTransactions: spends.map((s) => transaction({ ...s, date: SCENARIO_DAY })),
    settings,
    now: SCENARIO_NOW,
  });

/** The reason as the person reads it, in English (reasons.test.ts has Spanish). */
const text = (alert: Alert | undefined) => (alert ? reasonText(alert.reason, { lang: 'en', locale: 'en-US' }) : undefined);
const reasons = (alerts: Alert[]) => alerts.map((a) => `${a.rule}: ${text(a)}`);

describe('the normal month', () => {
  it('is the realistic 90 days it claims to be', () => {
    const month = normalMonth();
    const names = new Set(month.map((tx) => tx.merchantName ?? tx.name));

    expect(new Set(month.map((tx) => tx.date)).size).toBeGreaterThan(DAYS - 15); // some quiet Sundays
    expect(month[0]?.date).toBe(NORMAL_MONTH_FIRST_DAY);
    expect(month.at(-1)?.date).toBe(NORMAL_MONTH_LAST_DAY);
    for (const name of ['Acme Corp', 'Greenview Property Mgmt', 'Netflix', 'Spotify', 'Con Edison', 'Blue Bottle Coffee', 'MTA', 'IKEA']) {
      expect(names, name).toContain(name);
    }
    const groceries = month.filter((tx) => tx.category?.detailed === 'FOOD_AND_DRINK_GROCERIES');
    expect(groceries.length).toBeGreaterThanOrEqual(12);
    expect(groceries.every((tx) => tx.amount >= 40 && tx.amount <= 120)).toBe(true);
    expect(month.some((tx) => tx.amount < 0 && tx.merchantName === 'Amazon')).toBe(true); // the refund
  });

  it('is the same month on every run (seeded)', () => {
    expect(normalMonth()).toEqual(normalMonth());
    expect(normalMonth(7)).not.toEqual(normalMonth());
  });

  it('stays silent when its last week is new, with the default settings', () => {
    const { history, lastWeek } = normalMonthSplit();

    const alerts = evaluateTransactions({ history, newTransactions: lastWeek, settings: DEFAULT_ALERT_SETTINGS, now: new Date(`${NORMAL_MONTH_LAST_DAY}T23:00:00Z`) });

    expect(lastWeek.length).toBeGreaterThan(15);
    expect(reasons(alerts)).toEqual([]);
  });

  it('stays silent when its last week is new, with a large-transaction threshold of 2,000', () => {
    const { history, lastWeek } = normalMonthSplit();
    const settings = { ...DEFAULT_ALERT_SETTINGS, largeTransactionThreshold: 2000 };

    const alerts = evaluateTransactions({ history, newTransactions: lastWeek, settings, now: new Date(`${NORMAL_MONTH_LAST_DAY}T23:00:00Z`) });

    expect(reasons(alerts)).toEqual([]);
  });

  it('stays silent on every week of it, each judged against the weeks before', () => {
    const month = normalMonth();
    const alerts: Alert[] = [];
    for (let start = 35; start < DAYS; start += 7) {
      const from = addDays(NORMAL_MONTH_FIRST_DAY, start);
      const to = addDays(from, 7);
      alerts.push(
        ...evaluateTransactions({
          history: month.filter((tx) => tx.date < from),
          newTransactions: month.filter((tx) => tx.date >= from && tx.date < to),
          settings: FRAUD_ONLY,
          now: new Date(`${to}T00:00:00Z`),
        }),
      );
    }
    expect(reasons(alerts)).toEqual([]);
  });

  it('has balances that do not alert under a $100.00 low-balance threshold', () => {
    const alerts = evaluateBalances({ accounts: NORMAL_ACCOUNTS, settings: { ...DEFAULT_ALERT_SETTINGS, lowBalanceThreshold: 100 }, now: SCENARIO_NOW });

    expect(alerts).toEqual([]);
  });
});

describe('each rule fires on its fixture', () => {
  it.each(transactionScenarios.map((make) => [make().rule, make] as const))('%s', (rule, make) => {
    const scenario = make();

    const alerts = evaluateTransactions(scenario);

    expect(alerts.map((a) => ({ rule: a.rule, transactionId: a.transactionId, reason: text(a), dedupeKey: a.dedupeKey }))).toEqual([
      { rule, ...scenario.expected },
    ]);
  });

  it('low-balance', () => {
    const scenario = lowBalance();

    const alerts = evaluateBalances(scenario);

    expect(alerts).toEqual([
      {
        rule: 'low-balance',
        kind: 'low-balance',
        accountId: scenario.expected.accountId,
        dedupeKey: scenario.expected.dedupeKey,
        reason: { type: 'low-balance', balance: 35, currency: 'USD', threshold: 100, available: true, account: 'Everyday Checking' },
        amount: 35,
        currency: 'USD',
        date: SCENARIO_DAY,
      },
    ]);
    expect(alerts.map(text)).toEqual([scenario.expected.reason]);
  });

  it('explains the issue example: $912.40 at a new electronics shop is both unusual and a new merchant', () => {
    const alerts = onScenarioDay([{ id: 'txn-electro', amount: 912.4, time: '15:00', name: 'ELECTRO-WORLD', category: C.electronics, location: NEW_YORK }]);

    expect(reasons(alerts)).toEqual([
      'unusual-amount: 9× your usual spend on electronics',
      'new-merchant-high-amount: first payment at this merchant in 90 days',
    ]);
    expect(alerts.every((a) => a.kind === 'fraud' && a.merchant === 'ELECTRO-WORLD' && a.amount === 912.4 && a.currency === 'USD')).toBe(true);
  });

  it('names the account and keeps the time of day, for the alert to say them once', () => {
    const [alert] = evaluateTransactions({
      history: normalMonth(),
      newTransactions: [transaction({ id: 'txn-electro', amount: 912.4, date: SCENARIO_DAY, time: '15:00', name: 'ELECTRO-WORLD', category: C.electronics, location: NEW_YORK })],
      settings: FRAUD_ONLY,
      now: SCENARIO_NOW,
      accounts: [{ ...CARD, name: `Platinum Card ${CARD.mask ?? ''}` }],
    });

    expect([alert?.account, alert?.datetime, alert?.payee]).toEqual(['Platinum Card', `${SCENARIO_DAY}T15:00:00Z`, { name: 'ELECTRO-WORLD', paidTo: false }]);
  });

  it('gives each reason as facts, for the sentence to be written in the person’s language', () => {
    const alerts = onScenarioDay([{ id: 'txn-electro', amount: 912.4, time: '15:00', name: 'ELECTRO-WORLD', category: C.electronics, location: NEW_YORK }]);

    const payee = { name: 'ELECTRO-WORLD', paidTo: false };
    expect(alerts.map((a) => a.reason)).toEqual([
      { type: 'unusual-amount', amount: 912.4, currency: 'USD', payee, times: 9, usual: 100, category: 'GENERAL_MERCHANDISE_ELECTRONICS', primaryCategory: 'GENERAL_MERCHANDISE' },
      { type: 'new-merchant', amount: 912.4, currency: 'USD', payee, days: 90 },
    ]);
  });
});

describe('unusual-amount', () => {
  const tv = { id: 'txn-tv', amount: 912.4, time: '15:04', name: 'BEST BUY 00012', merchantName: 'Best Buy', category: C.electronics, location: NEW_YORK };

  it('needs five past payments in the category to know what is usual', () => {
    // Two furniture purchases in 90 days, and nothing else for the home: no "usual" to compare with.
    const sofa = { id: 'txn-sofa', amount: 900, time: '19:00', name: 'IKEA BROOKLYN', merchantName: 'IKEA', category: C.furniture, location: NEW_YORK };

    expect(onScenarioDay([sofa])).toEqual([]);
  });

  it('falls back to the primary category when the detailed one has too little history', () => {
    const alerts = onScenarioDay([{ id: 'txn-ps5', amount: 700, name: 'BEST BUY 00012', merchantName: 'Best Buy', category: ['GENERAL_MERCHANDISE', 'GENERAL_MERCHANDISE_VIDEO_GAMES'] }]);

    expect(reasons(alerts)).toEqual([expect.stringMatching(/^unusual-amount: \d+× your usual spend on general merchandise$/)]);
  });

  it('against the primary category, needs more than the largest payment in it (a first $80 bar bill is not food-and-drink fraud)', () => {
    const bar = { id: 'txn-bar', amount: 80, time: '23:30', name: 'THE DEAD RABBIT', category: ['FOOD_AND_DRINK', 'FOOD_AND_DRINK_BEER_WINE_AND_LIQUOR'] as const };

    expect(onScenarioDay([bar])).toEqual([]);
    expect(reasons(onScenarioDay([{ ...bar, amount: 400 }]))).toEqual([
      expect.stringMatching(/^unusual-amount: \d+× your usual spend on food and drink$/),
      'new-merchant-high-amount: first payment at this merchant in 90 days',
    ]);
  });

  it('never fires under $50, however rare the amount (no alert on a $40 coffee)', () => {
    expect(onScenarioDay([{ id: 'txn-coffee', amount: 40, name: 'BLUE BOTTLE COFFEE', merchantName: 'Blue Bottle Coffee', category: C.coffee }])).toEqual([]);
  });

  it('does not fire for an amount the person has already paid that merchant (rent against utilities)', () => {
    const rent = { id: 'txn-rent', account: CHECKING, amount: 1200, name: 'GREENVIEW', merchantName: 'Greenview Property Mgmt', category: C.rent, channel: 'other' as const };

    expect(onScenarioDay([rent])).toEqual([]);
  });

  it('compares only with past payments in the same currency', () => {
    const inEuros = { ...tv, id: 'txn-tv-eur', currency: 'EUR', location: undefined };

    expect(reasons(onScenarioDay([inEuros])).filter((r) => r.startsWith('unusual-amount'))).toEqual([]);
  });
});

describe('new-merchant-high-amount', () => {
  // No category from the bank: the unusual-amount rule cannot judge it, only this one.
  const electro = { id: 'txn-electro', amount: 280, name: 'ELECTRO-WORLD', category: null };

  it('stays silent while stored history covers less than 30 days', () => {
    const history = normalMonth().filter((tx) => tx.date >= '2025-03-05');

    expect(onScenarioDay([electro], FRAUD_ONLY, history)).toEqual([]);
  });

  it('says how far back it looked', () => {
    const history = normalMonth().filter((tx) => tx.date >= '2025-02-15');

    expect(reasons(onScenarioDay([electro], FRAUD_ONLY, history))).toEqual([
      'new-merchant-high-amount: first payment at this merchant in 45 days',
    ]);
  });

  it('stays silent under $250', () => {
    expect(onScenarioDay([{ ...electro, amount: 249.99 }])).toEqual([]);
  });

  it('knows a merchant under another spelling or store number', () => {
    expect(merchantKeyOf('STARBUCKS #1234')).toBe(merchantKeyOf('Starbucks 5678'));
    expect(merchantKeyOf('Electro-World')).toBe(merchantKeyOf('ELECTRO WORLD'));

    expect(onScenarioDay([{ id: 'txn-ikea', amount: 400, name: 'IKEA #448', category: C.furniture }])).toEqual([]);
  });

  it('fires once when two large payments reach the same new merchant in one sync', () => {
    const alerts = onScenarioDay([
      { ...electro, id: 'txn-electro-a', time: '10:00' },
      { ...electro, id: 'txn-electro-b', time: '14:00' },
    ]);

    expect(alerts.map((a) => a.transactionId)).toEqual(['txn-electro-a']);
  });
});

describe('foreign-transaction', () => {
  it('fires on a charge in dollars made in another country', () => {
    const alerts = onScenarioDay([{ id: 'txn-cdmx', amount: 42.5, name: 'OXXO CDMX', merchantName: 'OXXO', category: C.fastFood, location: { country: 'MX' } }]);

    expect(reasons(alerts)).toEqual(['foreign-transaction: charged abroad, in Mexico']);
  });

  it('fires on a charge in a currency the account does not use, even without a location', () => {
    const alerts = onScenarioDay([{ id: 'txn-eur', amount: 45, currency: 'EUR', name: 'LE PETIT CAFE', merchantName: 'Le Petit Café', category: C.restaurant, channel: 'online' }]);

    expect(reasons(alerts)).toEqual(['foreign-transaction: charged in EUR, not USD as usual']);
  });

  it('stays silent under 20 and at home (the home country in any case)', () => {
    const settings = { ...FRAUD_ONLY, homeCountry: 'us' };

    const alerts = onScenarioDay(
      [
        { id: 'txn-small', amount: 19.99, name: 'OXXO', category: C.fastFood, location: { country: 'MX' } },
        { id: 'txn-home', amount: 60, name: 'Joe’s Pizza', category: C.restaurant, location: { country: 'US' } },
      ],
      settings,
    );

    expect(alerts).toEqual([]);
  });
});

describe('rapid-succession', () => {
  const charge = (id: string, time: string | undefined) => ({ id, amount: 1, time, name: 'GIFTCARDHUB.IO', merchantName: 'Gift Card Hub', category: null, channel: 'online' as const });

  it('stays silent on two charges, and on three spread over more than ten minutes', () => {
    expect(onScenarioDay([charge('a', '03:00'), charge('b', '03:01')])).toEqual([]);
    expect(onScenarioDay([charge('a', '03:00'), charge('b', '03:06'), charge('c', '03:12')])).toEqual([]);
  });

  it('alerts once for a burst that the next sync continues', () => {
    const first = onScenarioDay([charge('a', '03:00'), charge('b', '03:01'), charge('c', '03:02')]);
    const history = [...normalMonth(), ...['a', 'b', 'c'].map((id, i) => transaction({ ...charge(id, `03:0${i}`), date: SCENARIO_DAY }))];

    const second = onScenarioDay([charge('d', '03:04')], FRAUD_ONLY, history);

    expect(reasons(first)).toEqual([
      'rapid-succession: 3 charges here in 2 minutes',
    ]);
    expect(second).toEqual([]);
  });

  it('counts the fourth charge on one day when the bank gives only dates', () => {
    const three = onScenarioDay([charge('a', undefined), charge('b', undefined), charge('c', undefined)]);
    const four = onScenarioDay([charge('a', undefined), charge('b', undefined), charge('c', undefined), { ...charge('d', undefined), amount: 2.5 }]);

    expect(three).toEqual([]);
    expect(four.map((a) => [a.transactionId, text(a)])).toEqual([
      ['d', '4 charges here on Apr 1, $5.50 in all'],
    ]);
  });

  it('ignores refunds in the middle of a burst', () => {
    const refund = { ...charge('r', '03:01'), amount: -1 };

    expect(onScenarioDay([charge('a', '03:00'), refund, charge('b', '03:02')])).toEqual([]);
  });
});

describe('large-transaction', () => {
  const settings = { ...DEFAULT_ALERT_SETTINGS, fraudAlerts: false, largeTransactionThreshold: 1000 };

  it('fires at exactly the threshold', () => {
    const alerts = onScenarioDay([{ id: 'txn-sofa', amount: 1000, name: 'IKEA', category: C.furniture }], settings);

    expect(reasons(alerts)).toEqual(['large-transaction: reaches your $1,000 alert']);
    expect(alerts[0]?.kind).toBe('large-transaction');
  });

  it('is off when the threshold is null', () => {
    expect(onScenarioDay([{ id: 'txn-big', amount: 5000, name: 'IKEA', category: C.furniture }], { ...settings, largeTransactionThreshold: null })).toEqual([]);
  });

  it('says when the threshold is the default one, which the person never chose', () => {
    const sofa = { id: 'txn-sofa', amount: 1000, name: 'IKEA', category: C.furniture };

    expect(reasons(onScenarioDay([sofa], DEFAULT_ALERT_SETTINGS).filter((a) => a.rule === 'large-transaction'))).toEqual(['large-transaction: over the default $500 alert']);
  });

  it('never shows an account or reference number from the bank’s description', () => {
    const transfer = { id: 'txn-transfer', account: CHECKING, amount: 2500, name: 'ONLINE TRANSFER TO SAV XXXXXX7781 REF #55821044', category: null, channel: 'other' as const };

    const [alert] = onScenarioDay([transfer], settings);

    expect([alert?.payee, text(alert)]).toEqual([{ name: 'ONLINE TRANSFER TO SAV REF', paidTo: true }, 'over your $1,000 alert']);
    expect(JSON.stringify(alert)).not.toMatch(/7781|55821044/);
  });
});

describe('low-balance', () => {
  const settings = { ...DEFAULT_ALERT_SETTINGS, lowBalanceThreshold: 100 };
  const checkingAt = (available: number | null, current: number | null) => ({ ...CHECKING, balances: { ...CHECKING.balances, available, current } });

  it('uses the ledger balance when the bank gives no available balance', () => {
    const alerts = evaluateBalances({ accounts: [checkingAt(null, 80)], settings, now: SCENARIO_NOW });

    expect(alerts.map(text)).toEqual(['Your Everyday Checking balance is $80.00, below the $100.00 you set for low-balance alerts.']);
  });

  it('alerts at most once a day per account: the key names the UTC day', () => {
    const accounts = [checkingAt(35, 35)];
    const morning = evaluateBalances({ accounts, settings, now: new Date('2025-04-01T00:00:01Z') });
    const evening = evaluateBalances({ accounts, settings, now: new Date('2025-04-01T23:59:59Z') });
    const tomorrow = evaluateBalances({ accounts, settings, now: new Date('2025-04-02T00:00:01Z') });

    expect(morning.map((a) => a.dedupeKey)).toEqual(evening.map((a) => a.dedupeKey));
    expect(tomorrow.map((a) => a.dedupeKey)).toEqual(['low-balance:acc-checking:2025-04-02']);
  });

  it('is off by default and never looks at credit cards or loans', () => {
    expect(evaluateBalances({ accounts: [checkingAt(5, 5)], settings: DEFAULT_ALERT_SETTINGS, now: SCENARIO_NOW })).toEqual([]);
    expect(evaluateBalances({ accounts: [{ ...CARD, balances: { ...CARD.balances, available: 3 } }], settings, now: SCENARIO_NOW })).toEqual([]);
  });

  it('keeps the account number out of the reason even when the bank puts it in the name', () => {
    const [alert] = evaluateBalances({ accounts: [{ ...checkingAt(35, 35), name: 'Checking 4821', mask: '4821' }], settings, now: SCENARIO_NOW });

    expect(text(alert)).toBe('Your Checking available balance is $35.00, below the $100.00 you set for low-balance alerts.');
  });
});

describe('first sync', () => {
  const wholeMonth = () => ({ history: [], newTransactions: normalMonth(), now: new Date(`${NORMAL_MONTH_LAST_DAY}T23:00:00Z`) });
  const suspicious = [...unusualAmount().newTransactions, ...foreignTransaction().newTransactions, ...rapidSuccession().newTransactions].map((tx) => ({
    ...tx,
    date: NORMAL_MONTH_LAST_DAY,
  }));

  it('sends no fraud alert when the whole history arrives as new with no stored history', () => {
    const { history, newTransactions, now } = wholeMonth();

    const alerts = evaluateTransactions({ history, newTransactions: [...newTransactions, ...suspicious], settings: FRAUD_ONLY, now });

    expect(alerts).toEqual([]);
  });

  it('sends no fraud alert when the caller says initialSync, even with another bank’s history stored', () => {
    const otherBank = normalMonth(99).map((tx) => ({ ...tx, transactionId: `other-${tx.transactionId}`, accountId: 'acc-other' }));

    const alerts = evaluateTransactions({ ...wholeMonth(), history: otherBank, newTransactions: suspicious, settings: FRAUD_ONLY, initialSync: true });

    expect(alerts).toEqual([]);
  });

  it('sends large-transaction alerts only for the last few days, not for three months of rent', () => {
    const { history, newTransactions, now } = wholeMonth();
    const yesterday = transaction({ id: 'txn-recent', account: CHECKING, amount: 1800, date: addDays(NORMAL_MONTH_LAST_DAY, -1), name: 'Tesla Service', category: null });

    const alerts = evaluateTransactions({ history, newTransactions: [...newTransactions, yesterday], settings: { ...DEFAULT_ALERT_SETTINGS, largeTransactionThreshold: 1000 }, now, initialSync: true });

    expect(alerts.map((a) => `${a.rule} ${a.transactionId}`)).toEqual(['large-transaction txn-recent']);
  });
});

describe('pending then posted', () => {
  const pending = transaction({ id: 'txn-pending', amount: 912.4, date: SCENARIO_DAY, time: '15:00', name: 'ELECTRO-WORLD', category: C.electronics, pending: true });
  const posted = transaction({ id: 'txn-posted', amount: 912.4, date: SCENARIO_DAY, name: 'ELECTRO-WORLD', category: C.electronics, pendingTransactionId: 'txn-pending' });
  const settings = { ...DEFAULT_ALERT_SETTINGS, largeTransactionThreshold: 500 };

  it('gives the posted version the pending one’s dedupe keys, whether or not the pending one is still stored', () => {
    const first = evaluateTransactions({ history: normalMonth(), newTransactions: [pending], settings, now: SCENARIO_NOW });
    const stillStored = evaluateTransactions({ history: [...normalMonth(), pending], newTransactions: [posted], settings, now: SCENARIO_NOW });
    const removed = evaluateTransactions({ history: normalMonth(), newTransactions: [posted], settings, now: SCENARIO_NOW });

    const keys = first.map((a) => a.dedupeKey);
    expect(keys).toEqual(['txn:txn-pending:unusual-amount', 'txn:txn-pending:new-merchant-high-amount', 'txn:txn-pending:large-transaction']);
    expect(stillStored.map((a) => a.dedupeKey)).toEqual(keys);
    expect(removed.map((a) => a.dedupeKey)).toEqual(keys);
    expect(stillStored.every((a) => a.transactionId === 'txn-posted')).toBe(true);
  });

  it('counts both versions as one purchase when they arrive in one sync', () => {
    const alerts = evaluateTransactions({ history: normalMonth(), newTransactions: [pending, posted], settings, now: SCENARIO_NOW });

    expect(alerts.map((a) => `${a.transactionId} ${a.dedupeKey}`)).toEqual([
      'txn-posted txn:txn-pending:unusual-amount',
      'txn-posted txn:txn-pending:new-merchant-high-amount',
      'txn-posted txn:txn-pending:large-transaction',
    ]);
  });

  it('does not count the pending and posted versions of one charge as two charges in a burst', () => {
    const at = (id: string, time: string, extra: Partial<Spend> = {}) =>
      transaction({ id, amount: 1, date: SCENARIO_DAY, time, name: 'GIFTCARDHUB.IO', category: null, channel: 'online', ...extra });
    const history = [...normalMonth(), at('p1', '03:00', { pending: true }), at('p2', '03:01', { pending: true })];

    const alerts = evaluateTransactions({ history, newTransactions: [at('s1', '03:00', { pendingTransactionId: 'p1' })], settings: FRAUD_ONLY, now: SCENARIO_NOW });

    expect(alerts).toEqual([]);
  });
});

describe('money in', () => {
  it('never alerts: refunds and income, however large, foreign, new or frequent', () => {
    const moneyIn = [
      { id: 'in-1', amount: -1500, name: 'ELECTRO-WORLD REFUND', category: C.electronics, location: { country: 'MX' }, currency: 'MXN' },
      { id: 'in-2', account: CHECKING, amount: -5000, name: 'BONUS PAYROLL', category: C.salary, channel: 'other' as const },
      ...['a', 'b', 'c', 'd'].map((id, i) => ({ id: `in-refund-${id}`, amount: -1, time: `03:0${i}`, name: 'GIFTCARDHUB.IO', category: null })),
    ];

    expect(onScenarioDay(moneyIn, ALL_ON)).toEqual([]);
  });
});

describe('fraud alerts off', () => {
  it('silences the four fraud rules but not the large-transaction alert', () => {
    const scenarios = [unusualAmount(), newMerchantHighAmount(), foreignTransaction(), rapidSuccession(), largeTransaction()];
    const newTransactions = scenarios.flatMap((s) => s.newTransactions);
    const settings = { ...DEFAULT_ALERT_SETTINGS, fraudAlerts: false, largeTransactionThreshold: 250 };

    const alerts = evaluateTransactions({ history: normalMonth(), newTransactions, settings, now: SCENARIO_NOW });

    expect(alerts.map((a) => `${a.rule} ${a.transactionId}`).sort()).toEqual([
      'large-transaction txn-bestbuy-tv',
      'large-transaction txn-electro-1',
      'large-transaction txn-rent-april',
    ]);
  });
});

describe('properties', () => {
  const ids = ['t1', 't2', 't3', 't4', 't5', 't6'];
  const names = ['ELECTRO-WORLD', 'Electro World #0042', 'Gift Card Hub', 'OXXO', 'ACCT 123456789 TRANSFER', '', '12345'];
  const categories = [null, C.electronics, C.coffee, C.rent, C.groceries, ['', ''] as const];

  const transactionArb: fc.Arbitrary<BankTransaction> = fc
    .record({
      transactionId: fc.constantFrom(...ids),
      accountId: fc.constantFrom('acc-a', 'acc-b'),
      amount: fc.oneof(fc.integer({ min: -2000, max: 2000 }), fc.double(), fc.constantFrom(1, 912.4, 0, -0)),
      currency: fc.constantFrom('USD', 'EUR', 'MXN', 'usd', 'XX', '', '99999'),
      date: fc.oneof(fc.integer({ min: 0, max: 120 }).map((d) => addDays('2025-01-01', d)), fc.constantFrom('', 'not-a-date', '2025-13-45')),
      datetime: fc.option(fc.oneof(fc.integer({ min: 0, max: 120 * 1440 }).map((m) => new Date(Date.parse('2025-01-01T00:00:00Z') + m * 60_000).toISOString()), fc.constant('garbage')), { nil: undefined }),
      name: fc.constantFrom(...names),
      merchantName: fc.option(fc.constantFrom(...names), { nil: undefined }),
      category: fc.constantFrom(...categories).map((c) => (c ? { primary: c[0], detailed: c[1] } : null)),
      pending: fc.boolean(),
      pendingTransactionId: fc.option(fc.constantFrom(...ids), { nil: undefined }),
      paymentChannel: fc.option(fc.constantFrom('online' as const, 'in store' as const, 'other' as const), { nil: undefined }),
      location: fc.option(fc.record({ country: fc.option(fc.constantFrom('US', 'MX', 'us', 'ZZ', '', '1234'), { nil: undefined }) }), { nil: undefined }),
    })
    .map((tx) => Object.fromEntries(Object.entries(tx).filter(([, v]) => v !== undefined)) as unknown as BankTransaction);

  const inputArb: fc.Arbitrary<TransactionsToEvaluate> = fc.record({
    history: fc.array(transactionArb, { maxLength: 25 }),
    newTransactions: fc.array(transactionArb, { maxLength: 12 }),
    settings: fc.record({
      fraudAlerts: fc.boolean(),
      largeTransactionThreshold: fc.option(fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.double()), { nil: null }),
      lowBalanceThreshold: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
      homeCountry: fc.constantFrom('US', 'MX', 'us', ''),
    }),
    now: fc.date({ noInvalidDate: false }),
    initialSync: fc.option(fc.boolean(), { nil: undefined }),
  });

  it('never throws', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        evaluateTransactions(input);
      }),
      { numRuns: 500 },
    );
  });

  it('gives every alert of one call its own dedupe key', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const keys = evaluateTransactions(input).map((a) => a.dedupeKey);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same alerts when run again on the same input', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        expect(evaluateTransactions(structuredClone(input))).toEqual(evaluateTransactions(input));
      }),
      { numRuns: 300 },
    );
  });

  it('alerts only on new money out, fraud only when fraud alerts are on, and never shows a long number', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const fresh = new Set(input.newTransactions.filter((tx) => Number.isFinite(tx.amount) && tx.amount > 0).map((tx) => tx.transactionId));
        for (const alert of evaluateTransactions(input)) {
          expect(fresh.has(alert.transactionId ?? '')).toBe(true);
          if (!input.settings.fraudAlerts) expect(alert.kind).not.toBe('fraud');
          expect(text(alert)).not.toMatch(/\d{4}/);
          expect(reasonText(alert.reason, { lang: 'es', locale: 'es-US' })).not.toMatch(/\d{4}/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
