import { describe, expect, it } from 'vitest';
import { answerInboundEvent, answerTurn } from '../../../lib/assistant/answer-event';
import type { AnswerDeps, TurnDeps } from '../../../lib/assistant/answer-event';
import type { HeldAlert } from '../../../lib/alerts/deliver';
import { Payloads as Payload } from '../../../lib/assistant/intents';
import { welcomeMessage } from '../../../lib/assistant/welcome';
import {
  OutsideMessagingWindow,
  PageTokenInvalid,
  RecipientUnavailable,
  ReplyInProgress,
  SendApiRateLimited,
  SendApiRejected,
  SendApiUnavailable,
} from '../../../lib/errors';
import type { InboundEvent } from '../../../lib/messenger/events';
import type { SendRequest } from '../../../lib/messenger/send-api';
import type { Log } from '../../../lib/logger';
import { fakeLedger } from '../../support/fake-ledger';
import { settle, unhandledDuring } from '../../support/async';

const PAGE_ID = '106123456789012';
const PSID = '6543210987654321';
const TS = 1712345678901;

const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Log;

/** The reply ledger (shared fake) plus people's inbound activity. */
function fakeStore() {
  const { store: ledgerStore, ledger, unreachable, entryOf } = fakeLedger({ leaseExpiresAt: Math.floor(TS / 1000) + 60 });
  const activity: { psid: string; at: number }[] = [];
  const store: AnswerDeps['store'] = {
    ...ledgerStore,
    async recordInboundActivity(psid, at) {
      activity.push({ psid, at });
    },
  };
  return { store, ledger, activity, unreachable, entryFor: (eventId: string) => entryOf({ psid: PSID, eventId }) };
}

/** A Send API that records what it was asked to send and fails the next calls it is told to. */
function fakeMessenger() {
  const attempts: SendRequest[] = [];
  const delivered: SendRequest[] = [];
  const failures: Error[] = [];
  const messenger: AnswerDeps['messenger'] = {
    async send(request) {
      attempts.push(request);
      const failure = failures.shift();
      if (failure) throw failure;
      delivered.push(request);
      return { recipientId: 'recipient' in request ? request.recipient.id : '', messageId: `m_out_${delivered.length}` };
    },
  };
  return { messenger, attempts, delivered, failNextWith: (error: Error) => failures.push(error) };
}

function setup() {
  const store = fakeStore();
  const messenger = fakeMessenger();
  const deps: AnswerDeps = { store: store.store, messenger: messenger.messenger, compose: async () => ({ messages: [welcomeMessage()] }), log };
  return { ...store, ...messenger, deps };
}

const base = { pageId: PAGE_ID, psid: PSID, timestamp: TS, channel: 'messaging' as const };

const textMessage = (overrides: Partial<Pick<InboundEvent, 'id' | 'channel' | 'timestamp'>> = {}): InboundEvent => {
  const id = overrides.id ?? 'm_text_1';
  return { ...base, ...overrides, id, kind: 'message', message: { mid: id, text: 'hello' } };
};

const events = {
  text: textMessage(),
  postback: { ...base, id: 'm_postback_1', kind: 'postback', postback: { mid: 'm_postback_1', title: 'Get Started', payload: 'GET_STARTED' } },
  echo: { ...base, id: 'm_echo_1', kind: 'message', message: { mid: 'm_echo_1', text: 'Hi!', is_echo: true, app_id: 1517776481860111 } },
  delivery: { ...base, id: 'h_delivery_digest_000000000000000', kind: 'delivery', delivery: { mids: ['m_echo_1'], watermark: TS } },
  read: { ...base, id: 'h_read_digest_000000000000000000', kind: 'read', read: { watermark: TS } },
  standby: textMessage({ id: 'm_standby_1', channel: 'standby' }),
  unknown: { ...base, id: 'h_unknown_digest_0000000000000000', kind: 'unknown', keys: ['game_play'] },
  policy: { ...base, psid: null, id: 'h_policy_digest_00000000000000000', kind: 'policy_enforcement', policy_enforcement: { action: 'block' } },
} satisfies Record<string, InboundEvent>;

