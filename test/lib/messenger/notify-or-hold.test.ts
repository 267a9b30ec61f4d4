import { describe, expect, it } from 'vitest';
import { OutsideMessagingWindow, RecipientUnavailable } from '../../../lib/errors';
import type { Log } from '../../../lib/logger';
import { deliverOnce } from '../../../lib/messenger/deliver';
import { notifyOrHold, type Notice, type NoticeDeps } from '../../../lib/messenger/notify';
import type { OutboundMessage, SendRequest, UtilityMessage } from '../../../lib/messenger/send-api';
import { fakeLedger } from '../../support/fake-ledger';

/**
 * The window rule for messages the product starts (consent reminders, what was deleted, the bank's
 * warnings): UPDATE inside the person's 24-hour window; outside it a utility template when one is
 * configured, otherwise held for their next message — never lost, and one delivery per key.
 */
const PSID = '6543210987654321';
const KEY = 'consent:consent-1:reminder:2027-01-30T12:00:00.000Z';
const NOW = new Date('2026-12-31T09:00:00.000Z');
const HOUR = 3_600_000;
const REMINDER: OutboundMessage = { text: 'Your sharing of First Platypus Bank ends on 30 Jan 2027.' };
const UTILITY: UtilityMessage = {
  template: {
    name: 'sharing_reminder',
    language: { code: 'en_US' },
    components: [
      { type: 'body', parameters: [{ type: 'text', text: REMINDER.text }] },
      { type: 'buttons', parameters: [{ type: 'POSTBACK', payload: 'RENEW:consent-1' }, { type: 'POSTBACK', payload: 'KEEP_SHARING' }] },
    ],
  },
};
const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Log;

function setup(options: { lastInboundAt?: number; failures?: Error[] } = {}) {
  const { store, entryOf } = fakeLedger();
  const sent: SendRequest[] = [];
  const failures = [...(options.failures ?? [])];
  const held: string[] = [];
  const deps: NoticeDeps = {
    store,
    messenger: {
      async send(request) {
        const failure = failures.shift();
        if (failure) throw failure;
        sent.push(request);
        return { recipientId: PSID, messageId: `m_out_${sent.length}` };
      },
    },
    profile: async () => (options.lastInboundAt === undefined ? undefined : { lastInboundAt: options.lastInboundAt }),
    clock: () => NOW,
    log,
  };
  const notice = (overrides: Partial<Notice> = {}): Notice => ({
    psid: PSID,
    key: KEY,
    compose: async () => [REMINDER],
    hold: async () => void held.push(KEY),
    ...overrides,
  });
  return { deps, sent, held, notice, entry: () => entryOf({ psid: PSID, eventId: KEY }) };
}

const kinds = (sent: SendRequest[]) => sent.map((r) => ('messaging_type' in r ? r.messaging_type : 'action'));

