import { describe, expect, it } from 'vitest';
import type { RecurringStream } from '../../../lib/banking/bank-connector';
import type { AccountView, MoneyContext } from '../../../lib/assistant/money';
import { billsReply, incomeReply, monthlyEquivalent, payeeOf, subscriptionsReply, upcomingDays } from '../../../lib/assistant/recurring';
import type { Language } from '../../../lib/text/language';

/**
 * The answers about recurring payments, from fixed streams on a fixed day: Wednesday 10 June 2026,
 * in UTC. Checking holds $985.40, less than the rent it pays on the 14th.
 */
const TODAY = '2026-06-10';
const NOW = new Date(`${TODAY}T15:00:00.000Z`);
const ctx = (lang: Language = 'en', today = TODAY): MoneyContext => ({
  lang,
  locale: lang === 'en' ? 'en-US' : 'es-US',
  timeZone: 'UTC',
  now: new Date(`${today}T15:00:00.000Z`),
  today,
  heldFrom: '2026-03-13',
});

const PRIMARIES = ['RENT_AND_UTILITIES', 'GENERAL_MERCHANDISE', 'PERSONAL_CARE', 'LOAN_PAYMENTS', 'TRANSFER_OUT', 'ENTERTAINMENT', 'TRANSPORTATION', 'INCOME'];
let n = 0;
const stream = (over: Partial<RecurringStream> & Pick<RecurringStream, 'description' | 'frequency' | 'lastAmount'>, detailed: string): RecurringStream => ({
  streamId: `stream-${++n}`,
  accountId: 'acc-card',
  direction: over.lastAmount < 0 ? 'inflow' : 'outflow',
  category: { primary: PRIMARIES.find((p) => detailed.startsWith(`${p}_`))!, detailed },
  averageAmount: over.lastAmount,
  currency: 'USD',
  firstDate: '2026-03-15',
  lastDate: '2026-06-01',
  isActive: true,
  status: 'mature',
  transactionIds: ['t-1', 't-2', 't-3'],
  ...over,
});

