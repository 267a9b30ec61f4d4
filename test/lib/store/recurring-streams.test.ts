import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BankAccount, RecurringStream } from '../../../lib/banking/bank-connector';
import { activateConsent, changeConsentScopes, expireConsent, requestConsent, revokeConsent, type Consent } from '../../../lib/consent/model/consent';
import { disclosure } from '../../../lib/consent/disclosure';
import { ConsentChanged, ConsentRequired, ScopeNotGranted } from '../../../lib/errors';
import { createLocalKeyProvider } from '../../../lib/security/local-key-provider';
import type { FinancialGate, Store } from '../../../lib/store';
import { userPk } from '../../../lib/store/keys';
import { createTestTables, type TestTables } from '../../support/dynamodb';

/**
 * A connection's recurring streams behind the financial gate, against DynamoDB Local: stored and
 * replaced whole under the transactions scope, conditioned on the consent, kept as long as their
 * latest payment would be, and gone when the consent ends or stops granting transactions.
 */
const DAY = 86_400_000;
const NOW = new Date('2026-11-21T10:00:00.000Z');
const daysBefore = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString().slice(0, 10);

let tables: TestTables;
let now: Date;
let store: Store;
let gate: FinancialGate;

const account: BankAccount = { accountId: 'acc-1', name: 'Checking', mask: '0000', type: 'depository', subtype: 'checking', balances: { available: 100, current: 120, limit: null, currency: 'USD' } };
const stream = (streamId: string, changes: Partial<RecurringStream> = {}): RecurringStream => ({
  streamId,
  accountId: 'acc-1',
  direction: 'outflow',
  description: `NETFLIX.COM ${streamId}`,
  merchantName: 'Netflix',
  category: { primary: 'ENTERTAINMENT', detailed: 'ENTERTAINMENT_TV_AND_MOVIES' },
  frequency: 'monthly',
  averageAmount: 16.32,
  lastAmount: 17.99,
  currency: 'USD',
  firstDate: daysBefore(70),
  lastDate: daysBefore(10),
  predictedNextDate: daysBefore(-20),
  isActive: true,
  status: 'mature',
  transactionIds: ['t-1', 't-2', 't-3'],
  ...changes,
});
const pay = stream('pay', { direction: 'inflow', description: 'ACME PAYROLL', merchantName: 'Acme', category: null, frequency: 'semi-monthly', averageAmount: -1900, lastAmount: -1900 });

const streamItems = async () => (await tables.items()).filter((item) => item.pk === userPk('p-1') && item.type === 'recurring-stream');

async function linked(scopes: Consent['scopes']): Promise<Consent> {
  const requested = requestConsent({ consentId: 'c-1', psid: 'p-1', scopes, durationDays: 90, disclosure: disclosure({ recipient: 'Demo Bank' }), bankLinkToken: 'link-x', now: NOW });
  await store.commitConsentTransition(requested);
  const activated = activateConsent(requested.consent, { itemId: 'item-1', now: NOW });
  await store.commitConsentTransition(activated, await gate.activationItems(activated.consent, { accessToken: 'access-sandbox-streams', accounts: [account] }));
  return activated.consent;
}

beforeEach(async () => {
  tables = await createTestTables();
  now = NOW;
  store = tables.store(() => now);
  gate = store.financialGate(createLocalKeyProvider(Buffer.alloc(32, 6).toString('base64')));
});

afterEach(async () => {
  await tables.dispose();
});

