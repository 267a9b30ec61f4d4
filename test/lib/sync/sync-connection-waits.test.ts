import { describe, expect, it } from 'vitest';
import type { BankAccount, BankTransaction, SyncPage } from '../../../lib/banking/bank-connector';
import { activateConsent, requestConsent, type Consent } from '../../../lib/consent/model/consent';
import { BankInstitutionDown, ConsentChanged } from '../../../lib/errors';
import { syncConnection, type SyncDeps } from '../../../lib/sync/sync-connection';

/**
 * What a sync costs: how many bank round trips it waits for, and what it writes when nothing
 * changed at the bank. Plain fakes; the behaviour against DynamoDB Local and the sandbox bank is
 * covered by sync-connection.test.ts.
 */
const now = new Date('2026-11-21T10:00:00Z');
const consentWith = (scopes: Consent['scopes']): Consent =>
  activateConsent(requestConsent({ consentId: 'c-1', psid: 'p-1', scopes, durationDays: 90, disclosure: { version: 'v', hash: 'h' }, bankLinkToken: 'l', now }).consent, {
    itemId: 'item-1',
    now,
  }).consent;
const account = (accountId: string, current: number): BankAccount => ({
  accountId,
  name: 'Checking',
  type: 'depository',
  balances: { available: current, current, limit: null, currency: 'USD' },
});
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as never;

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();

/**
 * `streams`: when the stored streams were refreshed and the transactions cursor they went with, as
 * the claim reads them from the connection (null: never refreshed). By default an hour ago, at the
 * stored cursor.
 */
function fakes(
  page: SyncPage,
  storedCursor: string | undefined,
  scopes: Consent['scopes'] = ['balances', 'transactions'],
  streams: { refreshedAt: string; cursor?: string } | null = { refreshedAt: hoursAgo(1), ...(storedCursor ? { cursor: storedCursor } : {}) },
) {
  const writes: string[] = [];
  const asked: string[] = [];
  const realtime = deferred<BankAccount[]>();
  const deps: SyncDeps = {
    listConsents: async () => [consentWith(scopes)],
    schedule: { scheduleNextSync: async () => ({ waiters: [] }), unscheduleSync: async () => undefined, releaseSync: async () => undefined, waitForSync: async () => true },
    financial: {
      claimSync: async () => ({
        start: async (c: Consent) =>
          c.scopes.includes('transactions')
            ? { accessToken: 'token', cursor: storedCursor, streams: streams ?? {} }
            : { accessToken: 'token', cursor: undefined },
      }),
      storedBalances: async () => [],
      saveBalances: async (_c: unknown, accounts: BankAccount[]) => {
        writes.push(`balances:${accounts.map((a) => `${a.accountId}=${a.balances.current}`).join(',')}`);
        return 'saved';
      },
      applyTransactionsPage: async (_c: unknown, p: { nextCursor: string; added: unknown[] }) => {
        writes.push(`page:${p.nextCursor}`);
        return { added: p.added };
      },
      saveRecurringStreams: async (_c: unknown, saved: unknown[], at: { cursor: string }) => {
        writes.push(`streams:${saved.length}@${at.cursor}`);
        return 'saved';
      },
    } as unknown as SyncDeps['financial'],
    bank: {
      getBalances: () => {
        asked.push('balances (real time)');
        return realtime.promise;
      },
      getAccounts: async () => {
        asked.push('accounts (cached)');
        return [account('acc-cached', 7)];
      },
      syncTransactions: async () => {
        asked.push('transactions');
        return page;
      },
      recurringStreams: async () => {
        asked.push('recurring streams');
        return { inflows: [], outflows: [], updatedAt: now };
      },
    },
    onLoginRequired: async () => undefined,
    onAccessRevoked: async () => undefined,
    dataRefreshed: async () => undefined,
    retryLater: async () => undefined,
    settings: { intervalHours: 24, leaseSeconds: 600, pageSize: 30, maxRestarts: 3 },
    clock: () => now,
    random: () => 0.5,
    log: quiet,
  };
  return { deps, writes, asked, realtime };
}

const page = (cursor: string, accounts: BankAccount[] = [account('acc-1', 120.5)]): SyncPage => ({ added: [], modified: [], removed: [], nextCursor: cursor, hasMore: false, accounts });