describe('answering', () => {
  it('sends the welcome message to a text message as one RESPONSE to the person', async () => {
    const { deps, attempts } = setup();

    await answerInboundEvent(events.text, deps);

    expect(attempts).toHaveLength(1);
    const request = attempts[0] as Extract<SendRequest, { message: unknown }>;
    expect(request.recipient).toEqual({ id: PSID });
    expect(request.messaging_type).toBe('RESPONSE');
    expect(request.message).toMatchObject({ text: expect.stringContaining('link your bank account') });
  });

  it('offers the three next steps as quick replies', async () => {
    const { deps, attempts } = setup();

    await answerInboundEvent(events.text, deps);

    const request = attempts[0] as Extract<SendRequest, { messaging_type: 'RESPONSE' | 'UPDATE' }>;
    expect(request.message.quick_replies).toEqual([
      { content_type: 'text', title: 'Link my bank', payload: Payload.linkBank },
      { content_type: 'text', title: 'How my data is used', payload: Payload.dataPolicy },
      { content_type: 'text', title: 'Help', payload: Payload.help },
    ]);
  });

  it('reports a text message as replied and records the reply as sent in the ledger', async () => {
    const { deps, entryFor } = setup();

    const outcome = await answerInboundEvent(events.text, deps);

    expect(outcome).toBe('replied');
    expect(entryFor(events.text.id)).toEqual({ status: 'sent', messageIds: ['m_out_1'] });
  });

  it('answers a postback', async () => {
    const { deps, delivered } = setup();

    const outcome = await answerInboundEvent(events.postback, deps);

    expect(outcome).toBe('replied');
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ recipient: { id: PSID }, messaging_type: 'RESPONSE' });
  });

  it('records the person’s inbound activity with the event’s timestamp when answering', async () => {
    const { deps, activity } = setup();

    await answerInboundEvent(events.postback, deps);

    expect(activity).toEqual([{ psid: PSID, at: TS }]);
  });

  it('claims the reply while the activity is recorded, and fails the event after answering if recording failed', async () => {
    const { deps, entryFor, delivered } = setup();
    const asked: string[] = [];
    let release!: (error?: Error) => void;
    const { claimReply } = deps.store;
    deps.store = {
      ...deps.store,
      recordInboundActivity: () => (asked.push('activity'), new Promise<void>((resolve, reject) => (release = (error) => (error ? reject(error) : resolve())))),
      claimReply: (...args) => (asked.push('claim'), claimReply(...args)),
    };

    const answering = answerInboundEvent(events.text, deps);
    await new Promise((r) => setImmediate(r));
    expect(asked).toEqual(['activity', 'claim']);
    release(new Error('throttled'));

    await expect(answering).rejects.toThrow('throttled');
    expect(delivered).toHaveLength(1);
    expect(entryFor('m_text_1')?.status).toBe('sent');
    // The retry finds the answer in the ledger and records the activity.
    deps.store = { ...deps.store, recordInboundActivity: async () => void asked.push('activity again') };
    expect(await answerInboundEvent(events.text, deps)).toBe('already-answered');
    expect(asked).toContain('activity again');
  });
});

describe('events that get no answer', () => {
  const ignored: { name: string; event: InboundEvent }[] = [
    { name: 'an echo of the Page’s own message', event: events.echo },
    { name: 'a delivery receipt', event: events.delivery },
    { name: 'a read receipt', event: events.read },
    { name: 'a message in the standby channel', event: events.standby },
    { name: 'an event of an unknown kind', event: events.unknown },
    { name: 'a Page-only event without a person', event: events.policy },
  ];

  it.each(ignored)('ignores $name', async ({ event }) => {
    const { deps } = setup();

    expect(await answerInboundEvent(event, deps)).toBe('ignored');
  });

  it.each(ignored)('sends nothing and writes no ledger entry for $name', async ({ event }) => {
    const { deps, attempts, ledger } = setup();

    await answerInboundEvent(event, deps);

    expect(attempts).toEqual([]);
    expect(ledger.size).toBe(0);
  });
});

describe('at most once', () => {
  it('sends once when the same event is answered twice', async () => {
    const { deps, attempts } = setup();

    const first = await answerInboundEvent(events.text, deps);
    const second = await answerInboundEvent(events.text, deps);

    expect([first, second]).toEqual(['replied', 'already-answered']);
    expect(attempts).toHaveLength(1);
  });

  it('throws ReplyInProgress and sends nothing while another invocation holds the claim', async () => {
    const { deps, store, attempts } = setup();
    await store.claimReply({ psid: PSID, eventId: events.text.id });

    await expect(answerInboundEvent(events.text, deps)).rejects.toBeInstanceOf(ReplyInProgress);
    expect(attempts).toEqual([]);
  });

  it('leaves another invocation’s claim in place when it finds it in progress', async () => {
    const { deps, store, entryFor } = setup();
    await store.claimReply({ psid: PSID, eventId: events.text.id });

    await answerInboundEvent(events.text, deps).catch(() => undefined);

    expect(entryFor(events.text.id)).toEqual({ status: 'pending' });
  });
});

