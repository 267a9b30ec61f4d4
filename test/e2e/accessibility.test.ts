import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxBank } from '../../dev/sandbox-bank/server';
import { consentRecord } from '../../lib/consent/consent-record';
import type { Consent } from '../../lib/consent/model/consent';
import { disclosure } from '../../lib/consent/disclosure';
import * as pages from '../../lib/consent/pages';
import * as layout from '../../lib/http/layout';
import { BankError, InvalidInput, LinkingNotFinished, LinkRefused, NotFound, PayloadTooLarge } from '../../lib/errors';
import { htmlErrors } from '../../lib/http/html-errors';
import { CLIENT_ID, SECRET, startBank } from '../dev/sandbox-bank/support';
import { expectAccessible, expectAccessibleInBothSchemes } from './axe';
import { personExport } from '../support/person-export';
import { launchChromium, screenshots } from './browser';

/**
 * Every page a person sees, checked with axe-core for WCAG 2.2 AA in Chromium: the consent pages
 * and error pages rendered from their functions with representative data (light and dark color
 * scheme, as they follow the person's setting), and the sandbox bank's hosted link pages as served.
 * The live journey (messenger-simulator.test.ts) checks the same pages again as a person reaches them.
 */
const RECIPIENT = 'Acme Bank';
const TOKEN = 'v1.eyJwdXJwb3NlIjoiY29uc2VudCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';
const NOW = '2026-11-20T15:30:00.000Z';

const consent = (overrides: Partial<Consent> = {}): Consent => ({
  consentId: 'c-1',
  psid: '5500000000000001',
  status: 'active',
  scopes: ['balances', 'transactions', 'alerts'],
  durationDays: 90,
  disclosureVersion: '2026-11-21.1',
  disclosureHash: 'hash',
  version: 2,
  createdAt: NOW,
  updatedAt: NOW,
  itemId: 'item-1',
  institution: { id: 'ins_109508', name: 'First Platypus Bank' },
  authorizedAt: NOW,
  expiresAt: '2027-02-18T15:30:00.000Z',
  ...overrides,
});

/** What a person with one linked bank, some history and one ended consent gets in the export. */

const pageFunctions = Object.entries({ ...pages, ...layout })
  .filter(([name, value]) => typeof value === 'function' && name.endsWith('Page'))
  .map(([name]) => name);

/** Representative renderings of each page function of lib/consent/pages.ts and lib/http/layout.ts, as the handlers call them. */
const samples: Record<string, Record<string, () => string>> = {
  consentPage: {
    'the consent page': () => pages.consentPage({ token: TOKEN, disclosure: disclosure({ recipient: RECIPIENT }), recipient: RECIPIENT }),
    'the consent page re-shown with what is missing': () =>
      pages.consentPage({ token: TOKEN, disclosure: disclosure({ recipient: RECIPIENT }), recipient: RECIPIENT, error: 'Choose at least one thing to share' }),
    'the consent page opened from Messenger’s account_link button': () =>
      pages.consentPage({
        token: TOKEN,
        disclosure: disclosure({ recipient: RECIPIENT }),
        recipient: RECIPIENT,
        accountLink: { accountLinkingToken: 'alt', redirectUri: 'https://www.facebook.com/messenger_platform/account_linking/?account_linking_token=alt' },
      }),
  },
  linkedPage: {
    'the linked page': () =>
      pages.linkedPage(
        consent(),
        [
          { name: 'Plaid Checking', mask: '0000' },
          { name: 'Plaid Saving', mask: undefined },
        ],
        consentRecord(consent(), [], { principalId: 'principal-1', controller: { name: RECIPIENT }, countries: ['US'] }, new Date(NOW)),
      ),
  },
  managePage: {
    'the manage page': () => pages.managePage({ token: TOKEN, consents: [consent(), consent({ consentId: 'c-2', scopes: ['balances'], institution: { id: 'ins_109511', name: 'Tartan Bank' } })] }),
    'the manage page with nothing shared': () => pages.managePage({ token: TOKEN, consents: [] }),
  },
  exportPage: {
    'the export page': () => pages.exportPage(personExport(), { lang: 'en', locale: 'en-US', timeZone: 'America/New_York' }),
    'the export page in Spanish': () => pages.exportPage(personExport(), { lang: 'es', locale: 'es-ES', timeZone: 'Europe/Madrid' }),
    'the export page of a person with nothing held': () =>
      pages.exportPage(personExport({ consents: [], consentHistory: [], financialData: [], alertSettings: null, deletions: [], messaging: { profile: null, conversation: null, messagesReceived: [], replies: [] } }), {
        lang: 'en',
        locale: 'en-US',
        timeZone: 'UTC',
      }),
  },
  stoppedSharingPage: {
    'the stop-sharing result page': () => pages.stoppedSharingPage(consent({ status: 'revoked', endedBy: 'person' })),
    'the stop-sharing result page when the bank had ended it': () => pages.stoppedSharingPage(consent({ status: 'revoked', endedBy: 'bank' })),
  },
  messagePage: {
    'a message page': () => layout.messagePage('Saved', ['You now share balances of First Platypus Bank. Anything you stopped sharing is being deleted.']),
  },
  scopesSavedPage: {
    'the scopes-saved page': () => pages.scopesSavedPage(consent({ scopes: ['balances'] })),
  },
  reconnectedPage: {
    'the reconnect result page': () => pages.reconnectedPage(consent()),
  },
  renewalPage: {
    'the renewal page (a consent given under an older disclosure)': () => pages.renewalPage({ token: TOKEN, consent: consent(), disclosure: disclosure({ recipient: RECIPIENT }) }),
    'the renewal page re-shown after the words changed': () => pages.renewalPage({ token: TOKEN, consent: consent(), disclosure: disclosure({ recipient: RECIPIENT }), changed: true }),
  },
  renewedPage: {
    'the renewed page': () => pages.renewedPage(consent()),
  },
};

