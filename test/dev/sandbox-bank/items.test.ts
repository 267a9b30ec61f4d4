import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxBank } from '../../../dev/sandbox-bank/server';
import { validateRequest, validateResponse } from '../../support/plaid-spec';
import { CLIENT_ID, SECRET, errorOf, linkItem, plaid, startBank } from './support';

let bank: SandboxBank;
let clock = new Date('2026-11-20T15:30:00Z').getTime();

beforeAll(async () => {
  bank = await startBank({ now: () => new Date(clock) });
});

afterAll(async () => {
  await bank.close();
});

interface AccountsBody {
  accounts: { account_id: string; type: string; subtype: string; mask: string; balances: { available: number; current: number; limit: number | null; iso_currency_code: string } }[];
  item: { item_id: string; institution_id: string; error: { error_code: string } | null };
}

describe('public tokens', () => {
  it('exchanges once for an access-sandbox token and an item id; a second exchange fails', async () => {
    const created = await plaid<{ public_token: string }>(bank, '/sandbox/public_token/create', { institution_id: 'ins_109510', initial_products: ['transactions'] });
    expect(created.body.public_token).toMatch(/^public-sandbox-[0-9a-f-]{36}$/);
    const first = await plaid(bank, '/item/public_token/exchange', { public_token: created.body.public_token });
    const second = await plaid(bank, '/item/public_token/exchange', { public_token: created.body.public_token });
    expect(first.body.access_token).toMatch(/^access-sandbox-[0-9a-f-]{36}$/);
    expect(first.body.item_id).toEqual(expect.any(String));
    expect(errorOf(second)).toEqual({ status: 400, type: 'INVALID_INPUT', code: 'INVALID_PUBLIC_TOKEN' });
  });

  it('expires a public token after 30 minutes', async () => {
    const created = await plaid<{ public_token: string }>(bank, '/sandbox/public_token/create', { institution_id: 'ins_109508', initial_products: ['transactions'] });
    clock += 31 * 60_000;
    const late = await plaid(bank, '/item/public_token/exchange', { public_token: created.body.public_token });
    expect(errorOf(late)).toEqual({ status: 400, type: 'INVALID_INPUT', code: 'INVALID_PUBLIC_TOKEN' });
  });

  it('refuses unknown institutions, products and test users', async () => {
    const institution = await plaid(bank, '/sandbox/public_token/create', { institution_id: 'ins_1', initial_products: ['transactions'] });
    const product = await plaid(bank, '/sandbox/public_token/create', { institution_id: 'ins_109508', initial_products: ['investments'] });
    const user = await plaid(bank, '/sandbox/public_token/create', {
      institution_id: 'ins_109508',
      initial_products: ['transactions'],
      options: { override_username: 'user_nobody' },
    });
    expect(errorOf(institution)).toEqual({ status: 400, type: 'INVALID_INPUT', code: 'INVALID_INSTITUTION' });
    expect(errorOf(product)).toEqual({ status: 400, type: 'INVALID_INPUT', code: 'INVALID_PRODUCT' });
    expect(errorOf(user)).toEqual({ status: 400, type: 'INVALID_REQUEST', code: 'INVALID_FIELD' });
  });
});

