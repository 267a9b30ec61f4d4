import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphStub, type GraphStub } from '../../dev/graph-stub';
import { postback, textMessage, type Person } from '../../dev/messenger-payloads';
import { activateConsent, renewConsent, requestConsent, type Consent } from '../../lib/consent/model/consent';
import { disclosure } from '../../lib/consent/disclosure';
import { loadChatHandlers, newPerson, postEvents } from '../support/chat';
import { createTestTables, personItems, type TestTables } from '../support/dynamodb';
import { lambdaContext, loadHandler, PAGE_TOKEN, tablesEnv, type StreamHandler } from '../support/functions';
import type { HttpHandler } from '../support/http-front';
import { tearDown } from '../support/services';
import { batchCarrying, streamTo } from '../support/stream';

/**
 * Consent rule 3 when the person has not written for a day: the consent-expiry sweep's reminder,
 * 30 days before the end, through the real handlers (consent-expiry, messenger-webhook,
 * conversation) against DynamoDB Local and the Graph API stub. Messenger allows an UPDATE only
 * inside the 24-hour window; outside it the reminder goes as a utility template when one is
 * configured, and is otherwise held and delivered with the person's next message, once.
 */
type Sweep = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<{ reminded: number; expired: number }>;

const PAGE = '100000000000001';
const DAY = 86_400_000;
let tables: TestTables;
let graph: GraphStub;
let webhook: HttpHandler;
let conversation: StreamHandler;
let stream: Awaited<ReturnType<typeof streamTo>>;
let sweep: Sweep;
let sweepWithTemplate: Sweep;
const person = () => newPerson(PAGE, '66');

type Message = { text?: string; attachment?: { payload: { text: string; buttons: { type: string; payload?: string }[] } }; template?: { name: string; components: { type: string; parameters: { type: string; payload?: string; text?: string }[] }[] } };
const sentTo = (psid: string) =>
  graph
    .sentTo(psid)
    .map((s) => s.body as { messaging_type?: string; message?: Message })
    .filter((b) => b.message)
    .map((b) => ({ type: b.messaging_type, message: b.message! }));
const payloadsOf = (message: Message) => message.attachment?.payload.buttons.map((b) => b.payload) ?? [];
const heldOf = async (psid: string) => (await personItems(tables, psid)).filter((i) => i.type === 'held-notice');

const deliver = async (...messaging: unknown[]) => {
  await postEvents(webhook, PAGE, messaging);
  await stream.drain();
};
const say = (who: Person, text: string) => deliver(textMessage(who, text));
const runSweep = (handler: Sweep = sweep) => handler({}, lambdaContext('consentExpiry'));

/** An active 90-day consent granted long ago that ends `days` from today (UTC), at noon. */
async function consentEndingIn(who: Person, days: number): Promise<Consent> {
  const store = tables.store();
  const today = new Date().toISOString().slice(0, 10);
  const end = new Date(Date.parse(`${today}T12:00:00.000Z`) + days * DAY);
  const authorized = new Date(end.getTime() - 90 * DAY);
  const requested = requestConsent({
    consentId: `c-${who.psid}`,
    psid: who.psid,
    scopes: ['balances', 'transactions'],
    durationDays: 90,
    disclosure: disclosure({ recipient: 'Demo Bank' }),
    bankLinkToken: 'link-token-while-linking',
    now: authorized,
  });
  await store.commitConsentTransition(requested);
  const activated = activateConsent(requested.consent, { itemId: `item-${who.psid}`, institution: { id: 'ins_109508', name: 'First Platypus Bank' }, now: authorized });
  await store.commitConsentTransition(activated);
  return activated.consent;
}

beforeAll(async () => {
  tables = await createTestTables();
  graph = await startGraphStub({ pageAccessToken: PAGE_TOKEN });
  const env = tablesEnv(tables, graph.url);
  ({ webhook, conversation } = await loadChatHandlers(env));
  sweep = await loadHandler<Sweep>(() => import('../../functions/consent-expiry'), env);
  sweepWithTemplate = await loadHandler<Sweep>(() => import('../../functions/consent-expiry'), { ...env, extra: { NOTICE_UTILITY_TEMPLATE_RENEWAL: 'sharing_reminder' } });
  stream = await streamTo(tables, (event) => conversation(event, lambdaContext('conversation')));
  await stream.drain();
});

