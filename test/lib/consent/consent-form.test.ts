import { describe, expect, it } from 'vitest';
import { showConsentForm, submitConsentForm } from '../../../lib/consent/consent-form';
import { LinkRefused } from '../../../lib/errors';
import { BANK_LINK, consentWorld, linkToken, PSID, request } from './page-fakes';

/** The consent form: shown from the chat's link, confirmed on to the bank, shown again when something is missing. */
const bodyOf = (answer: Awaited<ReturnType<typeof showConsentForm>>) => (answer.kind === 'page' ? answer.body : '');
const MESSENGER_RETURN = 'https://www.facebook.com/messenger_platform/account_linking/?account_linking_token=alt';

describe('showing the consent form', () => {
  it('shows the disclosure and lets its form post on to the bank’s link page, without using up the link', async () => {
    const { deps, usedNonces, loadedBank } = consentWorld();

    const answer = await showConsentForm(request({ query: { t: linkToken('consent') } }), deps);

    expect(answer).toMatchObject({ kind: 'page', status: 200, formTargets: ['https:', 'https://sandbox.plaid.com'] });
    expect(bodyOf(answer)).toContain('Demo Bank');
    expect(usedNonces.size).toBe(0);
    expect(loadedBank()).toBe(0);
  });

  it('refuses a link made for another page', async () => {
    const { deps } = consentWorld();

    await expect(showConsentForm(request({ query: { t: linkToken('manage') } }), deps)).rejects.toBeInstanceOf(LinkRefused);
  });

  it('refuses, and audits, an account_link opened by a Messenger account other than the link’s', async () => {
    const { deps, audit } = consentWorld({ accountLinkHolder: 'someone-else' });
    const query = { t: linkToken('consent'), account_linking_token: 'alt', redirect_uri: MESSENGER_RETURN };

    await expect(showConsentForm(request({ query }), deps)).rejects.toBeInstanceOf(LinkRefused);
    expect(audit.map((a) => [a.action, a.psid])).toEqual([['access-refused', 'someone-else']]);
  });

  it('refuses an account_link with half of what Messenger appends', async () => {
    const { deps } = consentWorld();

    await expect(showConsentForm(request({ query: { t: linkToken('consent'), account_linking_token: 'alt' } }), deps)).rejects.toThrow('This link is incomplete');
  });
});

describe('confirming the consent form', () => {
  it('sends the person on to the bank’s hosted link page, with a pending consent of what they chose', async () => {
    const { deps, consents, usedNonces } = consentWorld();

    const answer = await submitConsentForm(request({ form: { t: linkToken('consent'), scope: ['balances', 'alerts'], duration: '90' } }), deps);

    expect(answer).toEqual({ kind: 'redirect', location: BANK_LINK });
    expect([...consents.values()].map((c) => [c.psid, c.status, [...c.scopes].sort()])).toEqual([[PSID, 'pending', ['alerts', 'balances']]]);
    expect(usedNonces.size).toBe(1);
  });

  it('shows the form again, 400, saying what is missing, with the same link still usable', async () => {
    const { deps, consents, usedNonces } = consentWorld();
    const token = linkToken('consent');

    const answer = await submitConsentForm(request({ form: { t: token, duration: '90' } }), deps);

    expect(answer).toMatchObject({ kind: 'page', status: 400, formTargets: ['https:', 'https://sandbox.plaid.com'] });
    expect(bodyOf(answer)).toContain('Choose at least one thing to share');
    expect(bodyOf(answer)).toContain(token);
    expect([consents.size, usedNonces.size]).toEqual([0, 0]);
  });
});
