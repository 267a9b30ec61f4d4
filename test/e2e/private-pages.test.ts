import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { disclosure } from '../../lib/consent/disclosure';
import { issueLinkToken } from '../../lib/consent/link-token';
import { activateConsent, requestConsent } from '../../lib/consent/model/consent';
import { createPresenter } from '../../lib/consent/private-answers';
import type { OutboundMessage } from '../../lib/messenger/send-api';
import { createLocalKeyProvider } from '../../lib/security/local-key-provider';
import type { Store } from '../../lib/store';
import type { PrivateKind } from '../../lib/text/private';
import { createTestTables, type TestTables } from '../support/dynamodb';
import { LINK_SECRET, loadHandler, MASTER_KEY } from '../support/functions';
import { startHttpFront, type HttpFront, type HttpHandler } from '../support/http-front';
import { expectAccessibleInBothSchemes } from './axe';
import { launchChromium, screenshots } from './browser';

/**
 * Private mode's pages on a phone, in Chromium, served by the real consent function over HTTP
 * (its CSP and no-store headers as deployed) against DynamoDB Local: a private answer and a fraud
 * alert's page meet WCAG 2.2 AA in both color schemes, "It was me" is recorded and thanked, the
 * same link opened again shows nothing, and the consent page's choice of where figures appear is
 * an accessible radio group with Private chosen. Screenshots: test-results/e2e/private-*.png
 */
const PSID = '5500000000000077';
const ALERT_ID = 'a1b2c3d4e5f6a7b8c9d0';
const PHONE = { width: 390, height: 844 };

let tables: TestTables;
let store: Store;
let front: HttpFront;
let consent: HttpHandler;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const shot = screenshots('private');

beforeAll(async () => {
  tables = await createTestTables();
  store = tables.store();
  front = await startHttpFront(() => ({ handler: consent, name: 'consent' }));
  [consent, browser] = await Promise.all([
    loadHandler<HttpHandler>(() => import('../../functions/consent'), {
      tableName: tables.names.main,
      auditTableName: tables.names.audit,
      dynamodbEndpoint: tables.endpoint,
      extra: { PUBLIC_BASE_URL: front.url, BANK_CARD_LOCK_URL: 'https://bank.test/lock-card' },
    }),
    launchChromium(),
  ]);
  context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  context.setDefaultTimeout(30_000);
  page = await context.newPage();
  // A linked person with alerts, and one fraud alert on record waiting for "Was this you?".
  const gate = store.financialGate(createLocalKeyProvider(MASTER_KEY));
  const now = new Date();
  const requested = requestConsent({ consentId: 'c-1', psid: PSID, scopes: ['balances', 'transactions', 'alerts'], durationDays: 90, disclosure: disclosure({ recipient: 'Demo Bank' }), bankLinkToken: 'l', now });
  await store.commitConsentTransition(requested);
  const activated = activateConsent(requested.consent, { itemId: 'item-1', now });
  await store.commitConsentTransition(activated, await gate.activationItems(activated.consent, { accessToken: 'access-1', accounts: [] }));
  await gate.recordAlert(activated.consent, { alertId: ALERT_ID, dedupeKey: 'txn:t-1:new-merchant-high-amount', rule: 'new-merchant-high-amount', kind: 'fraud', at: now.toISOString() });
}, 120_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await browser?.close();
  await front?.close();
  await tables?.dispose();
});

/** The page link the chat would send for this answer, as the production presenter makes it. */
async function privateLink(message: OutboundMessage, about: { kind: PrivateKind; lang: 'en' | 'es'; alertId?: string }): Promise<string> {
  const presenter = createPresenter({ store, answers: store.financialReads, settings: async () => ({ publicBaseUrl: front.url, linkSecret: LINK_SECRET }), clock: () => new Date() });
  const shown = await presenter.privately(PSID, message, about);
  const button = 'attachment' in shown && shown.attachment.type === 'template' ? shown.attachment.payload.buttons[0] : undefined;
  if (!button || !('url' in button)) throw new Error('the private answer has no page link');
  return button.url;
}

