import { describe, expect, it } from 'vitest';
import { disclosure } from '../../../lib/consent/disclosure';
import { confirmRenewal, showRenewal } from '../../../lib/consent/renew-sharing';
import { LinkRefused, NotFound } from '../../../lib/errors';
import { activeConsent, consentWorld, linkToken, NOW, PSID, request } from './page-fakes';

/**
 * The renewal page a Renew tap leads to when a consent was given under an older disclosure: the
 * current text shown, the consent renewed only on "I agree" to that very text, once per link, and
 * only the link holder's own consent.
 */
const current = disclosure({ recipient: 'Demo Bank' });
const bodyOf = (answer: { kind: string; body?: string }) => answer.body ?? '';
const statusOf = (answer: { kind: string; status?: number }) => answer.status ?? 200;
const renewLink = (consentId = 'c-1') => linkToken('renew', { consentId });
const DAY_MS = 86_400_000;

describe('the renewal page', () => {
  it('shows the disclosure in force, every section, with its version, and a form carrying the hash of what is shown', async () => {
    const { deps } = consentWorld({ consents: [activeConsent()] });
    const t = renewLink();

    const body = bodyOf(await showRenewal(request({ query: { t } }), deps));

    expect(current.sections.filter((s) => !body.includes(`<h2>${s.heading}</h2>`))).toEqual([]);
    expect(body).toContain('Like any Messenger message, they pass through Meta’s servers');
    expect(body).toContain(`Disclosure version ${current.version}`);
    expect([...body.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]])).toEqual([
      ['t', t],
      ['disclosure', current.hash],
    ]);
    expect(body).toMatch(/<form method="post" action="\/consent\/renew">/);
  });

  it('says what renewing keeps and what happens otherwise', async () => {
    const { deps } = consentWorld({ consents: [activeConsent()] });

    const body = bodyOf(await showRenewal(request({ query: { t: renewLink() } }), deps));

    expect(body).toContain('Keep sharing First Platypus Bank?');
    expect(body).toContain('you keep sharing balances, transactions for 3 months from today');
    expect(body).toContain('your sharing ends on 19 February 2027');
  });

  it('changes nothing and leaves the link usable when only viewed', async () => {
    const { deps, committed, usedNonces } = consentWorld({ consents: [activeConsent()] });

    await showRenewal(request({ query: { t: renewLink() } }), deps);

    expect({ committed: committed.length, used: usedNonces.size }).toEqual({ committed: 0, used: 0 });
  });

  it.each([
    ['a link of another purpose', () => linkToken('manage', { consentId: 'c-1' })],
    ['no link', () => ''],
  ])('is refused with %s', async (_what, token) => {
    const { deps } = consentWorld({ consents: [activeConsent()] });

    await expect(showRenewal(request({ query: { t: token() } }), deps)).rejects.toBeInstanceOf(LinkRefused);
  });

  it('is refused for a sharing that has ended', async () => {
    const ended = { ...activeConsent(), expiresAt: new Date(NOW.getTime() - DAY_MS).toISOString() };
    const { deps } = consentWorld({ consents: [ended] });

    await expect(showRenewal(request({ query: { t: renewLink() } }), deps)).rejects.toThrow(/has ended/);
  });

  it('answers a consent that is not the link holder’s like a missing one, audited', async () => {
    const { deps, audit } = consentWorld({ consents: [activeConsent('c-9', 'someone-else')] });

    await expect(showRenewal(request({ query: { t: renewLink('c-9') } }), deps)).rejects.toBeInstanceOf(NotFound);
    expect(audit.map((a) => [a.action, a.psid])).toEqual([['access-refused', PSID]]);
  });
});

describe('agreeing on the renewal page', () => {
  it('renews the consent under the disclosure shown, records its version and hash, and says until when', async () => {
    const { deps, consents, committed } = consentWorld({ consents: [activeConsent()] });

    const answer = await confirmRenewal(request({ form: { t: renewLink(), disclosure: current.hash } }), deps);

    expect(consents.get('c-1')).toMatchObject({ disclosureVersion: current.version, disclosureHash: current.hash, authorizedAt: NOW.toISOString() });
    expect(committed.map((c) => [c.transition.audit.action, c.transition.audit.disclosureVersion, c.transition.audit.details?.disclosureHash])).toEqual([['renewed', current.version, current.hash]]);
    expect(bodyOf(answer)).toContain('You share balances, transactions of First Platypus Bank until 19 February 2027.');
  });

  it('uses the link up: the same form cannot renew twice', async () => {
    const { deps, committed } = consentWorld({ consents: [activeConsent()] });
    const form = { t: renewLink(), disclosure: current.hash };

    await confirmRenewal(request({ form }), deps);

    await expect(confirmRenewal(request({ form }), deps)).rejects.toBeInstanceOf(LinkRefused);
    expect(committed).toHaveLength(1);
  });

  it('renews nothing when the words in force are not those shown: the new ones are shown, and the link still works', async () => {
    const { deps, committed } = consentWorld({ consents: [activeConsent()] });
    const t = renewLink();

    const answer = await confirmRenewal(request({ form: { t, disclosure: 'f'.repeat(64) } }), deps);

    expect([statusOf(answer), committed.length]).toEqual([409, 0]);
    expect(bodyOf(answer)).toContain('These words changed while the page was open, so nothing was renewed.');
    expect(bodyOf(answer)).toContain(`name="disclosure" value="${current.hash}"`);
    await confirmRenewal(request({ form: { t, disclosure: current.hash } }), deps);
    expect(committed).toHaveLength(1);
  });

  it('never renews a consent that is not the link holder’s', async () => {
    const { deps, consents } = consentWorld({ consents: [activeConsent('c-9', 'someone-else')] });
    const before = consents.get('c-9');

    await expect(confirmRenewal(request({ form: { t: renewLink('c-9'), disclosure: current.hash } }), deps)).rejects.toBeInstanceOf(NotFound);
    expect(consents.get('c-9')).toBe(before);
  });
});