describe('recurring streams', () => {
  it('are read back as stored, inflows and outflows alike, with when they were refreshed', async () => {
    const consent = await linked(['transactions']);

    expect(await gate.saveRecurringStreams(consent, [stream('netflix'), pay])).toBe('saved');

    const held = await store.financialReads.recurringStreams(consent);
    expect({ ...held, streams: [...held.streams].sort((a, b) => a.streamId.localeCompare(b.streamId)) }).toEqual({
      streams: [stream('netflix'), pay],
      refreshedAt: NOW.toISOString(),
    });
  });

  it('have no refresh time before their first refresh', async () => {
    const consent = await linked(['transactions']);

    expect(await store.financialReads.recurringStreams(consent)).toEqual({ streams: [] });
  });

  it('are replaced whole by a refresh: changed ones rewritten, gone ones deleted, new ones added', async () => {
    const consent = await linked(['transactions']);
    await gate.saveRecurringStreams(consent, [stream('netflix'), stream('gym'), pay]);
    now = new Date(NOW.getTime() + DAY);

    await gate.saveRecurringStreams(consent, [stream('netflix', { lastAmount: 19.99 }), stream('spotify'), pay]);

    const held = await store.financialReads.recurringStreams(consent);
    expect(held.streams.map((s) => `${s.streamId}:${s.lastAmount}`).sort()).toEqual(['netflix:19.99', 'pay:-1900', 'spotify:17.99']);
    expect(held.refreshedAt).toBe(now.toISOString());
    expect(await streamItems()).toHaveLength(3);
  });

  it('write nothing but the refresh (its time and the transactions cursor they go with) when the bank describes the same streams', async () => {
    const consent = await linked(['transactions']);
    await gate.saveRecurringStreams(consent, [stream('netflix'), pay], { cursor: 'cursor-1' });
    now = new Date(NOW.getTime() + DAY);

    expect(await gate.saveRecurringStreams(consent, [pay, stream('netflix')], { cursor: 'cursor-2' })).toBe('unchanged');
    const connection = (await tables.items()).find((item) => item.type === 'connection');
    expect([connection?.streamsRefreshedAt, connection?.streamsCursor]).toEqual([now.toISOString(), 'cursor-2']);
  });

  it('replace a set larger than one transaction holds', async () => {
    const consent = await linked(['transactions']);
    await gate.saveRecurringStreams(consent, Array.from({ length: 150 }, (_, i) => stream(`s-${String(i).padStart(3, '0')}`)));

    await gate.saveRecurringStreams(consent, Array.from({ length: 120 }, (_, i) => stream(`s-${String(i + 100).padStart(3, '0')}`)));

    const held = await store.financialReads.recurringStreams(consent);
    expect({ count: held.streams.length, first: held.streams[0]?.streamId, refreshedAt: held.refreshedAt }).toEqual({ count: 120, first: 's-100', refreshedAt: NOW.toISOString() });
    expect(await streamItems()).toHaveLength(120);
  });

  it('keep the ids of a stream’s latest 16 payments only', async () => {
    const consent = await linked(['transactions']);
    const ids = Array.from({ length: 40 }, (_, i) => `t-${i}`);

    await gate.saveRecurringStreams(consent, [stream('transit', { frequency: 'weekly', transactionIds: ids })]);

    expect((await store.financialReads.recurringStreams(consent)).streams[0]?.transactionIds).toEqual(ids.slice(-16));
  });

  it('are kept as long as their latest payment: neither stored nor answered once it left the 90-day window', async () => {
    const consent = await linked(['transactions']);
    const lapsed = stream('lapsed-gym', { lastDate: daysBefore(91), isActive: false, status: 'mature' });
    await gate.saveRecurringStreams(consent, [lapsed, stream('netflix', { lastDate: daysBefore(85) })]);
    expect((await streamItems()).map((item) => [item.streamId, item.expiresAt])).toEqual([['netflix', Date.parse(`${daysBefore(85)}T00:00:00Z`) / 1000 + 90 * 86_400]]);

    // Six days on, Netflix's latest payment is past the window; TTL has not deleted it (DynamoDB Local never does).
    now = new Date(NOW.getTime() + 6 * DAY);

    expect((await store.financialReads.recurringStreams(consent)).streams).toEqual([]);
    expect((await store.financialReads.exportData(consent)).recurringStreams).toEqual([]);
  });
});

