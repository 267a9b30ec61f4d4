/**
 * The sandbox bank's stream detection as a pure function: its cadence rules on hand-made ledgers,
 * and, over a year of clock dates, the test people's generated ledgers — the money-insight fixtures
 * appear for user_subscriptions on every day, and never for anyone else.
 */
import { describe, expect, it } from 'vitest';
import {
  INSTITUTIONS,
  PEOPLE,
  addDays,
  buildTransaction,
  findMerchant,
  generateHistory,
  stableId,
  type TestPerson,
} from '../../../dev/sandbox-bank/data';
import { detectRecurringStreams } from '../../../dev/sandbox-bank/recurring';
import type { Transaction, TransactionStream } from '../../../dev/sandbox-bank/types';

// ── hand-made ledgers ──────────────────────────────────────────────────────────────────────────

let n = 0;
/** A posted payment made and posted on `date` (or posted on `posted`), to a catalogue merchant. */
function paid(merchant: string, amount: number, date: string, options: { account?: string; posted?: string; pending?: boolean } = {}): Transaction {
  return buildTransaction({
    transaction_id: stableId('t', String((n += 1))),
    account_id: options.account ?? 'acc-1',
    merchant: findMerchant(merchant)!,
    amount,
    date: options.posted ?? date,
    authorizedDate: date,
    time: null,
    pending: options.pending ?? false,
  });
}

const everyDays = (merchant: string, amount: number, first: string, days: number, count: number) =>
  Array.from({ length: count }, (_, i) => paid(merchant, amount, addDays(first, i * days)));

const streamsOf = (transactions: Transaction[], today: string) => {
  const { inflow_streams, outflow_streams } = detectRecurringStreams(transactions, today);
  return [...inflow_streams, ...outflow_streams];
};

describe('cadences', () => {
  it('finds weekly and biweekly payments and continues their grid', () => {
    const streams = streamsOf([...everyDays('transit', 11.25, '2026-10-05', 7, 6), ...everyDays('payroll', -2000, '2026-09-04', 14, 5)], '2026-11-12');

    expect(streams.map((s) => [s.merchant_name ?? s.description, s.frequency, s.status, s.predicted_next_date])).toEqual([
      ['ACME CORP PAYROLL PPD ID: 9876543210', 'BIWEEKLY', 'MATURE', '2026-11-13'],
      ['CapMetro', 'WEEKLY', 'MATURE', '2026-11-16'],
    ]);
  });

  it('tells pay on the 1st and 15th (semi-monthly) from pay every other Friday (biweekly)', () => {
    const dates = ['2026-08-01', '2026-08-15', '2026-09-01', '2026-09-15', '2026-10-01', '2026-10-15'];
    const [stream] = streamsOf(dates.map((d) => paid('payroll', -1900, d)), '2026-10-20');

    expect(stream).toMatchObject({ frequency: 'SEMI_MONTHLY', status: 'MATURE', predicted_next_date: '2026-11-01' });
  });

  it('keeps a bill due on the 31st on the 31st, through the months that have no 31st', () => {
    const dates = ['2026-07-31', '2026-08-31', '2026-09-30', '2026-10-31', '2026-11-30'];
    const [stream] = streamsOf(dates.map((d) => paid('rent', 1450, d)), '2026-12-02');

    expect(stream).toMatchObject({ frequency: 'MONTHLY', predicted_next_date: '2026-12-31' });
  });

  it('finds an annual payment from two years', () => {
    const [stream] = streamsOf([paid('gym', 240, '2025-03-10'), paid('gym', 240, '2026-03-12')], '2026-06-01');

    expect(stream).toMatchObject({ frequency: 'ANNUALLY', status: 'MATURE', predicted_next_date: '2027-03-12' });
  });

  it('reads card payments by the day they were made, not the day they posted', () => {
    const made = ['2026-08-12', '2026-09-12', '2026-10-12'];
    const posted = ['2026-08-12', '2026-09-14', '2026-10-13'];
    const [stream] = streamsOf(made.map((d, i) => paid('netflix', 15.49, d, { posted: posted[i] })), '2026-10-20');

    expect(stream).toMatchObject({ frequency: 'MONTHLY', first_date: '2026-08-12', last_date: '2026-10-13', predicted_next_date: '2026-11-12' });
  });

  it('forgives one missed month, but not a bill every other month', () => {
    const skipped = streamsOf(['2026-06-30', '2026-07-30', '2026-09-30', '2026-10-30'].map((d) => paid('payroll', -5800, d)), '2026-11-01');
    const bimonthly = streamsOf(['2026-05-10', '2026-07-10', '2026-09-10'].map((d) => paid('electric', 90, d)), '2026-09-20');

    expect(skipped).toMatchObject([{ frequency: 'MONTHLY', status: 'MATURE' }]);
    expect(bimonthly).toEqual([]);
  });

  it('splits two monthly transfers to one payee on different days and amounts into two streams', () => {
    const months = ['2026-08', '2026-09', '2026-10'];
    const transfers = months.flatMap((m) => [paid('toSavings', 600, `${m}-03`), paid('toSavings', 150, `${m}-17`)]);
    const streams = streamsOf(transfers, '2026-10-20');

    expect(streams.map((s) => [s.frequency, s.average_amount.amount, s.predicted_next_date]).sort()).toEqual([
      ['MONTHLY', 150, '2026-11-17'],
      ['MONTHLY', 600, '2026-11-03'],
    ]);
    expect(new Set(streams.map((s) => s.stream_id)).size).toBe(2);
  });
});