afterAll(() => tearDown([stream], { tables, graph }));

describe('a consent reminder outside the 24-hour window', () => {
  it('is held by the sweep 30 days ahead, and sent once after the answer to the person’s next message, with its Renew button', async () => {
    const who = person();
    const { consentId } = await consentEndingIn(who, 30);

    await runSweep();
    const afterSweep = { sent: sentTo(who.psid), held: (await heldOf(who.psid)).map((h) => h.notice) };

    const hi = textMessage(who, 'hi');
    const batch = await batchCarrying(tables, hi.message.mid, () => deliver(hi));

    expect(afterSweep).toEqual({ sent: [], held: [{ kind: 'expiry-reminder', consentId, expiresAt: expect.any(String) }] });
    const [answer, reminder, ...more] = sentTo(who.psid);
    expect(more).toEqual([]);
    expect(answer?.type).toBe('RESPONSE');
    expect(reminder?.type).toBe('UPDATE');
    expect(reminder?.message.attachment?.payload.text).toMatch(/^Your sharing of First Platypus Bank \(balances, transactions\) ends on .*Tap "Renew"/);
    expect(payloadsOf(reminder!.message)).toEqual([`RENEW:${consentId}`, 'KEEP_SHARING']);
    expect(await heldOf(who.psid)).toEqual([]);

    // The inbound event replayed, then the sweep's next hourly run (the window is open now): nothing twice.
    expect(batch).toBeDefined();
    const replay = await conversation(batch!, lambdaContext('conversation'));
    await runSweep();
    expect(replay.batchItemFailures).toEqual([]);
    expect(sentTo(who.psid)).toHaveLength(2);

    // The Renew button of the held reminder renews in one tap.
    await deliver(postback(who, `RENEW:${consentId}`, { title: 'Renew' }));
    expect(sentTo(who.psid).at(-1)?.message.text).toMatch(/^Renewed: you share balances, transactions of First Platypus Bank until/);
  });

  it('is not delivered when the consent was renewed meanwhile', async () => {
    const who = person();
    const consent = await consentEndingIn(who, 30);
    await runSweep();
    const held = (await heldOf(who.psid)).length;
    await tables.store().commitConsentTransition(renewConsent(consent, { now: new Date(), current: disclosure({ recipient: 'Demo Bank' }) }));

    await say(who, 'hi');

    expect({ held, sent: sentTo(who.psid).map((s) => s.type), left: await heldOf(who.psid) }).toEqual({ held: 1, sent: ['RESPONSE'], left: [] });
  });

  it('goes as the utility template, with its Renew postback, when the deployment configured one', async () => {
    const who = person();
    const { consentId } = await consentEndingIn(who, 30);

    await runSweep(sweepWithTemplate);
    await say(who, 'hi');

    const [utility, answer, ...more] = sentTo(who.psid);
    expect({ types: [utility?.type, answer?.type], more, held: await heldOf(who.psid) }).toEqual({ types: ['UTILITY', 'RESPONSE'], more: [], held: [] });
    expect(utility?.message.template?.name).toBe('sharing_reminder');
    expect(utility?.message.template?.components[1]?.parameters.map((p) => p.payload)).toEqual([`RENEW:${consentId}`, 'KEEP_SHARING']);
  });

  it('is held, not lost, when the Send API answers that the window is closed', async () => {
    const who = person();
    await consentEndingIn(who, 7);
    // The profile says the person wrote 23 hours ago; Meta's clock has closed the window already.
    await tables.store().recordInboundActivity(who.psid, Date.now() - 23 * 3_600_000);
    graph.failNext(1, { status: 400, code: 10, subcode: 2018278, message: 'This message is sent outside of allowed window.' });

    await runSweep();
    const held = (await heldOf(who.psid)).length;
    await say(who, 'hi');

    expect({ held, sent: sentTo(who.psid).map((s) => s.type), left: await heldOf(who.psid) }).toEqual({ held: 1, sent: ['RESPONSE', 'UPDATE'], left: [] });
  });
});