describe('send failures', () => {
  const transient = [
    { name: 'SendApiUnavailable', error: () => new SendApiUnavailable('Graph API unavailable', 2) },
    { name: 'SendApiRateLimited', error: () => new SendApiRateLimited('Rate limited', 613) },
  ];

  it.each(transient)('rethrows a transient $name', async ({ error }) => {
    const { deps, failNextWith } = setup();
    const failure = error();
    failNextWith(failure);

    await expect(answerInboundEvent(events.text, deps)).rejects.toBe(failure);
  });

  it.each(transient)('releases the claim after a transient $name', async ({ error }) => {
    const { deps, failNextWith, entryFor } = setup();
    failNextWith(error());

    await answerInboundEvent(events.text, deps).catch(() => undefined);

    expect(entryFor(events.text.id)).toBeUndefined();
  });

  it.each(transient)('sends once when the event is retried after a transient $name', async ({ error }) => {
    const { deps, failNextWith, delivered, entryFor } = setup();
    failNextWith(error());
    await answerInboundEvent(events.text, deps).catch(() => undefined);

    const retried = await answerInboundEvent(events.text, deps);

    expect(retried).toBe('replied');
    expect(delivered).toHaveLength(1);
    expect(entryFor(events.text.id)).toMatchObject({ status: 'sent' });
  });

  it('releases the claim and rethrows an unexpected error that is not a Send API failure', async () => {
    const { deps, failNextWith, entryFor } = setup();
    const failure = new TypeError('fetch failed');
    failNextWith(failure);

    await expect(answerInboundEvent(events.text, deps)).rejects.toBe(failure);
    expect(entryFor(events.text.id)).toBeUndefined();
  });

  describe('a person who is not available (RecipientUnavailable)', () => {
    const unavailable = () => new RecipientUnavailable('This person isn’t available right now.', 551, 1545041);

    it('reports the reply as undeliverable without throwing', async () => {
      const { deps, failNextWith } = setup();
      failNextWith(unavailable());

      expect(await answerInboundEvent(events.text, deps)).toBe('undeliverable');
    });

    it('marks the person unreachable', async () => {
      const { deps, failNextWith, unreachable } = setup();
      failNextWith(unavailable());

      await answerInboundEvent(events.text, deps);

      expect(unreachable.get(PSID)).toBe('RecipientUnavailable');
    });

    it('records the reply as failed in the ledger', async () => {
      const { deps, failNextWith, entryFor } = setup();
      failNextWith(unavailable());

      await answerInboundEvent(events.text, deps);

      expect(entryFor(events.text.id)).toEqual({ status: 'failed', reason: 'RecipientUnavailable' });
    });

    it('does not send again when the event is replayed', async () => {
      const { deps, failNextWith, attempts } = setup();
      failNextWith(unavailable());
      await answerInboundEvent(events.text, deps);

      const replay = await answerInboundEvent(events.text, deps);

      expect(replay).toBe('already-answered');
      expect(attempts).toHaveLength(1);
    });
  });

  const permanent = [
    { name: 'OutsideMessagingWindow', error: () => new OutsideMessagingWindow('Outside the allowed window', 10, 2018278) },
    { name: 'SendApiRejected', error: () => new SendApiRejected('Invalid parameter', 100) },
  ];

  it.each(permanent)('reports $name as undeliverable and records the reply as failed', async ({ name, error }) => {
    const { deps, failNextWith, entryFor } = setup();
    failNextWith(error());

    const outcome = await answerInboundEvent(events.text, deps);

    expect(outcome).toBe('undeliverable');
    expect(entryFor(events.text.id)).toEqual({ status: 'failed', reason: name });
  });

  it.each(permanent)('does not mark the person unreachable after $name', async ({ error }) => {
    const { deps, failNextWith, unreachable } = setup();
    failNextWith(error());

    await answerInboundEvent(events.text, deps);

    expect(unreachable.size).toBe(0);
  });

  it('rethrows PageTokenInvalid', async () => {
    const { deps, failNextWith } = setup();
    const failure = new PageTokenInvalid('Error validating access token', 190);
    failNextWith(failure);

    await expect(answerInboundEvent(events.text, deps)).rejects.toBe(failure);
  });

  it('releases the claim after PageTokenInvalid so a replay after the fix can send', async () => {
    const { deps, failNextWith, entryFor, delivered } = setup();
    failNextWith(new PageTokenInvalid('Error validating access token', 190));
    await answerInboundEvent(events.text, deps).catch(() => undefined);

    expect(entryFor(events.text.id)).toBeUndefined();
    expect(await answerInboundEvent(events.text, deps)).toBe('replied');
    expect(delivered).toHaveLength(1);
  });
});

