import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../dev/local-stack';
import { expectAccessible, expectAccessibleInBothSchemes } from './axe';
import { ARTIFACTS, launchChromium, screenshots } from './browser';

/**
 * A person's whole journey, in headless Chromium, through the Messenger simulator of the local
 * stack: every message is a signed POST to the real webhook, every answer comes back through the
 * Graph API stub, the bank is the sandbox bank. Screenshots: test-results/e2e/journey-*.png
 */
const STEP_MS = 60_000;
const FIRST_SYNC_MS = 120_000;
/** expect.poll waits one second by default; a stack on 2 shared cores needs longer. */
const eventually = { timeout: STEP_MS, interval: 250 };
const usd = (amount: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(amount);

let stack: LocalStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const shot = screenshots('journey');

/** A message from the Page (left side of the conversation) containing this text. */
const fromPage = (text: string | RegExp): Locator => page.locator('#messages .msg.page', { hasText: text });
const sharedPanel = () => page.getByTestId('shared');

const deadLetterDir = join(ARTIFACTS, 'dead-letters');

beforeAll(async () => {
  rmSync(deadLetterDir, { recursive: true, force: true });
  [stack, browser] = await Promise.all([
    startLocalStack({ offlineOutput: 'quiet', deadLetterDir, ...(process.env.LOCAL_STACK_DEBUG ? { log: (line: string) => console.error(line) } : {}) }),
    launchChromium(),
  ]);
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  context.setDefaultTimeout(STEP_MS);
  page = await context.newPage();
}, 240_000);

// A failed step leaves what is needed to see why: a screenshot, the requests the bot made, what
// serverless-offline printed (invocations and errors) and the dead letters.
beforeEach(({ task, onTestFailed }) => {
  onTestFailed(async () => {
    await shot(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
    const requests = stack.graph.received().slice(-8).map((r) => `${r.status} ${r.path} ${JSON.stringify(r.body).slice(0, 300)}`);
    console.error(
      [`Last Graph requests:`, ...requests, `Dead letters: ${JSON.stringify(await stack.deadLetters().catch(() => 'unknown'))}`, 'serverless-offline:', stack.offlineOutput().slice(-6_000)].join('\n'),
    );
  });
});

afterAll(async () => {
  await Promise.race([browser?.close(), delay(15_000)]);
  await stack?.stop();
}, 120_000);

describe('the Messenger simulator, end to end', () => {
  it('creates a test person and opens their conversation', async () => {
    await page.goto(stack.urls.simulator);
    await page.getByLabel("New person's name").fill('E2E person');
    await page.getByRole('button', { name: 'New person' }).click();
    await expect.poll(() => page.locator('#chat-subtitle').textContent(), eventually).toMatch(/E2E person \(PSID \d+\)/);
    await expect.poll(() => page.getByRole('button', { name: 'Get started' }).isVisible(), eventually).toBe(true);
    await shot(page, 'new-person');
    await expectAccessible(page, 'the simulator');
  }, STEP_MS);

  it('links a bank through the consent page and the bank’s login', async () => {
    await page.getByRole('textbox', { name: 'Message' }).fill('link my bank');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    const link = page.locator('#messages a[href*="/consent?"]').last();
    await link.waitFor();
    await shot(page, 'consent-link');

    const [consent] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await consent.waitForLoadState();
    await expectAccessibleInBothSchemes(consent, 'the consent page');
    const agree = consent.locator('form[action="/consent"] button[type="submit"]');

    // "I agree" with nothing ticked: the page comes back saying what is missing…
    await agree.click();
    await consent.getByRole('alert').filter({ hasText: 'Choose at least one thing to share' }).waitFor();
    await shot(consent, 'consent-nothing-chosen');
    await expectAccessibleInBothSchemes(consent, 'the consent page re-shown with what is missing');
    // …and, ticked this time, the same form must still take the person on to their bank: the
    // re-shown page's CSP has to let the form follow the redirect to the bank's origin.
    for (const scope of await consent.locator('input[name="scope"]').all()) await scope.check();
    await shot(consent, 'consent-page');
    await agree.click();
    await consent.waitForURL((url) => url.origin === new URL(stack.bank.url).origin && url.pathname.startsWith('/link/'), { timeout: 30_000 });

    // The sandbox bank's hosted link: pick an institution, log in.
    await expectAccessible(consent, 'the bank’s institution picker');
    await consent.locator('a.bank').first().click();
    await consent.locator('#username').fill('user_good');
    await consent.locator('#password').fill('pass_good');
    await shot(consent, 'bank-login');
    await expectAccessible(consent, 'the bank’s login page');
    await consent.locator('form[action*="/institutions/"] button[type="submit"]').click();
    await consent.waitForURL(/\/link\/complete/);
    await consent.getByRole('heading', { name: /linked/i }).waitFor();
    await shot(consent, 'bank-linked');
    await expectAccessibleInBothSchemes(consent, 'the linked page');
    await consent.close();

    // What the person now shares, and the first sync's data, read back from DynamoDB Local.
    await sharedPanel().locator('tr[data-status="active"]').waitFor();
    await sharedPanel().getByTestId('accounts').waitFor();
    // The first sync is over (a first sync's history never raises fraud alerts, so the next step
    // waits for it). On a loaded machine a sync may time out once and come back after its backoff.
    await sharedPanel().getByTestId('transactions').waitFor({ timeout: FIRST_SYNC_MS });
    await sharedPanel().locator('[data-testid="connection"][data-synced="true"]').waitFor({ timeout: FIRST_SYNC_MS });
    const scopes = (await sharedPanel().locator('tr[data-status="active"] td').nth(2).textContent())?.split(', ').sort();
    expect(scopes).toEqual(['alerts', 'balances', 'transactions']);
    await shot(page, 'linked');
    await expectAccessible(page, 'the simulator with a linked bank');
  }, STEP_MS + FIRST_SYNC_MS);

  it('answers "what\'s my balance?" privately (the default): "ready" in the chat, the balance only on the private page', async () => {
    const item = stack.bank.controls.listItems().find((i) => !i.removed && i.username === 'user_good');
    const checking = item?.accounts.find((a) => a.subtype === 'checking');
    expect(checking?.balances.current, 'the sandbox bank holds a checking account').toEqual(expect.any(Number));
    const balance = usd(checking!.balances.current!);

    await page.getByRole('textbox', { name: 'Message' }).fill("what's my balance?");
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    try {
      await fromPage('Your balances are ready.').last().waitFor({ timeout: 30_000 });
    } finally {
      await shot(page, 'balance');
    }
    expect(await fromPage(balance).count(), 'no figure in the chat').toBe(0);
    const [answer] = await Promise.all([context.waitForEvent('page'), page.locator('#messages a.card-button[href*="/private/answer?"]').last().click()]);
    await answer.getByRole('heading', { name: 'Your balances' }).waitFor();
    expect(await answer.getByText(balance).count()).toBeGreaterThan(0);
    await shot(answer, 'balance-private-page');
    await expectAccessible(answer, 'the private answer page');
    await answer.close();
  }, STEP_MS);

  it('answers "how much did I spend this month?" privately too: no total in the chat, the total on the page', async () => {
    await page.getByRole('textbox', { name: 'Message' }).fill('how much did I spend this month?');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await fromPage('Your spending is ready.').last().waitFor({ timeout: 30_000 });
    expect(await fromPage(/\$\d/).count(), 'no amount in the chat').toBe(0);
    const [answer] = await Promise.all([context.waitForEvent('page'), page.locator('#messages a.card-button[href*="/private/answer?"]').last().click()]);
    await answer.getByRole('heading', { name: 'Your spending' }).waitFor();
    expect(await answer.getByText(/\$\d/).count()).toBeGreaterThan(0);
    await shot(answer, 'spending-private-page');
    await answer.close();
  }, STEP_MS);

  it('delivers a fraud alert privately, answered "No, it wasn’t me" on its page with the bank’s next steps', async () => {
    const controls = page.locator('#post-transaction');
    await controls.getByLabel('Merchant').fill('ELECTRO-WORLD');
    await controls.getByLabel('Amount').fill('912.40');
    await controls.getByLabel('Category').fill('GENERAL_MERCHANDISE_ELECTRONICS');
    await controls.getByRole('button', { name: 'Post transaction' }).click();
    await expect.poll(() => page.locator('#bank-status').textContent(), eventually).toMatch(/Posted/);

    // The bank's signed webhook → bankWebhook → the sync queue → syncWorker → alert rules → Send API.
    const notMe = page.locator('.quick-replies .chip[data-payload^="FRAUD_NO:"]');
    await notMe.waitFor({ timeout: 90_000 });
    await fromPage('A card payment needs your review.').last().waitFor();
    expect(await fromPage(/912\.40|ELECTRO-WORLD/).count(), 'no figure or merchant in the chat').toBe(0);
    await shot(page, 'fraud-alert');
    await expectAccessible(page, 'the simulator with a fraud alert');

    const [alertPage] = await Promise.all([context.waitForEvent('page'), page.locator('#messages a.card-button[href*="/private/answer?"]').last().click()]);
    await alertPage.getByText(/912\.40/).first().waitFor();
    await expectAccessible(alertPage, 'the private alert page');
    await alertPage.getByRole('button', { name: 'It wasn’t me' }).click();
    await alertPage.getByText(/lock your card/i).first().waitFor();
    await shot(alertPage, 'not-me-page');
    await alertPage.close();
  }, 120_000);

  it('asks the person to log in again when the bank requires it, and reconnects after they do', async () => {
    await page.getByRole('button', { name: 'Force login required' }).click();
    await expect.poll(() => page.locator('#bank-item-state').textContent(), eventually).toMatch(/ITEM_LOGIN_REQUIRED/);

    // The bank's ITEM ERROR webhook → bankWebhook → the person is told, with a "Log in again" button.
    const again = page.locator('#messages a[href*="/link/reconnect?"]').last();
    await again.waitFor({ timeout: 90_000 });
    await shot(page, 'login-required');
    const [bankPage] = await Promise.all([context.waitForEvent('page'), again.click()]);
    await bankPage.locator('#username').fill('user_good');
    await bankPage.locator('#password').fill('pass_good');
    await expectAccessible(bankPage, 'the bank’s login page in update mode');
    await bankPage.locator('form[action*="/institutions/"] button[type="submit"]').click();
    await bankPage.waitForURL(/\/link\/reconnected/);
    await shot(bankPage, 'reconnected');
    await expectAccessibleInBothSchemes(bankPage, 'the reconnect result page');
    await bankPage.close();

    await expect.poll(() => page.locator('#bank-item-state').textContent(), eventually).toMatch(/Healthy/);
  }, 150_000);

  it('stops sharing from the persistent menu, after a confirmation, and the data is gone', async () => {
    // ☰ → What I share → the card's Stop sharing button → the confirmation chip.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.locator('#menu [role="menuitem"][data-payload="MANAGE_SHARING"]').click();
    const stop = page.locator('#messages .card-button[data-payload="STOP_SHARING"]').last();
    await stop.waitFor();
    await shot(page, 'what-i-share');
    // The card's other button opens what the person shares on the web; looking changes nothing.
    const [manage] = await Promise.all([context.waitForEvent('page'), page.locator('#messages a.card-button[href*="/consent/manage?"]').last().click()]);
    await manage.getByRole('heading', { name: 'What you share' }).waitFor();
    await shot(manage, 'manage');
    await expectAccessibleInBothSchemes(manage, 'the manage page');
    await manage.close();
    await stop.click();
    const confirm = page.locator('.quick-replies .chip[data-payload^="REVOKE:"]');
    await confirm.waitFor();
    await shot(page, 'stop-confirm');
    await confirm.click();

    // consentEffects removes the item at the bank and deletes balances and transactions.
    await sharedPanel().locator('tr[data-status="revoked"]').waitFor({ timeout: 90_000 });
    await expect.poll(() => sharedPanel().getByTestId('accounts').count(), { timeout: 90_000, interval: 500 }).toBe(0);
    await expect.poll(() => sharedPanel().getByTestId('transactions').count(), { timeout: 30_000, interval: 500 }).toBe(0);
    await sharedPanel().getByTestId('no-financial-data').waitFor();
    await expect.poll(() => page.locator('#bank-controls').isHidden(), eventually).toBe(true);
    expect(stack.bank.controls.listItems().filter((i) => i.username === 'user_good' && !i.removed)).toEqual([]);
    await expect.poll(() => page.locator('#graph-requests details').count(), eventually).toBeGreaterThan(3);
    await shot(page, 'stopped');
    await expectAccessible(page, 'the simulator after stopping');
  }, 120_000);

  it('left nothing in a dead-letter queue on the way', async () => {
    const { stream, queues } = await stack.deadLetters();

    expect(stream).toEqual([]);
    expect(Object.values(queues).every((count) => count === 0), JSON.stringify(queues)).toBe(true);
    expect(Object.keys(queues).length).toBeGreaterThan(0);
  });
});