describe('items, accounts and balances', () => {
  it('gives user_good a checking, a savings and a credit card account', async () => {
    const { accessToken, itemId } = await linkItem(bank);
    const res = await plaid<AccountsBody>(bank, '/accounts/get', { access_token: accessToken });
    expect(res.body.accounts.map((a) => [a.type, a.subtype])).toEqual([
      ['depository', 'checking'],
      ['depository', 'savings'],
      ['credit', 'credit card'],
    ]);
    expect(res.body.item).toMatchObject({ item_id: itemId, institution_id: 'ins_109508', error: null });
    const card = res.body.accounts[2]!;
    expect(card.balances.limit).toBe(5000);
    expect(card.balances.available).toBeLessThanOrEqual(card.balances.limit! - card.balances.current);
  });

  it.each([
    ['user_custom_saver', ['checking', 'savings', 'savings']],
    ['user_big_spender', ['checking', 'credit card', 'credit card']],
    ['user_new_account', ['checking']],
  ])('gives %s their own accounts', async (username, subtypes) => {
    const { accessToken } = await linkItem(bank, { username, institutionId: 'ins_109511' });
    const res = await plaid<AccountsBody>(bank, '/accounts/get', { access_token: accessToken });
    expect(res.body.accounts.map((a) => a.subtype)).toEqual(subtypes);
  });

  it('returns only the requested accounts from /accounts/balance/get', async () => {
    const { accessToken } = await linkItem(bank);
    const all = await plaid<AccountsBody>(bank, '/accounts/get', { access_token: accessToken });
    const savings = all.body.accounts[1]!;
    const res = await plaid<AccountsBody>(bank, '/accounts/balance/get', { access_token: accessToken, options: { account_ids: [savings.account_id] } });
    expect(res.body.accounts).toHaveLength(1);
    expect(res.body.accounts[0]).toMatchObject({ account_id: savings.account_id, balances: { iso_currency_code: 'USD', last_updated_datetime: expect.any(String) } });
  });

  it('refuses an account id that is not the item’s', async () => {
    const { accessToken } = await linkItem(bank);
    const res = await plaid(bank, '/accounts/get', { access_token: accessToken, options: { account_ids: ['nope'] } });
    expect(errorOf(res)).toEqual({ status: 400, type: 'INVALID_INPUT', code: 'INVALID_ACCOUNT_ID' });
  });

  it('reflects a balance changed through the controls', async () => {
    const { accessToken } = await linkItem(bank);
    const checking = bank.controls.getItem(accessToken).accounts[0]!;
    bank.controls.setBalance(accessToken, checking.account_id, { current: 12.34, available: 10 });
    const res = await plaid<AccountsBody>(bank, '/accounts/balance/get', { access_token: accessToken });
    expect(res.body.accounts[0]!.balances).toMatchObject({ current: 12.34, available: 10 });
  });

  it('describes the item on /item/get with its products and status', async () => {
    const { accessToken, itemId } = await linkItem(bank);
    const res = await plaid(bank, '/item/get', { access_token: accessToken });
    expect(res.body).toMatchObject({
      item: { item_id: itemId, institution_name: 'First Platypus Bank', billed_products: ['transactions'], error: null },
      status: { transactions: { last_successful_update: expect.any(String) } },
    });
  });
});

describe('item removal', () => {
  it('invalidates the access token for every endpoint', async () => {
    const { accessToken } = await linkItem(bank);
    const removed = await plaid(bank, '/item/remove', { access_token: accessToken });
    expect(removed.status).toBe(200);
    expect(Object.keys(removed.body)).toEqual(['request_id']);

    const calls: [string, Record<string, unknown>][] = [
      ['/item/get', { access_token: accessToken }],
      ['/accounts/get', { access_token: accessToken }],
      ['/accounts/balance/get', { access_token: accessToken }],
      ['/transactions/sync', { access_token: accessToken }],
      ['/item/remove', { access_token: accessToken }],
      ['/sandbox/item/reset_login', { access_token: accessToken }],
      ['/sandbox/item/fire_webhook', { access_token: accessToken, webhook_code: 'SYNC_UPDATES_AVAILABLE' }],
      ['/link/token/create', { client_name: 'Test', language: 'en', country_codes: ['US'], user: { client_user_id: 'u1' }, access_token: accessToken }],
    ];
    for (const [path, body] of calls) {
      expect(errorOf(await plaid(bank, path, body)), path).toEqual({ status: 400, type: 'ITEM_ERROR', code: 'ITEM_NOT_FOUND' });
    }
  });

  it('records the reason code and note it was given, for a test to read', async () => {
    const { accessToken, itemId } = await linkItem(bank);

    const removed = await plaid(bank, '/item/remove', { access_token: accessToken, reason_code: 'OTHER', reason_note: 'The end user revoked their consent.' });

    expect(removed.status).toBe(200);
    expect(bank.controls.getItem(itemId)).toMatchObject({ removed: true, removal: { reason_code: 'OTHER', reason_note: 'The end user revoked their consent.', removed_at: expect.any(String) } });
  });

  it('records a removal without a reason as such', async () => {
    const { accessToken, itemId } = await linkItem(bank);

    await plaid(bank, '/item/remove', { access_token: accessToken, reason_code: null });

    expect(bank.controls.getItem(itemId).removal).toMatchObject({ reason_code: null, reason_note: null });
  });

  it.each([
    ['a reason code outside the spec', { reason_code: 'USER_REVOKED' }],
    ['a reason code that is not a string', { reason_code: 7 }],
    ['a note longer than 512 characters', { reason_code: 'OTHER', reason_note: 'x'.repeat(513) }],
  ])('refuses %s with INVALID_FIELD and keeps the item', async (_name, reason) => {
    const { accessToken, itemId } = await linkItem(bank);

    const res = await plaid(bank, '/item/remove', { access_token: accessToken, ...reason }, { invalidRequest: true });

    expect(validateRequest('/item/remove', { access_token: accessToken, ...reason }, { strict: true })).not.toEqual([]);
    expect(errorOf(res)).toEqual({ status: 400, type: 'INVALID_REQUEST', code: 'INVALID_FIELD' });
    expect(bank.controls.getItem(itemId)).toMatchObject({ removed: false, removal: null });
  });

  it('answers INVALID_ACCESS_TOKEN for a token it never issued', async () => {
    const res = await plaid(bank, '/accounts/get', { access_token: 'access-sandbox-00000000-0000-0000-0000-000000000000' });
    expect(errorOf(res)).toEqual({ status: 400, type: 'INVALID_INPUT', code: 'INVALID_ACCESS_TOKEN' });
  });
});

