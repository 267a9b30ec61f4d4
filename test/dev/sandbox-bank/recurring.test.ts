/**
 * `/transactions/recurring/get` over HTTP: every request and answer held to Plaid's spec, strictly
 * (through `plaid()`), the fixtures of user_subscriptions read back as streams, and the streams
 * following the ledger as transactions are posted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../dev/sandbox-bank/data';
import type { SandboxBank } from '../../../dev/sandbox-bank/server';
import type { TransactionStream } from '../../../dev/sandbox-bank/types';
import { FIXED_NOW, errorOf, linkItem, plaid, startBank } from './support';

interface RecurringBody {
  inflow_streams: TransactionStream[];
  outflow_streams: TransactionStream[];
  updated_datetime: string;
}

interface AccountsBody {
  accounts: { account_id: string; subtype: string; balances: { available: number | null; current: number } }[];
}

const TODAY = FIXED_NOW.toISOString().slice(0, 10);

let bank: SandboxBank;

beforeAll(async () => {
  bank = await startBank({ seed: 'recurring-tests' });
});

afterAll(async () => {
  await bank.close();
});

async function recurring(accessToken: string, extra: Record<string, unknown> = {}): Promise<RecurringBody> {
  const res = await plaid<RecurringBody>(bank, '/transactions/recurring/get', { access_token: accessToken, ...extra });
  expect(res.status).toBe(200);
  return res.body;
}

const named = (streams: TransactionStream[], name: string) => streams.filter((s) => (s.merchant_name ?? s.description) === name);

async function subscriber() {
  const linked = await linkItem(bank, { username: 'user_subscriptions' });
  const accounts = (await plaid<AccountsBody>(bank, '/accounts/get', { access_token: linked.accessToken })).body.accounts;
  const checking = accounts.find((a) => a.subtype === 'checking')!;
  const card = accounts.find((a) => a.subtype === 'credit card')!;
  return { ...linked, checking, card };
}

describe('user_subscriptions’ streams', () => {
  it('has rent due in 4 days, from a checking account that holds less than the rent', async () => {
    const { accessToken, checking } = await subscriber();
    const [rent, ...others] = named((await recurring(accessToken)).outflow_streams, 'Oakwood Apartments');

    expect(others).toEqual([]);
    expect(rent).toMatchObject({
      account_id: checking.account_id,
      frequency: 'MONTHLY',
      status: 'MATURE',
      is_active: true,
      predicted_next_date: addDays(TODAY, 4),
      average_amount: { amount: 1450, iso_currency_code: 'USD' },
      last_amount: { amount: 1450 },
    });
    expect(checking.balances.current).toBe(985.4);
    expect(checking.balances.available ?? checking.balances.current).toBeLessThan(rent!.average_amount.amount);
  });

  it('has a subscription whose last charge went up: Netflix 15.49, 15.49, then 17.99', async () => {
    const { accessToken, card } = await subscriber();
    const [netflix] = named((await recurring(accessToken)).outflow_streams, 'Netflix');
    const byId = new Map(bank.controls.listTransactions(accessToken).map((t) => [t.transaction_id, t]));

    expect(netflix).toMatchObject({ account_id: card.account_id, frequency: 'MONTHLY', status: 'MATURE', is_active: true, last_amount: { amount: 17.99 }, average_amount: { amount: 16.32 } });
    expect(netflix!.transaction_ids.map((id) => byId.get(id)?.amount)).toEqual([15.49, 15.49, 17.99]);
  });

  it('has a subscription that began after a free trial: two Disney+ charges, the first a month into the history', async () => {
    const { accessToken } = await subscriber();
    const [disney] = named((await recurring(accessToken)).outflow_streams, 'Disney+');
    const history = bank.controls.listTransactions(accessToken).map((t) => t.date).sort();

    expect(disney).toMatchObject({ frequency: 'MONTHLY', status: 'EARLY_DETECTION', is_active: true, last_amount: { amount: 13.99 } });
    expect(disney!.transaction_ids).toHaveLength(2);
    // Nothing in the month before the first charge, though the history reaches further back: new.
    expect(addDays(history[0]!, 31) < disney!.first_date).toBe(true);
  });

  it('has the same DoorDash order charged twice today, which is no stream', async () => {
    const { accessToken } = await subscriber();
    const doordash = bank.controls.listTransactions(accessToken).filter((t) => t.merchant_name === 'DoorDash');
    const body = await recurring(accessToken);

    expect(doordash.map((t) => [t.date, t.amount])).toEqual([
      [TODAY, 38.62],
      [TODAY, 38.62],
    ]);
    expect(named(body.outflow_streams, 'DoorDash')).toEqual([]);
  });

  it('is paid on the 1st and the 15th, rides transit weekly, and no shop visit is a stream', async () => {
    const { accessToken } = await subscriber();
    const body = await recurring(accessToken);

    expect(body.inflow_streams.find((s) => s.personal_finance_category.detailed === 'INCOME_WAGES')).toMatchObject({
      frequency: 'SEMI_MONTHLY',
      status: 'MATURE',
      average_amount: { amount: -1900 },
    });
    expect(named(body.outflow_streams, 'CapMetro')[0]).toMatchObject({ frequency: 'WEEKLY', status: 'MATURE', last_amount: { amount: 11.25 } });
    expect(body.outflow_streams.map((s) => s.merchant_name ?? s.description).sort()).toEqual(
      ['CapMetro', 'CREDIT CARD AUTOPAY', 'Disney+', 'Netflix', 'Oakwood Apartments', 'Spotify', 'T-Mobile'].sort(),
    );
  });

  it('lists each stream’s transactions by posting date, all of them from its merchant and account', async () => {
    const { accessToken } = await subscriber();
    const byId = new Map(bank.controls.listTransactions(accessToken).map((t) => [t.transaction_id, t]));
    const body = await recurring(accessToken);

    for (const stream of [...body.inflow_streams, ...body.outflow_streams]) {
      const members = stream.transaction_ids.map((id) => byId.get(id)!);
      expect(members.every((t) => t.account_id === stream.account_id && t.name === stream.description), stream.description).toBe(true);
      expect(members.map((t) => t.date)).toEqual(members.map((t) => t.date).sort());
      expect([stream.first_date, stream.last_date]).toEqual([members[0]!.date, members[members.length - 1]!.date]);
    }
  });
});

describe('streams follow the ledger', () => {
  it('keeps a stream whole when its latest charge is repeated (a double charge)', async () => {
    const { accessToken, card } = await subscriber();
    const before = named((await recurring(accessToken)).outflow_streams, 'Spotify')[0]!;
    const last = bank.controls.listTransactions(accessToken).find((t) => t.transaction_id === before.transaction_ids.at(-1))!;

    const again = bank.controls.postTransaction(accessToken, {
      account_id: card.account_id,
      merchant: 'Spotify',
      amount: last.amount,
      date: last.date,
      authorized_date: last.authorized_date ?? last.date,
    });
    const after = named((await recurring(accessToken)).outflow_streams, 'Spotify');

    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ stream_id: before.stream_id, frequency: before.frequency, predicted_next_date: before.predicted_next_date });
    expect([...after[0]!.transaction_ids].sort()).toEqual([...before.transaction_ids, again.transaction_id].sort());
  });

  it('moves the rent’s next date a month on once it is paid', async () => {
    const { accessToken, checking } = await subscriber();

    bank.controls.postTransaction(accessToken, { account_id: checking.account_id, merchant: 'Oakwood Apartments', amount: 1450, category: 'RENT_AND_UTILITIES_RENT', date: TODAY });
    const [rent] = named((await recurring(accessToken)).outflow_streams, 'Oakwood Apartments');

    expect(rent).toMatchObject({ last_date: TODAY, status: 'MATURE' });
    expect(rent!.transaction_ids).toHaveLength(4);
    expect(rent!.predicted_next_date! > addDays(TODAY, 20)).toBe(true);
  });

  it('gives the same streams, ids included, on every call', async () => {
    const { accessToken } = await subscriber();

    const streams = async () => {
      const { request_id: _requestId, ...body } = (await recurring(accessToken)) as RecurringBody & { request_id: string };
      return body;
    };

    expect(await streams()).toEqual(await streams());
  });
});

describe('request handling', () => {
  it('returns only the streams of the accounts asked for', async () => {
    const { accessToken, card } = await subscriber();
    const body = await recurring(accessToken, { account_ids: [card.account_id] });

    expect(body.outflow_streams.length).toBeGreaterThan(0);
    expect([...body.inflow_streams, ...body.outflow_streams].every((s) => s.account_id === card.account_id)).toBe(true);
  });

  it('accepts the options the spec lists', async () => {
    const { accessToken } = await subscriber();

    expect((await recurring(accessToken, { options: { personal_finance_category_version: 'v2' } })).outflow_streams.length).toBeGreaterThan(0);
  });

  it.each([
    ['an account of another item', { account_ids: ['not-an-account'] }, { status: 400, type: 'INVALID_INPUT', code: 'INVALID_ACCOUNT_ID' }, false],
    ['an unknown option', { options: { include_everything: true } }, { status: 400, type: 'INVALID_REQUEST', code: 'UNKNOWN_FIELDS' }, true],
    ['a taxonomy version that does not exist', { options: { personal_finance_category_version: 'v9' } }, { status: 400, type: 'INVALID_REQUEST', code: 'INVALID_FIELD' }, true],
    ['a field the endpoint does not have', { cursor: 'x' }, { status: 400, type: 'INVALID_REQUEST', code: 'UNKNOWN_FIELDS' }, true],
  ])('refuses %s', async (_name, extra, expected, invalidRequest) => {
    const { accessToken } = await subscriber();

    const res = await plaid(bank, '/transactions/recurring/get', { access_token: accessToken, ...extra }, { invalidRequest });

    expect(errorOf(res)).toEqual(expected);
  });

  it('needs an access token', async () => {
    const res = await plaid(bank, '/transactions/recurring/get', {}, { invalidRequest: true });

    expect(errorOf(res)).toEqual({ status: 400, type: 'INVALID_REQUEST', code: 'MISSING_FIELDS' });
  });

  it('fails like the other item endpoints when the login is needed or the item is gone', async () => {
    const broken = await subscriber();
    const removed = await subscriber();
    bank.controls.forceLoginRequired(broken.accessToken);
    await plaid(bank, '/item/remove', { access_token: removed.accessToken });

    const loginRequired = await plaid(bank, '/transactions/recurring/get', { access_token: broken.accessToken });
    const gone = await plaid(bank, '/transactions/recurring/get', { access_token: removed.accessToken });

    expect(errorOf(loginRequired)).toEqual({ status: 400, type: 'ITEM_ERROR', code: 'ITEM_LOGIN_REQUIRED' });
    expect(errorOf(gone)).toEqual({ status: 400, type: 'ITEM_ERROR', code: 'ITEM_NOT_FOUND' });
  });
});
