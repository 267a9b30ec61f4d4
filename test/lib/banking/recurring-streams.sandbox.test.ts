/**
 * `recurringStreams` of the production Plaid adapter (official SDK) against the sandbox bank's
 * real `/transactions/recurring/get`: the fixture person's streams arrive as domain values, and the
 * bank's failures arrive classified, retried only where the adapter's policy says so.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../dev/sandbox-bank/data';
import type { SandboxBank } from '../../../dev/sandbox-bank/server';
import type { TransactionStream } from '../../../dev/sandbox-bank/types';
import { createPlaidConnector } from '../../../lib/banking/plaid-connector';
import type { RecurringStream } from '../../../lib/banking/bank-connector';
import { BankAccessRevoked, BankError, BankLoginRequired, BankRateLimited, BankUnavailable } from '../../../lib/errors';
import { CLIENT_ID, FIXED_NOW, SECRET, linkItem, plaid, startBank } from '../../dev/sandbox-bank/support';

const TODAY = FIXED_NOW.toISOString().slice(0, 10);
const PATH = '/transactions/recurring/get';

let bank: SandboxBank;
let waits: number[] = [];

beforeAll(async () => {
  bank = await startBank({ seed: 'recurring-adapter' });
});

afterEach(() => {
  bank.controls.clearFailures();
  bank.controls.setLatency(0);
  waits = [];
});

afterAll(async () => {
  await bank.close();
});

/** The production adapter on the bank, its backoff waits recorded instead of slept. */
const connector = (options: { maxAttempts?: number; timeoutMs?: number } = {}) =>
  createPlaidConnector(
    { baseUrl: bank.url, clientId: CLIENT_ID, secret: SECRET, ...options },
    {
      sleep: async (ms) => {
        waits.push(ms);
      },
    },
  );

const callsFor = (accessToken: string) => bank.apiCalls().filter((c) => c.path === PATH && c.accessToken === accessToken).length;

async function failureOf(promise: Promise<unknown>): Promise<BankError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof BankError)) throw new Error(`expected a BankError, got ${String(error)}`);
  return error;
}

const byName = (streams: RecurringStream[], name: string) => streams.find((s) => (s.merchantName ?? s.description) === name);

describe('recurringStreams against the sandbox bank', () => {
  it('gives user_subscriptions’ rent, subscriptions and pay as domain streams', async () => {
    const { accessToken } = await linkItem(bank, { username: 'user_subscriptions' });
    const checking = bank.controls.getItem(accessToken).accounts.find((a) => a.subtype === 'checking')!;

    const { inflows, outflows, updatedAt } = await connector().recurringStreams(accessToken);

    expect(byName(outflows, 'Oakwood Apartments')).toMatchObject({
      accountId: checking.account_id,
      direction: 'outflow',
      frequency: 'monthly',
      status: 'mature',
      isActive: true,
      averageAmount: 1450,
      lastAmount: 1450,
      currency: 'USD',
      predictedNextDate: addDays(TODAY, 4),
      category: { primary: 'RENT_AND_UTILITIES', detailed: 'RENT_AND_UTILITIES_RENT' },
    });
    expect(byName(outflows, 'Netflix')).toMatchObject({ frequency: 'monthly', status: 'mature', lastAmount: 17.99, averageAmount: 16.32 });
    expect(byName(outflows, 'Disney+')).toMatchObject({ frequency: 'monthly', status: 'early-detection', isActive: true });
    expect(byName(outflows, 'DoorDash')).toBeUndefined();
    expect(inflows.find((s) => s.category?.detailed === 'INCOME_WAGES')).toMatchObject({ direction: 'inflow', frequency: 'semi-monthly', averageAmount: -1900 });
    expect(inflows.map((s) => s.description).sort()).toEqual(['ACME CORP PAYROLL PPD ID: 9876543210', 'PAYMENT RECEIVED - THANK YOU']);
    expect(updatedAt).toEqual(FIXED_NOW);
  });

  it('maps every stream the bank sends, under the ids of the transactions a sync reports', async () => {
    const { accessToken } = await linkItem(bank, { username: 'user_subscriptions' });
    const raw = await plaid<{ inflow_streams: TransactionStream[]; outflow_streams: TransactionStream[] }>(bank, PATH, { access_token: accessToken });
    const known = new Set(bank.controls.listTransactions(accessToken).map((t) => t.transaction_id));

    const { inflows, outflows } = await connector().recurringStreams(accessToken);

    expect(inflows.map((s) => s.streamId)).toEqual(raw.body.inflow_streams.map((s) => s.stream_id));
    expect(outflows.map((s) => s.streamId)).toEqual(raw.body.outflow_streams.map((s) => s.stream_id));
    expect([...inflows, ...outflows].flatMap((s) => s.transactionIds).every((id) => known.has(id))).toBe(true);
  });

  it('gives a person without recurring payments no streams', async () => {
    const { accessToken } = await linkItem(bank, { username: 'user_new_account' });

    expect(await connector().recurringStreams(accessToken)).toMatchObject({ inflows: [], outflows: [] });
  });
});

describe('failures, classified', () => {
  it('needs the person to log in again when the bank says so, and does not repeat the call', async () => {
    const { accessToken } = await linkItem(bank, { username: 'user_subscriptions' });
    bank.controls.forceLoginRequired(accessToken);

    const error = await failureOf(connector().recurringStreams(accessToken));

    expect(error).toBeInstanceOf(BankLoginRequired);
    expect(error).toMatchObject({ retryable: false, errorCode: 'ITEM_LOGIN_REQUIRED' });
    expect(callsFor(accessToken)).toBe(1);
  });

  it('treats a removed item as access revoked', async () => {
    const { accessToken } = await linkItem(bank, { username: 'user_subscriptions' });
    await connector().removeItem(accessToken, 'person-revoked');

    expect(await failureOf(connector().recurringStreams(accessToken))).toBeInstanceOf(BankAccessRevoked);
  });

  it('repeats the call after a 5xx and returns the answer that came', async () => {
    const { accessToken } = await linkItem(bank, { username: 'user_subscriptions' });
    bank.controls.failNext(PATH, 2, 'INTERNAL_SERVER_ERROR');

    const { outflows } = await connector({ maxAttempts: 3 }).recurringStreams(accessToken);

    expect(outflows.length).toBeGreaterThan(0);
    expect(callsFor(accessToken)).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it('gives up on a rate limit after its attempts, still saying it may be retried later', async () => {
    const { accessToken } = await linkItem(bank, { username: 'user_subscriptions' });
    bank.controls.failNext(PATH, 5, 'RATE_LIMIT_EXCEEDED');

    const error = await failureOf(connector({ maxAttempts: 3 }).recurringStreams(accessToken));

    expect(error).toBeInstanceOf(BankRateLimited);
    expect(error.retryable).toBe(true);
    expect(callsFor(accessToken)).toBe(3);
  });

  it('stops waiting at the adapter’s timeout', async () => {
    const { accessToken } = await linkItem(bank, { username: 'user_subscriptions' });
    bank.controls.setLatency(400);

    const error = await failureOf(connector({ maxAttempts: 1, timeoutMs: 100 }).recurringStreams(accessToken));

    expect(error).toBeInstanceOf(BankUnavailable);
    expect(error.message).toBe(`Plaid ${PATH} timed out after 100 ms`);
  });
});
