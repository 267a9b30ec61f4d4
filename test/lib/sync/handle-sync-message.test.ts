import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BankTransaction, SyncPage } from '../../../lib/banking/bank-connector';
import { activateConsent, requestConsent, type Consent } from '../../../lib/consent/model/consent';
import { BankAccessRevoked, BankInvalidRequest, BankLoginRequired, BankRateLimited } from '../../../lib/errors';
import type { Log } from '../../../lib/logger';
import type { BusinessMetric } from '../../../lib/metrics';
import type { OutboundMessage } from '../../../lib/messenger/send-api';
import { backoffSeconds, handleSyncMessage, type SyncMessage, type SyncMessageDeps } from '../../../lib/sync/handle-sync-message';

/** One sync queue message handled whole, with plain fakes for every port. */
const NOW = new Date('2026-11-21T10:00:00.000Z');
const DUE = '2026-11-21T09:00:00.000Z';
const consentWith = (scopes: Consent['scopes']): Consent =>
  activateConsent(requestConsent({ consentId: 'c-1', psid: 'p-1', scopes, durationDays: 90, disclosure: { version: 'v', hash: 'h' }, bankLinkToken: 'l', now: NOW }).consent, {
    itemId: 'item-1',
    now: NOW,
  }).consent;
const purchase = (transactionId: string, amount: number): BankTransaction => ({
  transactionId,
  accountId: 'acc-1',
  amount,
  currency: 'USD',
  date: '2026-11-21',
  name: 'Gadget Store',
  merchantName: 'Gadget Store',
  category: null,
  pending: false,
});
const page = (added: BankTransaction[] = []): SyncPage => ({ added, modified: [], removed: [], nextCursor: 'c-2', hasMore: false, accounts: [] });
const message = (body: unknown, attributes: SyncMessage['attributes'] = {}): SyncMessage => ({
  messageId: 'm-1',
  receiptHandle: 'r-1',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes,
});
const scheduled = { psid: 'p-1', itemId: 'item-1', dueAt: DUE, reason: 'schedule' };

interface Options {
  scopes?: Consent['scopes'];
  added?: BankTransaction[];
  claim?: 'free' | 'held';
  fail?: Error;
}

function fakes(options: Options = {}) {
  const seen = {
    delays: [] as { receiptHandle: string; seconds: number }[],
    counted: [] as BusinessMetric[],
    errors: [] as string[],
    inbox: [] as string[],
    told: [] as { key: string; messages: OutboundMessage[] }[],
    loginRequired: [] as string[],
    revoked: [] as string[],
    unscheduled: [] as string[],
    correlationIds: [] as string[],
    reachedWith: [] as Log[],
    reads: 0,
  };
  const log = (into?: string[]): Log => ({ debug() {}, info() {}, warn() {}, error: (text: string) => void into?.push(text) }) as unknown as Log;
  const deps: SyncMessageDeps = {
    store: {
      listConsentsWithAlertSettings: async () => {
        seen.reads++;
        return { consents: [consentWith(options.scopes ?? ['balances', 'transactions', 'alerts'])], alertSettings: undefined };
      },
      syncSchedule: () => ({
        scheduleNextSync: async () => ({ waiters: [] }),
        unscheduleSync: async (key, status) => void seen.unscheduled.push(`${key.itemId}:${status}`),
        releaseSync: async () => undefined,
        waitForSync: async () => true,
      }),
      putInternalEvent: async (event) => {
        seen.inbox.push(event.id);
        return 'stored';
      },
    },
    financial: {
      claimSync: async () => (options.claim === 'held' ? { refused: {} } : { start: async () => ({ accessToken: 'token', cursor: 'c-1' }) }),
      storedBalances: async () => [],
      saveBalances: async () => 'saved',
      applyTransactionsPage: async (_consent: Consent, p: SyncPage) => ({ added: p.added }),
      saveRecurringStreams: async () => 'saved',
      alertHistory: async () => [],
      recurringStreams: async () => ({ streams: [] }),
      recordAlert: async () => 'new',
      holdAlert: async () => undefined,
    } as unknown as SyncMessageDeps['financial'],
    bank: {
      getBalances: async () => [],
      getAccounts: async () => [],
      syncTransactions: async () => {
        if (options.fail) throw options.fail;
        return page(options.added);
      },
      recurringStreams: async () => ({ inflows: [], outflows: [], updatedAt: NOW }),
    },
    queue: { delay: async (receiptHandle, seconds) => void seen.delays.push({ receiptHandle, seconds }) },
    reach: (messageLog) => {
      seen.reachedWith.push(messageLog);
      return {
        events: {
          loginRequired: async (consent) => void seen.loginRequired.push(consent.consentId),
          accessRevoked: async (consent) => void seen.revoked.push(consent.consentId),
        },
        alerts: {
          profile: async () => ({ lastInboundAt: NOW.getTime() - 60_000 }),
          language: async () => 'en',
          languages: { default: 'en', locales: { en: 'en-US', es: 'es-US' }, timeZone: 'UTC' },
          templates: {},
          notify: async (_psid, key, messages) => {
            seen.told.push({ key, messages });
            return 'sent';
          },
          notifyUtility: async () => 'sent',
          clock: () => NOW,
        },
      };
    },
    homeCountry: 'US',
    settings: { intervalHours: 24, leaseSeconds: 600, pageSize: 30, maxRestarts: 3 },
    clock: () => NOW,
    random: () => 1,
    log: log(seen.errors),
    logFor: (correlationId) => {
      seen.correlationIds.push(correlationId);
      return log(seen.errors);
    },
    count: (name) => void seen.counted.push(name),
  };
  return { deps, seen };
}