class SandboxBankDown extends BankError {
  override readonly name = 'SandboxBankDown';
  readonly retryable = true;
}

/** The page htmlErrors() answers with for a failure. */
async function errorPage(error: Error): Promise<string> {
  const request = { error, response: undefined as unknown } as Parameters<NonNullable<ReturnType<typeof htmlErrors>['onError']>>[0];
  await htmlErrors().onError!(request);
  return (request.response as { body: string }).body;
}

const errors: Record<string, () => Error> = {
  '403 link refused': () => new LinkRefused('This link has expired. Ask in the chat for a new one.'),
  '404 not found': () => new NotFound('consent'),
  '400 something missing': () => new InvalidInput('Expected a form'),
  '413 too much data': () => new PayloadTooLarge('Form too large'),
  '409 linking not finished': () => new LinkingNotFinished('exited'),
  '502 bank not answering': () => new SandboxBankDown('down', 'API_ERROR', 'INTERNAL_SERVER_ERROR'),
  '500 something went wrong': () => new Error('boom'),
};

let browser: Browser;
let page: Page;
const shot = screenshots('a11y');

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('the consent pages', () => {
  it('has representative data for every page function of lib/consent/pages.ts and lib/http/layout.ts', () => {
    expect(pageFunctions.filter((name) => !samples[name])).toEqual([]);
  });

  for (const [name, rendered] of Object.values(samples).flatMap((byName) => Object.entries(byName))) {
    it(`${name} meets WCAG 2.2 AA in the light and the dark color scheme`, async () => {
      await page.setContent(rendered());
      await expectAccessibleInBothSchemes(page, name);
    });
  }
});

describe('the error pages', () => {
  for (const [name, error] of Object.entries(errors)) {
    it(`${name} meets WCAG 2.2 AA in the light and the dark color scheme`, async () => {
      await page.setContent(await errorPage(error()));
      await expectAccessibleInBothSchemes(page, name);
    });
  }
});

describe('the sandbox bank’s hosted link pages', () => {
  let bank: SandboxBank;
  const linkToken = async (language: 'en' | 'es') => {
    const res = await fetch(`${bank.url}/link/token/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'PLAID-CLIENT-ID': CLIENT_ID, 'PLAID-SECRET': SECRET },
      body: JSON.stringify({ client_name: 'Messenger Bank', language, country_codes: ['US'], user: { client_user_id: 'psid-1' }, products: ['transactions'], hosted_link: {} }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { link_token: string }).link_token;
  };

  beforeAll(async () => {
    bank = await startBank();
  });
  afterAll(async () => {
    await bank?.close();
  });

  for (const language of ['en', 'es'] as const) {
    it(`the institution picker, the login page, its error and the exit page meet WCAG 2.2 AA (${language})`, async () => {
      const token = await linkToken(language);

      await page.goto(`${bank.url}/link/${token}`);
      await expectAccessible(page, 'the institution picker');
      await shot(page, `bank-picker-${language}`);

      const institutions = await Promise.all((await page.locator('a.bank').all()).map((a) => a.getAttribute('href')));
      expect(institutions.length).toBeGreaterThan(1);
      for (const institution of institutions) {
        await page.goto(new URL(institution!, bank.url).href);
        await expectAccessible(page, 'the bank’s login page');
      }
      await page.locator('#username').fill('user_good');
      await page.locator('#password').fill('wrong');
      await page.locator('form[action*="/institutions/"] button[type="submit"]').click();
      await page.getByRole('alert').waitFor();
      await expectAccessible(page, 'the bank’s login page with an error');
      await shot(page, `bank-login-error-${language}`);

      await page.locator('form[action$="/exit"] button').click();
      await page.waitForURL(/\/exit$/);
      await expectAccessible(page, 'the bank’s exit page');
    });
  }

  it('the page of an unknown link meets WCAG 2.2 AA', async () => {
    await page.goto(`${bank.url}/link/link-sandbox-unknown`);
    await expectAccessible(page, 'the bank’s unknown-link page');
  });
});