// Subscriptions of every cadence; Netflix's price went up on the last charge.
const netflix = stream({ description: 'NETFLIX.COM', merchantName: 'Netflix', frequency: 'monthly', lastAmount: 17.99, averageAmount: 16.32, predictedNextDate: '2026-06-30' }, 'ENTERTAINMENT_TV_AND_MOVIES');
const transit = stream({ description: 'CAPMETRO MOBILE TICKET', merchantName: 'CapMetro', frequency: 'weekly', lastAmount: 11.25, predictedNextDate: '2026-06-15' }, 'TRANSPORTATION_PUBLIC_TRANSIT');
const gym = stream({ description: 'RIVERSIDE FITNESS CLUB', merchantName: 'Riverside Fitness', frequency: 'biweekly', lastAmount: 20, predictedNextDate: '2026-06-19' }, 'PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS');
const prime = stream({ description: 'AMAZON PRIME*1X2Y3', merchantName: 'Amazon Prime', frequency: 'annually', lastAmount: 139, predictedNextDate: '2027-01-03' }, 'GENERAL_MERCHANDISE_ONLINE_MARKETPLACES');
// Found early (two payments so far): a subscription all the same.
const disney = stream({ description: 'DISNEY PLUS', merchantName: 'Disney+', frequency: 'monthly', lastAmount: 13.99, predictedNextDate: '2026-07-07', status: 'early-detection' }, 'ENTERTAINMENT_TV_AND_MOVIES');
// An early stream whose next payment never came: not running any more.
const lapsed = stream({ description: 'HULU', merchantName: 'Hulu', frequency: 'monthly', lastAmount: 7.99, status: 'tombstoned', isActive: false }, 'ENTERTAINMENT_TV_AND_MOVIES');
// Bills, paid from checking (rent, phone) or by moving money (the card payment).
const rent = stream({ accountId: 'acc-checking', description: 'OAKWOOD APARTMENTS RENT WEB PMT', merchantName: 'Oakwood Apartments', frequency: 'monthly', lastAmount: 1450, predictedNextDate: '2026-06-14' }, 'RENT_AND_UTILITIES_RENT');
const phone = stream({ accountId: 'acc-checking', description: 'T-MOBILE AUTOPAY', merchantName: 'T-Mobile', frequency: 'monthly', lastAmount: 45, predictedNextDate: '2026-06-16' }, 'RENT_AND_UTILITIES_TELEPHONE');
const cardPayment = stream({ accountId: 'acc-checking', description: 'CREDIT CARD AUTOPAY', frequency: 'monthly', lastAmount: 370, averageAmount: 365.5, predictedNextDate: '2026-06-24' }, 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT');
// Money to the person's own savings: neither a bill nor a subscription.
const toSavings = stream({ accountId: 'acc-checking', description: 'TRANSFER TO SAVINGS', frequency: 'monthly', lastAmount: 600, predictedNextDate: '2026-06-13' }, 'TRANSFER_OUT_SAVINGS');
// Money in: pay twice a month, and interest (not pay).
const pay = stream({ accountId: 'acc-checking', description: 'ACME CORP PAYROLL PPD ID: 9876543210', frequency: 'semi-monthly', lastAmount: -1900, lastDate: '2026-06-01', predictedNextDate: '2026-06-15' }, 'INCOME_WAGES');
const interest = stream({ accountId: 'acc-savings', description: 'INTEREST PAYMENT', frequency: 'monthly', lastAmount: -24.1, lastDate: '2026-05-28', predictedNextDate: '2026-06-28' }, 'INCOME_INTEREST_EARNED');

const ALL = [netflix, transit, gym, prime, disney, lapsed, rent, phone, cardPayment, toSavings, pay, interest];

const checking: AccountView = {
  accountId: 'acc-checking',
  itemId: 'item-1',
  name: 'Everyday Checking',
  mask: '2468',
  type: 'depository',
  subtype: 'checking',
  balances: { available: 985.4, current: 985.4, limit: null, currency: 'USD' },
  balancesAsOf: NOW.toISOString(),
};
const card: AccountView = {
  accountId: 'acc-card',
  itemId: 'item-1',
  name: 'Cash Back Card',
  mask: '1357',
  type: 'credit',
  subtype: 'credit card',
  balances: { available: 3357.82, current: 642.18, limit: 4000, currency: 'USD' },
  balancesAsOf: NOW.toISOString(),
};

const titles = (message: { quick_replies?: { title: string }[] }) => (message.quick_replies ?? []).map((q) => q.title);

describe('what a recurring payment comes to a month', () => {
  it.each([
    ['weekly', 10, 43.33],
    ['biweekly', 10, 21.67],
    ['semi-monthly', 10, 20],
    ['monthly', 10, 10],
    ['annually', 120, 10],
    ['annually', 139, 11.58],
  ] as const)('turns %s payments of %d into %d a month', (frequency, amount, perMonth) => {
    expect(monthlyEquivalent(amount, frequency)).toBe(perMonth);
  });

  it('has no monthly figure for a payment without a cadence', () => {
    expect(monthlyEquivalent(10, 'unknown')).toBeUndefined();
  });
});

describe('who a stream pays or is paid by', () => {
  it('names the merchant when the bank gives one', () => {
    expect(payeeOf(netflix)).toBe('Netflix');
  });

  it('takes the reference numbers off a statement descriptor', () => {
    expect(payeeOf(pay)).toBe('ACME CORP PAYROLL');
    expect(payeeOf(stream({ description: 'CITY WATER UTIL 00012345678', frequency: 'monthly', lastAmount: 30 }, 'RENT_AND_UTILITIES_WATER'))).toBe('CITY WATER UTIL');
  });
});

describe('subscriptions', () => {
  it('lists each running subscription at its latest price with its month’s worth and next date, and the total a month', () => {
    const reply = subscriptionsReply(ALL, {}, ctx());
    expect(reply.text).toBe(
      [
        'You have 5 subscriptions, about $135.64 a month in all:',
        '• CapMetro: $11.25 a week (about $48.75 a month), next Jun 15',
        '• Riverside Fitness: $20.00 every 2 weeks (about $43.33 a month), next Jun 19',
        '• Netflix: $17.99 a month, next Jun 30',
        '• Disney+: $13.99 a month, next Jul 7',
        '• Amazon Prime: $139.00 a year (about $11.58 a month), next Jan 3',
      ].join('\n'),
    );
    expect(titles(reply)).toEqual(['Upcoming bills', 'Balance', 'Spending this month', 'Recent transactions', 'Alert settings']);
  });

  it('says the total exactly when every subscription is monthly', () => {
    expect(subscriptionsReply([netflix, disney, rent], {}, ctx()).text!.split('\n')[0]).toBe('You have 2 subscriptions, $31.98 a month in all:');
  });

  it('answers in Spanish', () => {
    expect(subscriptionsReply([netflix, transit], {}, ctx('es')).text).toBe(
      ['Tienes 2 suscripciones, unos $66.74 al mes en total:', '• CapMetro: $11.25 a la semana (unos $48.75 al mes), el próximo el 15 jun', '• Netflix: $17.99 al mes, el próximo el 30 jun'].join('\n'),
    );
  });

  it('narrows to the merchant asked about', () => {
    expect(subscriptionsReply(ALL, { merchant: 'netflix' }, ctx()).text).toBe('You have 1 subscription, $17.99 a month:\n• Netflix: $17.99 a month, next Jun 30');
  });

  it('says when there is none for the merchant asked about, or none at all', () => {
    expect(subscriptionsReply(ALL, { merchant: 'hulu' }, ctx()).text).toBe("I don't see a subscription for Hulu in the last 90 days of your accounts.");
    expect(subscriptionsReply([rent, pay], {}, ctx('es')).text).toBe('No veo suscripciones en los últimos 90 días de tus cuentas.');
  });
});

describe('bills', () => {
  it('lists what falls due in the next 7 days with the total, and the account that holds less than a bill it pays', () => {
    const reply = billsReply(ALL, {}, [checking, card], ctx());
    expect(reply.text).toBe(
      [
        '3 bills due in the next 7 days, $1,506.25 in all:',
        '• Jun 14 Oakwood Apartments: $1,450.00',
        '  Everyday Checking ••2468 has $985.40, less than this.',
        '• Jun 15 CapMetro: $11.25',
        '• Jun 16 T-Mobile: $45.00',
      ].join('\n'),
    );
    expect(titles(reply)[0]).toBe('My subscriptions');
  });

  it('says nothing of balances it may not show', () => {
    expect(billsReply(ALL, {}, [], ctx()).text).not.toContain('Everyday Checking');
  });

  it('covers this week to Sunday, and the rest of the month', () => {
    expect(billsReply(ALL, { period: 'this-week' }, [], ctx()).text).toBe('1 bill due this week:\n• Jun 14 Oakwood Apartments: $1,450.00');
    const month = billsReply(ALL, { period: 'this-month' }, [], ctx()).text!;
    expect(month.split('\n')[0]).toBe('6 bills due by the end of the month, $1,914.24 in all:');
    expect(month).toContain('• Jun 24 CREDIT CARD AUTOPAY: $370.00');
  });

  it('says when nothing is due, and what comes next (money to one’s own savings is not a bill)', () => {
    expect(billsReply(ALL, { period: 'today' }, [], ctx()).text).toBe('No bills due today.\nThe next: Oakwood Apartments, $1,450.00 on Jun 14.');
  });

  it('answers "when is rent due?" with that bill’s next date and amount', () => {
    expect(billsReply(ALL, { category: 'rent' }, [checking], ctx()).text).toBe('Oakwood Apartments: $1,450.00 due Jun 14 (in 4 days).\n  Everyday Checking ••2468 has $985.40, less than this.');
  });

  it('answers "¿cuándo vence la renta?" in Spanish', () => {
    expect(billsReply(ALL, { category: 'rent' }, [checking], ctx('es')).text).toBe(
      'Oakwood Apartments: $1,450.00, vence el 14 jun (en 4 días).\n  Everyday Checking ••2468 tiene $985.40, menos que esto.',
    );
  });

  it('says a bill is due today or tomorrow, and when one expected has not been paid', () => {
    expect(billsReply(ALL, { merchant: 'netflix' }, [], ctx('en', '2026-06-30')).text).toBe('Netflix: $17.99 due Jun 30 (today).');
    expect(billsReply(ALL, { merchant: 't mobile' }, [], ctx('es', '2026-06-15')).text).toBe('T-Mobile: $45.00, vence el 16 jun (mañana).');
    expect(billsReply(ALL, { category: 'rent' }, [], ctx('en', '2026-06-16')).text).toBe("Oakwood Apartments: $1,450.00 was expected on Jun 14; I don't see it paid yet.");
  });

  it('says when no bill matches the one asked about', () => {
    expect(billsReply(ALL, { merchant: 'comcast' }, [], ctx()).text).toBe("I don't see a regular payment for Comcast in the last 90 days of your accounts.");
  });

  it('looks at a named month ahead, in the next year when it has passed', () => {
    expect(upcomingDays('month-7', ctx())).toEqual({ from: '2026-07-01', to: '2026-07-31', when: 'in July' });
    expect(upcomingDays('month-1', ctx('es'))).toEqual({ from: '2027-01-01', to: '2027-01-31', when: 'en enero de 2027' });
    expect(upcomingDays('this-week', ctx('en', '2026-06-14'))).toEqual({ from: '2026-06-14', to: '2026-06-14', when: 'this week' });
    expect(upcomingDays('last-month', ctx())).toEqual({ from: TODAY, to: '2026-06-16', when: 'in the next 7 days' });
  });
});

describe('pay', () => {
  it('gives the last pay and when the next is expected', () => {
    const reply = incomeReply(ALL, {}, ctx());
    expect(reply.text).toBe('Your last pay, $1,900.00 from ACME CORP PAYROLL, came in on Jun 1.\nThe next is expected on Jun 15 (in 5 days).');
    expect(titles(reply)[0]).toBe('Upcoming bills');
  });

  it('answers in Spanish', () => {
    expect(incomeReply(ALL, {}, ctx('es')).text).toBe('Tu último pago, $1,900.00 de ACME CORP PAYROLL, llegó el 1 jun.\nEl siguiente se espera el 15 jun (en 5 días).');
  });

  it('says when pay expected has not come in', () => {
    expect(incomeReply(ALL, {}, ctx('en', '2026-06-17')).text).toBe(
      "Your last pay, $1,900.00 from ACME CORP PAYROLL, came in on Jun 1.\nThe next was expected on Jun 15; I don't see it yet.",
    );
  });

  it('says whether pay came in during the period asked about', () => {
    expect(incomeReply(ALL, { period: 'this-week' }, ctx()).text!.split('\n')[0]).toBe("I don't see pay this week (Jun 8\u2009–\u200910).");
    expect(incomeReply(ALL, { period: 'this-month' }, ctx()).text!.split('\n')[0]).toBe('Yes, pay came in this month (Jun 1\u2009–\u200910).');
  });

  it('lists each payer when there are several', () => {
    const second = stream({ accountId: 'acc-checking', description: 'CITY SCHOOLS PAYROLL', frequency: 'monthly', lastAmount: -640, lastDate: '2026-05-30', predictedNextDate: '2026-06-30' }, 'INCOME_WAGES');
    expect(incomeReply([pay, second, interest], {}, ctx()).text).toBe(
      ['Your pay:', '• ACME CORP PAYROLL: $1,900.00 on Jun 1, next expected Jun 15', '• CITY SCHOOLS PAYROLL: $640.00 on May 30, next expected Jun 30'].join('\n'),
    );
  });

  it('says when no regular pay comes in (interest is not pay)', () => {
    expect(incomeReply([interest, netflix], {}, ctx()).text).toBe("I don't see regular pay coming into your accounts in the last 90 days.");
  });
});