/** Wider than the screen, a phone scrolls sideways: nothing on these pages may need it. */
const scrollsSideways = async () => (await page.evaluate('document.documentElement.scrollWidth > window.innerWidth')) as boolean;

describe('a private answer on a phone', () => {
  it('shows the figures once, accessibly, and "Nothing to show" when the link is opened again', async () => {
    const url = await privateLink(
      { text: 'You have 3 accounts, as of 9:14 AM ET:\n• Everyday Checking ••0000: $2,450.31 available\n• High-Yield Savings ••1111: $8,210.55\n• Rewards Credit Card ••3333: $1,120.44 owed, $3,879.56 available' },
      { kind: 'balances', lang: 'en' },
    );

    const first = await page.goto(url);
    expect(first?.status()).toBe(200);
    expect(first?.headers()['cache-control']).toBe('no-store');
    await page.getByRole('heading', { level: 1, name: 'Your balances' }).waitFor();
    await expect(page.getByText('Everyday Checking ••0000: $2,450.31 available').isVisible()).resolves.toBe(true);
    expect(await scrollsSideways()).toBe(false);
    await shot(page, 'answer');
    await expectAccessibleInBothSchemes(page, 'a private answer');

    const again = await page.reload();

    expect(again?.status()).toBe(410);
    await page.getByRole('heading', { level: 1, name: 'Nothing to show' }).waitFor();
    expect(await page.content()).not.toContain('2,450.31');
    await shot(page, 'answer-gone');
    await expectAccessibleInBothSchemes(page, 'a private answer opened again');
  });
});

describe('a fraud alert’s private page on a phone', () => {
  it('answers "It was me" from the page, accessibly, and records it on the alert', async () => {
    const url = await privateLink(
      { text: '⚠️ $912.40 at ELECTRO-WORLD · Everyday Checking · Nov 21, 6:55 AM ET\nWhy: first payment at this merchant in 90 days · over the default $500 alert\nWas this you?' },
      { kind: 'alert-fraud', lang: 'en', alertId: ALERT_ID },
    );

    await page.goto(url);
    await page.getByRole('heading', { level: 1, name: 'A card payment to review' }).waitFor();
    const itWasMe = page.getByRole('button', { name: 'It was me', exact: true });
    const notMe = page.getByRole('button', { name: 'It wasn’t me' });
    await expect(Promise.all([itWasMe.isVisible(), notMe.isVisible()])).resolves.toEqual([true, true]);
    expect(await scrollsSideways()).toBe(false);
    await shot(page, 'alert');
    await expectAccessibleInBothSchemes(page, 'a fraud alert’s private page');

    await itWasMe.click();

    await page.getByRole('heading', { level: 1, name: 'Thanks, your answer is recorded' }).waitFor();
    await shot(page, 'alert-answered');
    await expectAccessibleInBothSchemes(page, 'the page thanking for the answer');
    expect((await store.alertInbox.find(PSID, ALERT_ID))?.answer).toBe('yes');
  });
});

describe('the consent page’s choice of where figures appear', () => {
  it('is a named radio group, with Private chosen, that meets WCAG 2.2 AA', async () => {
    const { token } = issueLinkToken({ purpose: 'consent', psid: PSID, ttlSeconds: 600, now: new Date() }, LINK_SECRET);

    await page.goto(`${front.url}/consent?t=${encodeURIComponent(token)}`);

    const group = page.getByRole('group', { name: 'Where should your figures appear?' });
    const privately = group.getByRole('radio', { name: /^Private \(recommended\)/ });
    const inMessenger = group.getByRole('radio', { name: /^In Messenger/ });
    await expect(Promise.all([privately.isChecked(), inMessenger.isChecked()])).resolves.toEqual([true, false]);
    await shot(page, 'consent-choice');
    await expectAccessibleInBothSchemes(page, 'the consent page with the choice of where figures appear');
    // The whole label chooses, as a thumb would tap it.
    await page.getByText('In Messenger', { exact: true }).click();
    await expect(Promise.all([privately.isChecked(), inMessenger.isChecked()])).resolves.toEqual([false, true]);
  });
});
