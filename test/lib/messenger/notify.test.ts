import { describe, expect, it } from 'vitest';
import {
  OutsideMessagingWindow,
  PageTokenInvalid,
  RecipientUnavailable,
  SendApiRateLimited,
  SendApiRejected,
  SendApiUnavailable,
} from '../../../lib/errors';
import type { Log } from '../../../lib/logger';
import { notifyOnce, type NotifyDeps } from '../../../lib/messenger/notify';
import type { OutboundMessage, SendRequest } from '../../../lib/messenger/send-api';
import { fakeLedger } from '../../support/fake-ledger';

const PSID = '6543210987654321';
const KEY = 'consent:consent-1:deleted';
const MESSAGES: OutboundMessage[] = [{ text: 'You stopped sharing First Platypus Bank. I deleted 3 accounts.' }];
const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Log;

function fakeStore() {
  const { store, ledger, unreachable, entryOf } = fakeLedger();
  return { store, ledger, unreachable, entry: (key = KEY) => entryOf({ psid: PSID, eventId: key }) };
}

/** A Send API that records what it delivered and fails the next calls it is told to. */
function fakeMessenger() {
  const delivered: SendRequest[] = [];
  const failures: Error[] = [];
  const messenger: NotifyDeps['messenger'] = {
    async send(request) {
      const failure = failures.shift();
      if (failure) throw failure;
      delivered.push(request);
      return { recipientId: PSID, messageId: `m_out_${delivered.length}` };
    },
  };
  return { messenger, delivered, failNextWith: (error: Error) => failures.push(error) };
}

function setup() {
  const store = fakeStore();
  const messenger = fakeMessenger();
  const deps: NotifyDeps = { store: store.store, messenger: messenger.messenger, log };
  return { ...store, ...messenger, deps };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    return await promise;
  } catch (error) {
    return error;
  }
}

describe('notifyOnce', () => {
  it('sends the messages to the person as UPDATE messages', async () => {
    const { deps, delivered } = setup();

    const outcome = await notifyOnce(PSID, KEY, MESSAGES, deps);

    expect([outcome, delivered]).toEqual(['sent', [{ recipient: { id: PSID }, messaging_type: 'UPDATE', message: MESSAGES[0] }]]);
  });

  it('sends several messages in order', async () => {
    const { deps, delivered } = setup();
    const two: OutboundMessage[] = [{ text: 'first' }, { text: 'second' }];

    await notifyOnce(PSID, KEY, two, deps);

    expect(delivered.map((r) => ('message' in r ? r.message : undefined))).toEqual(two);
  });

  it('records the notification as sent with the message ids', async () => {
    const { deps, entry } = setup();

    await notifyOnce(PSID, KEY, MESSAGES, deps);

    expect(entry()).toEqual({ status: 'sent', messageIds: ['m_out_1'] });
  });

  it('does not send twice for the same key', async () => {
    const { deps, delivered } = setup();
    await notifyOnce(PSID, KEY, MESSAGES, deps);

    const outcome = await notifyOnce(PSID, KEY, MESSAGES, deps);

    expect([outcome, delivered.length]).toEqual(['already-sent', 1]);
  });

  it('sends again for another key', async () => {
    const { deps, delivered } = setup();
    await notifyOnce(PSID, KEY, MESSAGES, deps);

    await notifyOnce(PSID, 'consent:consent-2:deleted', MESSAGES, deps);

    expect(delivered.length).toBe(2);
  });

  it('does not send while another invocation holds the claim', async () => {
    const { deps, delivered, ledger } = setup();
    ledger.set(`${PSID}/${KEY}`, { status: 'pending' });

    const outcome = await failureOf(notifyOnce(PSID, KEY, MESSAGES, deps));

    expect([outcome instanceof Error, delivered.length]).toEqual([true, 0]);
  });

  it.each([
    ['unavailable', new SendApiUnavailable('Send API could not be reached', 2)],
    ['rate limited', new SendApiRateLimited('Rate limited', 613)],
    ['a network error', new TypeError('fetch failed')],
  ])('gives the claim back and rethrows when the Send API is %s', async (_name, error) => {
    const { deps, failNextWith, entry } = setup();
    failNextWith(error);

    const outcome = await failureOf(notifyOnce(PSID, KEY, MESSAGES, deps));

    expect([outcome, entry()]).toEqual([error, undefined]);
  });

  it('sends on the retry after a transient failure', async () => {
    const { deps, failNextWith, delivered } = setup();
    failNextWith(new SendApiUnavailable('Send API timed out'));
    await failureOf(notifyOnce(PSID, KEY, MESSAGES, deps));

    const outcome = await notifyOnce(PSID, KEY, MESSAGES, deps);

    expect([outcome, delivered.length]).toEqual(['sent', 1]);
  });

  it('gives the claim back and rethrows when the Page token is invalid, so it is sent once the operator fixes it', async () => {
    const { deps, failNextWith, entry } = setup();
    const error = new PageTokenInvalid('Token expired', 190);
    failNextWith(error);

    const outcome = await failureOf(notifyOnce(PSID, KEY, MESSAGES, deps));

    expect([outcome, entry()]).toEqual([error, undefined]);
  });

  it('marks a person who blocked the Page as unreachable and reports the notification undeliverable', async () => {
    const { deps, failNextWith, unreachable } = setup();
    failNextWith(new RecipientUnavailable('This person is not available', 551, 1545041));

    const outcome = await notifyOnce(PSID, KEY, MESSAGES, deps);

    expect([outcome, unreachable.get(PSID)]).toEqual(['undeliverable', 'RecipientUnavailable']);
  });

  it('does not try again for a person who blocked the Page', async () => {
    const { deps, failNextWith, delivered } = setup();
    failNextWith(new RecipientUnavailable('This person is not available', 551, 1545041));
    await notifyOnce(PSID, KEY, MESSAGES, deps);

    const outcome = await notifyOnce(PSID, KEY, MESSAGES, deps);

    expect([outcome, delivered.length]).toEqual(['already-sent', 0]);
  });

  it('reports a notification outside the 24-hour window as undeliverable without throwing', async () => {
    const { deps, failNextWith, entry } = setup();
    failNextWith(new OutsideMessagingWindow('Outside of allowed window', 10, 2018278));

    const outcome = await notifyOnce(PSID, KEY, MESSAGES, deps);

    expect([outcome, entry()]).toEqual(['undeliverable', { status: 'failed', reason: 'OutsideMessagingWindow' }]);
  });

  it('does not mark the person unreachable because the window is closed', async () => {
    const { deps, failNextWith, unreachable } = setup();
    failNextWith(new OutsideMessagingWindow('Outside of allowed window', 10, 2018278));

    await notifyOnce(PSID, KEY, MESSAGES, deps);

    expect(unreachable.size).toBe(0);
  });

  it('reports a message Messenger rejects as undeliverable without retrying it', async () => {
    const { deps, failNextWith, entry } = setup();
    failNextWith(new SendApiRejected('Invalid parameter', 100));

    const outcome = await notifyOnce(PSID, KEY, MESSAGES, deps);

    expect([outcome, entry()]).toEqual(['undeliverable', { status: 'failed', reason: 'SendApiRejected' }]);
  });
});
