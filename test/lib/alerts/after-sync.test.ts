import { describe, expect, it } from 'vitest';
import { alertsAfterSync } from '../../../lib/alerts/after-sync';
import { DEFAULT_ALERT_SETTINGS, type AlertSettings } from '../../../lib/alerts/rules';
import type { BankAccount, BankTransaction, RecurringStream } from '../../../lib/banking/bank-connector';
import { activateConsent, requestConsent, type Consent } from '../../../lib/consent/model/consent';
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

function fakes(lang?: 'en' | 'es', settings: AlertSettings = DEFAULT_ALERT_SETTINGS) {
  const reads: string[] = [];
  const sent: string[] = [];
  const texts: string[] = [];
  const messages: OutboundMessage[] = [];
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
      return settings;
    },
    profile: async () => ({ lastInboundAt: now.getTime() - 60_000 }),
    language: async () => {
      reads.push('language');
      return lang;
    },
    languages: { default: 'en' as const, locales: { en: 'en-US', es: 'es-US' }, timeZone: 'America/New_York' },
    notify: async (_psid: string, key: string, sending: OutboundMessage[]) => {
      sent.push(key);
      messages.push(...sending);
      texts.push(...sending.map((m) => ('text' in m ? m.text : '')));
      return 'sent' as const;
    },
    notifyUtility: async () => 'sent' as const,
    templates: {},
    clock: () => now,
    log: quiet,
  };
  return { deps, reads, sent, texts, messages };
}

const synced = (over: Partial<SyncResult>): SyncResult => ({ consent, newTransactions: [], accounts: [], initialSync: false, ...over });

describe('alerts after a sync', () => {
  it('a sync that brought nothing new does not read the stored history, nor the person’s language', async () => {
    const { deps, reads, sent } = fakes();

    expect(await alertsAfterSync(synced({}), deps)).toEqual({ raised: 0 });
    expect(reads).toEqual(['settings']);
    expect(sent).toEqual([]);
  });

  it('judges the recurring streams a sync refreshed, and reads none when it refreshed none', async () => {
    const monthly = (streamId: string, over: Partial<RecurringStream>): RecurringStream => ({
      streamId,
      accountId: 'acc-1',
      direction: 'outflow',
      description: streamId,
      merchantName: streamId,
      category: { primary: 'ENTERTAINMENT', detailed: 'ENTERTAINMENT_TV_AND_MOVIES' },
      frequency: 'monthly',
      averageAmount: 15.49,
      lastAmount: 15.49,
      currency: 'USD',
      firstDate: '2026-05-11',
      lastDate: '2026-11-11',
      isActive: true,
      status: 'mature',
      transactionIds: ['p1', 'p2', 'p3'],
      ...over,
    });
    const streams = [monthly('Spotify', {}), monthly('Netflix', { averageAmount: 16.32, lastAmount: 17.99 })];

    const refreshed = fakes();
    expect(await alertsAfterSync(synced({ streams }), refreshed.deps)).toEqual({ raised: 1 });
    expect(refreshed.texts[0]).toContain('Netflix went from $15.49 to $17.99');

    const quietSync = fakes();
    expect(await alertsAfterSync(synced({}), quietSync.deps)).toEqual({ raised: 0 });
    expect(quietSync.reads).toEqual(['settings']);
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
    expect(texts[0]).toBe('⚠️ $460.00 at Corner Grocer · Nov 21\nWhy: 11× your usual spend on groceries\nWas this you?');
  });

  it('writes the alert in the language the person speaks with the assistant', async () => {
    const { deps, texts } = fakes('es');

    await alertsAfterSync(synced({ newTransactions: [purchase('new-1', 460, '2026-11-21')] }), deps);

    expect(texts).toEqual(['⚠️ $460.00 en Corner Grocer · 21 nov\nPor qué: 11 veces tu gasto habitual en supermercado\n¿Fuiste tú?']);
  });

  it('without the transactions scope there is no history to read', async () => {
    const { deps, reads } = fakes();
    const alertsOnly = { ...consent, scopes: ['balances', 'alerts'] } as Consent;

    await alertsAfterSync({ ...synced({ newTransactions: [purchase('new-1', 460, '2026-11-21')] }), consent: alertsOnly }, deps);
    expect(reads).toEqual(['settings']);
  });

  describe('the fraud alert, as the person reads it', () => {
    const checking: BankAccount = {
      accountId: 'acc-1',
      name: 'Everyday Checking',
      mask: '0000',
      type: 'depository',
      subtype: 'checking',
      balances: { available: 2400, current: 2400, limit: null, currency: 'USD' },
    };
    // 11:55 UTC is 6:55 in New York in November; the bank gave the time of day.
    const large = { ...purchase('new-1', 600, '2026-11-21'), datetime: '2026-11-21T11:55:00Z' };

    it('states amount, merchant, account and time once, then one "why" line with every rule it tripped, then Yes / No', async () => {
      const { deps, messages } = fakes();

      await alertsAfterSync(synced({ newTransactions: [large], accounts: [checking] }), deps);

      expect(messages).toEqual([
        {
          text: '⚠️ $600.00 at Corner Grocer · Everyday Checking · Nov 21, 6:55 AM ET\nWhy: 14× your usual spend on groceries · over the default $500 alert\nWas this you?',
          quick_replies: [
            { content_type: 'text', title: 'Yes, it was me', payload: expect.stringMatching(/^FRAUD_YES:/) },
            { content_type: 'text', title: 'No, it wasn’t me', payload: expect.stringMatching(/^FRAUD_NO:/) },
          ],
        },
      ]);
    });

    it('says "your" alert when the person chose the threshold', async () => {
      const { deps, texts } = fakes('en', { ...DEFAULT_ALERT_SETTINGS, largeTransactionThreshold: 300 });

      await alertsAfterSync(synced({ newTransactions: [large], accounts: [checking] }), deps);

      expect(texts[0]).toContain('\nWhy: 14× your usual spend on groceries · over your $300 alert\n');
    });

    it('reads the same in Spanish, the time written "a. m." with its zone', async () => {
      const { deps, texts } = fakes('es');

      await alertsAfterSync(synced({ newTransactions: [large], accounts: [checking] }), deps);

      expect(texts).toEqual([
        '⚠️ $600.00 en Corner Grocer · Everyday Checking · 21 nov, 6:55 a. m. ET\nPor qué: 14 veces tu gasto habitual en supermercado · supera la alerta predeterminada de $500\n¿Fuiste tú?',
      ]);
    });

    it('repeats no figure', async () => {
      const { deps, texts } = fakes();

      await alertsAfterSync(synced({ newTransactions: [large], accounts: [checking] }), deps);

      expect(texts[0]!.match(/\$600\.00/g)).toHaveLength(1);
      expect(texts[0]!.match(/Corner Grocer/g)).toHaveLength(1);
    });
  });
});
