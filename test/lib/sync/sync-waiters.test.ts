import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandboxBank, type SandboxBank } from '../../../dev/sandbox-bank/server';
import type { BankConnector } from '../../../lib/banking/bank-connector';
import { createPlaidConnector } from '../../../lib/banking/plaid-connector';
import { createLocalKeyProvider } from '../../../lib/security/local-key-provider';
import type { FinancialGate, Store } from '../../../lib/store';
import { syncConnection, type SyncDeps } from '../../../lib/sync/sync-connection';
import { linkedPerson as linkedPersonAt } from '../../support/banking';
import { createTestTables, type TestTables } from '../../support/dynamodb';

/**
 * A refresh someone waits for (a question answered from old data, a new link's first sync) that
 * meets another sync of the same connection in flight: against DynamoDB Local and the sandbox
 * bank, with the bank held still and the clocks set by the test.
 */
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as never;
const KEY = Buffer.alloc(32, 5).toString('base64');
let tables: TestTables;
let bank: SandboxBank;
let connector: BankConnector;
let store: Store;
let financial: FinancialGate;

const itemsOf = async (psid: string, type: string) => (await tables.items()).filter((i) => i.pk === `USER#${psid}` && i.type === type);
const connectionOf = async (psid: string) => (await itemsOf(psid, 'connection'))[0]!;
const linkedPerson = () => linkedPersonAt({ bank, connector, store, financial, clientId: 'wait-client', secret: 'wait-secret' });
const callsOf = (accessToken: string) => bank.apiCalls().filter((c) => c.accessToken === accessToken).map((c) => c.path);
/** The financial gate and the sync on one clock, as in the worker. */
const financialAt = (clock: () => Date) => tables.store(clock).financialGate(createLocalKeyProvider(KEY));

function deps(overrides: Partial<SyncDeps> = {}) {
  // What the worker would do: the refresh notices it writes (by the sync's end, which names them) and the redelivery delays it asks for.
  const told = { refreshed: [] as string[], retries: [] as number[] };
  const syncDeps: SyncDeps = {
    listConsents: store.listConsents,
    schedule: store.syncSchedule(),
    financial,
    bank: connector,
    onLoginRequired: async () => undefined,
    onAccessRevoked: async () => undefined,
    dataRefreshed: async (key, syncedAt) => void told.refreshed.push(`${key.itemId}@${syncedAt.toISOString()}`),
    retryLater: async (seconds) => void told.retries.push(seconds),
    settings: { intervalHours: 24, leaseSeconds: 600, pageSize: 30, maxRestarts: 3 },
    clock: () => new Date(),
    random: () => 0.5,
    log: quiet,
    ...overrides,
  };
  return { syncDeps, told };
}

/** A slow bank: the transactions call waits until the test lets it through. */
function heldBank() {
  let entered!: () => void;
  let open!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const gate = new Promise<void>((resolve) => (open = resolve));
  const bankPort: SyncDeps['bank'] = {
    getBalances: (token, ids) => connector.getBalances(token, ids),
    getAccounts: (token) => connector.getAccounts(token),
    syncTransactions: async (token, cursor, count) => {
      entered();
      await gate;
      return connector.syncTransactions(token, cursor, count);
    },
    recurringStreams: (token) => connector.recurringStreams(token),
  };
  return { bank: bankPort, inside, open };
}

beforeAll(async () => {
  tables = await createTestTables();
  bank = await startSandboxBank({ clientId: 'wait-client', secret: 'wait-secret' });
  connector = createPlaidConnector({ baseUrl: bank.url, clientId: 'wait-client', secret: 'wait-secret', baseDelayMs: 1, maxDelayMs: 5 });
  store = tables.store();
  financial = financialAt(() => new Date());
});

beforeEach(() => bank.controls.clearFailures());

afterAll(async () => {
  await bank.close();
  await tables.dispose();
});

