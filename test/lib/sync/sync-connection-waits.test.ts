import { describe, expect, it } from 'vitest';
import type { BankAccount, SyncPage } from '../../../lib/banking/bank-connector';
import { activateConsent, requestConsent, type Consent } from '../../../lib/consent/consent';
import { syncConnection, type SyncDeps } from '../../../lib/sync/sync-connection';

/**
 * What a sync costs: how many bank round trips it waits for, and what it writes when nothing
 * changed at the bank. Plain fakes; the behaviour against DynamoDB Local and the sandbox bank is
 * covered by sync-connection.test.ts.
 */
const now = new Date('2026-11-21T10:00:00Z');
const consent: Consent = activateConsent(
  requestConsent({ consentId: 'c-1', psid: 'p-1', scopes: ['balances', 'transactions'], durationDays: 90, disclosure: { version: 'v', hash: 'h' }, bankLinkToken: 'l', now }).consent,
  { itemId: 'item-1', now },
).consent;
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as never;

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function fakes(page: SyncPage, storedCursor: string | undefined) {
  const writes: string[] = [];
  const asked: string[] = [];
  const balances = deferred<BankAccount[]>();
  const deps: SyncDeps = {
    listConsents: async () => [consent],
    schedule: { claimSync: async () => true, scheduleNextSync: async () => undefined, unscheduleSync: async () => undefined, releaseSync: async () => undefined },
    financial: {
      accessToken: async () => 'token',
      syncCursor: async () => storedCursor,
      saveBalances: async () => void writes.push('balances'),
      applyTransactionsPage: async (_c: unknown, p: { nextCursor: string }) => void writes.push(`page:${p.nextCursor}`),
    } as unknown as SyncDeps['financial'],
    bank: {
      getBalances: () => {
        asked.push('balances');
        return balances.promise;
      },
      syncTransactions: async () => {
        asked.push('transactions');
        return page;
      },
    },
    onLoginRequired: async () => undefined,
    onAccessRevoked: async () => undefined,
    settings: { intervalHours: 24, leaseSeconds: 600, pageSize: 30, maxRestarts: 3 },
    clock: () => now,
    random: () => 0.5,
    log: quiet,
  };
  return { deps, writes, asked, balances };
}

const emptyPage = (cursor: string): SyncPage => ({ added: [], modified: [], removed: [], nextCursor: cursor, hasMore: false });

describe('a sync waits on the bank once, not once per read', () => {
  it('asks for transactions while the balances are still on their way', async () => {
    const { deps, asked, balances } = fakes(emptyPage('c-9'), 'c-8');

    const outcome = syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps);
    await new Promise((r) => setImmediate(r));
    const askedBeforeBalancesArrived = [...asked];
    balances.resolve([]);

    expect(await outcome).toBe('synced');
    expect(askedBeforeBalancesArrived.sort()).toEqual(['balances', 'transactions']);
  });

  it('still stores balances before the transactions page', async () => {
    const { deps, writes, balances } = fakes(emptyPage('c-9'), 'c-8');
    balances.resolve([]);

    await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps);

    expect(writes).toEqual(['balances', 'page:c-9']);
  });
});

describe('a sync that finds nothing new', () => {
  it('writes no transactions page when the bank hands back the same cursor with no changes', async () => {
    const { deps, writes, balances } = fakes(emptyPage('c-8'), 'c-8');
    balances.resolve([]);

    expect(await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps)).toBe('synced');
    expect(writes).toEqual(['balances']);
  });

  it('still stores a first empty page, so the connection gets its first cursor', async () => {
    const { deps, writes, balances } = fakes(emptyPage('c-1'), undefined);
    balances.resolve([]);

    await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps);

    expect(writes).toEqual(['balances', 'page:c-1']);
  });
});