const textOf = (m: OutboundMessage) => ('text' in m ? m.text : m.attachment.payload.text);

describe('a sync queue message', () => {
  it('that syncs is done, counted, and logged under the connection and its due time', async () => {
    const { deps, seen } = fakes();

    expect(await handleSyncMessage(message(scheduled), deps)).toBe('done');

    expect(seen.counted).toEqual(['SyncsSucceeded']);
    expect(seen.correlationIds).toEqual([`item-1:${DUE}`]);
    expect(seen.delays).toEqual([]);
  });

  it('hands what is new to the alerts, which tell the person through the ways bound to this message, reading the consents and settings once', async () => {
    const { deps, seen } = fakes({ added: [purchase('t-1', 900)] });

    await handleSyncMessage(message(scheduled), deps);

    expect(seen.told).toHaveLength(1);
    expect(seen.told[0]!.key).toMatch(/^alert:/);
    expect(textOf(seen.told[0]!.messages[0]!)).toContain('900');
    expect(seen.reachedWith).toHaveLength(1);
    expect(seen.reads).toBe(1);
  });

  it('raises no alert without the alerts scope', async () => {
    const { deps, seen } = fakes({ scopes: ['transactions'], added: [purchase('t-1', 900)] });

    expect(await handleSyncMessage(message(scheduled), deps)).toBe('done');
    expect(seen.told).toEqual([]);
  });

  it('tells whoever waits for the data: a refresh notice named by the sync in the person’s inbox', async () => {
    const { deps, seen } = fakes();

    await handleSyncMessage(message({ psid: 'p-1', itemId: 'item-1', reason: 'stale' }), deps);

    expect(seen.inbox).toEqual([`refresh:item-1:${NOW.getTime()}`]);
  });

  it('that meets a sync in flight it must follow is kept and delayed 20–40 s, and is no failure', async () => {
    const { deps, seen } = fakes({ claim: 'held' });

    expect(await handleSyncMessage(message({ psid: 'p-1', itemId: 'item-1', reason: 'webhook' }), deps)).toBe('keep');

    expect(seen.delays).toEqual([{ receiptHandle: 'r-1', seconds: 40 }]);
    expect(seen.counted).toEqual([]);
  });

  it('that fails for a while (rate limited) is kept, backed off by how often it came, and counted as failed', async () => {
    const { deps, seen } = fakes({ fail: new BankRateLimited('slow down') });

    expect(await handleSyncMessage(message(scheduled, { ApproximateReceiveCount: '3' }), deps)).toBe('keep');

    expect(seen.delays).toEqual([{ receiptHandle: 'r-1', seconds: 120 }]);
    expect(seen.counted).toEqual(['SyncsFailed']);
    expect(seen.errors).toEqual(['Sync failed']);
  });

  it('that fails for good is kept without a delay, so the queue moves it to the DLQ', async () => {
    const { deps, seen } = fakes({ fail: new BankInvalidRequest('bad request') });

    expect(await handleSyncMessage(message(scheduled), deps)).toBe('keep');
    expect(seen.delays).toEqual([]);
    expect(seen.counted).toEqual(['SyncsFailed']);
  });

  it('that is not a sync request is kept (until the DLQ), logged and counted, and reads nothing', async () => {
    const { deps, seen } = fakes();

    for (const body of ['not json', { psid: 'p-1', reason: 'schedule' }, { ...scheduled, reason: 'whenever' }]) {
      expect(await handleSyncMessage(message(body), deps)).toBe('keep');
    }

    expect(seen.errors).toEqual(['Invalid sync message', 'Invalid sync message', 'Invalid sync message']);
    expect(seen.counted).toEqual(['SyncsFailed', 'SyncsFailed', 'SyncsFailed']);
    expect(seen.reads).toBe(0);
  });

  it('asks the person to log in again when the bank wants it, and the message is done', async () => {
    const { deps, seen } = fakes({ fail: new BankLoginRequired('login') });

    expect(await handleSyncMessage(message(scheduled), deps)).toBe('done');
    expect(seen.loginRequired).toEqual(['c-1']);
    expect(seen.unscheduled).toEqual(['item-1:login-required']);
  });

  it('ends the sharing as revoked by the bank when the bank says access is gone', async () => {
    const { deps, seen } = fakes({ fail: new BankAccessRevoked('gone') });

    expect(await handleSyncMessage(message(scheduled), deps)).toBe('done');
    expect(seen.revoked).toEqual(['c-1']);
  });
});

describe('sync retry backoff', () => {
  it('starts at 15–30 s, doubles per receive, and never exceeds 15 minutes', () => {
    expect([backoffSeconds(1, () => 0), backoffSeconds(1, () => 1)]).toEqual([15, 30]);
    expect([backoffSeconds(2, () => 1), backoffSeconds(3, () => 1), backoffSeconds(5, () => 1)]).toEqual([60, 120, 480]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (count, r) => {
        const seconds = backoffSeconds(count, () => r);
        return seconds >= 15 && seconds <= 900;
      }),
    );
  });
});
