import { describe, expect, it } from 'vitest';
import { changeSharing, showSharing, stopSharing } from '../../../lib/consent/manage-sharing';
import { LinkRefused, NotFound } from '../../../lib/errors';
import { activeConsent, consentWorld, linkToken, request } from './page-fakes';

/** What the person shares, from the manage page: shown, narrowed, stopped; only their own, once per link. */
const bodyOf = (answer: { kind: string; body?: string }) => answer.body ?? '';

describe('the manage page', () => {
  it('shows the consents in force, with a way to stop each', async () => {
    const { deps } = consentWorld({ consents: [activeConsent('c-1'), { ...activeConsent('c-2'), status: 'revoked' }] });

    const body = bodyOf(await showSharing(request({ query: { t: linkToken('manage') } }), deps));

    expect(body.match(/name="consent" value="([^"]+)"/g)?.map((m) => m.split('"')[3])).toEqual(['c-1', 'c-1']);
  });

  it('stops sharing the holder’s own consent and says so', async () => {
    const { deps, consents } = consentWorld({ consents: [activeConsent()] });

    const answer = await stopSharing(request({ form: { t: linkToken('manage'), consent: 'c-1' } }), deps);

    expect([consents.get('c-1')?.status, consents.get('c-1')?.endedBy]).toEqual(['revoked', 'person']);
    expect(bodyOf(answer)).toContain('You stopped sharing');
  });

  it('uses the link up: the same form cannot be posted twice', async () => {
    const { deps } = consentWorld({ consents: [activeConsent()] });
    const form = { t: linkToken('manage'), consent: 'c-1' };

    await stopSharing(request({ form }), deps);
    await expect(changeSharing(request({ form: { ...form, scope: 'balances' } }), deps)).rejects.toBeInstanceOf(LinkRefused);
  });

  it('answers a consent id that is not the holder’s like a missing one, audited, and changes nothing', async () => {
    const { deps, consents, audit } = consentWorld({ consents: [activeConsent('c-9', 'someone-else')] });

    await expect(stopSharing(request({ form: { t: linkToken('manage'), consent: 'c-9' } }), deps)).rejects.toBeInstanceOf(NotFound);
    expect(consents.get('c-9')?.status).toBe('active');
    expect(audit.map((a) => a.action)).toEqual(['access-refused']);
  });

  it('narrows what is shared and says what is shared now', async () => {
    const { deps, consents } = consentWorld({ consents: [activeConsent()] });

    const answer = await changeSharing(request({ form: { t: linkToken('manage'), consent: 'c-1', scope: 'balances' } }), deps);

    expect(consents.get('c-1')?.scopes).toEqual(['balances']);
    expect(bodyOf(answer)).toContain('You now share balances of First Platypus Bank.');
  });
});