describe('a turn, then the alerts held while the window was closed', () => {
  const HELD: HeldAlert[] = [
    { sk: 'HELD#i-1#2026-11-20#a1', alertId: 'a1', message: { text: 'Was this you? $912.40 at ELECTRO-WORLD' } },
    { sk: 'HELD#i-1#2026-11-21#a2', alertId: 'a2', message: { text: 'Low balance: $35.00' } },
  ];

  /**
   * Everything the turn does, in order: the reply's and the alerts' sends, and the held-alert read,
   * which the test settles when it wants (a read still in flight is what the turn must not wait on).
   */
  function turn() {
    const base = setup();
    const order: string[] = [];
    let settleRead!: (result: HeldAlert[] | Error) => void;
    const read = new Promise<HeldAlert[]>((resolve, reject) => (settleRead = (r) => (r instanceof Error ? reject(r) : resolve(r))));
    const counts: Record<string, number> = {};
    const { send } = base.messenger;
    const dropped: string[] = [];
    const deps: TurnDeps = {
      ...base.deps,
      messenger: { send: (request) => (order.push('reply sent'), send(request)) },
      heldAlerts: {
        inbox: {
          held: (psid) => (order.push(`held read for ${psid}`), read),
          dropHeld: async (_psid, sk) => void dropped.push(sk),
        },
        notify: async (_psid, key, messages) => (order.push(`${key} ${JSON.stringify(messages)}`), 'sent'),
      },
      count: (name, n = 1) => void (counts[name] = (counts[name] ?? 0) + n),
    };
    return { ...base, deps, order, counts, dropped, settleRead };
  }

  it('asks for the held alerts before the reply is sent, and sends them after it, oldest first', async () => {
    const { deps, order, settleRead } = turn();

    const answering = answerTurn(events.text, deps);
    await settle();
    const whileAnswering = [...order];
    settleRead(HELD);
    const outcome = await answering;

    expect(whileAnswering).toEqual([`held read for ${PSID}`, 'reply sent']);
    expect([outcome, order]).toEqual([
      'replied',
      [`held read for ${PSID}`, 'reply sent', `alert-held:a1 [{"text":"Was this you? $912.40 at ELECTRO-WORLD"}]`, `alert-held:a2 [{"text":"Low balance: $35.00"}]`],
    ]);
  });

  it('sends the held alerts after whatever the reply had to send once it was out (a handover’s apology)', async () => {
    const { deps, order, settleRead } = turn();
    deps.compose = async () => ({ messages: [welcomeMessage()], afterSent: async () => [{ text: 'No one is free right now.' }] });
    settleRead(HELD.slice(0, 1));

    await answerTurn(events.text, deps);

    expect(order).toEqual([`held read for ${PSID}`, 'reply sent', 'reply sent', `alert-held:a1 [{"text":"Was this you? $912.40 at ELECTRO-WORLD"}]`]);
  });

  it('drops each held alert it sent, and counts the reply and the alerts sent', async () => {
    const { deps, counts, dropped, settleRead } = turn();
    settleRead(HELD);

    await answerTurn(events.text, deps);

    expect([dropped, counts]).toEqual([HELD.map((h) => h.sk), { RepliesSent: 1, AlertsSent: 2 }]);
  });

  it('fails the event with the read’s own error when the alerts were to be sent, after the reply', async () => {
    const { deps, order, delivered, settleRead } = turn();
    const failure = new Error('held alerts unavailable');

    const unhandled = await unhandledDuring(async () => {
      const answering = answerTurn(events.text, deps);
      settleRead(failure);
      await expect(answering).rejects.toBe(failure);
    });

    expect([unhandled, delivered.length, order]).toEqual([[], 1, [`held read for ${PSID}`, 'reply sent']]);
  });

  describe('when the turn did not reply', () => {
    it('sends no held alert to a person who cannot be reached (undeliverable), and keeps them held', async () => {
      const { deps, order, dropped, failNextWith, settleRead } = turn();
      failNextWith(new RecipientUnavailable('This person isn’t available right now.', 551, 1545041));
      settleRead(HELD);

      const outcome = await answerTurn(events.text, deps);

      expect([outcome, order.filter((o) => o.startsWith('alert-held')), dropped]).toEqual(['undeliverable', [], []]);
    });

    it('sends no held alert for an event already answered (a replay)', async () => {
      const { deps, order, settleRead } = turn();
      settleRead([]);
      await answerTurn(events.text, deps);
      const { deps: again, order: replayed, settleRead: settleAgain } = turn();
      again.store = deps.store;
      settleAgain(HELD);

      const outcome = await answerTurn(events.text, again);

      expect([outcome, replayed.filter((o) => o.startsWith('alert-held'))]).toEqual(['already-answered', []]);
      expect(order).toEqual([`held read for ${PSID}`, 'reply sent']);
    });

    it('does not read held alerts for an event that gets no answer (an echo, a receipt, standby)', async () => {
      for (const event of [events.echo, events.delivery, events.read, events.standby, events.policy]) {
        const { deps, order } = turn();

        expect(await answerTurn(event, deps)).toBe('ignored');
        expect(order).toEqual([]);
      }
    });

    it('leaves no unhandled rejection when the unused read fails', async () => {
      const { deps, failNextWith, settleRead } = turn();
      failNextWith(new RecipientUnavailable('This person isn’t available right now.', 551, 1545041));

      const unhandled = await unhandledDuring(async () => {
        settleRead(new Error('held alerts unavailable'));
        expect(await answerTurn(events.text, deps)).toBe('undeliverable');
      });

      expect(unhandled).toEqual([]);
    });
  });
});

