import { describe, expect, it } from 'vitest';
import { alertsAfterSync } from '../../../lib/alerts/after-sync';
import { DEFAULT_ALERT_SETTINGS } from '../../../lib/alerts/rules';
import type { BankTransaction } from '../../../lib/banking/bank-connector';
import { activateConsent, requestConsent, type Consent } from '../../../lib/consent/consent';
import type { OutboundMessage } from '../../../lib/messenger/send-api';
import type { SyncResult } from '../../../lib/sync/sync-connection';

/**
 * What the alert step reads after a sync. The stored history (90 days of transactions) is the
 * largest read of a sync, so it is read only when there is something new to judge against it.
 * The rules themselves are covered by rules.test.ts; delivery by deliver.test.ts.
 */
const now = new Date('2026-11-21T10:00:00Z');
const consent: Consent = activateConsent(
  requestConsent({ consentId: 'c-1', psid: 'p-1', scopes: ['balances', 'transactions', 'alerts'], durationDays: 90, disclosure: { version: 'v', hash: 'h' }, bankLinkToken: 'l', now }).consent,
  { itemId: 'item-1', now },
).consent;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const purchase = (id: string, amount: number, date: string, merchantName = 'Corner Grocer'): BankTransaction => ({
  transactionId: id,
  accountId: 'acc-1',
  amount,
  currency: 'USD',
  date,
  name: merchantName.toUpperCase(),
  merchantName,
  category: { primary: 'FOOD_AND_DRINK', detailed: 'FOOD_AND_DRINK_GROCERIES' },
  pending: false,
});
const history = Array.from({ length: 30 }, (_, i) => purchase(`old-${i}`, 40 + (i % 5), `2026-10-${String(i + 1).padStart(2, '0')}`));

function fakes(lang?: 'en' | 'es') {
  const reads: string[] = [];
  const sent: string[] = [];
  const texts: string[] = [];
  const deps = {
    financial: {
      alertHistory: async () => {
        reads.push('history');
        return history;
      },
      recordAlert: async () => 'new' as const,
      holdAlert: async () => undefined,
    },
    settings: async () => {
      reads.push('settings');
      return DEFAULT_ALERT_SETTINGS;
    },
    profile: async () => ({ lastInboundAt: now.getTime() - 60_000 }),
    language: async () => {
      reads.push('language');
      return lang;
    },
    languages: { default: 'en' as const, locales: { en: 'en-US', es: 'es-US' } },
    notify: async (_psid: string, key: string, messages: OutboundMessage[]) => {
      sent.push(key);
      texts.push(...messages.map((m) => ('text' in m ? m.text : '')));
      return 'sent' as const;
    },
    notifyUtility: async () => 'sent' as const,
    templates: {},
    clock: () => now,
    log: quiet,
  };
  return { deps, reads, sent, texts };
}

const synced = (over: Partial<SyncResult>): SyncResult => ({ consent, newTransactions: [], accounts: [], initialSync: false, ...over });

describe('alerts after a sync', () => {
  it('a sync that brought nothing new does not read the stored history, nor the person’s language', async () => {
    const { deps, reads, sent } = fakes();

    expect(await alertsAfterSync(synced({}), deps)).toEqual({ raised: 0 });
    expect(reads).toEqual(['settings']);
    expect(sent).toEqual([]);
  });

  it('a first sync judges nothing against history, so it does not read it either', async () => {
    const { deps, reads } = fakes();

    await alertsAfterSync(synced({ initialSync: true, newTransactions: history }), deps);
    expect(reads).toEqual(['settings']);
  });

  it('new transactions are judged against the stored history: an unusual amount for the category alerts', async () => {
    const { deps, reads, sent, texts } = fakes();

    const { raised } = await alertsAfterSync(synced({ newTransactions: [purchase('new-1', 460, '2026-11-21')] }), deps);

    expect(reads).toEqual(['settings', 'history', 'language']);
    expect(raised).toBe(1);
    expect(sent).toHaveLength(1);
    expect(texts[0]).toMatch(/^⚠️ \$460\.00 at Corner Grocer is 11× what you usually spend on groceries \(about \$42\.00\)\. Was this you\?$/);
  });

  it('writes the alert in the language the person speaks with the assistant', async () => {
    const { deps, texts } = fakes('es');

    await alertsAfterSync(synced({ newTransactions: [purchase('new-1', 460, '2026-11-21')] }), deps);

    expect(texts).toEqual(['⚠️ $460.00 en Corner Grocer es 11 veces lo que sueles gastar en supermercado (unos $42.00). ¿Fuiste tú?']);
  });

  it('without the transactions scope there is no history to read', async () => {
    const { deps, reads } = fakes();
    const alertsOnly = { ...consent, scopes: ['balances', 'alerts'] } as Consent;

    await alertsAfterSync({ ...synced({ newTransactions: [purchase('new-1', 460, '2026-11-21')] }), consent: alertsOnly }, deps);
    expect(reads).toEqual(['settings']);
  });
});
