import { describe, expect, it } from 'vitest';
import type { Transition } from '../../../lib/consent/model/consent';
import type { NoticeDeps } from '../../../lib/consent/notices';
import type { Log } from '../../../lib/logger';
import type { OutboundMessage, SendRequest } from '../../../lib/messenger/send-api';
import { bankEvents, type BankEventDeps } from '../../../lib/sync/bank-events';
import { fakeLedger } from '../../support/fake-ledger';
import { ACTIVE_CONSENT } from '../../support/consents';

/**
 * What the bank says about a connection, the same whichever way it came (its webhook or a sync's
 * answer): the person asked once a day to log in again, or the sharing ended as revoked by the bank.
 */
const NOW = new Date('2026-12-07T12:00:00.000Z');
const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Log;
const CONSENT = ACTIVE_CONSENT;

function world(options: { windowOpen: boolean }) {
  const { store: ledger } = fakeLedger();
  const sent: SendRequest[] = [];
  const held: { key: string; notice: unknown }[] = [];
  const committed: Transition[] = [];
  const store = {
    ...ledger,
    getConsent: async (psid: string, id: string) => (psid === CONSENT.psid && id === CONSENT.consentId ? CONSENT : undefined),
    getPurgeRecord: async () => undefined,
    getProfile: async () => (options.windowOpen ? { lastInboundAt: NOW.getTime() - 60_000 } : undefined),
    holdNotice: async (_psid: string, notice: { key: string; notice: unknown }) => void held.push({ key: notice.key, notice: notice.notice }),
    listConsents: async () => [CONSENT],
    commitConsentTransition: async (transition: Transition) => void committed.push(transition),
    consumeLinkNonce: async () => undefined,
    isLinkNonceUsed: async () => false,
    appendAudit: async () => undefined,
    putPresentation: async () => undefined,
  };
  const notices: NoticeDeps = {
    store,
    messenger: {
      async send(request) {
        sent.push(request);
        return { recipientId: CONSENT.psid, messageId: `m_${sent.length}` };
      },
    },
    language: async () => 'en',
    reconnectLink: async () => 'https://assistant.test/link/reconnect?t=fresh',
    templates: {},
    clock: () => NOW,
    log,
  };
  const deps: BankEventDeps = { notices, consents: { store, clock: () => NOW, log } };
  return { events: bankEvents(deps), sent, held, committed };
}

const composed: OutboundMessage[] = [{ text: 'Log in again at First Platypus Bank.' }];

describe('the bank wants the person to log in again', () => {
  it('is said now, in the window, with the wording given, and once a day however often the bank says it', async () => {
    const { events, sent } = world({ windowOpen: true });

    await events.loginRequired(CONSENT, composed);
    await events.loginRequired(CONSENT, composed);

    expect(sent).toEqual([{ recipient: { id: CONSENT.psid }, messaging_type: 'UPDATE', message: composed[0] }]);
  });

  it('is held for the person’s next message when their window is closed, described so it is composed then', async () => {
    const { events, sent, held } = world({ windowOpen: false });

    await events.loginRequired(CONSENT);

    expect(sent).toEqual([]);
    expect(held).toEqual([{ key: 'bank-login:consent-1:2026-12-07', notice: { kind: 'bank-login', consentId: 'consent-1' } }]);
  });

  it('without wording given, is composed from its description with a reconnect link', async () => {
    const { events, sent } = world({ windowOpen: true });

    await events.loginRequired(CONSENT);

    const message = 'message' in sent[0]! ? (sent[0].message as OutboundMessage) : undefined;
    expect(message && 'attachment' in message ? message.attachment.payload.buttons[0] : undefined).toMatchObject({ url: 'https://assistant.test/link/reconnect?t=fresh' });
  });
});

describe('the bank says access is gone', () => {
  it('ends the sharing as revoked by the bank', async () => {
    const { events, committed } = world({ windowOpen: true });

    await events.accessRevoked(CONSENT);

    expect(committed.map((t) => [t.consent.status, t.consent.endedBy])).toEqual([['revoked', 'bank']]);
  });
});
