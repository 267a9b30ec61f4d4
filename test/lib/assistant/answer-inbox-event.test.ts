import { describe, expect, it } from 'vitest';
import { answerInboxEvent, type InboxEventDeps } from '../../../lib/assistant/answer-inbox-event';
import type { ComposeDeps } from '../../../lib/assistant/compose';
import { Payloads } from '../../../lib/assistant/intents';
import type { Consent } from '../../../lib/consent/model/consent';
import type { Log } from '../../../lib/logger';
import type { BusinessMetric } from '../../../lib/metrics';
import type { InboundEvent } from '../../../lib/messenger/events';
import type { SendRequest } from '../../../lib/messenger/send-api';
import { refreshNotice } from '../../../lib/sync/refresh-notice';
import { fakeLedger } from '../../support/fake-ledger';

/** One event of the person's inbox: their own message, or fresh data they were waiting for. */
const PSID = '6543210987654321';
const NOW = new Date('2026-03-10T12:00:00.000Z');
const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Log;
const CONSENT: Consent = {
  consentId: 'c-1',
  psid: PSID,
  status: 'active',
  scopes: ['balances'],
  durationDays: 90,
  disclosureVersion: 'v1',
  disclosureHash: 'h',
  version: 2,
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  itemId: 'item-1',
  institution: { id: 'ins_1', name: 'First Platypus Bank' },
  authorizedAt: '2026-03-01T10:00:00.000Z',
  expiresAt: '2026-06-01T10:00:00.000Z',
};
const waitingForBalances = {
  greeted: true,
  refresh: { intent: 'balance', slots: {}, text: 'what is my balance', key: 'm_question', itemIds: ['item-1'], at: new Date(NOW.getTime() - 60_000).toISOString(), lang: 'en' },
};

function world(state: Record<string, unknown> | undefined) {
  const { store: ledger } = fakeLedger();
  const sent: SendRequest[] = [];
  const counted: BusinessMetric[] = [];
  const heldAlertsRead: string[] = [];
  let conversation = state;
  const assistant = {
    listConsents: async () => [CONSENT],
    clock: () => NOW,
    financial: {
      balances: async () => [{ accountId: 'a-1', name: 'Checking', mask: '0000', type: 'depository', balances: { available: 1234.5, current: 1234.5, limit: null, currency: 'USD' }, balancesAsOf: NOW.toISOString() }],
      transactions: async () => [],
      accountNames: async () => [],
      syncedAt: async () => NOW.toISOString(),
      recurringStreams: async () => ({ streams: [] }),
    },
    conversation: { get: async () => conversation, put: async (_psid: string, next: Record<string, unknown>) => void (conversation = next) },
    alertSettings: { get: async () => undefined, put: async () => undefined },
    link: (_psid: string, purpose: string) => `https://assistant.test/${purpose}`,
    typing: async () => undefined,
    settings: { locales: { en: 'en-US', es: 'es-US' }, timeZone: 'UTC', defaultLanguage: 'en', freshnessMinutes: 60, currency: 'USD', homeCountry: 'US', brand: 'Demo Bank' },
  } as unknown as ComposeDeps;
  const deps: InboxEventDeps = {
    store: { ...ledger, recordInboundActivity: async () => undefined },
    messenger: {
      async send(request) {
        sent.push(request);
        return { recipientId: PSID, messageId: `m_out_${sent.length}` };
      },
    },
    log,
    assistant,
    heldAlerts: {
      inbox: {
        held: async (psid) => {
          heldAlertsRead.push(psid);
          return [];
        },
        dropHeld: async () => undefined,
      },
      notify: async () => 'sent',
    },
    count: (name, n = 1) => void (n > 0 && counted.push(name)),
  };
  return { deps, sent, counted, heldAlertsRead };
}

const textsOf = (sent: SendRequest[]) => sent.map((r) => ('message' in r && 'text' in r.message ? r.message.text : undefined));
const notice = refreshNotice(PSID, 'item-1', NOW) as unknown as InboundEvent;

describe('fresh data the person was waiting for', () => {
  it('is the updated answer to their question, sent once however often the notice comes', async () => {
    const { deps, sent, counted } = world(waitingForBalances);

    expect(await answerInboxEvent(notice, deps)).toBe('sent');
    expect(await answerInboxEvent(notice, deps)).toBe('ignored');

    expect(textsOf(sent)).toEqual([expect.stringMatching(/^Updated:\n/)]);
    expect(sent[0]).toMatchObject({ messaging_type: 'RESPONSE', recipient: { id: PSID } });
    expect(counted).toEqual(['RepliesSent']);
  });

  it('sends nothing when no one waits for it (a scheduled sync’s data)', async () => {
    const { deps, sent, counted } = world({ greeted: true });

    expect(await answerInboxEvent(notice, deps)).toBe('ignored');
    expect([sent, counted]).toEqual([[], []]);
  });
});

describe('the person’s own message', () => {
  it('is answered once, then what was held while their window was closed is looked at', async () => {
    const { deps, sent, counted, heldAlertsRead } = world({ greeted: true });
    const help: InboundEvent = {
      id: 'm_help',
      kind: 'postback',
      psid: PSID,
      pageId: '106123456789012',
      timestamp: NOW.getTime(),
      channel: 'messaging',
      postback: { mid: 'm_help', title: 'Help', payload: Payloads.help },
    };

    expect(await answerInboxEvent(help, deps)).toBe('replied');
    expect(await answerInboxEvent(help, deps)).toBe('already-answered');

    expect(sent).toHaveLength(1);
    expect(counted).toEqual(['RepliesSent']);
    expect(heldAlertsRead).toEqual([PSID, PSID]);
  });
});
