import { readFile } from 'node:fs/promises';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { returnFromLinking } from '../../lib/consent/bank-link-return';
import type { ConsentRecord } from '../../lib/consent/consent-record';
import { changeSharing, downloadConsentRecord, showSharing } from '../../lib/consent/manage-sharing';
import { requestConsent } from '../../lib/consent/model/consent';
import type { ConsentPageDeps } from '../../lib/consent/page-deps';
import { LinkRefused, NotFound } from '../../lib/errors';
import { pageResponse, type PageAnswer, type PageRequest } from '../../lib/http/page';
import { consentWorld, linkToken, NOW, PSID } from '../lib/consent/page-fakes';
import { expectAccessibleInBothSchemes } from './axe';
import { launchChromium, screenshots } from './browser';

/**
 * The record of a consent in Chromium, right after granting it: the page the bank sends the person
 * back to, and the manage page, served by their real flows and with the headers the consent
 * function sends (CSP included), over the consent pages' in-memory ports. Each download is saved by
 * the browser and read back. Screenshots: test-results/e2e/record-*.png
 */
const ORIGIN = 'https://assistant.test';
const CONSENT_ID = 'c-1';

type Flow = (request: PageRequest, deps: ConsentPageDeps) => Promise<PageAnswer>;
const ROUTES: Record<string, Flow> = {
  'GET /link/complete': returnFromLinking,
  'GET /consent/manage': showSharing,
  'POST /consent/record': downloadConsentRecord,
  'POST /consent/scopes': changeSharing,
};

const pageRequest = (request: Request): PageRequest => {
  const url = new URL(request.url());
  return { query: (name) => url.searchParams.get(name) ?? undefined, form: () => new URLSearchParams(request.postData() ?? ''), acceptLanguage: request.headers()['accept-language'] };
};

/** A person whose consent waits for the bank's answer: its request is in the audit, as the store writes it. */
function world() {
  const requested = requestConsent({
    consentId: CONSENT_ID,
    psid: PSID,
    scopes: ['balances', 'alerts'],
    durationDays: 90,
    disclosure: { version: '2026-12-07.2', hash: 'a'.repeat(64) },
    bankLinkToken: 'link-token-1',
    now: new Date(NOW.getTime() - 60_000),
  });
  const w = consentWorld({ consents: [requested.consent] });
  w.audit.push(requested.audit);
  // The in-memory store commits a transition with its audit entry, as the real one does in one transaction.
  const commit = w.deps.store.commitConsentTransition.bind(w.deps.store);
  w.deps.store.commitConsentTransition = async (transition, items) => {
    await commit(transition, items);
    w.audit.unshift(transition.audit);
  };
  return w;
}

let browser: Browser;
let page: Page;
const shot = screenshots('record');

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 390, height: 844 }, acceptDownloads: true });
  const { deps } = world();
  await page.route(`${ORIGIN}/**`, async (route) => {
    const request = route.request();
    const flow = ROUTES[`${request.method()} ${new URL(request.url()).pathname}`];
    try {
      if (!flow) return await route.fulfill({ status: 404, body: 'not found' });
      const { statusCode, headers, body } = pageResponse(await flow(pageRequest(request), deps)) as { statusCode: number; headers: Record<string, string>; body: string };
      return await route.fulfill({ status: statusCode, headers, body });
    } catch (error) {
      // What htmlErrors answers for these, without its page: the test reads only the status.
      const status = error instanceof LinkRefused ? 403 : error instanceof NotFound ? 404 : 500;
      return await route.fulfill({ status, contentType: 'text/plain', body: (error as Error).name });
    }
  });
});

/** Clicks what saves a file and reads the file the browser saved. */
async function download(click: () => Promise<void>): Promise<{ fileName: string; record: ConsentRecord }> {
  const [saved] = await Promise.all([page.waitForEvent('download'), click()]);
  return { fileName: saved.suggestedFilename(), record: JSON.parse(await readFile((await saved.path())!, 'utf8')) as ConsentRecord };
}

describe('the record of a consent, right after granting it', () => {
  it('is saved from the page the bank sends the person back to, as given a moment ago', async () => {
    await page.goto(`${ORIGIN}/link/complete?t=${encodeURIComponent(linkToken('complete', { consentId: CONSENT_ID }))}`);
    await page.getByRole('heading', { name: 'Your bank is linked' }).waitFor();
    await expectAccessibleInBothSchemes(page, 'the linked page with the record');
    await shot(page, 'linked');

    const { fileName, record } = await download(() => page.getByRole('link', { name: 'Download the record of this consent' }).click());

    expect(fileName).toBe('consent-record-2026-11-21-c-1.json');
    expect({
      recordId: record.recordId,
      state: record.state,
      validity: record.validity,
      scopes: record.purposes.map((p) => p.scope),
      events: record.events.map((e) => [e.type, e.state, e.disclosureVersion]),
      controller: record.piiController.name,
    }).toEqual({
      recordId: CONSENT_ID,
      state: 'dpv:ConsentGiven',
      validity: { from: NOW.toISOString(), until: new Date(NOW.getTime() + 90 * 86_400_000).toISOString() },
      scopes: ['alerts', 'balances'],
      events: [
        ['requested', 'dpv:ConsentRequested', '2026-12-07.2'],
        ['given', 'dpv:ConsentGiven', '2026-12-07.2'],
      ],
      controller: 'Demo Bank',
    });
    expect(JSON.stringify(record)).not.toContain(PSID);
  });

  it('is downloaded from the manage page as a file not to be cached, and the page still works after it', async () => {
    await page.goto(`${ORIGIN}/link/complete?t=${encodeURIComponent(linkToken('complete', { consentId: CONSENT_ID }))}`);
    const { record: fromLinkedPage } = await download(() => page.getByRole('link', { name: 'Download the record of this consent' }).click());
    await page.goto(`${ORIGIN}/consent/manage?t=${encodeURIComponent(linkToken('manage'))}`);
    await page.getByRole('heading', { name: 'What you share' }).waitFor();
    await expectAccessibleInBothSchemes(page, 'the manage page with the record button');
    await shot(page, 'manage');

    const [response, { fileName, record }] = await Promise.all([
      page.waitForResponse(`${ORIGIN}/consent/record`),
      download(() => page.getByRole('button', { name: 'Download the record of this consent' }).click()),
    ]);

    expect([response.status(), response.headers()['content-disposition'], response.headers()['cache-control']]).toEqual([
      200,
      'attachment; filename="consent-record-2026-11-21-c-1.json"',
      'no-store',
    ]);
    expect([fileName, record]).toEqual(['consent-record-2026-11-21-c-1.json', fromLinkedPage]);
    // The download used nothing up: the same page changes what is shared.
    await page.getByRole('button', { name: 'Save what I share' }).click();
    await page.getByRole('heading', { name: 'Saved' }).waitFor();
  });
});
