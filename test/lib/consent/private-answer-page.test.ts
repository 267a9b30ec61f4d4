import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerAlertOnPage } from '../../../lib/alerts/private-alert-page';
import { disclosure } from '../../../lib/consent/disclosure';
import { issueLinkToken, type LinkPurpose } from '../../../lib/consent/link-token';
import { activateConsent, requestConsent } from '../../../lib/consent/model/consent';
import { createPresenter } from '../../../lib/consent/private-answers';
import { showPrivateAnswer } from '../../../lib/consent/private-answer-page';
import { pageResponse, type PageAnswer } from '../../../lib/http/page';
import type { OutboundMessage } from '../../../lib/messenger/send-api';
import { createLocalKeyProvider } from '../../../lib/security/local-key-provider';
import type { Store } from '../../../lib/store';
import type { PrivateKind } from '../../../lib/text/private';
import { createTestTables, type TestTables } from '../../support/dynamodb';
import { request } from './page-fakes';

/**
 * The private pages against DynamoDB Local: GET /private/answer shows a kept answer once, with the
 * headers of every page; anything else (opened before, expired, another link's token, garbage)
 * shows "Nothing to show" (410). A fraud alert's page answers "Was this you?" with POST
 * /private/alert, recorded on the alert as the chat records it, once.
 */
const START = new Date('2026-11-21T10:00:00.000Z');
const PSID = 'p-page';
const SECRET = 'page-link-secret';
const ALERT_ID = 'a1b2c3d4e5f6a7b8c9d0';

let tables: TestTables;
let store: Store;
let now: Date;

beforeEach(async () => {
  tables = await createTestTables();
  now = START;
  store = tables.store(() => now);
});

afterEach(async () => {
  await tables.dispose();
});

const clock = () => now;
const settings = async () => ({ publicBaseUrl: 'https://assistant.test', linkSecret: SECRET });
const pageDeps = () => ({ store, answers: store.financialReads, settings, clock });
const alertDeps = () => ({ store, inbox: store.alertInbox, settings, bankFraudSteps: { cardLockUrl: 'https://bank.test/lock', fraudPhone: '+1 800 555 0100' }, clock });
const bodyOf = (answer: PageAnswer) => (answer.kind === 'page' ? answer.body : '');
const statusOf = (answer: PageAnswer) => (answer.kind === 'page' ? (answer.status ?? 200) : 303);

/** What the chat's private answer would carry: the token of its page link. */
async function keptAnswer(message: OutboundMessage, about: { kind: PrivateKind; lang: 'en' | 'es'; alertId?: string }, psid = PSID): Promise<string> {
  const presenter = createPresenter({ store, answers: store.financialReads, settings, clock });
  const shown = await presenter.privately(psid, message, about);
  const button = 'attachment' in shown && shown.attachment.type === 'template' ? shown.attachment.payload.buttons[0] : undefined;
  return new URL(button && 'url' in button ? button.url : 'https://x.test').searchParams.get('t')!;
}

const open = (t: string, acceptLanguage?: string) => showPrivateAnswer(request({ query: { t }, ...(acceptLanguage ? { acceptLanguage } : {}) }), pageDeps());
const token = (purpose: LinkPurpose, ref: string, psid = PSID) => issueLinkToken({ purpose, psid, ref, ttlSeconds: 600, now }, SECRET).token;

