import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandboxBank, type SandboxBank } from '../../../dev/sandbox-bank/server';
import type { BankConnector, RecurringStream } from '../../../lib/banking/bank-connector';
import { createPlaidConnector } from '../../../lib/banking/plaid-connector';
import { changeConsentScopes, revokeConsent } from '../../../lib/consent/model/consent';
import type { Scope } from '../../../lib/consent/model/scopes';
import { BankRateLimited } from '../../../lib/errors';
import type { SyncRequest } from '../../../lib/queue/sync-queue';
import { nextSyncTime, syncConnection, type SyncDeps } from '../../../lib/sync/sync-connection';
import { enqueueDueSyncs } from '../../../lib/sync/schedule';
import { createLocalKeyProvider } from '../../../lib/security/local-key-provider';
import type { FinancialGate, Store } from '../../../lib/store';
import { linkedPerson as linkedPersonAt } from '../../support/banking';
import { createTestTables, type TestTables } from '../../support/dynamodb';

/**
 * Bank sync against DynamoDB Local and the sandbox bank, through the real Plaid adapter and the
 * financial gate: what ends up stored must equal what the bank holds.
 */
const quietLog = { debug() {}, info() {}, warn() {}, error() {} };
const quiet = quietLog as never;
let tables: TestTables;
let bank: SandboxBank;
let connector: BankConnector;
let store: Store;
let financial: FinancialGate;

const itemsOf = async (psid: string, type: string) => (await tables.items()).filter((i) => i.pk === `USER#${psid}` && i.type === type);
const connectionOf = async (psid: string) => (await itemsOf(psid, 'connection'))[0]!;

const linkedPerson = (scopes?: Scope[], username?: string) =>
  linkedPersonAt({ bank, connector, store, financial, clientId: 'sync-client', secret: 'sync-secret' }, { ...(scopes ? { scopes } : {}), ...(username ? { username } : {}) });

function deps(overrides: Partial<SyncDeps> = {}) {
  const calls = { loginRequired: [] as string[], accessRevoked: [] as string[], refreshed: [] as string[], retries: [] as number[] };
  const syncDeps: SyncDeps = {
    listConsents: store.listConsents,
    schedule: store.syncSchedule(),
    financial,
    bank: connector,
    onLoginRequired: async (consent) => void calls.loginRequired.push(consent.consentId),
    onAccessRevoked: async (consent) => void calls.accessRevoked.push(consent.consentId),
    dataRefreshed: async (key, syncedAt) => void calls.refreshed.push(`${key.itemId}@${syncedAt.toISOString()}`),
    retryLater: async (seconds) => void calls.retries.push(seconds),
    settings: { intervalHours: 24, leaseSeconds: 600, pageSize: 30, maxRestarts: 3 },
    clock: () => new Date(),
    random: () => 0.5,
    log: quiet,
    ...overrides,
  };
  return { syncDeps, calls };
}

const stored = async (psid: string) => (await itemsOf(psid, 'transaction')).map((t) => `${t.transactionId}:${t.amount}:${t.pending}`).sort();
const atBank = (itemId: string) => bank.controls.listTransactions(itemId).map((t) => `${t.transaction_id}:${t.amount}:${t.pending}`).sort();
const syncCalls = (accessToken: string) => bank.apiCalls().filter((c) => c.accessToken === accessToken && c.path === '/transactions/sync').length;

beforeAll(async () => {
  tables = await createTestTables();
  bank = await startSandboxBank({ clientId: 'sync-client', secret: 'sync-secret' });
  connector = createPlaidConnector({ baseUrl: bank.url, clientId: 'sync-client', secret: 'sync-secret', baseDelayMs: 1, maxDelayMs: 5 });
  store = tables.store();
  financial = store.financialGate(createLocalKeyProvider(Buffer.alloc(32, 3).toString('base64')));
});

