import { describe, expect, it } from 'vitest';
import { issueLinkToken } from '../../../lib/consent/link-token';
import { changeSharing, downloadConsentRecord, showSharing, stopSharing } from '../../../lib/consent/manage-sharing';
import { LinkRefused, NotFound } from '../../../lib/errors';
import { activeConsent, consentWorld, linkToken, NOW, PSID, request } from './page-fakes';

/** What the person shares, from the manage page: shown, narrowed, stopped; only their own, once per link. */
const bodyOf = (answer: { kind: string; body?: string }) => answer.body ?? '';

describe('the manage page', () => {
  it('shows the consents in force, with a way to change, download the record of and stop each', async () => {
    const { deps } = consentWorld({ consents: [activeConsent('c-1'), { ...activeConsent('c-2'), status: 'revoked' }] });

    const body = bodyOf(await showSharing(request({ query: { t: linkToken('manage') } }), deps));

    expect(body.match(/name="consent" value="([^"]+)"/g)?.map((m) => m.split('"')[3])).toEqual(['c-1', 'c-1', 'c-1']);
    expect(body).toContain('Download the record of this consent');
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

describe('the record of a consent, from the manage page', () => {
  /** The consent as its transitions wrote it: its audit holds its request and grant. */
  const world = () => {
    const w = consentWorld({ consents: [activeConsent('c-1'), activeConsent('c-9', 'someone-else')] });
    w.audit.push(
      { action: 'granted', psid: PSID, consentId: 'c-1', at: NOW.toISOString(), actor: 'person', disclosureVersion: 'v', scopes: ['balances', 'transactions'] },
      { action: 'requested', psid: PSID, consentId: 'c-1', at: NOW.toISOString(), actor: 'person', disclosureVersion: 'v', scopes: ['balances', 'transactions'] },
    );
    return w;
  };

  it('is a JSON file of the holder’s own consent, its events and a pseudonymous principal', async () => {
    const { deps } = world();

    const answer = await downloadConsentRecord(request({ form: { t: linkToken('manage'), consent: 'c-1' } }), deps);

    expect(answer).toMatchObject({ kind: 'download', contentType: 'application/json; charset=utf-8', fileName: 'consent-record-2026-11-21-c-1.json' });
    const record = JSON.parse(answer.kind === 'download' ? answer.body : '{}') as { recordId: string; state: string; events: { type: string }[]; piiPrincipal: { id: string } };
    expect([record.recordId, record.state, record.events.map((e) => e.type)]).toEqual(['c-1', 'dpv:ConsentGiven', ['requested', 'given']]);
    expect(answer.kind === 'download' ? answer.body : PSID).not.toContain(PSID);
  });

  it.each([
    ['no token', undefined],
    ['a token signed with another secret', issueLinkToken({ purpose: 'manage', psid: PSID, ttlSeconds: 600, now: NOW }, 'another-secret').token],
    ['a token for the export page', linkToken('export')],
    ['an expired token', issueLinkToken({ purpose: 'manage', psid: PSID, ttlSeconds: 600, now: new Date(NOW.getTime() - 3_600_000) }, 'test-link-secret').token],
  ])('is refused with %s', async (_, t) => {
    const { deps } = world();

    await expect(downloadConsentRecord(request({ form: { ...(t ? { t } : {}), consent: 'c-1' } }), deps)).rejects.toBeInstanceOf(LinkRefused);
  });

  it('is refused once a change has used the link up', async () => {
    const { deps } = world();
    const t = linkToken('manage');
    await changeSharing(request({ form: { t, consent: 'c-1', scope: 'balances' } }), deps);

    await expect(downloadConsentRecord(request({ form: { t, consent: 'c-1' } }), deps)).rejects.toBeInstanceOf(LinkRefused);
  });

  it('answers a consent that is not the holder’s like a missing one, audited', async () => {
    const { deps, audit } = world();

    await expect(downloadConsentRecord(request({ form: { t: linkToken('manage'), consent: 'c-9' } }), deps)).rejects.toBeInstanceOf(NotFound);
    expect(audit.at(-1)).toMatchObject({ action: 'access-refused', psid: PSID, details: { attemptedConsentId: 'c-9' } });
  });

  it('uses nothing up: the page’s buttons still work after a download', async () => {
    const { deps, consents } = world();
    const t = linkToken('manage');

    await downloadConsentRecord(request({ form: { t, consent: 'c-1' } }), deps);
    await changeSharing(request({ form: { t, consent: 'c-1', scope: 'balances' } }), deps);

    expect(consents.get('c-1')?.scopes).toEqual(['balances']);
  });
});
