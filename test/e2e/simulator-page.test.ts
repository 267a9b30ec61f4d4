import type { Browser, Page } from 'playwright-core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphStub, type GraphStub } from '../../dev/graph-stub';
import type { SandboxBank } from '../../dev/sandbox-bank/server';
import { startSimulator, type Simulator } from '../../dev/simulator/server';
import { renderBarChart } from '../../lib/charts/bar-chart';
import { createSendApi, imageMessage } from '../../lib/messenger/send-api';
import { isValidSignature } from '../../lib/messenger/signature';
import { createTestTables, type TestTables } from '../support/dynamodb';
import { startBank } from '../dev/sandbox-bank/support';
import { expectAccessible } from './axe';
import { launchChromium, screenshots } from './browser';

/**
 * The simulator page itself, in Chromium, with the bot played by the test: what the Graph API stub
 * receives is drawn as Messenger draws it, and every tap reaches the webhook as Meta would send it.
 */
const APP_SECRET = 'page-test-secret';
const TOKEN = 'page-test-token';
const PAGE_ID = '100000000000042';
const WAIT = { timeout: 15_000, interval: 100 };

type Event = { message?: { text?: string; quick_reply?: { payload: string } }; postback?: { title: string; payload: string } };

let webhook: Server;
let events: Event[] = [];
let graph: GraphStub;
let bank: SandboxBank;
let tables: TestTables;
let simulator: Simulator;
let browser: Browser;
let page: Page;
let psid: string;
let n = 0;
const shot = screenshots('page');

const botSends = (body: Record<string, unknown>, path = '/v23.0/me/messages') =>
  fetch(`${new URL(graph.url).origin}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(path.endsWith('/messages') ? { recipient: { id: psid }, ...body } : body),
  });
const say = (message: Record<string, unknown>) => botSends({ messaging_type: 'RESPONSE', message });
const fromPage = (text: string) => page.locator('#messages .msg.page', { hasText: text });

beforeAll(async () => {
  webhook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const signed = isValidSignature(raw, req.headers['x-hub-signature-256'] as string | undefined, APP_SECRET);
      if (signed) events.push(...JSON.parse(raw.toString('utf8')).entry.flatMap((e: { messaging: Event[] }) => e.messaging));
      res.writeHead(signed ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  [graph, bank, tables, browser] = await Promise.all([startGraphStub({ pageAccessToken: TOKEN }), startBank(), createTestTables(), launchChromium()]);
  simulator = await startSimulator({
    webhookUrl: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/webhook`,
    graphUrl: graph.url,
    bankUrl: bank.url,
    appSecret: APP_SECRET,
    pageId: PAGE_ID,
    brand: 'Test Bank',
    dynamo: { endpoint: tables.endpoint, region: 'eu-west-1', table: tables.names.main },
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(15_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await simulator?.close();
  await Promise.all([graph?.close(), bank?.close(), tables?.dispose()]);
  webhook?.closeAllConnections();
  await new Promise((resolve) => webhook?.close(resolve));
}, 60_000);

beforeEach(async () => {
  // A fresh person per test: an empty conversation.
  n += 1;
  psid = `55000000000010${String(n).padStart(2, '0')}`;
  events = [];
  await page.goto('about:blank');
  await page.goto(`${simulator.url}/#${psid}`);
  await page.locator('#chat-subtitle', { hasText: psid }).waitFor();
});