beforeEach(() => {
  bank.controls.setLatency(0);
  bank.controls.clearFailures();
});

afterAll(async () => {
  await bank.close();
  await tables.dispose();
});

describe('syncing a connection', () => {
  it('stores balances and every transaction the bank holds, with the cursor, and schedules the next sync', async () => {
    const { psid, itemId, consent } = await linkedPerson();
    const { dueAt } = { dueAt: String((await connectionOf(psid)).nextSyncAt) };

    const outcome = await syncConnection({ psid, itemId, dueAt, reason: 'schedule' }, deps().syncDeps);

    expect(outcome).toBe('synced');
    expect(await stored(psid)).toEqual(atBank(itemId));
    expect((await stored(psid)).length).toBeGreaterThan(60); // several pages of 30
    const connection = await connectionOf(psid);
    expect(connection.cursor).toEqual(expect.any(String));
    expect(connection.syncStatus).toBe('ok');
    const next = Date.parse(String(connection.nextSyncAt)) - Date.now();
    expect(next).toBeGreaterThan(0.89 * 24 * 3_600_000);
    expect(next).toBeLessThan(1.11 * 24 * 3_600_000);
    expect(String(connection.gsi1pk)).toMatch(/^SYNC_DUE#/);
    const accounts = await itemsOf(psid, 'account');
    expect(accounts.every((a) => typeof (a.balances as { current: unknown }).current === 'number')).toBe(true);
    expect(consent.status).toBe('active');
  });

  it('a scheduled sync calls the bank once and stores the balances that came with the page; a refresh someone waits for asks for real-time balances', async () => {
    const { psid, itemId, accessToken } = await linkedPerson();
    const checking = (await itemsOf(psid, 'account')).find((a) => a.subtype === 'checking')!;
    const balanceOf = async () => ((await itemsOf(psid, 'account')).find((a) => a.accountId === checking.accountId)!.balances as { current: number }).current;
    const callsOf = () => bank.apiCalls().filter((c) => c.accessToken === accessToken).map((c) => c.path);
    await syncConnection({ psid, itemId, reason: 'webhook' }, deps().syncDeps);

    bank.controls.setBalance(itemId, String(checking.accountId), { current: 321.09, available: 300 });
    const before = callsOf().length;
    const dueAt = String((await connectionOf(psid)).nextSyncAt);
    expect(await syncConnection({ psid, itemId, dueAt, reason: 'schedule' }, deps().syncDeps)).toBe('synced');
    expect(callsOf().slice(before)).toEqual(['/transactions/sync']);
    expect(await balanceOf()).toBe(321.09);

    bank.controls.setBalance(itemId, String(checking.accountId), { current: 45.6, available: 40 });
    const beforeRefresh = callsOf().length;
    expect(await syncConnection({ psid, itemId, reason: 'stale' }, deps().syncDeps)).toBe('synced');
    expect(callsOf().slice(beforeRefresh).sort()).toEqual(['/accounts/balance/get', '/transactions/sync']);
    expect(await balanceOf()).toBe(45.6);
  });

  it('does not rewrite balances the bank reports unchanged, and dates them by the sync that checked them', async () => {
    const { psid, itemId, consent } = await linkedPerson();
    // Clocks hours from now: the link's own dates cannot be mistaken for the syncs'.
    const hour = (n: number) => new Date(Math.ceil(Date.now() / 3_600_000 + n) * 3_600_000).toISOString();
    // The sync and the financial gate read one clock, as in the worker.
    const at = (iso: string) => {
      const clock = () => new Date(iso);
      return { clock, financial: tables.store(clock).financialGate(createLocalKeyProvider(Buffer.alloc(32, 3).toString('base64'))) };
    };
    await syncConnection({ psid, itemId, reason: 'webhook' }, deps(at(hour(1))).syncDeps);
    const accountsAfterFirst = await itemsOf(psid, 'account');

    expect(await syncConnection({ psid, itemId, reason: 'webhook' }, deps(at(hour(2))).syncDeps)).toBe('synced');

    // Not one account item was written again…
    expect(await itemsOf(psid, 'account')).toEqual(accountsAfterFirst);
    expect((await connectionOf(psid)).balancesSyncedAt).toBe(hour(2));
    // …yet the person's balances read as of the sync that found them unchanged.
    const { financial: read } = at(hour(2.5));
    const active = (await store.listConsents(psid)).find((c) => c.consentId === consent.consentId)!;
    expect(new Set((await read.balances(active)).map((a) => a.balancesAsOf))).toEqual(new Set([hour(2)]));
    expect(new Set((await read.exportData(active)).accounts.map((a) => a.balancesAsOf))).toEqual(new Set([hour(2)]));

    // A changed balance is written, with its own date.
    const checking = accountsAfterFirst.find((a) => a.subtype === 'checking')!;
    bank.controls.setBalance(itemId, String(checking.accountId), { current: 12.34, available: 10 });
    await syncConnection({ psid, itemId, reason: 'webhook' }, deps(at(hour(3))).syncDeps);
    const written = (await itemsOf(psid, 'account')).find((a) => a.accountId === checking.accountId)!;
    expect(written.balances).toMatchObject({ current: 12.34, available: 10 });
    expect(written.balancesAsOf).toBe(hour(3));
  });

  it('withdrawing the balances scope blanks the balances and forgets when they were last checked', async () => {
    const { psid, itemId, consent } = await linkedPerson();
    await syncConnection({ psid, itemId, reason: 'webhook' }, deps().syncDeps);
    expect((await connectionOf(psid)).balancesSyncedAt).toEqual(expect.any(String));

    await financial.scrubWithdrawnScopes({ ...consent, scopes: consent.scopes.filter((s) => s !== 'balances') }, ['balances']);

    expect((await connectionOf(psid)).balancesSyncedAt).toBeUndefined();
    expect((await itemsOf(psid, 'account')).every((a) => a.balancesAsOf === undefined && (a.balances as { current: unknown }).current === null)).toBe(true);
  });

  it('opens a claimed connection only for a consent in force over that connection', async () => {
    const mine = await linkedPerson();
    const theirs = await linkedPerson();
    const claim = await financial.claimSync({ psid: mine.psid, itemId: mine.itemId }, 600);
    if (!('start' in claim)) throw new Error('the connection was free: the claim should have held');

    await expect(claim.start(theirs.consent)).rejects.toThrow('not for the claimed connection');
    await expect(claim.start(revokeConsent(mine.consent, { now: new Date(), by: 'person' }).consent)).rejects.toThrow();
    expect((await claim.start(mine.consent)).accessToken).toBe(mine.accessToken);
    // The lease holds: a second claim meets it.
    expect(await financial.claimSync({ psid: mine.psid, itemId: mine.itemId }, 600)).toEqual({ refused: { heldUntil: expect.any(String) } });
  });

  it('under a balances-only consent, a scheduled sync reads the cached accounts and no transactions', async () => {
    const { psid, itemId, accessToken } = await linkedPerson(['balances']);
    const before = bank.apiCalls().filter((c) => c.accessToken === accessToken).length;
    const dueAt = String((await connectionOf(psid)).nextSyncAt);

    expect(await syncConnection({ psid, itemId, dueAt, reason: 'schedule' }, deps().syncDeps)).toBe('synced');

    expect(bank.apiCalls().filter((c) => c.accessToken === accessToken).slice(before).map((c) => c.path)).toEqual(['/accounts/get']);
    expect(await itemsOf(psid, 'transaction')).toEqual([]);
  });

  it('syncs once when the same schedule is delivered twice: one sync, one write set', async () => {
    const { psid, itemId, accessToken } = await linkedPerson();
    const dueAt = String((await connectionOf(psid)).nextSyncAt);
    const request: SyncRequest = { psid, itemId, dueAt, reason: 'schedule' };

    const outcomes = await Promise.all([syncConnection(request, deps().syncDeps), syncConnection(request, deps().syncDeps)]);
    const callsAfterBoth = syncCalls(accessToken);
    const again = await syncConnection(request, deps().syncDeps);

    expect(outcomes.sort()).toEqual(['not-due', 'synced']);
    expect(again).toBe('not-due');
    expect(syncCalls(accessToken)).toBe(callsAfterBoth);
    expect(await stored(psid)).toEqual(atBank(itemId));
  });

  it('answers a webhook sync that meets a sync in flight with "busy", so it is retried after it', async () => {
    const { psid, itemId } = await linkedPerson();
    expect(await financial.claimSync({ psid, itemId }, 600)).toHaveProperty('start'); // a sync in flight
    const { syncDeps, calls } = deps();

    expect(await syncConnection({ psid, itemId, reason: 'webhook' }, syncDeps)).toBe('busy');
    expect(calls.retries).toEqual([30]);
    await store.releaseSync({ psid, itemId });
    expect(await syncConnection({ psid, itemId, reason: 'webhook' }, deps().syncDeps)).toBe('synced');
  });

  it('picks up exactly what changed since the stored cursor', async () => {
    const { psid, itemId, accessToken } = await linkedPerson();
    await syncConnection({ psid, itemId, reason: 'new-consent' }, deps().syncDeps);
    const before = await stored(psid);

    const posted = bank.controls.postTransaction(itemId, { amount: 912.4, merchant: 'ELECTRO-WORLD' });
    const callsBefore = syncCalls(accessToken);
    await syncConnection({ psid, itemId, reason: 'webhook' }, deps().syncDeps);

    expect(await stored(psid)).toEqual([...before, `${posted.transaction_id}:912.4:${posted.pending}`].sort());
    expect(syncCalls(accessToken) - callsBefore).toBe(1);
  });

  it('restarts from the first cursor when the bank mutates mid-pagination: final state equals the bank’s, no duplicates, no lost removals', async () => {
    const { psid, itemId } = await linkedPerson();
    const pending = bank.controls.listTransactions(itemId).find((t) => t.pending);
    expect(pending).toBeDefined();
    bank.controls.armSyncMutation(itemId, { settle: pending!.transaction_id });
    const logged: string[] = [];
    const log = { ...quietLog, info: (message: string) => void logged.push(message) } as never;

    const outcome = await syncConnection({ psid, itemId, reason: 'new-consent' }, deps({ log }).syncDeps);

    expect(outcome).toBe('synced');
    expect(logged).toContain('Transactions changed during pagination; restarting the sync');
    const ids = (await itemsOf(psid, 'transaction')).map((t) => t.transactionId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(pending!.transaction_id); // the settled pending one was removed
    expect(await stored(psid)).toEqual(atBank(itemId));
  });

  it('lets a revocation win over a sync in flight: nothing is written after the revocation commits', async () => {
    const { psid, itemId, consent } = await linkedPerson(['transactions']);
    bank.controls.setLatency(400);
    const syncing = syncConnection({ psid, itemId, reason: 'new-consent' }, deps().syncDeps);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await store.commitConsentTransition(revokeConsent(consent, { now: new Date(), by: 'person' }));

    const outcome = await syncing;

    expect(outcome).toBe('no-consent');
    expect(await itemsOf(psid, 'transaction')).toEqual([]);
  });

  it('does not sync without a consent in force, and takes the connection off the schedule', async () => {
    const { psid, itemId, consent, accessToken } = await linkedPerson();
    await store.commitConsentTransition(revokeConsent(consent, { now: new Date(), by: 'person' }));
    const callsBefore = bank.apiCalls().filter((c) => c.accessToken === accessToken).length;

    const outcome = await syncConnection({ psid, itemId, reason: 'schedule' }, deps().syncDeps);

    expect(outcome).toBe('no-consent');
    expect(bank.apiCalls().filter((c) => c.accessToken === accessToken).length).toBe(callsBefore);
    expect((await connectionOf(psid)).gsi1pk).toBeUndefined();
  });

  it('on login required: tells the person once, stops scheduling, and is not retried', async () => {
    const { psid, itemId, consent } = await linkedPerson();
    bank.controls.forceLoginRequired(itemId);
    const { syncDeps, calls } = deps();

    const outcome = await syncConnection({ psid, itemId, reason: 'schedule' }, syncDeps);

    expect(outcome).toBe('login-required');
    expect(calls.loginRequired).toEqual([consent.consentId]);
    expect(await connectionOf(psid)).toMatchObject({ syncStatus: 'login-required' });
    expect((await connectionOf(psid)).gsi1pk).toBeUndefined();
  });

  it('on access revoked at the bank: takes the revocation path', async () => {
    const { psid, itemId, consent } = await linkedPerson();
    bank.controls.revokePermission(itemId);
    const { syncDeps, calls } = deps();

    expect(await syncConnection({ psid, itemId, reason: 'schedule' }, syncDeps)).toBe('access-revoked');
    expect(calls.accessRevoked).toEqual([consent.consentId]);
  });

  it('on rate limiting: retries within bounds, then hands the message back for a later retry', async () => {
    const { psid, itemId, accessToken } = await linkedPerson();
    const dueAt = String((await connectionOf(psid)).nextSyncAt);
    bank.controls.failNext('/transactions/sync', 3, 'RATE_LIMIT_EXCEEDED');
    const before = syncCalls(accessToken);

    await expect(syncConnection({ psid, itemId, dueAt, reason: 'schedule' }, deps().syncDeps)).rejects.toThrow(BankRateLimited);

    expect(syncCalls(accessToken) - before).toBe(3);
    // The claim was given back: the retried message can sync.
    expect(await syncConnection({ psid, itemId, dueAt, reason: 'schedule' }, deps().syncDeps)).toBe('synced');
  });
});

describe('recurring streams with the sync', () => {
  const streamCalls = (accessToken: string) => bank.apiCalls().filter((c) => c.accessToken === accessToken && c.path === '/transactions/recurring/get').length;
  const readStreams = async (psid: string) => {
    const consent = (await store.listConsents(psid))[0]!;
    return store.financialReads.recurringStreams(consent);
  };
  const byName = (streams: RecurringStream[], name: string) => streams.find((s) => (s.merchantName ?? s.description) === name);
  /** The sync and the gate on one clock, as in the worker. */
  const at = (time: Date) => {
    const clock = () => time;
    return deps({ clock, financial: tables.store(clock).financialGate(createLocalKeyProvider(Buffer.alloc(32, 3).toString('base64'))) });
  };

  it('stores user_subscriptions’ rent, subscriptions and pay with the first sync, next to the balance that cannot cover the rent', async () => {
    const { psid, itemId } = await linkedPerson(undefined, 'user_subscriptions');

    expect(await syncConnection({ psid, itemId, reason: 'new-consent' }, deps().syncDeps)).toBe('synced');

    const { streams, refreshedAt } = await readStreams(psid);
    const checking = (await itemsOf(psid, 'account')).find((a) => a.subtype === 'checking')!;
    expect({
      rent: byName(streams, 'Oakwood Apartments'),
      netflix: byName(streams, 'Netflix'),
      disney: byName(streams, 'Disney+')?.status,
      pay: streams.filter((s) => s.direction === 'inflow').length > 0,
      checking: (checking.balances as { current: number }).current,
      refreshedAt: String((await connectionOf(psid)).streamsRefreshedAt),
    }).toEqual({
      rent: expect.objectContaining({ accountId: checking.accountId, direction: 'outflow', frequency: 'monthly', lastAmount: 1450, predictedNextDate: expect.any(String) }),
      netflix: expect.objectContaining({ lastAmount: 17.99, averageAmount: 16.32 }),
      disney: 'early-detection',
      pay: true,
      checking: 985.4,
      refreshedAt,
    });
  });

  it('does not ask for them again while nothing changed and they are under a day old; a new transaction refreshes them', async () => {
    const { psid, itemId, accessToken } = await linkedPerson(undefined, 'user_subscriptions');
    const start = Date.now();
    await syncConnection({ psid, itemId, reason: 'new-consent' }, at(new Date(start)).syncDeps);
    const calls = streamCalls(accessToken);

    expect(await syncConnection({ psid, itemId, reason: 'webhook' }, at(new Date(start + 3_600_000)).syncDeps)).toBe('synced');
    expect(streamCalls(accessToken)).toBe(calls);

    bank.controls.postTransaction(itemId, { amount: 15.49, merchant: 'Netflix' });
    await syncConnection({ psid, itemId, reason: 'webhook' }, at(new Date(start + 2 * 3_600_000)).syncDeps);
    expect(streamCalls(accessToken)).toBe(calls + 1);
    expect((await readStreams(psid)).refreshedAt).toBe(new Date(start + 2 * 3_600_000).toISOString());
  });

  it('asks for them again once they are a day old, even when nothing changed', async () => {
    const { psid, itemId, accessToken } = await linkedPerson(undefined, 'user_subscriptions');
    const start = Date.now();
    await syncConnection({ psid, itemId, reason: 'new-consent' }, at(new Date(start)).syncDeps);
    const calls = streamCalls(accessToken);
    const nextDay = new Date(start + 22 * 3_600_000);

    await syncConnection({ psid, itemId, reason: 'webhook' }, at(nextDay).syncDeps);

    expect(streamCalls(accessToken)).toBe(calls + 1);
    expect((await readStreams(psid)).refreshedAt).toBe(nextDay.toISOString());
  });

  it('syncs the balances and transactions when the bank is not ready with the streams, keeps the previous ones and asks again at the next sync', async () => {
    const { psid, itemId, accessToken } = await linkedPerson(undefined, 'user_subscriptions');
    bank.controls.failNext('/transactions/recurring/get', 1, 'PRODUCT_NOT_READY');
    const warned: string[] = [];
    const log = { ...quietLog, warn: (message: string) => void warned.push(message) } as never;

    expect(await syncConnection({ psid, itemId, reason: 'new-consent' }, deps({ log }).syncDeps)).toBe('synced');

    expect({ warned, streams: await readStreams(psid), transactions: await stored(psid), status: (await connectionOf(psid)).syncStatus }).toEqual({
      warned: ['Recurring streams not refreshed; the previous ones are kept'],
      streams: { streams: [] },
      transactions: atBank(itemId),
      status: 'ok',
    });
    expect((await itemsOf(psid, 'account')).find((a) => a.subtype === 'checking')?.balances).toMatchObject({ current: 985.4 });

    // The next sync gets them; a later failure leaves them as they were.
    await syncConnection({ psid, itemId, reason: 'webhook' }, deps().syncDeps);
    const held = await readStreams(psid);
    expect(held.streams.length).toBeGreaterThan(0);
    bank.controls.postTransaction(itemId, { amount: 4.1, merchant: 'Starbucks' });
    bank.controls.failNext('/transactions/recurring/get', 1, 'PRODUCT_NOT_READY');
    const calls = streamCalls(accessToken);
    expect(await syncConnection({ psid, itemId, reason: 'webhook' }, deps().syncDeps)).toBe('synced');
    expect(streamCalls(accessToken)).toBe(calls + 1);
    expect(await readStreams(psid)).toEqual(held);
    expect(await stored(psid)).toEqual(atBank(itemId));

    // The next sync finds nothing new at the bank, yet asks for them again: they are behind the transactions.
    await syncConnection({ psid, itemId, reason: 'webhook' }, deps().syncDeps);
    expect(streamCalls(accessToken)).toBe(calls + 2);
    expect((await connectionOf(psid)).streamsCursor).toBe((await connectionOf(psid)).cursor);
  });

  it('leaves no stream once the person revokes, and none once they stop sharing transactions', async () => {
    const revoking = await linkedPerson(undefined, 'user_subscriptions');
    const narrowing = await linkedPerson(undefined, 'user_subscriptions');
    await Promise.all([revoking, narrowing].map((p) => syncConnection({ psid: p.psid, itemId: p.itemId, reason: 'new-consent' }, deps().syncDeps)));
    expect((await itemsOf(revoking.psid, 'recurring-stream')).length).toBeGreaterThan(0);
    expect((await itemsOf(narrowing.psid, 'recurring-stream')).length).toBeGreaterThan(0);

    const revoked = revokeConsent(revoking.consent, { now: new Date(), by: 'person' });
    await store.commitConsentTransition(revoked);
    const purged = await financial.purge(revoked.consent);
    const narrowed = changeConsentScopes(narrowing.consent, { scopes: ['balances'], now: new Date() });
    await store.commitConsentTransition(narrowed);
    await financial.scrubWithdrawnScopes(narrowed.consent, ['transactions']);

    expect(purged.recurringStreams).toBeGreaterThan(0);
    expect(await itemsOf(revoking.psid, 'recurring-stream')).toEqual([]);
    expect(await itemsOf(narrowing.psid, 'recurring-stream')).toEqual([]);
    // Narrowed to balances, a sync no longer asks for them.
    const calls = streamCalls(narrowing.accessToken);
    await syncConnection({ psid: narrowing.psid, itemId: narrowing.itemId, reason: 'webhook' }, deps().syncDeps);
    expect(streamCalls(narrowing.accessToken)).toBe(calls);
    expect(await itemsOf(narrowing.psid, 'recurring-stream')).toEqual([]);
  });
});

describe('scheduling', () => {
  it('enqueues exactly the connections that are due, in batches of 10, reading only due buckets', async () => {
    const people = await Promise.all(Array.from({ length: 23 }, () => linkedPerson(['balances'])));
    const past = new Date(Date.now() - 20 * 60_000);
    const later = new Date(Date.now() + 3 * 3_600_000);
    // 20 due at various past minutes, 3 due later today.
    await Promise.all(people.map((p, i) => store.scheduleNextSync(p, { at: i < 20 ? new Date(past.getTime() + i * 30_000) : later, status: 'ok' })));
    const sent: SyncRequest[][] = [];

    const result = await enqueueDueSyncs({
      listDue: (onPage) => store.listDueConnections(new Date(), 60, onPage),
      queue: { send: async (requests) => (sent.push(requests), { sent: requests.length, requests: Math.ceil(requests.length / 10) }) },
      log: quiet,
    });

    const mine = new Set(people.slice(0, 20).map((p) => p.itemId));
    const enqueued = sent.flat().filter((r) => mine.has(r.itemId) || people.some((p) => p.itemId === r.itemId));
    expect(enqueued.map((r) => r.itemId).sort()).toEqual([...mine].sort());
    expect(enqueued.every((r) => r.reason === 'schedule' && r.dueAt)).toBe(true);
    expect(result.queries).toBe(60 / 5 + 1);
  }, 30_000);

  it('spreads next syncs across ±10% of the interval', () => {
    const now = new Date('2026-11-21T00:00:00Z');
    const earliest = nextSyncTime(now, 24, () => 0).getTime() - now.getTime();
    const latest = nextSyncTime(now, 24, () => 1).getTime() - now.getTime();
    expect([earliest / 3_600_000, latest / 3_600_000]).toEqual([21.6, 26.4]);
  });
});
