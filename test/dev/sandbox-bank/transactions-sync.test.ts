import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxBank } from '../../../dev/sandbox-bank/server';
import { FIXED_NOW, errorOf, linkItem, plaid, startBank, syncAll, type SyncPageBody, type SyncedTransaction } from './support';

let bank: SandboxBank;

beforeAll(async () => {
  bank = await startBank({ seed: 'sync-tests' });
});

afterAll(async () => {
  await bank.close();
});

const sum = (amounts: number[]) => Math.round(amounts.reduce((a, b) => a + b, 0) * 100) / 100;

async function freshSync(accessToken: string, count = 100) {
  const state = new Map<string, SyncedTransaction>();
  const run = await syncAll(bank, accessToken, state, undefined, count);
  return { state, ...run };
}

describe('a first sync from an empty cursor', () => {
  it('pages through about 90 days of history with has_more and ends with the bank’s full list', async () => {
    const { accessToken } = await linkItem(bank);
    const { state, pages } = await freshSync(accessToken, 40);

    const bankList = bank.controls.listTransactions(accessToken);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(state.size).toBe(bankList.length);
    expect([...state.keys()].sort()).toEqual(bankList.map((t) => t.transaction_id).sort());
    expect(sum([...state.values()].map((t) => t.amount))).toBe(sum(bankList.map((t) => t.amount)));
    const dates = [...state.values()].map((t) => t.date).sort();
    const oldest = new Date(`${dates[0]}T00:00:00Z`).getTime();
    expect((FIXED_NOW.getTime() - oldest) / 86_400_000).toBeGreaterThan(85);
    expect(dates[dates.length - 1]).toBe('2026-11-20');
  });

  it('gives each page at most count updates and never repeats a transaction across pages', async () => {
    const { accessToken } = await linkItem(bank);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await plaid<SyncPageBody>(bank, '/transactions/sync', { access_token: accessToken, count: 25, ...(cursor ? { cursor } : {}) });
      expect(page.status).toBe(200);
      expect(page.body.added.length + page.body.modified.length + page.body.removed.length).toBeLessThanOrEqual(25);
      seen.push(...page.body.added.map((t) => t.transaction_id));
      cursor = page.body.next_cursor;
      if (!page.body.has_more) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('holds realistic data: salary inflows, rent, subscriptions, refunds and pending card purchases', async () => {
    const { accessToken } = await linkItem(bank);
    const all = [...(await freshSync(accessToken)).state.values()];
    const merchants = new Set(all.map((t) => t.merchant_name));
    for (const name of ['Netflix', 'Spotify', 'Starbucks', 'Uber', 'Amazon', 'Oakwood Apartments']) expect(merchants.has(name), name).toBe(true);
    const salary = all.filter((t) => t.personal_finance_category.detailed === 'INCOME_WAGES');
    expect(salary.length).toBeGreaterThanOrEqual(6);
    expect(salary.every((t) => t.amount < 0)).toBe(true);
    expect(all.some((t) => t.merchant_name === 'Amazon' && t.amount < 0)).toBe(true);
    expect(all.some((t) => t.pending)).toBe(true);
    expect(all.some((t) => t.personal_finance_category.primary === 'FOOD_AND_DRINK')).toBe(true);
  });

  it('uses the default count of 100 when none is given', async () => {
    const { accessToken } = await linkItem(bank);
    const page = await plaid<SyncPageBody>(bank, '/transactions/sync', { access_token: accessToken });
    expect(page.body.added).toHaveLength(100);
    expect(page.body.has_more).toBe(true);
  });
});

describe('syncing from a stored cursor', () => {
  it('returns nothing when nothing changed, and keeps the cursor', async () => {
    const { accessToken } = await linkItem(bank);
    const { cursor } = await freshSync(accessToken);
    const again = await plaid<SyncPageBody>(bank, '/transactions/sync', { access_token: accessToken, cursor });
    expect(again.body).toMatchObject({ added: [], modified: [], removed: [], has_more: false, next_cursor: cursor });
  });

  it('returns exactly a transaction posted through the controls', async () => {
    const { accessToken } = await linkItem(bank);
    const { cursor } = await freshSync(accessToken);
    const posted = bank.controls.postTransaction(accessToken, { amount: 912.4, merchant: 'Electro World', foreign: true });
    const next = await plaid<SyncPageBody>(bank, '/transactions/sync', { access_token: accessToken, cursor });
    expect(next.body.added).toEqual([posted]);
    expect(next.body.modified).toEqual([]);
    expect(next.body.removed).toEqual([]);
    expect(posted).toMatchObject({ amount: 912.4, merchant_name: 'Electro World', location: { country: 'FR' }, pending: false });
  });

  it('shows a pending purchase that posts as a removal of the pending id and an addition pointing at it', async () => {
    const { accessToken } = await linkItem(bank);
    const state = new Map<string, SyncedTransaction>();
    let { cursor } = await syncAll(bank, accessToken, state, undefined);
    const pending = bank.controls.postTransaction(accessToken, { amount: 42.1, merchant: 'Luna Taqueria', pending: true });
    ({ cursor } = await syncAll(bank, accessToken, state, cursor));
    expect(state.get(pending.transaction_id)?.pending).toBe(true);

    const posted = bank.controls.settleTransaction(accessToken, pending.transaction_id, { amount: 50.52 });
    const page = await plaid<SyncPageBody>(bank, '/transactions/sync', { access_token: accessToken, cursor });
    expect(page.body.removed).toEqual([{ transaction_id: pending.transaction_id, account_id: pending.account_id }]);
    expect(page.body.added).toHaveLength(1);
    expect(page.body.added[0]).toMatchObject({ transaction_id: posted.transaction_id, pending: false, pending_transaction_id: pending.transaction_id, amount: 50.52 });
  });

  it('reports modifications and removals of transactions the client already has', async () => {
    const { accessToken } = await linkItem(bank);
    const state = new Map<string, SyncedTransaction>();
    const { cursor } = await syncAll(bank, accessToken, state, undefined);
    const [first, second] = bank.controls.listTransactions(accessToken);
    bank.controls.modifyTransaction(accessToken, first!.transaction_id, { name: 'RENAMED BY THE BANK', category: 'TRAVEL' });
    bank.controls.removeTransaction(accessToken, second!.transaction_id);
    const page = await plaid<SyncPageBody>(bank, '/transactions/sync', { access_token: accessToken, cursor });
    expect(page.body.added).toEqual([]);
    expect(page.body.modified).toHaveLength(1);
    expect(page.body.modified[0]).toMatchObject({ transaction_id: first!.transaction_id, name: 'RENAMED BY THE BANK', personal_finance_category: { primary: 'TRAVEL', detailed: 'TRAVEL_OTHER_TRAVEL' } });
    expect(page.body.removed).toEqual([{ transaction_id: second!.transaction_id, account_id: second!.account_id }]);
  });

  it('folds a transaction added and removed between two syncs into nothing', async () => {
    const { accessToken } = await linkItem(bank);
    const { cursor } = await freshSync(accessToken);
    const fleeting = bank.controls.postTransaction(accessToken, { amount: 1, merchant: 'Starbucks', pending: true });
    bank.controls.removeTransaction(accessToken, fleeting.transaction_id);
    const page = await plaid<SyncPageBody>(bank, '/transactions/sync', { access_token: accessToken, cursor });
    expect(page.body).toMatchObject({ added: [], modified: [], removed: [] });
  });

  it('moves balances with posted and pending transactions, refunds included', async () => {
    const { accessToken } = await linkItem(bank, { username: 'user_custom_saver' });
    const checking = bank.controls.getItem(accessToken).accounts[0]!;
    bank.controls.postTransaction(accessToken, { account_id: checking.account_id, amount: 100, merchant: 'Green Basket Market' });
    bank.controls.postTransaction(accessToken, { account_id: checking.account_id, amount: 20, merchant: 'Bean There Cafe', pending: true });
    bank.controls.postTransaction(accessToken, { account_id: checking.account_id, amount: -30, merchant: 'Amazon' });
    const after = bank.controls.getItem(accessToken).accounts[0]!;
    expect(after.balances.current).toBeCloseTo(checking.balances.current! - 70, 2);
    expect(after.balances.available).toBeCloseTo(checking.balances.available! - 90, 2);
  });
});

describe('a mutation during pagination', () => {
  it('fails the next page with TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION when armed', async () => {
    const { accessToken } = await linkItem(bank);
    bank.controls.armSyncMutation(accessToken);
    const first = await plaid<SyncPageBody>(bank, '/transactions/sync', { access_token: accessToken, count: 50 });
    expect(first.body.has_more).toBe(true);
    const second = await plaid(bank, '/transactions/sync', { access_token: accessToken, count: 50, cursor: first.body.next_cursor });
    expect(errorOf(second)).toEqual({ status: 400, type: 'TRANSACTIONS_ERROR', code: 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION' });
  });

  it('also happens when a transaction is posted between two pages of one run', async () => {
    const { accessToken } = await linkItem(bank);
    const first = await plaid<SyncPageBody>(bank, '/transactions/sync', { access_token: accessToken, count: 50 });
    bank.controls.postTransaction(accessToken, { amount: 9.99, merchant: 'Spotify' });
    const second = await plaid(bank, '/transactions/sync', { access_token: accessToken, count: 50, cursor: first.body.next_cursor });
    expect(second.body.error_code).toBe('TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION');
  });

  it('restarting from the first cursor ends equal to the bank’s list: no duplicates, no lost removals', async () => {
    const { accessToken } = await linkItem(bank);
    const state = new Map<string, SyncedTransaction>();
    const pending = bank.controls.postTransaction(accessToken, { amount: 64.2, merchant: 'The Olive Bistro', pending: true });
    let { cursor } = await syncAll(bank, accessToken, state, undefined);
    expect(state.has(pending.transaction_id)).toBe(true);

    // Enough updates for several pages, then a settle (removal + addition) in the middle of the run.
    for (let i = 0; i < 12; i += 1) bank.controls.postTransaction(accessToken, { amount: 3 + i, merchant: 'Starbucks' });
    bank.controls.armSyncMutation(accessToken, { settle: pending.transaction_id });
    const run = await syncAll(bank, accessToken, state, cursor, 5);
    cursor = run.cursor;

    expect(run.restarts).toBe(1);
    const bankList = bank.controls.listTransactions(accessToken);
    expect(state.has(pending.transaction_id)).toBe(false);
    expect(state.size).toBe(bankList.length);
    expect([...state.keys()].sort()).toEqual(bankList.map((t) => t.transaction_id).sort());
    expect([...state.values()].sort((a, b) => a.transaction_id.localeCompare(b.transaction_id))).toEqual(
      [...bankList].sort((a, b) => a.transaction_id.localeCompare(b.transaction_id)),
    );
  });
});

describe('sync request errors', () => {
  it('rejects a count outside 1..500', async () => {
    const { accessToken } = await linkItem(bank);
    const res = await plaid(bank, '/transactions/sync', { access_token: accessToken, count: 501 }, { invalidRequest: true });
    expect(errorOf(res)).toEqual({ status: 400, type: 'INVALID_REQUEST', code: 'INVALID_FIELD' });
  });

  it('rejects a cursor that is not one of its own, or belongs to another item', async () => {
    const a = await linkItem(bank);
    const b = await linkItem(bank);
    const { cursor } = await freshSync(a.accessToken);
    const garbage = await plaid(bank, '/transactions/sync', { access_token: a.accessToken, cursor: 'not-a-cursor' });
    const foreign = await plaid(bank, '/transactions/sync', { access_token: b.accessToken, cursor });
    expect(errorOf(garbage)).toEqual({ status: 400, type: 'INVALID_REQUEST', code: 'INVALID_FIELD' });
    expect(errorOf(foreign)).toEqual({ status: 400, type: 'INVALID_REQUEST', code: 'INVALID_FIELD' });
  });

  it('accepts the documented "now" cursor and returns no history', async () => {
    const { accessToken } = await linkItem(bank);
    const res = await plaid<SyncPageBody>(bank, '/transactions/sync', { access_token: accessToken, cursor: 'now' });
    expect(res.body).toMatchObject({ added: [], has_more: false });
    bank.controls.postTransaction(accessToken, { amount: 5, merchant: 'Netflix' });
    const next = await plaid<SyncPageBody>(bank, '/transactions/sync', { access_token: accessToken, cursor: res.body.next_cursor });
    expect(next.body.added).toHaveLength(1);
  });
});

describe('determinism', () => {
  it('two banks with the same seed and clock produce identical transactions', async () => {
    const other = await startBank({ seed: 'determinism' });
    const again = await startBank({ seed: 'determinism' });
    try {
      const lists = [];
      for (const b of [other, again]) {
        const created = await plaid<{ public_token: string }>(b, '/sandbox/public_token/create', {
          institution_id: 'ins_109509',
          initial_products: ['transactions'],
          options: { override_username: 'user_big_spender' },
        });
        const { body } = await plaid<{ access_token: string }>(b, '/item/public_token/exchange', { public_token: created.body.public_token });
        lists.push(b.controls.listTransactions(body.access_token));
      }
      expect(lists[0]!.length).toBeGreaterThan(100);
      expect(lists[0]).toEqual(lists[1]);
    } finally {
      await Promise.all([other.close(), again.close()]);
    }
  });

  it('gives the same person the same spending without a seed, but fresh ids', async () => {
    const [one, two] = await Promise.all([startBank(), startBank()]);
    try {
      const shape = (b: SandboxBank) =>
        linkItem(b).then(({ accessToken }) => b.controls.listTransactions(accessToken).map((t) => [t.date, t.amount, t.name]));
      const ids = (b: SandboxBank) => b.controls.listItems().map((i) => i.item_id);
      expect(await shape(one)).toEqual(await shape(two));
      expect(ids(one)).not.toEqual(ids(two));
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
