import { describe, expect, it } from 'vitest';
import { goToReconnect, returnFromLinking, returnFromReconnect } from '../../../lib/consent/bank-link-return';
import { requestConsent } from '../../../lib/consent/model/consent';
import { LinkRefused } from '../../../lib/errors';
import { activeConsent, BANK_LINK, consentWorld, linkToken, NOW, PSID, request } from './page-fakes';

/** Back from the bank's hosted link page: linking done, or logged in again. */
const pending = (accountLinkRedirect?: string) =>
  requestConsent({
    consentId: 'c-1',
    psid: PSID,
    scopes: ['balances'],
    durationDays: 90,
    disclosure: { version: 'v', hash: 'h' },
    bankLinkToken: 'link-token-1',
    ...(accountLinkRedirect ? { accountLinkRedirect } : {}),
    now: NOW,
  }).consent;
const bodyOf = (answer: { kind: string; body?: string }) => answer.body ?? '';

describe('back from linking', () => {
  it('activates the consent and shows what was linked', async () => {
    const { deps, consents } = consentWorld({ consents: [pending()] });

    const answer = await returnFromLinking(request({ query: { t: linkToken('complete', { consentId: 'c-1' }) } }), deps);

    expect(consents.get('c-1')?.status).toBe('active');
    expect(answer.kind).toBe('page');
    expect(bodyOf(answer)).toContain('Plaid Checking');
  });

  it('hands a person who came from Messenger’s account_link button back to Messenger, with a code', async () => {
    const { deps } = consentWorld({ consents: [pending('https://www.facebook.com/messenger_platform/account_linking/?account_linking_token=alt')] });

    const answer = await returnFromLinking(request({ query: { t: linkToken('complete', { consentId: 'c-1' }) } }), deps);

    expect(answer.kind === 'redirect' ? new URL(answer.location).searchParams.get('authorization_code') : undefined).toMatch(/^v1\./);
  });
});

describe('logging in at the bank again', () => {
  it('sends the person to the bank in update mode, once per link', async () => {
    const { deps } = consentWorld({ consents: [activeConsent()] });
    const token = linkToken('reconnect', { consentId: 'c-1' });

    expect(await goToReconnect(request({ query: { t: token } }), deps)).toEqual({ kind: 'redirect', location: BANK_LINK });
    await expect(goToReconnect(request({ query: { t: token } }), deps)).rejects.toBeInstanceOf(LinkRefused);
  });

  it('back from the bank, checks the bank answers again and puts the connection back on the schedule', async () => {
    const { deps, rescheduled, bankCalls } = consentWorld({ consents: [activeConsent()] });

    const answer = await returnFromReconnect(request({ query: { t: linkToken('reconnect', { consentId: 'c-1' }) } }), deps);

    expect(bankCalls).toEqual(['getAccounts']);
    expect(rescheduled).toEqual(['item-1']);
    expect(bodyOf(answer)).toContain('First Platypus Bank works again');
  });

  it('refuses for a consent that is not the link holder’s', async () => {
    const { deps, rescheduled } = consentWorld({ consents: [activeConsent('c-1', 'someone-else')] });

    await expect(returnFromReconnect(request({ query: { t: linkToken('reconnect', { consentId: 'c-1' }) } }), deps)).rejects.toThrow();
    expect(rescheduled).toEqual([]);
  });
});