describe('a turn, then the notices held while the window was closed', () => {
  /** A turn with no held alert and the given held-notices port, recording what it does in order. */
  function turn(options: { notices?: Promise<string[]> } = {}) {
    const base = setup();
    const order: string[] = [];
    const { send } = base.messenger;
    const deps: TurnDeps<string[]> = {
      ...base.deps,
      messenger: { send: (request) => (order.push('reply sent'), send(request)) },
      heldAlerts: {
        inbox: { held: async () => (order.push('alerts read'), [{ sk: 'HELD#i-1#2026-11-20#a1', alertId: 'a1', message: { text: 'Low balance: $35.00' } }]), dropHeld: async () => undefined },
        notify: async (_psid, key) => (order.push(key), 'sent'),
      },
      heldNotices: {
        read: (psid) => (order.push(`notices read for ${psid}`), options.notices ?? Promise.resolve(['consent:c-1:reminder'])),
        deliver: async (_psid, held) => void order.push(...(await held).map((key) => `notice ${key}`)),
      },
      count: () => undefined,
    };
    return { ...base, deps, order };
  }

  it('reads them as the turn starts and delivers them after the reply and the held alerts', async () => {
    const { deps, order } = turn();

    const outcome = await answerTurn(events.text, deps);

    expect([outcome, order]).toEqual(['replied', ['alerts read', `notices read for ${PSID}`, 'reply sent', 'alert-held:a1', 'notice consent:c-1:reminder']]);
  });

  it('delivers none with an event already answered (a replay)', async () => {
    const { deps } = turn();
    await answerTurn(events.text, deps);
    const { deps: again, order } = turn();
    again.store = deps.store;

    const outcome = await answerTurn(events.text, again);

    expect([outcome, order.filter((o) => o.startsWith('notice '))]).toEqual(['already-answered', []]);
  });

  it('leaves no unhandled rejection when the read fails for a turn that sends no reply', async () => {
    const { deps, failNextWith } = turn({ notices: Promise.reject(new Error('held notices unavailable')) });
    failNextWith(new RecipientUnavailable('This person isn’t available right now.', 551, 1545041));

    const unhandled = await unhandledDuring(async () => {
      expect(await answerTurn(events.text, deps)).toBe('undeliverable');
    });

    expect(unhandled).toEqual([]);
  });
});
