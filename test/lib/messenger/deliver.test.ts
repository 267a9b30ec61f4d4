import { describe, expect, it } from 'vitest';
import { OutsideMessagingWindow, RecipientUnavailable, SendApiRejected } from '../../../lib/errors';
import type { Log } from '../../../lib/logger';
import { deliverOnce, type DeliverDeps } from '../../../lib/messenger/deliver';
import type { OutboundMessage, SendRequest } from '../../../lib/messenger/send-api';
import { fakeLedger } from '../../support/fake-ledger';

/**
 * What deliverOnce decides that its callers' tests (test/lib/messenger/notify*.test.ts,
 * test/lib/assistant/answer-*.test.ts) leave open: compose runs only under the claim, a message
 * half sent is never given back, and which failures are ours (ERROR) rather than the person's (WARN).
 */
const PSID = '6543210987654321';
const KEY = 'consent:c-1:reminder';
const PARTS: OutboundMessage[] = [{ text: 'Your sharing of First Platypus Bank ends soon.' }, { text: 'Tap to renew it for another 90 days.' }];

function setup(failAt?: { call: number; error: Error }) {
  const { store, entryOf } = fakeLedger({ leaseExpiresAt: 1 });
  const sent: SendRequest[] = [];
  const logged: string[] = [];
  let calls = 0;
  const deps: DeliverDeps = {
    store,
    messenger: {
      async send(request) {
        calls++;
        if (failAt?.call === calls) throw failAt.error;
        sent.push(request);
        return { recipientId: PSID, messageId: `m_${calls}` };
      },
    },
    log: { debug() {}, info() {}, warn: (message: string) => void logged.push(`WARN ${message}`), error: (message: string) => void logged.push(`ERROR ${message}`) } as unknown as Log,
  };
  let composed = 0;
  const input = { psid: PSID, key: KEY, messagingType: 'UPDATE' as const, compose: async () => (composed++, PARTS) };
  return { deps, sent, logged, input, composed: () => composed, entry: () => entryOf({ psid: PSID, eventId: KEY }) };
}

describe('deliverOnce', () => {
  it('composes nothing for a key already sent, since composing may act', async () => {
    const { deps, input, composed } = setup();
    await deliverOnce(input, deps);

    expect(await deliverOnce(input, deps)).toBe('already-sent');
    expect(composed()).toBe(1);
  });

  it('composes nothing while another invocation holds the key', async () => {
    const { deps, input, composed } = setup();
    await deps.store.claimReply({ psid: PSID, eventId: KEY });

    await expect(deliverOnce(input, deps)).rejects.toThrow(/being sent elsewhere/);
    expect(composed()).toBe(0);
  });

  it('does not give back a key half sent when the window closes mid-way, so its first part is never sent twice', async () => {
    const { deps, sent, input, entry } = setup({ call: 2, error: new OutsideMessagingWindow('outside the window', 10, 2018278) });

    const outcome = await deliverOnce({ ...input, whenWindowClosed: 'release' }, deps);
    const again = await deliverOnce({ ...input, whenWindowClosed: 'release' }, deps);

    expect({ outcome, again, sent: sent.length, entry: entry() }).toEqual({ outcome: 'undeliverable', again: 'already-sent', sent: 1, entry: { status: 'failed', reason: 'OutsideMessagingWindow' } });
  });

  it.each([
    ['a request Messenger rejects (our bug)', new SendApiRejected('invalid parameter', 100), 'ERROR'],
    ['a person who blocked the Page', new RecipientUnavailable('unavailable', 551), 'WARN'],
    ['a closed window', new OutsideMessagingWindow('outside the window', 10, 2018278), 'WARN'],
  ])('logs %s at %s', async (_case, error, level) => {
    const { deps, input, logged } = setup({ call: 1, error });

    expect(await deliverOnce(input, deps)).toBe('undeliverable');
    expect(logged).toEqual([`${level} Message not deliverable`]);
  });
});