describe('a sync waits on the bank once, not once per read', () => {
  it('when someone waits for fresh data, asks for real-time balances and transactions together', async () => {
    const { deps, asked, realtime } = fakes(page('c-9'), 'c-8');

    const outcome = syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'stale' }, deps);
    await new Promise((r) => setImmediate(r));
    const askedBeforeBalancesArrived = [...asked];
    realtime.resolve([account('acc-1', 99)]);

    expect(await outcome).toBe('synced');
    expect(askedBeforeBalancesArrived.sort()).toEqual(['balances (real time)', 'transactions']);
  });

  it('still stores balances before the transactions page', async () => {
    const { deps, writes, realtime } = fakes(page('c-9'), 'c-8');
    realtime.resolve([account('acc-1', 99)]);

    await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'new-consent' }, deps);

    expect(writes).toEqual(['balances:acc-1=99', 'page:c-9']);
  });
});

describe('recurring streams', () => {
  const coffee: BankTransaction = { transactionId: 't-1', accountId: 'acc-1', amount: 4.5, currency: 'USD', date: '2026-11-20', name: 'BEAN THERE', category: null, pending: false };

  it('asks for streams a day old together with the balances and the transactions, and stores them after the pages', async () => {
    const { deps, asked, writes, realtime } = fakes(page('c-9'), 'c-8', undefined, { refreshedAt: hoursAgo(21), cursor: 'c-8' });

    const outcome = syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'stale' }, deps);
    await new Promise((r) => setImmediate(r));
    const askedBeforeBalancesArrived = [...asked];
    realtime.resolve([account('acc-1', 99)]);

    expect(await outcome).toBe('synced');
    expect(askedBeforeBalancesArrived.sort()).toEqual(['balances (real time)', 'recurring streams', 'transactions']);
    expect(writes).toEqual(['balances:acc-1=99', 'page:c-9', 'streams:0@c-9']);
  });

  it('asks for streams never fetched on the first sync', async () => {
    const { deps, asked } = fakes(page('c-1'), undefined, undefined, null);

    await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps);

    expect(asked).toEqual(['transactions', 'recurring streams']);
  });

  it('asks for fresh streams again once the pages show a change', async () => {
    const { deps, asked, writes } = fakes({ ...page('c-9'), added: [coffee] }, 'c-8');

    await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps);

    expect(asked).toEqual(['transactions', 'recurring streams']);
    expect(writes).toEqual(['balances:acc-1=120.5', 'page:c-9', 'streams:0@c-9']);
  });

  it('does not ask for fresh streams when the pages changed nothing', async () => {
    const { deps, asked } = fakes(page('c-8'), 'c-8', undefined, { refreshedAt: hoursAgo(19), cursor: 'c-8' });

    await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps);

    expect(asked).toEqual(['transactions']);
  });

  it('asks for fresh streams again when they went with an older cursor than the sync starts from (their last refresh failed)', async () => {
    const { deps, asked, writes } = fakes(page('c-8'), 'c-8', undefined, { refreshedAt: hoursAgo(3), cursor: 'c-7' });

    await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps);

    expect(asked).toEqual(['transactions', 'recurring streams']);
    expect(writes).toEqual(['balances:acc-1=120.5', 'streams:0@c-8']);
  });

  it('never asks for them without the transactions scope', async () => {
    const { deps, asked } = fakes(page('c-9'), 'c-8', ['balances'], null);

    await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps);

    expect(asked).toEqual(['accounts (cached)']);
  });

  it('keeps the synced balances and transactions, and logs, when the bank cannot give the streams', async () => {
    const { deps, writes } = fakes({ ...page('c-9'), added: [coffee] }, 'c-8');
    const logged: string[] = [];
    deps.log = { ...deps.log, warn: (message: string) => void logged.push(message) } as never;
    const synced: number[] = [];
    deps.onSynced = async (result) => void synced.push(result.newTransactions.length);
    deps.bank = { ...deps.bank, recurringStreams: async () => Promise.reject(new BankInstitutionDown('Plaid /transactions/recurring/get failed (HTTP 400, ITEM_ERROR/PRODUCT_NOT_READY)')) };

    expect(await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps)).toBe('synced');

    expect({ writes, synced, logged }).toEqual({ writes: ['balances:acc-1=120.5', 'page:c-9'], synced: [1], logged: ['Recurring streams not refreshed; the previous ones are kept'] });
  });

  it('stops like any write when the consent changed before the streams are stored', async () => {
    const { deps } = fakes({ ...page('c-9'), added: [coffee] }, 'c-8');
    deps.financial = { ...deps.financial, saveRecurringStreams: async () => Promise.reject(new ConsentChanged('changed')) };

    expect(await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps)).toBe('no-consent');
  });
});