describe('notifyOrHold', () => {
  it('sends the notice now as an UPDATE when the person wrote less than a day ago', async () => {
    const { deps, sent, held, notice } = setup({ lastInboundAt: NOW.getTime() - 3 * HOUR });

    const outcome = await notifyOrHold(notice({ utility: async () => UTILITY }), deps);

    expect({ outcome, sent, held }).toEqual({ outcome: 'sent', sent: [{ recipient: { id: PSID }, messaging_type: 'UPDATE', message: REMINDER }], held: [] });
  });

  it('sends the utility template when the window is closed and the deployment has one', async () => {
    const { deps, sent, held, notice, entry } = setup({ lastInboundAt: NOW.getTime() - 25 * HOUR });

    const outcome = await notifyOrHold(notice({ utility: async () => UTILITY }), deps);

    expect({ outcome, sent, held, entry: entry()?.status }).toEqual({
      outcome: 'sent',
      sent: [{ recipient: { id: PSID }, messaging_type: 'UTILITY', message: UTILITY }],
      held: [],
      entry: 'sent',
    });
  });

  it('holds the notice, sending nothing, when the window is closed and there is no template', async () => {
    const { deps, sent, held, notice, entry } = setup({ lastInboundAt: NOW.getTime() - 25 * HOUR });

    const outcome = await notifyOrHold(notice(), deps);

    // The key stays free: the held notice is delivered under it later.
    expect({ outcome, sent, held, entry: entry() }).toEqual({ outcome: 'held', sent: [], held: [KEY], entry: undefined });
  });

  it('holds the notice of a person who never wrote (no window at all)', async () => {
    const { deps, sent, held, notice } = setup();

    const outcome = await notifyOrHold(notice(), deps);

    expect({ outcome, sent: sent.length, held }).toEqual({ outcome: 'held', sent: 0, held: [KEY] });
  });

  it('holds the notice when the Send API says the window is closed, rather than losing it', async () => {
    const { deps, sent, held, notice, entry } = setup({ lastInboundAt: NOW.getTime() - HOUR, failures: [new OutsideMessagingWindow('Outside of allowed window', 10, 2018278)] });

    const outcome = await notifyOrHold(notice(), deps);

    expect({ outcome, sent, held, entry: entry() }).toEqual({ outcome: 'held', sent: [], held: [KEY], entry: undefined });
  });

  it('tries the utility template when the Send API says the window is closed', async () => {
    const { deps, sent, held, notice } = setup({ lastInboundAt: NOW.getTime() - HOUR, failures: [new OutsideMessagingWindow('Outside of allowed window', 10, 2018278)] });

    const outcome = await notifyOrHold(notice({ utility: async () => UTILITY }), deps);

    expect({ outcome, sent: kinds(sent), held }).toEqual({ outcome: 'sent', sent: ['UTILITY'], held: [] });
  });

  it('delivers a notice held after the window answer once, under its own key, when the person writes', async () => {
    const { deps, sent, notice } = setup({ lastInboundAt: NOW.getTime() - HOUR, failures: [new OutsideMessagingWindow('Outside of allowed window', 10, 2018278)] });
    await notifyOrHold(notice(), deps);

    const later = await deliverOnce({ psid: PSID, key: KEY, messagingType: 'UPDATE', compose: async () => [REMINDER] }, deps);
    const again = await deliverOnce({ psid: PSID, key: KEY, messagingType: 'UPDATE', compose: async () => [REMINDER] }, deps);

    expect({ later, again, sent: kinds(sent) }).toEqual({ later: 'sent', again: 'already-sent', sent: ['UPDATE'] });
  });

  it('neither sends nor holds a notice whose key was already delivered (a held one sent when the person wrote)', async () => {
    const { deps, sent, held, notice } = setup({ lastInboundAt: NOW.getTime() - HOUR });
    await deliverOnce({ psid: PSID, key: KEY, messagingType: 'UPDATE', compose: async () => [REMINDER] }, deps);

    const outcome = await notifyOrHold(notice(), deps);

    expect({ outcome, sent: sent.length, held }).toEqual({ outcome: 'already-sent', sent: 1, held: [] });
  });

  it('settles, unsent, a notice that no longer applies when it comes to be sent', async () => {
    const { deps, sent, held, notice, entry } = setup({ lastInboundAt: NOW.getTime() - HOUR });

    const outcome = await notifyOrHold(notice({ compose: async () => undefined }), deps);

    expect({ outcome, sent, held, entry: entry()?.status }).toEqual({ outcome: 'dropped', sent: [], held: [], entry: 'sent' });
  });

  it('records a person who blocked the Page as unreachable and does not hold for them', async () => {
    const { deps, held, notice, entry } = setup({ lastInboundAt: NOW.getTime() - HOUR, failures: [new RecipientUnavailable('Not available', 551, 1545041)] });

    const outcome = await notifyOrHold(notice(), deps);

    expect({ outcome, held, entry: entry() }).toEqual({ outcome: 'undeliverable', held: [], entry: { status: 'failed', reason: 'RecipientUnavailable' } });
  });
});