describe('the private answer page', () => {
  it('shows the answer’s lines, HTML-escaped, under its heading, with the headers of every page', async () => {
    const t = await keptAnswer({ text: 'You paid <b>Tom & Jerry’s</b> $42.00\nin 2 payments' }, { kind: 'search', lang: 'en' });

    const response = pageResponse(await open(t));

    expect(response).toMatchObject({ statusCode: 200, headers: { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' } });
    const { headers, body } = response as { headers: Record<string, string>; body: string };
    expect(headers['Content-Security-Policy']).toMatch(/^default-src 'none';.* form-action 'self';.* frame-ancestors 'none'/);
    expect(body).toContain('<h1>What I found</h1>');
    expect(body).toContain('<p>You paid &#60;b&#62;Tom &#38; Jerry’s&#60;/b&#62; $42.00</p><p>in 2 payments</p>');
    expect(body).not.toContain('<b>');
  });

  it('shows nothing the second time the same link is opened (410)', async () => {
    const t = await keptAnswer({ text: 'Everyday Checking ••0000: $2,450.31' }, { kind: 'balances', lang: 'en' });
    await open(t);

    const again = await open(t);

    expect(statusOf(again)).toBe(410);
    expect(bodyOf(again)).toContain('<h1>Nothing to show</h1>');
    expect(bodyOf(again)).not.toContain('2,450.31');
  });

  it('shows nothing once the link has expired, and says so in the browser’s language', async () => {
    const t = await keptAnswer({ text: 'Everyday Checking ••0000: $2,450.31' }, { kind: 'balances', lang: 'en' });
    now = new Date(START.getTime() + 600_000);

    const late = await open(t, 'es-ES,es;q=0.9');

    expect(statusOf(late)).toBe(410);
    expect(bodyOf(late)).toContain('<h1>No hay nada que mostrar</h1>');
  });

  it('shows nothing for a link made for another page, and leaves the answer for its own link', async () => {
    const t = await keptAnswer({ text: 'Everyday Checking ••0000: $2,450.31' }, { kind: 'balances', lang: 'en' });
    const ref = String((await tables.items()).find((i) => i.type === 'private-answer')?.sk).replace('PRIVATE#', '');

    const wrongPurpose = await open(token('alert-answer', ref));
    const own = await open(t);

    expect(statusOf(wrongPurpose)).toBe(410);
    expect(statusOf(own)).toBe(200);
    expect(bodyOf(own)).toContain('$2,450.31');
  });

  it.each([
    ['no token', () => ''],
    ['garbage', () => 'not-a-token'],
    ['a forged signature', () => `${token('answer', 'x').split('.').slice(0, 2).join('.')}.AAAA`],
    ['another person’s answer id', () => token('answer', 'someone-elses-answer', 'p-other')],
  ])('shows nothing for %s (410)', async (_name, t) => {
    expect(statusOf(await open(t()))).toBe(410);
  });

  it('shows no form on an answer that is not a fraud alert', async () => {
    const t = await keptAnswer({ text: 'Low balance: Everyday Checking is at $35.00' }, { kind: 'alert-notice', lang: 'en', alertId: ALERT_ID });

    expect(bodyOf(await open(t))).not.toContain('<form');
  });
});

describe('answering a fraud alert on its page', () => {
  const ALERT_TEXT = '⚠️ $912.40 at ELECTRO-WORLD · Everyday Checking · Nov 21, 6:55 AM ET\nWhy: first payment at this merchant in 90 days\nWas this you?';

  /** A linked person with alerts, and one fraud alert on record waiting for an answer. */
  async function alertOnRecord(psid = PSID) {
    const gate = store.financialGate(createLocalKeyProvider(Buffer.alloc(32, 9).toString('base64')));
    const requested = requestConsent({ consentId: `c-${psid}`, psid, scopes: ['balances', 'transactions', 'alerts'], durationDays: 90, disclosure: disclosure({ recipient: 'Demo Bank' }), bankLinkToken: 'l', now: START });
    await store.commitConsentTransition(requested);
    const activated = activateConsent(requested.consent, { itemId: `item-${psid}`, now: START });
    await store.commitConsentTransition(activated, await gate.activationItems(activated.consent, { accessToken: 'access-1', accounts: [] }));
    await gate.recordAlert(activated.consent, { alertId: ALERT_ID, dedupeKey: 'txn:t-1:new-merchant-high-amount', rule: 'new-merchant-high-amount', kind: 'fraud', at: START.toISOString() });
  }
  const answerOnRecord = async (psid = PSID) => (await store.alertInbox.find(psid, ALERT_ID))?.answer;

  /** The page of the alert, and its form's fields as the browser would post them. */
  async function alertPage() {
    const t = await keptAnswer({ text: ALERT_TEXT }, { kind: 'alert-fraud', lang: 'en', alertId: ALERT_ID });
    const body = bodyOf(await open(t));
    const field = (name: string) => new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(body)?.[1];
    return { body, fields: { t: field('t')!, lang: field('lang')! } };
  }
  const post = (form: Record<string, string>) => answerAlertOnPage(request({ form }), alertDeps());

  it('shows the alert with a form posting "It was me" or "It wasn’t me" to /private/alert', async () => {
    await alertOnRecord();

    const { body, fields } = await alertPage();

    expect(body).toContain('<h1>A card payment to review</h1>');
    expect(body).toContain('$912.40 at ELECTRO-WORLD');
    expect(body.match(/<form method="post" action="\/private\/alert">/g)).toHaveLength(1);
    expect([...body.matchAll(/<button type="submit" name="answer" value="(yes|no)"[^>]*>([^<]*)<\/button>/g)].map((m) => [m[1], m[2]])).toEqual([
      ['yes', 'It was me'],
      ['no', 'It wasn’t me'],
    ]);
    expect(fields.lang).toBe('en');
  });

  it('records "It was me" on the alert, as the chat does, and thanks the person', async () => {
    await alertOnRecord();
    const { fields } = await alertPage();

    const answered = await post({ ...fields, answer: 'yes' });

    expect(statusOf(answered)).toBe(200);
    expect(bodyOf(answered)).toContain('<h1>Thanks, your answer is recorded</h1>');
    expect(await answerOnRecord()).toBe('yes');
  });

  it('records "It wasn’t me" and gives the bank’s steps, with the card lock link', async () => {
    await alertOnRecord();
    const { fields } = await alertPage();

    const answered = await post({ ...fields, answer: 'no' });

    expect(bodyOf(answered)).toContain('<a href="https://bank.test/lock">');
    expect(bodyOf(answered)).toContain('+1 800 555 0100');
    expect(await answerOnRecord()).toBe('no');
  });

  it('refuses the same form a second time (410), and the first answer stands', async () => {
    await alertOnRecord();
    const { fields } = await alertPage();
    await post({ ...fields, answer: 'yes' });

    const again = await post({ ...fields, answer: 'no' });

    expect(statusOf(again)).toBe(410);
    expect(await answerOnRecord()).toBe('yes');
  });

  it('refuses an answer other than yes or no (410) without using up the form', async () => {
    await alertOnRecord();
    const { fields } = await alertPage();

    const bogus = await post({ ...fields, answer: 'maybe' });
    const real = await post({ ...fields, answer: 'yes' });

    expect([statusOf(bogus), statusOf(real)]).toEqual([410, 200]);
    expect(await answerOnRecord()).toBe('yes');
  });

  it('refuses an expired form, a link made for the answer page, and an alert that is not the person’s (410)', async () => {
    await alertOnRecord('p-other');
    const { fields } = await alertPage();
    const answerLink = token('answer', ALERT_ID);
    const theirs = token('alert-answer', ALERT_ID, 'p-other');

    const notTheirs = await post({ ...fields, answer: 'yes' });
    const wrongPurpose = await post({ t: answerLink, lang: 'en', answer: 'yes' });
    now = new Date(START.getTime() + 600_000);
    const expired = await post({ t: theirs, lang: 'en', answer: 'yes' });

    expect([statusOf(notTheirs), statusOf(wrongPurpose), statusOf(expired)]).toEqual([410, 410, 410]);
    expect(await answerOnRecord('p-other')).toBeUndefined();
  });
});