describe('the simulator page', () => {
  it('posts what the person types, signed, and shows it on the right', async () => {
    await page.getByRole('textbox', { name: 'Message' }).fill('hello there');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');

    await page.locator('#messages .msg.person', { hasText: 'hello there' }).waitFor();
    await expect.poll(() => events.map((e) => e.message?.text), WAIT).toEqual(['hello there']);
  });

  it('shows the Page typing until its message arrives', async () => {
    await botSends({ sender_action: 'typing_on' });
    await page.locator('#messages .typing').waitFor();

    await say({ text: 'Here you go' });
    await fromPage('Here you go').waitFor();
    await expect.poll(() => page.locator('#messages .typing').count(), WAIT).toBe(0);
  });

  it('draws a button template as a card: postback buttons post a postback, web_url buttons open a new tab', async () => {
    await say({
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text: 'Your sharing',
          buttons: [
            { type: 'web_url', title: 'Manage sharing', url: 'http://localhost:9/consent/manage?t=x' },
            { type: 'postback', title: 'Stop sharing', payload: 'STOP_SHARING' },
          ],
        },
      },
    });
    const card = fromPage('Your sharing');
    await card.waitFor();
    await shot(page, 'button-template');

    const link = card.getByRole('link', { name: 'Manage sharing' });
    expect(await link.getAttribute('href')).toBe('http://localhost:9/consent/manage?t=x');
    expect(await link.getAttribute('target')).toBe('_blank');
    await card.getByRole('button', { name: 'Stop sharing' }).click();
    await expect.poll(() => events.map((e) => e.postback), WAIT).toEqual([expect.objectContaining({ title: 'Stop sharing', payload: 'STOP_SHARING' })]);
  });

  it('shows an image the bot uploaded with its message, its description as the alt text', async () => {
    const description = 'Spending this month: $442.10 — most on food and drink ($412.10).\n• Food and drink: $412.10\n• Transport: $30.00';
    const chart = await renderBarChart({ title: 'Your spending by category', bars: [{ label: 'Food and drink', amount: 412.1 }, { label: 'Transport', amount: 30 }], currency: 'USD', locale: 'en-US', description });
    const api = createSendApi({ graphApiUrl: graph.url, pageAccessToken: TOKEN });
    await api.sendImage({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: imageMessage({ contentType: 'image/png', filename: 'spending.png', bytes: chart.png }) });

    const image = page.locator('#messages .msg.page img');
    await image.waitFor();
    // Loaded, at its own width: the page fetched the file the stub kept.
    await expect.poll(() => image.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth), WAIT).toBe(800);
    expect(await image.getAttribute('alt')).toBe(description);
    await shot(page, 'image');
  });

  it('offers the latest message’s quick replies as chips, and a tap sends the quick reply', async () => {
    await say({ text: 'Was this you?', quick_replies: [{ content_type: 'text', title: 'Yes, it was me', payload: 'FRAUD_YES:1' }, { content_type: 'text', title: 'No, it wasn’t me', payload: 'FRAUD_NO:1' }] });
    await page.locator('.quick-replies .chip', { hasText: 'No, it wasn’t me' }).click();

    await expect.poll(() => events.map((e) => e.message), WAIT).toEqual([expect.objectContaining({ text: 'No, it wasn’t me', quick_reply: { payload: 'FRAUD_NO:1' } })]);
    await expect.poll(() => page.locator('.quick-replies .chip').count(), WAIT).toBe(0);
  });

  it('greets an empty conversation with the ice breakers and Get started, which posts the Get Started postback', async () => {
    await page.getByRole('button', { name: 'What did I spend this month?' }).waitFor();
    await page.getByRole('button', { name: 'Get started' }).click();

    await expect.poll(() => events.map((e) => e.postback?.payload), WAIT).toEqual(['GET_STARTED']);
  });

  it('opens the persistent menu the Page set through messenger_profile, and a tap posts its postback', async () => {
    const menu = [{ type: 'postback', title: 'Spending this month', payload: 'SPENDING_THIS_MONTH' }];
    await botSends({ persistent_menu: [{ locale: 'default', composer_input_disabled: false, call_to_actions: menu }] }, '/v23.0/me/messenger_profile');

    await page.getByRole('button', { name: 'Menu' }).click();
    await expect.poll(() => page.getByRole('menuitem').allTextContents(), WAIT).toEqual(['Spending this month']);
    await page.getByRole('menuitem', { name: 'Spending this month' }).click();

    await expect.poll(() => events.map((e) => e.postback?.payload), WAIT).toEqual(['SPENDING_THIS_MONTH']);
    await expect.poll(() => page.locator('#menu').isHidden(), WAIT).toBe(true);
  });

  it('meets WCAG 2.2 AA, empty and with every kind of message, chip, menu and request drawn', async () => {
    await page.getByRole('button', { name: 'Get started' }).waitFor();
    await expectAccessible(page, 'the simulator with an empty conversation');

    await botSends({ persistent_menu: [{ locale: 'default', composer_input_disabled: false, call_to_actions: [{ type: 'postback', title: 'What I share', payload: 'MANAGE_SHARING' }] }] }, '/v23.0/me/messenger_profile');
    await page.getByRole('textbox', { name: 'Message' }).fill('what can you do?');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    graph.failNext(1, { status: 400, code: 100, message: 'Invalid parameter' });
    await say({ text: 'refused one' });
    await say({
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text: 'Your sharing',
          buttons: [
            { type: 'web_url', title: 'Manage sharing', url: 'http://localhost:9/consent/manage?t=x' },
            { type: 'postback', title: 'Stop sharing', payload: 'STOP_SHARING' },
          ],
        },
      },
    });
    await say({ text: 'Was this you?', quick_replies: [{ content_type: 'text', title: 'Yes, it was me', payload: 'FRAUD_YES:1' }] });
    await botSends({ sender_action: 'typing_on' });
    await page.locator('.quick-replies .chip').waitFor();
    await page.locator('#messages .typing').waitFor();
    await page.locator('#messages .system', { hasText: '400' }).waitFor();
    await page.locator('#messages .msg.person', { hasText: 'what can you do?' }).waitFor();
    await expect.poll(() => page.locator('#graph-requests details').count(), WAIT).toBe(4);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('menuitem', { name: 'What I share' }).waitFor();
    await shot(page, 'accessible');

    await expectAccessible(page, 'the simulator with a conversation');
  });

  it('lists every Graph request with its status, and notes the ones the stub refused', async () => {
    graph.failNext(1, { status: 400, code: 100, message: 'Invalid parameter' });
    await say({ text: 'refused one' });
    await say({ text: 'accepted one' });

    await fromPage('accepted one').waitFor();
    await page.locator('#messages .system', { hasText: '400' }).waitFor();
    await expect.poll(() => page.locator('#graph-requests summary').allTextContents(), WAIT).toEqual([
      expect.stringMatching(/^200 POST \/v23\.0\/me\/messages .* accepted one$/),
      expect.stringMatching(/^400 POST \/v23\.0\/me\/messages .* refused one$/),
    ]);
    await shot(page, 'graph-requests');
  });
});