describe('item error states', () => {
  it('fails accounts, balances and transactions with ITEM_LOGIN_REQUIRED once forced; /item/get shows the error', async () => {
    const { accessToken } = await linkItem(bank);
    bank.controls.forceLoginRequired(accessToken);
    for (const path of ['/accounts/get', '/accounts/balance/get', '/transactions/sync']) {
      expect(errorOf(await plaid(bank, path, { access_token: accessToken })), path).toEqual({ status: 400, type: 'ITEM_ERROR', code: 'ITEM_LOGIN_REQUIRED' });
    }
    const item = await plaid<AccountsBody>(bank, '/item/get', { access_token: accessToken });
    expect(item.body.item.error?.error_code).toBe('ITEM_LOGIN_REQUIRED');
  });

  it('does the same through Plaid’s /sandbox/item/reset_login, and the repair control clears it', async () => {
    const { accessToken } = await linkItem(bank);
    await plaid(bank, '/sandbox/item/reset_login', { access_token: accessToken });
    expect((await plaid(bank, '/accounts/get', { access_token: accessToken })).body.error_code).toBe('ITEM_LOGIN_REQUIRED');
    bank.controls.repairLogin(accessToken);
    expect((await plaid(bank, '/accounts/get', { access_token: accessToken })).status).toBe(200);
  });

  it('fails with USER_PERMISSION_REVOKED after the person revokes access at the bank', async () => {
    const { accessToken } = await linkItem(bank);
    bank.controls.revokePermission(accessToken);
    const res = await plaid(bank, '/transactions/sync', { access_token: accessToken });
    expect(errorOf(res)).toEqual({ status: 400, type: 'ITEM_ERROR', code: 'USER_PERMISSION_REVOKED' });
  });
});

describe('request checks', () => {
  it('answers INVALID_API_KEYS for wrong or missing credentials, in headers or body', async () => {
    const body = { institution_id: 'ins_109508', initial_products: ['transactions'] };
    const wrong = await plaid(bank, '/sandbox/public_token/create', body, { credentials: { clientId: CLIENT_ID, secret: 'nope' } });
    const missing = await plaid(bank, '/sandbox/public_token/create', body, { credentials: 'none' });
    const inBodyWrong = await plaid(bank, '/sandbox/public_token/create', { ...body, client_id: CLIENT_ID, secret: 'nope' });
    for (const res of [wrong, missing, inBodyWrong]) expect(errorOf(res)).toEqual({ status: 400, type: 'INVALID_INPUT', code: 'INVALID_API_KEYS' });
  });

  it('accepts credentials in the body, as raw HTTP clients send them', async () => {
    const res = await plaid(bank, '/sandbox/public_token/create', { institution_id: 'ins_109508', initial_products: ['transactions'] }, { credentials: 'body' });
    expect(res.status).toBe(200);
  });

  it('names missing and unknown fields', async () => {
    const missing = await plaid(bank, '/item/public_token/exchange', {}, { invalidRequest: true });
    const unknown = await plaid(bank, '/accounts/get', { access_token: 'x', acess_token: 'typo' }, { invalidRequest: true });
    expect(errorOf(missing)).toEqual({ status: 400, type: 'INVALID_REQUEST', code: 'MISSING_FIELDS' });
    expect(missing.body.error_message).toContain('public_token');
    expect(errorOf(unknown)).toEqual({ status: 400, type: 'INVALID_REQUEST', code: 'UNKNOWN_FIELDS' });
    expect(unknown.body.error_message).toContain('acess_token');
  });

  it('answers INVALID_BODY for a body that is not JSON', async () => {
    const res = await fetch(`${bank.url}/item/get`, { method: 'POST', headers: { 'PLAID-CLIENT-ID': CLIENT_ID, 'PLAID-SECRET': SECRET }, body: '{nope' });
    const body = await res.json();
    expect(validateResponse('/item/get', res.status, body, { strict: true })).toEqual([]);
    expect(body).toMatchObject({ error_type: 'INVALID_REQUEST', error_code: 'INVALID_BODY' });
  });

  it('answers 404 NOT_FOUND in Plaid’s envelope for an endpoint it does not have', async () => {
    const res = await fetch(`${bank.url}/investments/holdings/get`, { method: 'POST', body: '{}' });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(404);
    expect(body).toMatchObject({ error_type: 'INVALID_REQUEST', error_code: 'NOT_FOUND', request_id: expect.any(String) });
  });
});

