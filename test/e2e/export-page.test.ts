import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { PersonExport } from '../../lib/consent/export';
import { exportPage } from '../../lib/consent/pages';
import { pageHeaders } from '../../lib/http/html';
import { personExport } from '../support/person-export';
import { launchChromium, screenshots } from './browser';

/**
 * The export page in Chromium on a small phone, served with the headers the consent function sends
 * (its CSP included): it reads without sideways scrolling, and its download link saves the JSON
 * file from the page itself, with no second request to the single-use link.
 */
const URL = 'https://assistant.test/consent/export?t=v1.once';
const LONG = 'https://example.com/a-very-long-link-someone-pasted-into-the-chat/without/any/spaces/at/all/0123456789abcdef0123456789abcdef';

/** The shared sample, with what stretches a phone's width: long names, long words, many rows. */
const sample = personExport();
const data: PersonExport = personExport({
  financialData: [
    {
      ...sample.financialData[0]!,
      accounts: [
        { accountId: 'acc-1', itemId: 'item-1', name: 'Plaid Gold Standard 0% Interest Checking With A Long Name', mask: '0000', type: 'depository', balances: { available: 1234567.89, current: 1234567.89, limit: null, currency: 'USD' }, balancesAsOf: '2026-11-21T14:00:00.000Z' },
      ],
      transactions: Array.from({ length: 60 }, (_, i) => ({
        transactionId: `t-${i}`,
        accountId: 'acc-1',
        amount: 12.34 * (i + 1),
        currency: 'USD',
        date: new Date(Date.parse('2026-11-20T00:00:00Z') - i * 86_400_000).toISOString().slice(0, 10),
        name: i % 7 === 0 ? 'INTERNATIONALPAYMENTPROCESSINGSERVICESCORPORATIONLIMITEDREF0099887766' : `Shop ${i}`,
        category: null,
        pending: i === 0,
      })),
    },
  ],
  messaging: {
    ...sample.messaging,
    messagesReceived: [{ eventId: 'm-1', receivedAt: '2026-11-21T14:30:00.000Z', event: { kind: 'message', message: { mid: 'm-1', text: `what is this ${LONG}` } } }],
  },
});

let browser: Browser;
let page: Page;
const shot = screenshots('export');

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 320, height: 640 }, acceptDownloads: true });
  let served = 0;
  await page.route('https://assistant.test/**', (route) => {
    served += 1;
    // The link is single use: any second request is what the consent function would refuse.
    return served === 1 ? route.fulfill({ status: 200, headers: pageHeaders(), body: exportPage(data, { lang: 'en', locale: 'en-US', timeZone: 'America/New_York' }) }) : route.fulfill({ status: 403, body: 'used' });
  });
  await page.goto(URL);
});

it('reads on a 320-pixel-wide phone without sideways scrolling, the transactions opened', async () => {
  await page.getByText('Show the 60 transactions').click();

  const [scrollWidth, innerWidth] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
  await shot(page, 'phone');
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
});

it('saves the JSON file from the page itself, under the page’s CSP', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByText('Download everything (JSON file)').click()]);

  expect(download.suggestedFilename()).toBe('my-bank-assistant-data-2026-11-21.json');
  expect(JSON.parse(await readFile((await download.path())!, 'utf8'))).toEqual(data);
});
