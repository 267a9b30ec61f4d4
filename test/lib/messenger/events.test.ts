import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metaJson } from '../../../dev/messenger-payloads';
import { InvalidInput } from '../../../lib/errors';
import { parseWebhookBody } from '../../../lib/messenger/events';
import type { InboundEvent } from '../../../lib/messenger/events';

// Payloads follow the examples of Meta's webhook event reference, with realistic ids.
const PAGE_ID = '106123456789012';
const OTHER_PAGE_ID = '107987654321098';
const PSID = '6543210987654321';
const OTHER_PSID = '7012345678901234';
const APP_ID = '1517776481860111';
const INBOX_APP_ID = '263902037430900';
const TS = 1712345678901;
const DIGEST = /^h_[A-Za-z0-9_-]{32}$/;

type RawEvent = Record<string, unknown>;

const fromPerson = (extra: RawEvent, psid = PSID, pageId = PAGE_ID): RawEvent => ({
  sender: { id: psid },
  recipient: { id: pageId },
  timestamp: TS,
  ...extra,
});

/** A webhook body as Meta serialises it (non-ASCII escaped), one entry per element. */
const bodyOf = (entries: { id?: string; messaging?: RawEvent[]; standby?: RawEvent[]; time?: number }[]) =>
  metaJson({
    object: 'page',
    entry: entries.map(({ id = PAGE_ID, time = TS + 1000, ...rest }) => ({ id, time, ...rest })),
  });

const single = (event: RawEvent, channel: 'messaging' | 'standby' = 'messaging'): InboundEvent => {
  const { events } = parseWebhookBody(bodyOf([{ [channel]: [event] }]));
  expect(events).toHaveLength(1);
  return events[0] as InboundEvent;
};

/** The InvalidInput a body is refused with; fails the test when it is accepted or fails otherwise. */
const refusal = (raw: string | Uint8Array): InvalidInput => {
  try {
    parseWebhookBody(raw);
  } catch (error) {
    if (error instanceof InvalidInput) return error;
    throw error;
  }
  throw new Error('expected the body to be refused');
};

