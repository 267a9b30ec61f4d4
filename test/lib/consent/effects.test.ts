import { describe, expect, it } from 'vitest';
import type { BankAccount } from '../../../lib/banking/bank-connector';
import {
  activateConsent,
  changeConsentScopes,
  expireConsent,
  renewConsent,
  requestConsent,
  revokeConsent,
  type Actor,
  type AuditEntry,
  type Consent,
} from '../../../lib/consent/model/consent';
import { onConsentChanged, type EffectsDeps } from '../../../lib/consent/effects';
import type { Scope } from '../../../lib/consent/model/scopes';
import { BankAccessRevoked, BankInvalidRequest, BankUnavailable } from '../../../lib/errors';
import type { Log } from '../../../lib/logger';
import type { OutboundMessage } from '../../../lib/messenger/send-api';
import type { PurgeRecord } from '../../../lib/store/purge-records';

const DAY_MS = 86_400_000;
const T0 = new Date('2026-03-01T10:00:00.000Z');
const after = (ms: number) => new Date(T0.getTime() + ms);
const PSID = '6543210987654321';
const TOKEN = 'access-sandbox-0000';
const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Log;

// ---- consents, built with the state machine itself ---------------------------------------------

const pending = (scopes: Scope[] = ['balances', 'transactions']) =>
  requestConsent({ consentId: 'consent-1', psid: PSID, scopes, durationDays: 90, disclosure: { version: '2026-11-21.1', hash: 'h' }, bankLinkToken: 'link-1', now: T0 }).consent;
const active = (scopes?: Scope[]) =>
  activateConsent(pending(scopes), { itemId: 'item-1', institution: { id: 'ins_1', name: 'First Platypus Bank' }, now: T0 }).consent;
const revoked = (by: Actor = 'person') => revokeConsent(active(), { now: after(DAY_MS), by }).consent;
const expired = () => expireConsent(active(), { now: after(90 * DAY_MS) }).consent;

// ---- fakes -------------------------------------------------------------------------------------

const ACCOUNTS: BankAccount[] = [
  { accountId: 'acc-1', name: 'Everyday Checking', mask: '0000', type: 'depository', subtype: 'checking', balances: { available: 100, current: 110, limit: null, currency: 'USD' } },
  { accountId: 'acc-2', name: 'Rainy Day Savings', mask: '1111', type: 'depository', subtype: 'savings', balances: { available: 200, current: 200, limit: null, currency: 'USD' } },
];
const COUNTS = { connections: 1, accounts: 3, transactions: 120, recurringStreams: 9 };

interface Options {
  accounts?: BankAccount[];
  counts?: typeof COUNTS;
  removeFails?: Error;
}

function fakes(options: Options = {}) {
  const calls = {
    notify: [] as { psid: string; key: string; messages: OutboundMessage[] }[],
    syncs: [] as { psid: string; itemId: string; reason: string }[],
    removeItem: [] as string[],
    removalReasons: [] as string[],
    purge: [] as string[],
    scrubbed: [] as { consentId: string; withdrawn: string[] }[],
    audit: [] as AuditEntry[],
  };
  const purgeRecords = new Map<string, PurgeRecord>();
  const accounts = options.accounts ?? ACCOUNTS;
  let counts = options.counts ?? COUNTS;

  const deps: EffectsDeps = {
    financial: {
      async accountNames() {
        return accounts.map(({ accountId, name, mask, type, subtype }) => ({ accountId, name, mask, type, subtype }));
      },
      async accessTokenForRemoval(consent) {
        return consent.itemId ? TOKEN : undefined;
      },
      async purge(consent) {
        calls.purge.push(consent.consentId);
        return counts;
      },
      async scrubWithdrawnScopes(consent, withdrawn) {
        calls.scrubbed.push({ consentId: consent.consentId, withdrawn });
        return { transactions: 0, recurringStreams: 0, balances: 0 };
      },
    },
    bank: {
      async removeItem(token, reason) {
        calls.removeItem.push(token);
        calls.removalReasons.push(reason);
        if (options.removeFails) throw options.removeFails;
      },
    },
    async requestSync(request) {
      calls.syncs.push(request);
    },
    async notify(psid, key, messages) {
      calls.notify.push({ psid, key, messages });
    },
    purges: {
      async getPurgeRecord(psid, consentId) {
        return purgeRecords.get(`${psid}/${consentId}`);
      },
      // Like the store: the first record wins, and a later one gets the first back.
      async recordPurge(psid, consentId, record, audit) {
        const existing = purgeRecords.get(`${psid}/${consentId}`);
        if (existing) return existing;
        purgeRecords.set(`${psid}/${consentId}`, record);
        calls.audit.push(audit);
        return record;
      },
    },
    clock: () => after(2 * DAY_MS),
    log,
  };
  return {
    deps,
    calls,
    purgeRecords,
    setCounts: (next: typeof COUNTS) => {
      counts = next;
    },
  };
}