describe('armed failures', () => {
  it('fails the next N calls to a path with the armed error, then serves normally', async () => {
    const { accessToken } = await linkItem(bank);
    bank.controls.failNext('/accounts/get', 2, 'RATE_LIMIT_EXCEEDED');
    const first = await plaid(bank, '/accounts/get', { access_token: accessToken });
    const otherPath = await plaid(bank, '/item/get', { access_token: accessToken });
    const second = await plaid(bank, '/accounts/get', { access_token: accessToken });
    const third = await plaid(bank, '/accounts/get', { access_token: accessToken });
    expect(errorOf(first)).toEqual({ status: 429, type: 'RATE_LIMIT_EXCEEDED', code: 'ACCOUNTS_LIMIT' });
    expect(otherPath.status).toBe(200);
    expect(errorOf(second)).toEqual({ status: 429, type: 'RATE_LIMIT_EXCEEDED', code: 'ACCOUNTS_LIMIT' });
    expect(third.status).toBe(200);
  });

  it.each([
    ['INSTITUTION_DOWN', { status: 400, type: 'INSTITUTION_ERROR', code: 'INSTITUTION_DOWN' }],
    ['API_ERROR', { status: 500, type: 'API_ERROR', code: 'INTERNAL_SERVER_ERROR' }],
    ['PLANNED_MAINTENANCE', { status: 503, type: 'API_ERROR', code: 'PLANNED_MAINTENANCE' }],
    ['RATE_LIMIT_EXCEEDED', { status: 429, type: 'RATE_LIMIT_EXCEEDED', code: 'TRANSACTIONS_SYNC_LIMIT' }],
  ] as const)('arms %s on /transactions/sync', async (preset, expected) => {
    const { accessToken } = await linkItem(bank);
    bank.controls.failNext('/transactions/sync', 1, preset);
    expect(errorOf(await plaid(bank, '/transactions/sync', { access_token: accessToken }))).toEqual(expected);
    expect((await plaid(bank, '/transactions/sync', { access_token: accessToken })).status).toBe(200);
  });

  it('arms a custom Plaid error for any endpoint', async () => {
    bank.controls.failNext('*', 1, { status: 400, error_type: 'INSTITUTION_ERROR', error_code: 'INSTITUTION_NOT_AVAILABLE', error_message: 'the institution is not available' });
    const res = await plaid(bank, '/sandbox/public_token/create', { institution_id: 'ins_109508', initial_products: ['transactions'] });
    expect(errorOf(res)).toEqual({ status: 400, type: 'INSTITUTION_ERROR', code: 'INSTITUTION_NOT_AVAILABLE' });
  });
});

describe('latency', () => {
  it('delays every API call by the configured latency, changeable at runtime', async () => {
    const { accessToken } = await linkItem(bank);
    const timed = async () => {
      const started = performance.now();
      await plaid(bank, '/item/get', { access_token: accessToken });
      return performance.now() - started;
    };
    bank.controls.setLatency(120);
    const slow = await timed();
    bank.controls.setLatency(0);
    const fast = await timed();
    expect(slow).toBeGreaterThanOrEqual(115);
    expect(fast).toBeLessThan(slow - 60);
  });
});