describe('what is not a stream', () => {
  it('ignores irregular shopping, a lone payment and pending charges', () => {
    const shopping = ['2026-10-01', '2026-10-03', '2026-10-09', '2026-10-10', '2026-10-21'].map((d, i) => paid('starbucks', 4 + i, d));
    const pending = everyDays('spotify', 11.99, '2026-08-20', 30, 3).map((t) => ({ ...t, pending: true }));

    expect(streamsOf([...shopping, paid('amazon', 89.99, '2026-10-02'), ...pending], '2026-10-25')).toEqual([]);
  });

  it('needs one price from a subscription: two different amounts a month apart are chance', () => {
    expect(streamsOf([paid('chipotle', 18.42, '2026-09-03'), paid('chipotle', 18.41, '2026-10-03')], '2026-10-10')).toEqual([]);
    expect(streamsOf([paid('chipotle', 18.42, '2026-09-03'), paid('chipotle', 18.42, '2026-10-03')], '2026-10-10')).toHaveLength(1);
  });

  it('needs three shop visits a week apart before calling them weekly', () => {
    expect(streamsOf(everyDays('greenBasket', 24.69, '2026-10-01', 7, 2), '2026-10-09')).toEqual([]);
    expect(streamsOf(everyDays('greenBasket', 24.69, '2026-10-01', 7, 3), '2026-10-16')).toHaveLength(1);
  });
});

describe('status', () => {
  it('reports a stream of two as early, then tombstoned once its next date passes unpaid', () => {
    const two = everyDays('disneyPlus', 13.99, '2026-09-19', 30, 2);

    expect(streamsOf(two, '2026-10-25')[0]).toMatchObject({ status: 'EARLY_DETECTION', is_active: true, predicted_next_date: '2026-11-19' });
    expect(streamsOf(two, '2026-11-27')[0]).toMatchObject({ status: 'TOMBSTONED', is_active: false, predicted_next_date: null });
  });

  it('keeps a mature stream mature but inactive once it stops', () => {
    const [stream] = streamsOf(everyDays('spotify', 11.99, '2026-05-20', 31, 3), '2026-09-30');

    expect(stream).toMatchObject({ status: 'MATURE', is_active: false, predicted_next_date: null });
  });

  it('averages every charge and reports the last, after a price change', () => {
    const charges = [paid('netflix', 15.49, '2026-08-12'), paid('netflix', 15.49, '2026-09-12'), paid('netflix', 17.99, '2026-10-12')];
    const [stream] = streamsOf(charges, '2026-10-20');

    expect(stream).toMatchObject({ average_amount: { amount: 16.32, iso_currency_code: 'USD' }, last_amount: { amount: 17.99 }, transaction_ids: charges.map((t) => t.transaction_id) });
  });

  it('gives a stream the same id whatever else the ledger holds', () => {
    const spotify = everyDays('spotify', 11.99, '2026-08-20', 30, 3);
    const alone = streamsOf(spotify, '2026-10-25')[0]!;
    const withOthers = streamsOf([...spotify, ...everyDays('netflix', 15.49, '2026-08-12', 31, 3)], '2026-10-25');

    expect(withOthers.find((s) => s.merchant_name === 'Spotify')?.stream_id).toBe(alone.stream_id);
  });
});

// ── the test people over a year ────────────────────────────────────────────────────────────────

/** A person's ledger on `today` at an institution, with account keys as account ids. */
function ledger(person: TestPerson, institution: (typeof INSTITUTIONS)[number], today: string): Transaction[] {
  let id = 0;
  return generateHistory(person, institution, today, 'sandbox-bank').map((draft) =>
    buildTransaction({
      transaction_id: stableId(person.username, String((id += 1))),
      account_id: draft.accountKey,
      merchant: draft.merchant,
      amount: draft.amount,
      date: draft.date,
      authorizedDate: draft.authorizedDate,
      time: draft.time,
      pending: draft.pending,
    }),
  );
}

