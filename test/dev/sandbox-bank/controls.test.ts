/** The controls over HTTP, as the local stack and tests in other processes use them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxBank } from '../../../dev/sandbox-bank/server';
import { linkItem, plaid, startBank, type SyncPageBody } from './support';

let bank: SandboxBank;

beforeAll(async () => {
  bank = await startBank();
});

afterAll(async () => {
  await bank.close();
});

async function control<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${bank.url}/__control${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

describe('HTTP controls', () => {
  it('lists its routes at /__control', async () => {
    const res = await control<{ routes: string[] }>('GET', '');
    expect(res.body.routes).toContain('POST /__control/items/:item/transactions');
  });

  it('lists items with their access tokens and accounts', async () => {
    const { itemId, accessToken } = await linkItem(bank, { username: 'user_custom_saver' });
    const res = await control<{ item_id: string; access_token: string; username: string; accounts: unknown[] }[]>('GET', '/items');
    expect(res.body).toContainEqual(expect.objectContaining({ item_id: itemId, access_token: accessToken, username: 'user_custom_saver' }));
  });

  it('posts, settles, modifies and removes transactions, each visible to the next sync', async () => {
    const { itemId, accessToken } = await linkItem(bank);
    const start = await plaid<SyncPageBody>(bank, '/transactions/sync', { access_token: accessToken, cursor: 'now' });

    const posted = await control<{ transaction_id: string; pending: boolean }>('POST', `/items/${itemId}/transactions`, {
      amount: 18.5,
      merchant: 'Luna Taqueria',
      pending: true,
    });
    expect(posted.status).toBe(201);
    const settled = await control<{ transaction_id: string }>('POST', `/items/${itemId}/transactions/${posted.body.transaction_id}/settle`, { amount: 21.5 });
    const modified = await control('PATCH', `/items/${itemId}/transactions/${settled.body.transaction_id}`, { name: 'LUNA TAQUERIA AUSTIN TX' });
    expect(modified.status).toBe(200);
    const sync = await plaid<SyncPageBody>(bank, '/transactions/sync', { access_token: accessToken, cursor: start.body.next_cursor });
    expect(sync.body.added).toEqual([expect.objectContaining({ transaction_id: settled.body.transaction_id, name: 'LUNA TAQUERIA AUSTIN TX', amount: 21.5 })]);

    const removed = await control('DELETE', `/items/${itemId}/transactions/${settled.body.transaction_id}`);
    expect(removed.status).toBe(200);
    const after = await plaid<SyncPageBody>(bank, '/transactions/sync', { access_token: accessToken, cursor: sync.body.next_cursor });
    expect(after.body.removed.map((r) => r.transaction_id)).toEqual([settled.body.transaction_id]);
  });

  it('answers 400 for bad input and 404 for unknown items', async () => {
    const { itemId } = await linkItem(bank);
    expect((await control('POST', `/items/${itemId}/transactions`, { merchant: 'Netflix' })).status).toBe(400);
    expect((await control('POST', `/items/${itemId}/transactions`, { amount: 1, merchant: 'Netflix', date: '2026-13-40' })).status).toBe(400);
    expect((await control('POST', '/items/nope/transactions', { amount: 1, merchant: 'Netflix' })).status).toBe(404);
    expect((await control('POST', '/failures', { path: '/accounts/get', count: 1, error: 'NOT_A_PRESET' })).status).toBe(400);
    expect((await control('GET', '/nothing-here')).status).toBe(404);
  });

  it('sets a balance', async () => {
    const { itemId } = await linkItem(bank);
    const account = bank.controls.getItem(itemId).accounts[0]!;
    const res = await control<{ balances: { current: number } }>('PUT', `/items/${itemId}/accounts/${account.account_id}/balance`, { current: 99.5 });
    expect(res.body.balances.current).toBe(99.5);
  });

  it('forces ITEM_LOGIN_REQUIRED and repairs it', async () => {
    const { itemId, accessToken } = await linkItem(bank);
    expect((await control('POST', `/items/${itemId}/login-required`)).status).toBe(204);
    expect((await plaid(bank, '/accounts/get', { access_token: accessToken })).body.error_code).toBe('ITEM_LOGIN_REQUIRED');
    await control('POST', `/items/${itemId}/login-repaired`);
    expect((await plaid(bank, '/accounts/get', { access_token: accessToken })).status).toBe(200);
  });

  it('arms and clears failures', async () => {
    const { accessToken } = await linkItem(bank);
    await control('POST', '/failures', { path: '/item/get', count: 5, error: 'INSTITUTION_DOWN' });
    expect((await plaid(bank, '/item/get', { access_token: accessToken })).body.error_code).toBe('INSTITUTION_DOWN');
    await control('DELETE', '/failures');
    expect((await plaid(bank, '/item/get', { access_token: accessToken })).status).toBe(200);
  });

  it('arms a mutation during the next pagination', async () => {
    const { itemId, accessToken } = await linkItem(bank);
    expect((await control('POST', `/items/${itemId}/sync-mutation`, {})).status).toBe(204);
    const first = await plaid<SyncPageBody>(bank, '/transactions/sync', { access_token: accessToken, count: 10 });
    const second = await plaid(bank, '/transactions/sync', { access_token: accessToken, count: 10, cursor: first.body.next_cursor });
    expect(second.body.error_code).toBe('TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION');
  });

  it('sets latency', async () => {
    const { accessToken } = await linkItem(bank);
    await control('PUT', '/latency', { ms: 80 });
    const started = performance.now();
    await plaid(bank, '/item/get', { access_token: accessToken });
    const elapsed = performance.now() - started;
    await control('PUT', '/latency', { ms: 0 });
    expect(elapsed).toBeGreaterThanOrEqual(75);
  });

  it('refuses to fire a webhook for an item without a webhook URL, and fires once one is set', async () => {
    const { itemId } = await linkItem(bank);
    expect((await control('POST', `/items/${itemId}/webhooks`, { webhook_code: 'SYNC_UPDATES_AVAILABLE' })).status).toBe(409);
    await control('PUT', `/items/${itemId}/webhook`, { url: 'http://127.0.0.1:9/closed' });
    const fired = await control<{ webhook_code: string; status: number | null }>('POST', `/items/${itemId}/webhooks`, { webhook_code: 'SYNC_UPDATES_AVAILABLE' });
    expect(fired.body).toMatchObject({ webhook_code: 'SYNC_UPDATES_AVAILABLE', status: null });
  });
});