const texts = (calls: ReturnType<typeof fakes>['calls']) => calls.notify.flatMap((n) => n.messages.map((m) => ('text' in m ? m.text : m.attachment.payload.text)));
const noWork = (calls: ReturnType<typeof fakes>['calls']) => ({
  notified: calls.notify.length,
  bankCalls: calls.removeItem.length + calls.syncs.length,
  purged: calls.purge.length,
  audited: calls.audit.length,
});

// ---- activation --------------------------------------------------------------------------------

describe('pending → active', () => {
  it('tells the person once which accounts they linked', async () => {
    const { deps, calls } = fakes();

    await onConsentChanged(pending(), active(), deps);

    expect([calls.notify.map((n) => n.psid), texts(calls)]).toEqual([[PSID], [expect.stringMatching(/Everyday Checking ••0000, Rainy Day Savings ••1111/)]]);
  });

  it('reports the change as linked', async () => {
    const { deps } = fakes();

    expect(await onConsentChanged(pending(), active(), deps)).toBe('linked');
  });

  it('requests the first sync of the new connection through the queue, once', async () => {
    const { deps, calls } = fakes();

    await onConsentChanged(pending(['balances']), active(['balances']), deps);

    expect(calls.syncs).toEqual([{ psid: active().psid, itemId: active().itemId, reason: 'new-consent' }]);
  });

  // BUG (lib/consent/messages.ts, linkedMessage): `.slice(0, 2000)` binds to the second
  // template literal only (member access before `+`), so the account list is not capped: with many
  // accounts the 'linked' text exceeds Messenger's 2000-character limit and the Send API client
  // refuses it (SendApiRejected), so the person never hears that the link worked.
  // Expected: text ≤ 2000; actual: 2,367 characters for 60 accounts named "Business Operating Account N".
  it('keeps the linked message within the 2000-character text limit for an item with many accounts', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ ...ACCOUNTS[0]!, accountId: `acc-${i}`, name: `Business Operating Account ${i}`, mask: String(1000 + i) }));
    const { deps, calls } = fakes({ accounts: many });

    await onConsentChanged(pending(), active(), deps);

    expect(texts(calls)[0]!.length).toBeLessThanOrEqual(2000);
  });
});

// ---- revocation and expiry ---------------------------------------------------------------------

describe('active → revoked', () => {
  it('removes the item at the bank once', async () => {
    const { deps, calls } = fakes();

    await onConsentChanged(active(), revoked(), deps);

    expect(calls.removeItem).toEqual([TOKEN]);
  });

  it('purges the financial data of the consent', async () => {
    const { deps, calls } = fakes();

    const effect = await onConsentChanged(active(), revoked(), deps);

    expect([effect, calls.purge]).toEqual(['purged', ['consent-1']]);
  });

  it('records the purge with a deletion audit entry holding counts only', async () => {
    const { deps, calls, purgeRecords } = fakes();

    await onConsentChanged(active(), revoked(), deps);

    expect([purgeRecords.get(`${PSID}/consent-1`), calls.audit]).toEqual([
      { ...COUNTS, removedAtBank: true, at: after(2 * DAY_MS).toISOString() },
      [
        {
          action: 'deleted',
          psid: PSID,
          consentId: 'consent-1',
          at: after(2 * DAY_MS).toISOString(),
          actor: 'system',
          disclosureVersion: '2026-11-21.1',
          details: { ...COUNTS, removedAtBank: true, reason: 'revoked' },
        },
      ],
    ]);
  });

  it('tells the person what was deleted, with the counts', async () => {
    const { deps, calls } = fakes();

    await onConsentChanged(active(), revoked(), deps);

    expect(texts(calls)).toEqual([expect.stringMatching(/disconnected it at the bank and deleted 3 accounts with their balances, 120 transactions/)]);
  });

  it('tells the bank the person revoked it', async () => {
    const { deps, calls } = fakes();

    await onConsentChanged(active(), revoked(), deps);

    expect(calls.removalReasons).toEqual(['person-revoked']);
  });

  it('says the person stopped sharing, what was deleted and what is kept', async () => {
    const { deps, calls } = fakes();

    await onConsentChanged(active(), revoked(), deps);

    expect(texts(calls)).toEqual([
      'You stopped sharing First Platypus Bank. I disconnected it at the bank and deleted 3 accounts with their balances, 120 transactions, ' +
        'the bank access token and sync position. A record that you shared and stopped (with no financial data) is kept for 3 years.',
    ]);
  });
});