describe('the gate over recurring streams', () => {
  it('refuses to read or write them without the transactions scope', async () => {
    const consent = await linked(['balances', 'alerts']);

    await expect(store.financialReads.recurringStreams(consent)).rejects.toBeInstanceOf(ScopeNotGranted);
    await expect(gate.saveRecurringStreams(consent, [stream('netflix')])).rejects.toBeInstanceOf(ScopeNotGranted);
    expect(await streamItems()).toEqual([]);
  });

  it('refuses to read or write them for a consent no longer in force', async () => {
    const consent = await linked(['transactions']);
    await gate.saveRecurringStreams(consent, [stream('netflix')]);
    const revoked = revokeConsent(consent, { now: NOW, by: 'person' });
    await store.commitConsentTransition(revoked);
    const expired = expireConsent(consent, { now: new Date(NOW.getTime() + 90 * DAY) }).consent;

    await expect(store.financialReads.recurringStreams(revoked.consent)).rejects.toBeInstanceOf(ConsentRequired);
    await expect(gate.saveRecurringStreams(revoked.consent, [stream('gym')])).rejects.toBeInstanceOf(ConsentRequired);
    await expect(store.financialReads.recurringStreams(expired)).rejects.toBeInstanceOf(ConsentRequired);
  });

  it('writes none for a consent changed since it was read', async () => {
    const consent = await linked(['balances', 'transactions']);
    await gate.saveRecurringStreams(consent, [stream('netflix')]);
    await store.commitConsentTransition(changeConsentScopes(consent, { scopes: ['balances'], now: NOW }));

    await expect(gate.saveRecurringStreams(consent, [stream('netflix', { lastAmount: 1 }), stream('gym')])).rejects.toBeInstanceOf(ConsentChanged);

    expect((await streamItems()).map((item) => [item.streamId, item.lastAmount])).toEqual([['netflix', 17.99]]);
  });

  it('writes none for a consent revoked since it was read', async () => {
    const consent = await linked(['transactions']);
    await store.commitConsentTransition(revokeConsent(consent, { now: NOW, by: 'person' }));

    await expect(gate.saveRecurringStreams(consent, [stream('netflix')])).rejects.toBeInstanceOf(ConsentChanged);

    expect(await streamItems()).toEqual([]);
  });

  it('exports them under their own key while the consent grants transactions, and not after', async () => {
    const consent = await linked(['balances', 'transactions']);
    await gate.saveRecurringStreams(consent, [stream('netflix')]);
    const exported = await store.financialReads.exportData(consent);
    const narrowed = changeConsentScopes(consent, { scopes: ['balances'], now: NOW });
    await store.commitConsentTransition(narrowed);

    // Read before the withdrawn scope's data is scrubbed: the scope decides, not what is left.
    const afterNarrowing = await store.financialReads.exportData(narrowed.consent);

    expect({ before: exported.recurringStreams, after: afterNarrowing.recurringStreams, refreshedAt: exported.connection?.streamsRefreshedAt }).toEqual({
      before: [stream('netflix')],
      after: [],
      refreshedAt: NOW.toISOString(),
    });
  });
});

describe('deleting recurring streams', () => {
  it('withdrawing transactions deletes them and the record of their refresh', async () => {
    const consent = await linked(['balances', 'transactions']);
    await gate.saveRecurringStreams(consent, [stream('netflix'), pay], { cursor: 'cursor-1' });
    const narrowed = changeConsentScopes(consent, { scopes: ['balances'], now: NOW });
    await store.commitConsentTransition(narrowed);

    const scrubbed = await gate.scrubWithdrawnScopes(narrowed.consent, ['transactions']);

    const connection = (await tables.items()).find((item) => item.type === 'connection');
    expect({ scrubbed, left: await streamItems(), refreshedAt: connection?.streamsRefreshedAt, cursor: connection?.streamsCursor }).toEqual({
      scrubbed: { transactions: 0, recurringStreams: 2, balances: 0 },
      left: [],
      refreshedAt: undefined,
      cursor: undefined,
    });
  });

  it('withdrawing balances leaves them', async () => {
    const consent = await linked(['balances', 'transactions']);
    await gate.saveRecurringStreams(consent, [stream('netflix')]);
    const narrowed = changeConsentScopes(consent, { scopes: ['transactions'], now: NOW });
    await store.commitConsentTransition(narrowed);

    await gate.scrubWithdrawnScopes(narrowed.consent, ['balances']);

    expect((await store.financialReads.recurringStreams(narrowed.consent)).streams).toEqual([stream('netflix')]);
  });

  it.each([
    ['revoked', (consent: Consent) => revokeConsent(consent, { now: NOW, by: 'person' })],
    ['expired', (consent: Consent) => expireConsent(consent, { now: new Date(NOW.getTime() + 90 * DAY) })],
  ] as const)('the purge of a consent %s deletes and counts them', async (_how, end) => {
    const consent = await linked(['balances', 'transactions']);
    await gate.saveRecurringStreams(consent, [stream('netflix'), pay]);
    const ended = end(consent);
    await store.commitConsentTransition(ended);

    const counts = await gate.purge(ended.consent);

    expect({ streams: counts.recurringStreams, left: await streamItems() }).toEqual({ streams: 2, left: [] });
  });
});
