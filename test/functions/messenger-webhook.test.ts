import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  deliveryReceipt,
  httpApiEvent,
  metaJson,
  postback,
  signedWebhookEvent,
  textMessage,
  webhookBody,
} from '../../dev/messenger-payloads';
import { signBody } from '../../lib/messenger/signature';
import { createTestTables, type TestTables } from '../support/dynamodb';
import { APP_SECRET, lambdaContext, loadHandler, VERIFY_TOKEN } from '../support/functions';

type Handler = (event: APIGatewayProxyEventV2, context: ReturnType<typeof lambdaContext>) => Promise<APIGatewayProxyStructuredResultV2>;

let tables: TestTables;
let handler: Handler;
const invoke = (event: APIGatewayProxyEventV2) => handler(event, lambdaContext('messengerWebhook'));
const page = '100000000000001';
let n = 0;
const person = () => ({ psid: `${Date.now()}${++n}`, pageId: page });
const inboxItems = async () => (await tables.items()).filter((item) => item.type === 'inbox');

beforeAll(async () => {
  tables = await createTestTables();
  handler = await loadHandler<Handler>(() => import('../../functions/messenger-webhook'), {
    tableName: tables.names.main,
    auditTableName: tables.names.audit,
    dynamodbEndpoint: tables.endpoint,
  });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await tables.dispose();
});