describe('active → revoked by the bank', () => {
  it('removes what is left of the item at the bank, saying the bank revoked it, and purges', async () => {
    const { deps, calls } = fakes();

    const effect = await onConsentChanged(active(), revoked('bank'), deps);

    expect([effect, calls.removeItem, calls.removalReasons, calls.purge]).toEqual(['purged', [TOKEN], ['bank-revoked'], ['consent-1']]);
  });

  it('says the bank ended it, not the person, lists what was deleted and how to share again', async () => {
    const { deps, calls } = fakes({ removeFails: new BankAccessRevoked('ITEM_NOT_FOUND') });

    await onConsentChanged(active(), revoked('bank'), deps);

    const [text] = texts(calls);
    expect(text).toBe(
      'First Platypus Bank ended my access to your accounts (it was withdrawn at the bank or through Plaid), so I stopped reading them. ' +
        'Nothing was left to disconnect at the bank. I deleted 3 accounts with their balances, 120 transactions, the bank access token and sync position. ' +
        'To share again, link your bank: you choose again what to share and for how long. ' +
        'A record that you shared and how it ended (with no financial data) is kept for 3 years.',
    );
    expect(text).not.toMatch(/you stopped/i);
  });

  it('says so when it closed what was left of the connection at the bank', async () => {
    const { deps, calls } = fakes();

    await onConsentChanged(active(), revoked('bank'), deps);

    expect(texts(calls)).toEqual([expect.stringContaining('so I stopped reading them. I closed what was left of the connection at the bank and deleted 3 accounts')]);
  });

  it('speaks the person’s language', async () => {
    const { deps, calls } = fakes({ removeFails: new BankAccessRevoked('ITEM_NOT_FOUND') });
    deps.language = async () => 'es';

    await onConsentChanged(active(), revoked('bank'), deps);

    expect(texts(calls)).toEqual([expect.stringMatching(/^First Platypus Bank cerró mi acceso a tus cuentas .* En el banco no quedaba nada que desconectar\. Borré 3 cuentas con sus saldos/)]);
  });

  it('deletes the data even when the bank refuses the removal for good', async () => {
    const { deps, calls } = fakes({ removeFails: new BankInvalidRequest('ITEM_ERROR') });

    const effect = await onConsentChanged(active(), revoked('bank'), deps);

    expect([effect, calls.purge, texts(calls)]).toEqual(['purged', ['consent-1'], [expect.stringContaining('Nothing was left to disconnect at the bank.')]]);
  });

  it('is retried, deleting nothing yet, while the bank cannot be reached', async () => {
    const { deps, calls } = fakes({ removeFails: new BankUnavailable('Plaid 500') });

    const outcome = await onConsentChanged(active(), revoked('bank'), deps).catch((error: unknown) => error);

    expect([outcome instanceof BankUnavailable, calls.purge, calls.notify]).toEqual([true, [], []]);
  });

  it('tolerates an item the bank already removed', async () => {
    const { deps, calls, purgeRecords } = fakes({ removeFails: new BankAccessRevoked('ITEM_NOT_FOUND') });

    const effect = await onConsentChanged(active(), revoked(), deps);

    expect([effect, calls.purge, purgeRecords.get(`${PSID}/consent-1`)?.removedAtBank, calls.notify.length]).toEqual(['purged', ['consent-1'], false, 1]);
  });

  it('purges nothing while the bank cannot be reached, so the change is retried', async () => {
    const { deps, calls } = fakes({ removeFails: new BankUnavailable('Plaid 500') });

    const outcome = await onConsentChanged(active(), revoked(), deps).catch((error: unknown) => error);

    expect([outcome instanceof BankUnavailable, calls.purge, calls.audit, calls.notify]).toEqual([true, [], [], []]);
  });

  it('on a retry, neither calls the bank nor purges again, and reports the first run\'s counts', async () => {
    const { deps, calls, setCounts } = fakes();
    await onConsentChanged(active(), revoked(), deps);
    setCounts({ connections: 0, accounts: 0, transactions: 0, recurringStreams: 0 });

    await onConsentChanged(active(), revoked(), deps);

    const [first, second] = texts(calls);
    expect([calls.removeItem.length, calls.purge.length, calls.audit.length, second]).toEqual([1, 1, 1, first]);
  });

  it('reports the counts of the purge recorded first when two runs race', async () => {
    const { deps, calls, purgeRecords } = fakes();
    const firstRun = { connections: 1, accounts: 2, transactions: 7, removedAtBank: true, at: after(DAY_MS).toISOString() };
    const getPurgeRecord = deps.purges.getPurgeRecord;
    // The other run records its purge between this run's check and its own record.
    deps.purges.getPurgeRecord = async (psid, consentId) => {
      const found = await getPurgeRecord(psid, consentId);
      purgeRecords.set(`${psid}/${consentId}`, firstRun);
      return found;
    };

    await onConsentChanged(active(), revoked(), deps);

    expect([calls.audit.length, texts(calls)]).toEqual([0, [expect.stringContaining('deleted 2 accounts with their balances, 7 transactions')]]);
  });

  it('calls no bank and tells nobody for a consent revoked before any bank was linked', async () => {
    const { deps, calls } = fakes({ counts: { connections: 0, accounts: 0, transactions: 0, recurringStreams: 0 } });

    await onConsentChanged(pending(), revokeConsent(pending(), { now: after(1000), by: 'person' }).consent, deps);

    expect([calls.removeItem, calls.notify]).toEqual([[], []]);
  });
});