describe('real-time balances are paid for only when someone waits', () => {
  it.each(['schedule', 'webhook'] as const)('a %s sync makes one bank call and takes the balances that came with the page', async (reason) => {
    const { deps, asked, writes } = fakes(page('c-9'), 'c-8');

    expect(await syncConnection({ psid: 'p-1', itemId: 'item-1', reason, ...(reason === 'schedule' ? { dueAt: now.toISOString() } : {}) }, deps)).toBe('synced');

    expect(asked).toEqual(['transactions']);
    expect(writes).toEqual(['balances:acc-1=120.5', 'page:c-9']);
  });

  it('a page without accounts (an older API version) falls back to the cached accounts call', async () => {
    const { deps, asked, writes } = fakes(page('c-9', []), 'c-8');

    await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps);

    expect(asked).toEqual(['transactions', 'accounts (cached)']);
    expect(writes).toEqual(['balances:acc-cached=7', 'page:c-9']);
  });

  it('under a balances-only consent, a scheduled sync reads the cached accounts and never the transactions', async () => {
    const { deps, asked, writes } = fakes(page('c-9'), 'c-8', ['balances']);

    await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'schedule', dueAt: now.toISOString() }, deps);

    expect(asked).toEqual(['accounts (cached)']);
    expect(writes).toEqual(['balances:acc-cached=7']);
  });

  it('under a transactions-only consent, the balances that come with the page are not stored', async () => {
    const { deps, asked, writes } = fakes(page('c-9'), 'c-8', ['transactions']);

    await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'stale' }, deps);

    expect(asked).toEqual(['transactions']);
    expect(writes).toEqual(['page:c-9']);
  });
});

describe('a sync that finds nothing new', () => {
  it('writes no transactions page when the bank hands back the same cursor with no changes', async () => {
    const { deps, writes } = fakes(page('c-8'), 'c-8');

    expect(await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps)).toBe('synced');
    expect(writes).toEqual(['balances:acc-1=120.5']);
  });

  it('still stores a first empty page, so the connection gets its first cursor', async () => {
    const { deps, writes } = fakes(page('c-1'), undefined);

    await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps);

    expect(writes).toEqual(['balances:acc-1=120.5', 'page:c-1']);
  });
});