describe('a refresh someone waits for that meets a sync in flight', () => {
  it('waits on the connection and is answered the moment that sync ends, from its data', async () => {
    const { psid, itemId, accessToken } = await linkedPerson();
    const slow = heldBank();
    const webhook = deps({ bank: slow.bank });
    const holding = syncConnection({ psid, itemId, reason: 'webhook' }, webhook.syncDeps);
    await slow.inside; // the bank's webhook sync holds the connection, waiting on the bank
    const callsBefore = callsOf(accessToken).length;
    const question = deps();

    const waiting = await syncConnection({ psid, itemId, reason: 'stale', requestedAt: new Date() }, question.syncDeps);

    expect(waiting).toBe('waiting');
    expect([...question.told.refreshed, ...webhook.told.refreshed]).toEqual([]);
    slow.open();
    expect(await holding).toBe('synced');
    const connection = await connectionOf(psid);
    // Told once, by the sync that ended, named by its end; the waiter is off the connection.
    expect(webhook.told.refreshed).toEqual([`${itemId}@${connection.lastSyncAt}`]);
    expect(connection.syncWaiters).toBeUndefined();
    // The waiting request asked the bank for nothing: no second sync, no real-time balances (what
    // came meanwhile is the held sync's pages and, its first, recurring streams).
    expect(callsOf(accessToken).slice(callsBefore).filter((path) => path !== '/transactions/sync' && path !== '/transactions/recurring/get')).toEqual([]);
    expect(callsOf(accessToken).slice(callsBefore).length).toBeGreaterThan(0);
  });

  it('keeps its message only as a fallback: it comes back once the lease has run out', async () => {
    const { psid, itemId } = await linkedPerson();
    const t0 = new Date();
    expect(await financialAt(() => t0).claimSync({ psid, itemId }, 600)).toHaveProperty('start'); // a sync in flight
    const at = new Date(t0.getTime() + 100_000);
    const question = deps({ clock: () => at, financial: financialAt(() => at) });

    expect(await syncConnection({ psid, itemId, reason: 'stale', requestedAt: at }, question.syncDeps)).toBe('waiting');

    // 500 s of lease left, and a few seconds' grace for the clocks.
    expect(question.told.retries).toHaveLength(1);
    expect(question.told.retries[0]).toBeGreaterThan(500);
    expect(question.told.retries[0]).toBeLessThanOrEqual(510);
  });

  it('when the sync in flight dies, its message comes back after the lease and syncs for them itself', async () => {
    const { psid, itemId, accessToken } = await linkedPerson();
    const t0 = new Date();
    // A worker claims the connection, then crashes: the lease stays until it runs out.
    expect(await financialAt(() => t0).claimSync({ psid, itemId }, 600)).toHaveProperty('start');
    const requestedAt = new Date(t0.getTime() + 1_000);
    const first = deps({ clock: () => requestedAt, financial: financialAt(() => requestedAt) });
    expect(await syncConnection({ psid, itemId, reason: 'stale', requestedAt }, first.syncDeps)).toBe('waiting');
    const redelivered = new Date(requestedAt.getTime() + first.told.retries[0]! * 1000);
    const callsBefore = callsOf(accessToken).length;
    const again = deps({ clock: () => redelivered, financial: financialAt(() => redelivered) });

    const outcome = await syncConnection({ psid, itemId, reason: 'stale', requestedAt }, again.syncDeps);

    expect(outcome).toBe('synced');
    // A sync of its own, for someone waiting: real-time balances with the transactions (the first
    // sync's pages) and the recurring streams, never fetched yet.
    expect(new Set(callsOf(accessToken).slice(callsBefore))).toEqual(new Set(['/accounts/balance/get', '/transactions/sync', '/transactions/recurring/get']));
    expect(again.told.refreshed).toEqual([`${itemId}@${redelivered.toISOString()}`]);
    expect((await connectionOf(psid)).syncWaiters).toBeUndefined();
  });

  it('delivered again after the sync it waited for, does nothing more than name the same notice', async () => {
    const { psid, itemId, accessToken } = await linkedPerson();
    const slow = heldBank();
    const webhook = deps({ bank: slow.bank });
    const holding = syncConnection({ psid, itemId, reason: 'webhook' }, webhook.syncDeps);
    await slow.inside;
    const requestedAt = new Date();
    expect(await syncConnection({ psid, itemId, reason: 'stale', requestedAt }, deps().syncDeps)).toBe('waiting');
    slow.open();
    await holding;
    const callsBefore = callsOf(accessToken).length;
    const redelivery = deps();

    expect(await syncConnection({ psid, itemId, reason: 'stale', requestedAt }, redelivery.syncDeps)).toBe('already-synced');

    // The same notice as the one already written (the inbox keeps one per id): the person hears once.
    expect(redelivery.told.refreshed).toEqual(webhook.told.refreshed);
    expect(redelivery.told.retries).toEqual([]);
    expect(callsOf(accessToken).length).toBe(callsBefore);
  });

  it('asked for before a sync that ended without knowing of it, is answered from that sync without another', async () => {
    const { psid, itemId, accessToken } = await linkedPerson();
    const requestedAt = new Date();
    // The question's request is still in the queue while the bank's webhook sync runs and ends.
    const webhook = deps();
    expect(await syncConnection({ psid, itemId, reason: 'webhook' }, webhook.syncDeps)).toBe('synced');
    expect(webhook.told.refreshed).toEqual([]);
    const callsBefore = callsOf(accessToken).length;
    const question = deps();

    expect(await syncConnection({ psid, itemId, reason: 'new-consent', requestedAt }, question.syncDeps)).toBe('already-synced');

    expect(question.told.refreshed).toEqual([`${itemId}@${(await connectionOf(psid)).lastSyncAt}`]);
    expect(callsOf(accessToken).length).toBe(callsBefore);
  });

  it('a sync that gives up (the bank is down) leaves the waiter for the sync that next succeeds', async () => {
    const { psid, itemId } = await linkedPerson();
    const slow = heldBank();
    const failing = syncConnection({ psid, itemId, reason: 'webhook' }, deps({ bank: slow.bank }).syncDeps);
    void failing.catch(() => undefined);
    await slow.inside;
    expect(await syncConnection({ psid, itemId, reason: 'new-consent', requestedAt: new Date() }, deps().syncDeps)).toBe('waiting');
    bank.controls.failNext('/transactions/sync', 10, 'INSTITUTION_DOWN');
    slow.open();
    await expect(failing).rejects.toThrow();
    bank.controls.clearFailures();
    const retried = deps();

    expect(await syncConnection({ psid, itemId, reason: 'webhook' }, retried.syncDeps)).toBe('synced');

    expect(retried.told.refreshed).toEqual([`${itemId}@${(await connectionOf(psid)).lastSyncAt}`]);
  });
});