const nameOf = (s: TransactionStream) => s.merchant_name ?? s.description;
const merchantOf = (t: Transaction) => t.merchant_name ?? t.name;

/**
 * The four money-insight fixtures, as a reader of the streams and the ledger would find them. Each
 * list names the merchants that show one.
 */
function fixturesIn(person: TestPerson, transactions: Transaction[], today: string) {
  const { outflow_streams: outflows } = detectRecurringStreams(transactions, today);
  const historyStart = addDays(today, -(person.historyDays - 1));
  const amountsOf = (s: TransactionStream) => s.transaction_ids.map((id) => transactions.find((t) => t.transaction_id === id)!.amount);
  const available = (accountKey: string) => {
    const account = person.accounts.find((a) => a.key === accountKey)!;
    const held = transactions.filter((t) => t.account_id === accountKey && t.pending).reduce((sum, t) => sum + t.amount, 0);
    return account.type === 'depository' ? account.current - held : undefined;
  };
  const charges = transactions.filter((t) => t.amount > 0);
  return {
    priceIncrease: outflows
      .filter((s) => {
        const amounts = amountsOf(s);
        return amounts.length >= 3 && amounts.slice(0, -1).every((a) => a === amounts[0]) && amounts.at(-1)! > amounts[0]!;
      })
      .map(nameOf),
    newSubscription: outflows.filter((s) => s.status === 'EARLY_DETECTION' && s.first_date > addDays(historyStart, 40)).map(nameOf),
    doubleCharge: [
      ...new Set(
        charges
          .filter((t, i) => charges.some((u, j) => j !== i && merchantOf(u) === merchantOf(t) && u.amount === t.amount && u.authorized_date === t.authorized_date))
          .map(merchantOf),
      ),
    ],
    billAboveBalance: outflows
      .filter((s) => s.is_active && s.predicted_next_date! <= addDays(today, 7))
      .filter((s) => {
        const balance = available(s.account_id);
        return balance !== undefined && balance < s.average_amount.amount;
      })
      .map(nameOf),
  };
}

/** Every fifth day of a year, so each day of the month and both ends of every month come up. */
const DATES = Array.from({ length: 73 }, (_, i) => addDays('2026-01-03', i * 5));
const INSTITUTIONS_SAMPLED = [INSTITUTIONS[0]!, INSTITUTIONS[3]!];
const subscriber = PEOPLE.find((p) => p.username === 'user_subscriptions')!;

describe('the test people, on any day of the year', () => {
  it('no random purchase of anyone becomes a stream', () => {
    const strays: string[] = [];
    for (const person of PEOPLE) {
      const regular = new Set(
        person.patterns.flatMap((p) => (p.kind === 'random' || p.kind === 'once' ? [] : p.kind === 'transfer' ? [p.out, p.in] : [p.merchant])).map((k) => findMerchant(k)!.name),
      );
      for (const institution of INSTITUTIONS_SAMPLED) {
        for (const today of DATES) {
          const { inflow_streams, outflow_streams } = detectRecurringStreams(ledger(person, institution, today), today);
          for (const s of [...inflow_streams, ...outflow_streams]) if (!regular.has(s.description)) strays.push(`${today} ${person.username} ${s.description}`);
        }
      }
    }
    expect(strays).toEqual([]);
  });

  it('user_subscriptions shows each fixture, and only on the merchant it was set up on', () => {
    for (const institution of INSTITUTIONS_SAMPLED) {
      for (const today of DATES) {
        expect(fixturesIn(subscriber, ledger(subscriber, institution, today), today), today).toEqual({
          priceIncrease: ['Netflix'],
          newSubscription: ['Disney+'],
          doubleCharge: ['DoorDash'],
          billAboveBalance: ['Oakwood Apartments'],
        });
      }
    }
  });

  it('user_subscriptions’ rent is always due in exactly 4 days', () => {
    for (const today of DATES) {
      const { outflow_streams } = detectRecurringStreams(ledger(subscriber, INSTITUTIONS[0]!, today), today);
      expect(outflow_streams.find((s) => s.merchant_name === 'Oakwood Apartments')?.predicted_next_date, today).toBe(addDays(today, 4));
    }
  });

  it.each(PEOPLE.filter((p) => p !== subscriber).map((p) => [p.username, p] as const))('%s has none of the fixtures', (_name, person) => {
    for (const institution of INSTITUTIONS_SAMPLED) {
      for (const today of DATES) {
        expect(fixturesIn(person, ledger(person, institution, today), today), today).toEqual({ priceIncrease: [], newSubscription: [], doubleCharge: [], billAboveBalance: [] });
      }
    }
  });
});