const payloads = {
  text: fromPerson({ message: { mid: 'm_7Yc1qTtYl0mKbHfnBw5Ipw', text: 'hello, world!' } }),
  quickReply: fromPerson({
    message: { mid: 'm_Qr9k2LmZ0pXwYbVc', text: 'Link my bank', quick_reply: { payload: 'LINK_BANK' } },
  }),
  image: fromPerson({
    message: {
      mid: 'm_AtT4chm3ntIm4g3',
      attachments: [{ type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/v/t1.15752-9/438_n.jpg?_nc_cat=1' } }],
    },
  }),
  echo: {
    sender: { id: PAGE_ID },
    recipient: { id: PSID },
    timestamp: TS,
    message: {
      is_echo: true,
      app_id: Number(APP_ID),
      metadata: 'welcome',
      mid: 'm_3ch0FromThePage',
      text: 'Hi! I’m your bank’s assistant.',
    },
  },
  postback: fromPerson({ postback: { title: 'Get Started', payload: 'GET_STARTED', mid: 'm_P0stb4ckW1thM1d' } }),
  postbackWithoutMid: fromPerson({ postback: { title: 'Help', payload: 'HELP' } }),
  delivery: fromPerson({ delivery: { mids: ['m_3ch0FromThePage'], watermark: TS - 500 } }),
  read: fromPerson({ read: { watermark: TS - 200 } }),
  react: fromPerson({ reaction: { reaction: 'love', emoji: '❤️', action: 'react', mid: 'm_3ch0FromThePage' } }),
  unreact: fromPerson({ reaction: { action: 'unreact', mid: 'm_3ch0FromThePage' } }),
  edit: fromPerson({ message_edit: { mid: 'm_7Yc1qTtYl0mKbHfnBw5Ipw', text: 'hello, world! (edited)', num_edit: 1 } }),
  linked: fromPerson({ account_linking: { status: 'linked', authorization_code: 'PASS_THROUGH_AUTHORIZATION_CODE' } }),
  unlinked: fromPerson({ account_linking: { status: 'unlinked' } }),
  optin: fromPerson({
    optin: {
      type: 'notification_messages',
      payload: 'FRAUD_ALERTS',
      notification_messages_token: '7389123456789012345',
      notification_messages_frequency: 'DAILY',
      notification_messages_timezone: 'Europe/Paris',
      token_expiry_timestamp: TS + 86_400_000,
      user_token_status: 'NOT_REFRESHED',
      title: 'Fraud alerts',
    },
  }),
  checkboxOptin: { recipient: { id: PAGE_ID }, timestamp: TS, optin: { ref: 'signup_form', user_ref: 'UNIQUE_REF_123' } },
  referral: fromPerson({ referral: { ref: 'spring_campaign', source: 'SHORTLINK', type: 'OPEN_THREAD' } }),
  policyEnforcement: {
    recipient: { id: PAGE_ID },
    timestamp: TS,
    policy_enforcement: {
      action: 'block',
      reason:
        'The bot violated our Platform Policies (https://developers.facebook.com/devpolicy/#messengerplatform). Common violations include sending out excessive spammy messages or being non-functional.',
    },
  },
  passThreadControl: fromPerson({
    pass_thread_control: { previous_owner_app_id: INBOX_APP_ID, new_owner_app_id: APP_ID, metadata: 'Back to the bot' },
  }),
  takeThreadControl: fromPerson({
    take_thread_control: { previous_owner_app_id: APP_ID, new_owner_app_id: INBOX_APP_ID, metadata: 'Agent took over' },
  }),
  requestThreadControl: fromPerson({
    request_thread_control: { requested_owner_app_id: Number(INBOX_APP_ID), metadata: 'Customer asked for a human' },
  }),
} satisfies Record<string, RawEvent>;

describe('event kinds', () => {
  const cases: { name: string; event: RawEvent; kind: string; id: string | RegExp; psid: string | null; detail: RawEvent }[] = [
    { name: 'a text message', event: payloads.text, kind: 'message', id: 'm_7Yc1qTtYl0mKbHfnBw5Ipw', psid: PSID, detail: { message: { text: 'hello, world!' } } },
    { name: 'a quick reply', event: payloads.quickReply, kind: 'message', id: 'm_Qr9k2LmZ0pXwYbVc', psid: PSID, detail: { message: { quick_reply: { payload: 'LINK_BANK' } } } },
    {
      name: 'an image attachment',
      event: payloads.image,
      kind: 'message',
      id: 'm_AtT4chm3ntIm4g3',
      psid: PSID,
      detail: { message: { attachments: [{ type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/v/t1.15752-9/438_n.jpg?_nc_cat=1' } }] } },
    },
    { name: 'an echo of the Page’s own message', event: payloads.echo, kind: 'message', id: 'm_3ch0FromThePage', psid: PSID, detail: { message: { is_echo: true, text: 'Hi! I’m your bank’s assistant.' } } },
    { name: 'a postback with a mid', event: payloads.postback, kind: 'postback', id: 'm_P0stb4ckW1thM1d', psid: PSID, detail: { postback: { payload: 'GET_STARTED', title: 'Get Started' } } },
    { name: 'a postback without a mid', event: payloads.postbackWithoutMid, kind: 'postback', id: DIGEST, psid: PSID, detail: { postback: { payload: 'HELP' } } },
    { name: 'a delivery receipt', event: payloads.delivery, kind: 'delivery', id: DIGEST, psid: PSID, detail: { delivery: { mids: ['m_3ch0FromThePage'], watermark: TS - 500 } } },
    { name: 'a read receipt', event: payloads.read, kind: 'read', id: DIGEST, psid: PSID, detail: { read: { watermark: TS - 200 } } },
    { name: 'a reaction', event: payloads.react, kind: 'reaction', id: DIGEST, psid: PSID, detail: { reaction: { action: 'react', reaction: 'love', emoji: '❤️', mid: 'm_3ch0FromThePage' } } },
    { name: 'a removed reaction', event: payloads.unreact, kind: 'reaction', id: DIGEST, psid: PSID, detail: { reaction: { action: 'unreact', mid: 'm_3ch0FromThePage' } } },
    { name: 'a message edit', event: payloads.edit, kind: 'message_edit', id: DIGEST, psid: PSID, detail: { message_edit: { text: 'hello, world! (edited)', num_edit: 1 } } },
    { name: 'an account linked', event: payloads.linked, kind: 'account_linking', id: DIGEST, psid: PSID, detail: { account_linking: { status: 'linked', authorization_code: 'PASS_THROUGH_AUTHORIZATION_CODE' } } },
    { name: 'an account unlinked', event: payloads.unlinked, kind: 'account_linking', id: DIGEST, psid: PSID, detail: { account_linking: { status: 'unlinked' } } },
    { name: 'a notification-messages opt-in', event: payloads.optin, kind: 'optin', id: DIGEST, psid: PSID, detail: { optin: { type: 'notification_messages', payload: 'FRAUD_ALERTS' } } },
    { name: 'a checkbox-plugin opt-in without a sender', event: payloads.checkboxOptin, kind: 'optin', id: DIGEST, psid: null, detail: { optin: { user_ref: 'UNIQUE_REF_123' } } },
    { name: 'a referral', event: payloads.referral, kind: 'referral', id: DIGEST, psid: PSID, detail: { referral: { ref: 'spring_campaign', source: 'SHORTLINK' } } },
    { name: 'a policy enforcement notice', event: payloads.policyEnforcement, kind: 'policy_enforcement', id: DIGEST, psid: null, detail: { policy_enforcement: { action: 'block' } } },
    { name: 'a pass of thread control', event: payloads.passThreadControl, kind: 'pass_thread_control', id: DIGEST, psid: PSID, detail: { pass_thread_control: { new_owner_app_id: APP_ID } } },
    { name: 'a take of thread control', event: payloads.takeThreadControl, kind: 'take_thread_control', id: DIGEST, psid: PSID, detail: { take_thread_control: { previous_owner_app_id: APP_ID } } },
    { name: 'a request for thread control', event: payloads.requestThreadControl, kind: 'request_thread_control', id: DIGEST, psid: PSID, detail: { request_thread_control: { requested_owner_app_id: Number(INBOX_APP_ID) } } },
  ];

  it.each(cases)('parses $name into kind $kind with its id, person, Page and channel', ({ event, kind, id, psid }) => {
    const parsed = single(event);

    expect(parsed.kind).toBe(kind);
    if (typeof id === 'string') expect(parsed.id).toBe(id);
    else expect(parsed.id).toMatch(id);
    expect(parsed.psid).toBe(psid);
    expect(parsed.pageId).toBe(PAGE_ID);
    expect(parsed.channel).toBe('messaging');
    expect(parsed.timestamp).toBe(TS);
  });

  it.each(cases)('keeps the details of $name under its kind', ({ event, detail }) => {
    const parsed = single(event);

    expect(parsed).toMatchObject(detail);
  });

  it('gives the person (the recipient) as psid for an echo, not the Page', () => {
    const parsed = single(payloads.echo);

    expect(parsed.psid).toBe(PSID);
  });

  it('marks an event delivered in standby with the standby channel', () => {
    const parsed = single(payloads.text, 'standby');

    expect(parsed).toMatchObject({ kind: 'message', channel: 'standby', psid: PSID, id: 'm_7Yc1qTtYl0mKbHfnBw5Ipw' });
  });

  it('reads a non-ASCII message text from Meta’s escaped form', () => {
    const parsed = single(fromPerson({ message: { mid: 'm_nonascii', text: 'Café 💸 à Paris/Lyon' } }));

    expect(parsed).toMatchObject({ message: { text: 'Café 💸 à Paris/Lyon' } });
  });

  it('accepts the body as bytes as well as a string', () => {
    const raw = bodyOf([{ messaging: [payloads.text] }]);

    expect(parseWebhookBody(Buffer.from(raw, 'utf8'))).toEqual(parseWebhookBody(raw));
  });

  it('returns the envelope’s object field', () => {
    expect(parseWebhookBody(bodyOf([{ messaging: [payloads.text] }])).object).toBe('page');
  });

  it('returns no events for an entry with neither messaging nor standby', () => {
    expect(parseWebhookBody(bodyOf([{}])).events).toEqual([]);
  });
});

describe('batched deliveries', () => {
  const ev = (mid: string, psid: string, pageId: string) => fromPerson({ message: { mid, text: mid } }, psid, pageId);
  const raw = bodyOf([
    { id: PAGE_ID, messaging: [ev('m_a1', PSID, PAGE_ID), ev('m_a2', OTHER_PSID, PAGE_ID)], standby: [ev('m_a3', PSID, PAGE_ID)] },
    { id: OTHER_PAGE_ID, messaging: [ev('m_b1', '8100000000000001', OTHER_PAGE_ID)], standby: [ev('m_b2', '8100000000000002', OTHER_PAGE_ID), ev('m_b3', '8100000000000001', OTHER_PAGE_ID)] },
    { id: PAGE_ID, messaging: [ev('m_c1', PSID, PAGE_ID), ev('m_c2', OTHER_PSID, PAGE_ID)] },
  ]);

  it('returns every event of every entry, in order', () => {
    const { events } = parseWebhookBody(raw);

    expect(events.map((e) => e.id)).toEqual(['m_a1', 'm_a2', 'm_a3', 'm_b1', 'm_b2', 'm_b3', 'm_c1', 'm_c2']);
  });

  it('gives each event the id of the entry (Page) it came in', () => {
    const { events } = parseWebhookBody(raw);

    expect(events.map((e) => e.pageId)).toEqual([PAGE_ID, PAGE_ID, PAGE_ID, OTHER_PAGE_ID, OTHER_PAGE_ID, OTHER_PAGE_ID, PAGE_ID, PAGE_ID]);
  });

  it('gives each event the channel it came in', () => {
    const { events } = parseWebhookBody(raw);

    expect(events.map((e) => e.channel)).toEqual(['messaging', 'messaging', 'standby', 'messaging', 'standby', 'standby', 'messaging', 'messaging']);
  });

  it('gives each event its own sender', () => {
    const { events } = parseWebhookBody(raw);

    expect(events.map((e) => e.psid)).toEqual([PSID, OTHER_PSID, PSID, '8100000000000001', '8100000000000002', '8100000000000001', PSID, OTHER_PSID]);
  });
});

describe('unknown kinds', () => {
  const gamePlay = fromPerson({
    game_play: { game_id: '3104826022962920', player_id: '2839203902903920', context_type: 'SOLO', payload: '{"score":42}' },
  });

  it('keeps an event of an unknown kind as kind unknown with its keys', () => {
    const parsed = single(gamePlay);

    expect(parsed).toMatchObject({ kind: 'unknown', keys: ['game_play'], psid: PSID, pageId: PAGE_ID, channel: 'messaging' });
  });

  it('gives an event of an unknown kind a digest id', () => {
    expect(single(gamePlay).id).toMatch(DIGEST);
  });

  it('keeps an event with no kind key at all as unknown with no keys', () => {
    const parsed = single(fromPerson({}));

    expect(parsed).toMatchObject({ kind: 'unknown', keys: [] });
  });
});

describe('digest ids', () => {
  it('gives the same ids when the same bytes are parsed twice', () => {
    const raw = bodyOf([{ messaging: [payloads.delivery, payloads.read, payloads.react, payloads.policyEnforcement] }]);

    const first = parseWebhookBody(raw).events.map((e) => e.id);
    const second = parseWebhookBody(raw).events.map((e) => e.id);

    expect(second).toEqual(first);
  });

  it('gives a different id to a read with a different watermark', () => {
    const a = single(fromPerson({ read: { watermark: TS - 200 } }));
    const b = single(fromPerson({ read: { watermark: TS - 199 } }));

    expect(a.id).not.toBe(b.id);
  });

  it('gives different events in one delivery different ids', () => {
    const { events } = parseWebhookBody(bodyOf([{ messaging: [payloads.delivery, payloads.read, payloads.react, payloads.unreact] }]));

    expect(new Set(events.map((e) => e.id)).size).toBe(4);
  });

  it('keeps the id of a redelivered event whose entry time changed', () => {
    const first = parseWebhookBody(bodyOf([{ time: TS + 1000, messaging: [payloads.read] }])).events[0];
    const redelivered = parseWebhookBody(bodyOf([{ time: TS + 60_000, messaging: [payloads.read] }])).events[0];

    expect(redelivered?.id).toBe(first?.id);
  });
});

describe('malformed bodies', () => {
  const SECRET_TEXT = 'my card PIN is 4321';
  const TOKEN = 'EAAGm0PX4ZCpsBAEZBZCdummyPageTokenZDZD';

  const cases: { name: string; raw: string; message: RegExp }[] = [
    { name: 'a body that is not JSON', raw: `{"object":"page","entry":[{"text":"${SECRET_TEXT}","token":"${TOKEN}"`, message: /not valid JSON/ },
    { name: 'a JSON array', raw: JSON.stringify([{ object: 'page', token: TOKEN }]), message: /Not a Messenger webhook body/ },
    { name: 'a body without entry', raw: JSON.stringify({ object: 'page', token: TOKEN }), message: /entry/ },
    {
      name: 'an entry without id',
      raw: bodyOf([{ messaging: [payloads.text] }]).replace(`"id":"${PAGE_ID}",`, `"token":"${TOKEN}",`),
      message: /entry\.0\.id/,
    },
    {
      name: 'an event without recipient',
      raw: bodyOf([{ messaging: [{ sender: { id: PSID }, timestamp: TS, message: { mid: 'm_1', text: SECRET_TEXT } }] }]),
      message: /entry\[0\]\.messaging\[0\]: recipient/,
    },
    {
      name: 'an event with a non-numeric timestamp',
      raw: bodyOf([{ messaging: [{ ...fromPerson({ message: { mid: 'm_1', text: SECRET_TEXT } }), timestamp: 'yesterday' }] }]),
      message: /entry\[0\]\.messaging\[0\]: timestamp/,
    },
    {
      name: 'a message without mid',
      raw: bodyOf([{ messaging: [fromPerson({ message: { text: SECRET_TEXT, metadata: TOKEN } })] }]),
      message: /entry\[0\]\.messaging\[0\]\.message: mid/,
    },
    {
      name: 'a linked account_linking without authorization_code',
      raw: bodyOf([{ standby: [fromPerson({ account_linking: { status: 'linked', token: TOKEN } })] }]),
      message: /entry\[0\]\.standby\[0\]\.account_linking: authorization_code/,
    },
  ];

  it.each(cases)('refuses $name with InvalidInput', ({ raw }) => {
    expect(() => parseWebhookBody(raw)).toThrow(InvalidInput);
  });

  it.each(cases)('says where $name went wrong', ({ raw, message }) => {
    expect(refusal(raw).message).toMatch(message);
  });

  it.each(cases)('does not echo values from $name in the message', ({ raw }) => {
    const { message } = refusal(raw);

    expect(message).not.toContain(SECRET_TEXT);
    expect(message).not.toContain('4321');
    expect(message).not.toContain(TOKEN);
    expect(message).not.toContain('yesterday');
  });

  it('points at the failing event in a later entry and channel', () => {
    const raw = bodyOf([
      { messaging: [payloads.text] },
      { id: OTHER_PAGE_ID, messaging: [payloads.read], standby: [payloads.read, fromPerson({ message: { text: SECRET_TEXT } })] },
    ]);

    expect(refusal(raw).message).toMatch(/entry\[1\]\.standby\[1\]\.message: mid/);
  });
});

// ---- properties --------------------------------------------------------------------------------

/** Parses, and rethrows anything but InvalidInput so fast-check reports it. */
const parsesOrRefuses = (raw: string | Uint8Array) => {
  try {
    parseWebhookBody(raw);
  } catch (error) {
    if (!(error instanceof InvalidInput)) throw error;
  }
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

const pathsOf = (value: Json, prefix: Path = []): Path[] => {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value)
    ? value.flatMap((child, index) => pathsOf(child, [...prefix, index]))
    : Object.entries(value).flatMap(([key, child]) => pathsOf(child, [...prefix, key]));
  return [prefix, ...children];
};

type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; value: Json }
  | { op: 'wrap'; at: number }
  | { op: 'add'; at: number; key: string; value: Json };

const applyMutation = (body: Json, m: Mutation): Json => {
  // fast-check may hand out one instance twice (constantFrom's [] and {}): clone, or a later mutation
  // can put an object inside itself.
  const mutation = 'value' in m ? { ...m, value: structuredClone(m.value) } : m;
  const paths = pathsOf(body);
  const path = paths[mutation.at % paths.length] ?? [];
  if (path.length === 0) {
    if (mutation.op === 'replace') return mutation.value;
    if (mutation.op === 'wrap') return [body];
  }
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  let parent: Json = body;
  for (const step of parentPath) parent = (parent as Record<string | number, Json>)[step] as Json;
  const container = parent as Record<string | number, Json> & Json[];
  const target = last === undefined ? body : container[last as never];
  switch (mutation.op) {
    case 'delete':
      if (last === undefined) return body;
      if (Array.isArray(container)) container.splice(Number(last), 1);
      else delete container[last as string];
      return body;
    case 'replace':
      if (last !== undefined) container[last as never] = mutation.value as never;
      return body;
    case 'wrap':
      if (last !== undefined) container[last as never] = [target] as never;
      return body;
    case 'add':
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, Json>)[mutation.key] = mutation.value;
      return body;
  }
};

const validBodies: Json[] = Object.values(payloads).map(
  (event, index) => JSON.parse(bodyOf([{ [index % 2 === 0 ? 'messaging' : 'standby']: [event] }])) as Json,
);
validBodies.push(JSON.parse(bodyOf([{ messaging: [payloads.text, payloads.echo] }, { id: OTHER_PAGE_ID, standby: [payloads.read] }])) as Json);

const interestingKeys = fc.constantFrom(
  ...['message', 'postback', 'delivery', 'read', 'reaction', 'message_edit', 'account_linking', 'optin', 'referral'],
  ...['policy_enforcement', 'pass_thread_control', 'take_thread_control', 'request_thread_control', 'sender', 'recipient'],
  ...['timestamp', 'mid', 'entry', 'messaging', 'standby', 'id', 'time', 'is_echo', '__proto__', 'constructor', 'toString'],
);
const jsonLeaf = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom<Json>(null, '', -1, 1.5, 1e308, [], {}, 'linked', 'unlinked', 'react'));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: jsonLeaf as fc.Arbitrary<Json> }),
  fc.record({ op: fc.constant('wrap' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fc.oneof(interestingKeys, fc.string()), value: jsonLeaf as fc.Arbitrary<Json> }),
);

describe('parser properties', () => {
  it('parses or refuses with InvalidInput any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), parsesOrRefuses));
  });

  it('parses or refuses with InvalidInput any byte array', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), parsesOrRefuses));
  });

  it('parses or refuses with InvalidInput any JSON text (fc.json)', () => {
    fc.assert(fc.property(fc.json(), parsesOrRefuses));
  });

  it('parses or refuses with InvalidInput any JSON value (fc.jsonValue)', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => parsesOrRefuses(JSON.stringify(value) ?? 'null')));
  });

  it('parses or refuses with InvalidInput any envelope with arbitrary entries and events', () => {
    const event = fc.dictionary(fc.oneof(interestingKeys, fc.string()), fc.jsonValue({ maxDepth: 3 }));
    const entry = fc.record(
      { id: fc.oneof(fc.constant(PAGE_ID), fc.jsonValue({ maxDepth: 1 })), time: fc.oneof(fc.nat(), fc.jsonValue({ maxDepth: 1 })), messaging: fc.array(event), standby: fc.array(event) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.record({ object: fc.constant('page'), entry: fc.array(entry, { maxLength: 3 }) }), (body) => parsesOrRefuses(JSON.stringify(body))),
    );
  });

  it('parses or refuses with InvalidInput any structurally mutated valid body', () => {
    fc.assert(
      fc.property(fc.constantFrom(...validBodies), fc.array(mutation, { minLength: 1, maxLength: 4 }), (body, mutations) => {
        const mutated = mutations.reduce<Json>((current, m) => applyMutation(current, m), structuredClone(body));
        parsesOrRefuses(metaJson(mutated));
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts every valid body it mutates from (control)', () => {
    for (const body of validBodies) expect(() => parseWebhookBody(JSON.stringify(body))).not.toThrow();
  });
});

describe('documented Meta payloads at the edges of the schema', () => {
  // Meta's messaging_handovers reference: previous_owner_app_id is "<previous_app_id or null (idle_mode)>".
  it('accepts a pass_thread_control from idle mode (previous_owner_app_id: null)', () => {
    const parsed = single(fromPerson({ pass_thread_control: { previous_owner_app_id: null, new_owner_app_id: APP_ID, metadata: 'x' } }));

    expect(parsed).toMatchObject({ kind: 'pass_thread_control', pass_thread_control: { previous_owner_app_id: null, new_owner_app_id: APP_ID } });
  });

  // Meta's message_deliveries reference example has no top-level `timestamp`, only delivery.watermark.
  it('accepts a delivery receipt without timestamp and dates it by its watermark', () => {
    const parsed = single({ sender: { id: PSID }, recipient: { id: PAGE_ID }, delivery: { mids: ['m_3ch0FromThePage'], watermark: TS - 500 } });

    expect(parsed).toMatchObject({ kind: 'delivery', psid: PSID, timestamp: TS - 500 });
  });

  it('dates a read receipt without timestamp by its watermark', () => {
    const parsed = single({ sender: { id: PSID }, recipient: { id: PAGE_ID }, read: { watermark: TS - 200 } });

    expect(parsed).toMatchObject({ kind: 'read', timestamp: TS - 200 });
  });

  it('dates an event without timestamp or watermark by its entry’s time', () => {
    const { events } = parseWebhookBody(bodyOf([{ time: TS + 7, messaging: [{ sender: { id: PSID }, recipient: { id: PAGE_ID }, reaction: { action: 'unreact', mid: 'm_1' } }] }]));

    expect(events[0]?.timestamp).toBe(TS + 7);
  });

  // A 10 KB body of '[' in an event without a mid overflowed the stack while computing its digest id.
  it('refuses a deeply nested event value with InvalidInput naming the event', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const raw = `{"object":"page","entry":[{"id":"${PAGE_ID}","time":${TS},"messaging":[{"sender":{"id":"${PSID}"},"recipient":{"id":"${PAGE_ID}"},"timestamp":${TS},"game_play":${deep}}]}]}`;

    expect(refusal(raw).message).toMatch(/^entry\[0\]\.messaging\[0\]/);
  });
});