describe('GET /webhook (subscription check)', () => {
  const verify = (query: Record<string, string>) => invoke(httpApiEvent({ method: 'GET', query }));

  it('answers the challenge as plain text when the verify token is right', async () => {
    const response = await verify({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('1158201444');
    expect(response.headers?.['Content-Type']).toMatch(/^text\/plain/);
  });

  it.each([
    ['a wrong token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '987654321' }],
    ['a token that is a prefix of the right one', { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN.slice(0, -1), 'hub.challenge': '987654321' }],
    ['another mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '987654321' }],
    ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '987654321' }],
    ['a challenge carrying markup', { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '<script>987654321' }],
  ])('refuses %s with 403 and does not echo the challenge', async (_, query) => {
    const response = await verify(query);
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('987654321');
  });
});

describe('routing', () => {
  const put = () => {
    const event = httpApiEvent({ method: 'GET' });
    event.requestContext.http.method = 'PUT';
    return event;
  };

  it.each([
    ['another path', httpApiEvent({ method: 'POST', path: '/webhooks', body: '{}' })],
    ['another method', put()],
  ])('answers %s with 404 and no detail', async (_, event) => {
    const response = await invoke(event);
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toMatch(/webhook/i);
  });
});

describe('POST /webhook signature', () => {
  // Each raw body is exactly what Meta could send; the signature covers these bytes.
  const golden = () => {
    const who = person();
    const body = (text: string, mid: string) => webhookBody([{ pageId: page, messaging: [textMessage(who, text, { mid, timestamp: 1_700_000_000_000 })] }]);
    return {
      who,
      cases: [
        ['é escaped by Meta as \\u00e9', metaJson(body('Café au lait', `m_${who.psid}_1`))],
        ['é as raw UTF-8', JSON.stringify(body('Café au lait', `m_${who.psid}_2`))],
        ['an emoji (surrogate pair, escaped)', metaJson(body('Pay rent 💸 now', `m_${who.psid}_3`))],
        ['an emoji as raw UTF-8', JSON.stringify(body('Pay rent 💸 now', `m_${who.psid}_4`))],
        ['a line separator \\u2028', metaJson(body('one\u2028two', `m_${who.psid}_5`))],
        ['escaped slashes \\/', metaJson(body('see https://bank.example/help', `m_${who.psid}_6`))],
      ] as const,
    };
  };

  it('accepts bodies signed over their raw bytes, including non-ASCII and escapes', async () => {
    const { cases } = golden();
    for (const [name, raw] of cases) {
      const response = await invoke(signedWebhookEvent(raw, APP_SECRET));
      expect(response.statusCode, name).toBe(200);
    }
  });

  it('accepts the same bodies when API Gateway base64-encodes them', async () => {
    const { cases } = golden();
    for (const [name, raw] of cases) {
      const response = await invoke(signedWebhookEvent(raw, APP_SECRET, { base64: true }));
      expect(response.statusCode, name).toBe(200);
    }
  });

  it('rejects a re-serialised body under the signature of the original bytes, writing nothing', async () => {
    const { who, cases } = golden();
    for (const [name, raw] of cases) {
      const reserialised = JSON.stringify(JSON.parse(raw));
      if (reserialised === raw) continue; // raw UTF-8 forms survive re-serialisation byte for byte
      const event = signedWebhookEvent(raw, APP_SECRET);
      const response = await invoke({ ...event, body: reserialised });
      expect(response.statusCode, name).toBe(401);
    }
    expect((await inboxItems()).filter((i) => i.pk === `USER#${who.psid}`)).toHaveLength(0);
  });

  describe('refuses, with no DynamoDB write', () => {
    const who = person();
    const raw = metaJson(webhookBody([{ pageId: page, messaging: [textMessage(who, 'hello', { mid: `m_neg_${who.psid}` })] }]));
    const good = signBody(raw, APP_SECRET);
    const flipHex = (sig: string) => sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');
    const flipBit = (text: string) => {
      const bytes = Buffer.from(text);
      bytes[20] = bytes[20]! ^ 0x01;
      return bytes.toString('utf8');
    };
    const cases: [string, Record<string, string>, string][] = [
      ['a missing header', {}, raw],
      ['an sha1= signature only', { 'x-hub-signature': 'sha1=' + 'a'.repeat(40) }, raw],
      ['an sha1-style value in the sha256 header', { 'x-hub-signature-256': 'sha1=' + 'a'.repeat(40) }, raw],
      ['a signature of the wrong length', { 'x-hub-signature-256': good.slice(0, -2) }, raw],
      ['a signature with one flipped digit', { 'x-hub-signature-256': flipHex(good) }, raw],
      ['a body with one flipped bit', { 'x-hub-signature-256': good }, flipBit(raw)],
      ['an empty body', { 'x-hub-signature-256': good }, ''],
      ['a signature made with another secret', { 'x-hub-signature-256': signBody(raw, 'another-secret') }, raw],
    ];

    it.each(cases)('%s → 401', async (_, headers, body) => {
      const response = await invoke(httpApiEvent({ method: 'POST', body, headers }));
      expect(response.statusCode).toBe(401);
      expect(response.body).not.toContain(APP_SECRET);
    });

    it('left the table without any of those events', async () => {
      expect((await inboxItems()).filter((i) => i.pk === `USER#${who.psid}`)).toHaveLength(0);
    });
  });

  it('refuses an oversized body with 413 before checking anything else', async () => {
    const who = person();
    const huge = metaJson(webhookBody([{ pageId: page, messaging: [textMessage(who, 'x'.repeat(1_100_000))] }]));
    const response = await invoke(signedWebhookEvent(huge, APP_SECRET));
    expect(response.statusCode).toBe(413);
    expect((await inboxItems()).filter((i) => i.pk === `USER#${who.psid}`)).toHaveLength(0);
  });
});

describe('POST /webhook body', () => {
  const post = (raw: string) => invoke(signedWebhookEvent(raw, APP_SECRET));

  it.each([
    ['not JSON', '{"object":"page","entry":[', /not valid JSON/],
    ['a JSON array', '[]', /Not a Messenger webhook body/],
    ['no entry list', '{"object":"page"}', /entry/],
    ['an event without recipient', '{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"2"},"timestamp":1,"message":{"mid":"m","text":"hi"}}]}]}', /recipient/],
    ['a message without mid', '{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":{"text":"secret words"}}]}]}', /mid/],
  ])('answers a signed body that is %s with 400 and a clear error, writing nothing', async (_, raw, message) => {
    const before = (await inboxItems()).length;
    const response = await post(raw);
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(message);
    expect(response.body).not.toContain('secret words');
    expect((await inboxItems()).length).toBe(before);
  });

  it('records every event of several entries from two Pages once, and acknowledges', async () => {
    const a = person();
    const b = { psid: person().psid, pageId: '100000000000002' };
    const first = textMessage(a, 'hi');
    const events = [
      { pageId: a.pageId, messaging: [first, postback(a, 'GET_STARTED'), deliveryReceipt(a, [first.message.mid])] },
      { pageId: b.pageId, messaging: [textMessage(b, 'balance?'), textMessage(b, 'and savings?')], standby: [textMessage(b, 'in the inbox')] },
    ];
    const response = await post(metaJson(webhookBody(events)));
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('EVENT_RECEIVED');
    const mine = (await inboxItems()).filter((i) => i.pk === `USER#${a.psid}` || i.pk === `USER#${b.psid}`);
    expect(mine).toHaveLength(6);
    const kinds = mine.map((i) => `${(i.event as { pageId: string }).pageId}:${(i.event as { kind: string }).kind}:${(i.event as { channel: string }).channel}`);
    expect(kinds.sort()).toEqual(
      [
        `${a.pageId}:delivery:messaging`,
        `${a.pageId}:message:messaging`,
        `${a.pageId}:postback:messaging`,
        `${b.pageId}:message:messaging`,
        `${b.pageId}:message:messaging`,
        `${b.pageId}:message:standby`,
      ].sort(),
    );
    for (const item of mine) expect(item.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it('acknowledges a redelivery without storing the event twice', async () => {
    const who = person();
    const raw = metaJson(webhookBody([{ pageId: page, messaging: [textMessage(who, 'twice')] }]));
    expect((await post(raw)).statusCode).toBe(200);
    expect((await post(raw)).statusCode).toBe(200);
    expect((await inboxItems()).filter((i) => i.pk === `USER#${who.psid}`)).toHaveLength(1);
  });

  it('records an unknown event kind as unknown and acknowledges', async () => {
    const who = person();
    const raw = metaJson(webhookBody([{ pageId: page, messaging: [{ sender: { id: who.psid }, recipient: { id: page }, timestamp: 1, game_play: { score: 3 } }] }]));
    expect((await post(raw)).statusCode).toBe(200);
    const [item] = (await inboxItems()).filter((i) => i.pk === `USER#${who.psid}`);
    expect(item?.event).toMatchObject({ kind: 'unknown', keys: ['game_play'] });
  });

  it('never answers a validly signed body with a 5xx or a throw (property)', async () => {
    const who = person();
    const bodies = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.jsonValue().map((value) => JSON.stringify({ object: 'page', entry: value })),
      fc.jsonValue().map((value) => JSON.stringify({ object: 'page', entry: [{ id: page, time: 1, messaging: [value] }] })),
      fc
        .record({ text: fc.string(), mid: fc.string({ minLength: 1, maxLength: 40 }), ts: fc.integer({ min: 0 }) })
        .map(({ text, mid, ts }) => metaJson(webhookBody([{ pageId: page, messaging: [textMessage(who, text, { mid, timestamp: ts })] }]))),
    );
    await fc.assert(
      fc.asyncProperty(bodies, fc.boolean(), async (raw, base64) => {
        const response = await invoke(signedWebhookEvent(raw, APP_SECRET, { base64 }));
        expect([200, 400]).toContain(response.statusCode);
      }),
      { numRuns: 300 },
    );
  });
});