describe('active → expired', () => {
  it('removes the item, telling the bank the consent expired, and purges', async () => {
    const { deps, calls } = fakes();

    const effect = await onConsentChanged(active(), expired(), deps);

    expect([effect, calls.removeItem, calls.removalReasons, calls.purge, calls.audit[0]?.details?.reason]).toEqual([
      'purged',
      [TOKEN],
      ['consent-expired'],
      ['consent-1'],
      'expired',
    ]);
  });

  it('says it ended on its end date, what was deleted and how to link again', async () => {
    const { deps, calls } = fakes();

    await onConsentChanged(active(), expired(), deps);

    expect(texts(calls)).toEqual([
      'Your sharing of First Platypus Bank ended on 30 May 2026, the end date you chose, and was not renewed, so I stopped reading it. ' +
        'I disconnected it at the bank and deleted 3 accounts with their balances, 120 transactions, the bank access token and sync position. ' +
        'To share again, link your bank: you choose again what to share and for how long. ' +
        'A record that you shared and how it ended (with no financial data) is kept for 3 years.',
    ]);
  });
});

describe('other changes', () => {
  const base = active();
  const cases: [string, Consent | undefined, Consent][] = [
    ['a renewal', base, renewConsent(base, { now: after(DAY_MS), current: { version: base.disclosureVersion, hash: base.disclosureHash } }).consent],
    ['a scope added', base, changeConsentScopes(base, { scopes: [...base.scopes, 'alerts'], now: after(DAY_MS) }).consent],
    ['revoked → revoked', revoked(), { ...revoked(), updatedAt: after(3 * DAY_MS).toISOString() }],
    ['expired → revoked', expired(), { ...expired(), status: 'revoked' }],
    ['a new pending consent', undefined, pending()],
    ['pending → pending', pending(), { ...pending(), updatedAt: after(1000).toISOString() }],
  ];

  it('deletes the data of withdrawn scopes, and only that, when scopes are narrowed', async () => {
    const { deps, calls } = fakes();
    const narrowed = changeConsentScopes(base, { scopes: ['alerts'], now: after(DAY_MS) }).consent;

    const effect = await onConsentChanged(base, narrowed, deps);

    expect(effect).toBe('scrubbed');
    expect(calls.scrubbed).toEqual([{ consentId: base.consentId, withdrawn: base.scopes.filter((s) => s !== 'alerts') }]);
    expect(noWork(calls)).toEqual({ notified: 0, bankCalls: 0, purged: 0, audited: 0 });
  });

  it.each(cases)('does nothing on %s', async (_name, before, afterChange) => {
    const { deps, calls } = fakes();

    const effect = await onConsentChanged(before, afterChange, deps);

    expect([effect, noWork(calls)]).toEqual(['none', { notified: 0, bankCalls: 0, purged: 0, audited: 0 }]);
  });
});

// ---- business metrics --------------------------------------------------------------------------

describe('consent metrics', () => {
  const counting = () => {
    const { deps } = fakes();
    const counted: string[] = [];
    deps.count = (name, n = 1) => counted.push(...Array<string>(n).fill(name));
    return { deps, counted };
  };

  it('count a consent granted when it becomes active', async () => {
    const { deps, counted } = counting();
    await onConsentChanged(pending(), active(), deps);
    expect(counted).toEqual(['ConsentsGranted']);
  });

  it('count a revocation and an expiry once each, not again on a retry', async () => {
    const { deps, counted } = counting();
    await onConsentChanged(active(), revoked(), deps);
    await onConsentChanged(active(), revoked(), deps);
    await onConsentChanged({ ...active(), consentId: 'consent-2' }, { ...expired(), consentId: 'consent-2' }, deps);
    expect(counted).toEqual(['ConsentsRevoked', 'ConsentsExpired']);
  });

  it('count nothing for a change of scopes', async () => {
    const { deps, counted } = counting();
    await onConsentChanged(active(['balances', 'transactions']), changeConsentScopes(active(['balances', 'transactions']), { scopes: ['balances'], now: after(DAY_MS) }).consent, deps);
    expect(counted).toEqual([]);
  });
});
