import { describe, expect, it } from 'vitest';
import { showConsentForm, submitConsentForm } from '../../../lib/consent/consent-form';
import { BANK_LINK, consentWorld, linkToken, PSID, request } from './page-fakes';

/**
 * The consent form's choice of where the person's figures appear (private mode): offered with
 * Private checked, stored as the person's standing choice when the form is confirmed, and a value
 * that is neither choice refused with the form again.
 */
const bodyOf = (answer: Awaited<ReturnType<typeof showConsentForm>>) => (answer.kind === 'page' ? answer.body : '');
const confirm = (extra: Record<string, string> = {}) => ({ t: linkToken('consent'), scope: ['balances', 'transactions'], duration: '90', ...extra });

describe('where the figures appear, on the consent form', () => {
  it('offers Private, checked, and In Messenger, in one named group', async () => {
    const { deps } = consentWorld();

    const body = bodyOf(await showConsentForm(request({ query: { t: linkToken('consent') } }), deps));

    expect(body).toMatch(/<fieldset>\s*<legend>Where should your figures appear\?<\/legend>/);
    expect([...body.matchAll(/<input type="radio" name="figures" value="(\w+)"( checked)?>/g)].map((m) => [m[1], m[2] === ' checked'])).toEqual([
      ['private', true],
      ['messenger', false],
    ]);
  });

  it('stores In Messenger when the person chose it', async () => {
    const { deps, presentations } = consentWorld();

    const answer = await submitConsentForm(request({ form: confirm({ figures: 'messenger' }) }), deps);

    expect(answer).toEqual({ kind: 'redirect', location: BANK_LINK });
    expect([...presentations]).toEqual([[PSID, 'messenger']]);
  });

  it('stores Private when the person chose it', async () => {
    const { deps, presentations } = consentWorld();

    await submitConsentForm(request({ form: confirm({ figures: 'private' }) }), deps);

    expect([...presentations]).toEqual([[PSID, 'private']]);
  });

  it('stores Private when the form carries no choice (a page cached from before the choice existed)', async () => {
    const { deps, presentations } = consentWorld();

    await submitConsentForm(request({ form: confirm() }), deps);

    expect([...presentations]).toEqual([[PSID, 'private']]);
  });

  it.each(['bogus', '', 'Messenger'])('shows the form again, 400, for figures=%j, and stores nothing', async (figures) => {
    const { deps, presentations, consents, usedNonces } = consentWorld();
    const form = confirm({ figures });

    const answer = await submitConsentForm(request({ form }), deps);

    expect(answer).toMatchObject({ kind: 'page', status: 400 });
    expect(bodyOf(answer)).toContain('Choose where your figures appear');
    expect(bodyOf(answer)).toContain(form.t);
    expect([presentations.size, consents.size, usedNonces.size]).toEqual([0, 0, 0]);
  });
});