describe('what a sync waits for before and after the bank', () => {
  it('asks for the claim while the consents are read', async () => {
    const { deps } = fakes(page('c-9'), 'c-8');
    const events: string[] = [];
    const consents = deferred<Consent[]>();
    deps.listConsents = () => {
      events.push('consents asked');
      return consents.promise;
    };
    const claim = await deps.financial.claimSync({ psid: 'p-1', itemId: 'item-1' }, 600);
    deps.financial = { ...deps.financial, claimSync: async () => (events.push('claim asked'), claim) };

    const outcome = syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps);
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual(['claim asked', 'consents asked']);
    consents.resolve([consentWith(['balances', 'transactions', 'alerts'])]);

    expect(await outcome).toBe('synced');
    expect(events).toEqual(['claim asked', 'consents asked']);
  });

  it('without a consent in force, takes the connection off the schedule whatever the claim found', async () => {
    const { deps, asked } = fakes(page('c-9'), 'c-8');
    const unscheduled: string[] = [];
    deps.listConsents = async () => [];
    deps.financial = { ...deps.financial, claimSync: async () => ({ refused: {} }) };
    deps.schedule = { ...deps.schedule, unscheduleSync: async (_k, status) => void unscheduled.push(status) };

    expect(await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps)).toBe('no-consent');
    expect(unscheduled).toEqual(['no-consent']);
    expect(asked).toEqual([]);
  });

  it('reads the stored balances while the bank answers and hands them to the write, which skips unchanged ones', async () => {
    const { deps, asked } = fakes(page('c-9'), 'c-8');
    const events: string[] = [];
    const storedRead = deferred<never[]>();
    deps.financial = {
      ...deps.financial,
      storedBalances: () => (events.push(`stored read (bank asked: ${asked.length})`), storedRead.promise),
      saveBalances: async (_c, _accounts, stored) => (events.push(`save given ${stored ? 'stored' : 'nothing'}`), 'unchanged'),
    };
    const scheduled: (Date | undefined)[] = [];
    deps.schedule = { ...deps.schedule, scheduleNextSync: async (_k, next) => (scheduled.push(next.balancesSyncedAt), { waiters: [] }) };

    const outcome = syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps);
    await new Promise((r) => setImmediate(r));
    storedRead.resolve([]);

    expect(await outcome).toBe('synced');
    expect(events).toEqual(['stored read (bank asked: 0)', 'save given stored']);
    expect(scheduled).toEqual([now]);
  });

  it('writes the balances when the stored ones cannot be read, and dates no balances under a transactions-only consent', async () => {
    const both = fakes(page('c-9'), 'c-8');
    const given: unknown[] = [];
    const { saveBalances } = both.deps.financial;
    both.deps.financial = {
      ...both.deps.financial,
      storedBalances: async () => Promise.reject(new Error('throttled')),
      // Nothing to compare with: the write is asked for without stored balances, so it happens.
      saveBalances: (consent, accounts, stored) => (given.push(stored), saveBalances(consent, accounts, stored)),
    };
    expect(await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, both.deps)).toBe('synced');
    expect(given).toEqual([undefined]);
    expect(both.writes).toEqual(['balances:acc-1=120.5', 'page:c-9']);

    const transactionsOnly = fakes(page('c-9'), 'c-8', ['transactions']);
    const scheduled: object[] = [];
    transactionsOnly.deps.schedule = { ...transactionsOnly.deps.schedule, scheduleNextSync: async (_k, next) => (scheduled.push(next), { waiters: [] }) };
    await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, transactionsOnly.deps);
    expect(scheduled).toEqual([expect.not.objectContaining({ balancesSyncedAt: expect.anything() })]);
  });

  it('a failed alert step does not fail the sync, and the next sync is scheduled either way', async () => {
    const { deps } = fakes(page('c-9'), 'c-8');
    const scheduled: string[] = [];
    deps.schedule = { ...deps.schedule, scheduleNextSync: async (_k, next) => (scheduled.push(next.status), { waiters: [] }) };
    deps.onSynced = async () => {
      throw new Error('Graph API down');
    };

    expect(await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }, deps)).toBe('synced');
    expect(scheduled).toEqual(['ok']);
  });
});

describe('a request someone waits for that meets a sync in flight', () => {
  const heldUntil = new Date(now.getTime() + 300_000).toISOString();

  it('claims again when that sync ends before the request can wait for it, and syncs itself', async () => {
    const { deps, realtime } = fakes(page('c-9'), 'c-8');
    realtime.resolve([account('acc-1', 99)]);
    const free = await deps.financial.claimSync({ psid: 'p-1', itemId: 'item-1' }, 600);
    const claims: string[] = [];
    const retries: number[] = [];
    deps.financial = { ...deps.financial, claimSync: async () => (claims.push('claim'), claims.length === 1 ? { refused: { heldUntil } } : free) };
    deps.schedule = { ...deps.schedule, waitForSync: async () => false };
    deps.retryLater = async (seconds) => void retries.push(seconds);

    expect(await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'stale', requestedAt: now }, deps)).toBe('synced');
    expect([claims, retries]).toEqual([['claim', 'claim'], []]);
  });

  it('stops claiming after a few rounds and is retried like any request that met a sync in flight', async () => {
    const { deps } = fakes(page('c-9'), 'c-8');
    let claims = 0;
    const retries: number[] = [];
    deps.financial = { ...deps.financial, claimSync: async () => (claims++, { refused: { heldUntil } }) };
    deps.schedule = { ...deps.schedule, waitForSync: async () => false };
    deps.retryLater = async (seconds) => void retries.push(seconds);

    expect(await syncConnection({ psid: 'p-1', itemId: 'item-1', reason: 'new-consent', requestedAt: now }, deps)).toBe('busy');
    expect([claims, retries]).toEqual([3, [30]]);
  });
});
