import { describe, expect, it } from 'vitest';
import { revokeOwnConsent } from '../../../lib/consent/revocation';
import { ConsentChanged, NotFound } from '../../../lib/errors';
import type { AuditEntry, Consent, Transition } from '../../../lib/consent/model/consent';
import type { Log } from '../../../lib/logger';
import { activeConsent, NOW, PSID } from './page-fakes';

const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Log;

/** The consent store as revocation uses it, in memory; `conflicts` commits fail as changed meanwhile. */
function world(consents: Consent[], conflicts = 0) {
  const byId = new Map(consents.map((c) => [c.consentId, c]));
  const audit: AuditEntry[] = [];
  const commits: Transition[] = [];
  let left = conflicts;
  const store = {
    async commitConsentTransition(transition: Transition) {
      if (left-- > 0) throw new ConsentChanged('changed meanwhile');
      commits.push(transition);
      byId.set(transition.consent.consentId, transition.consent);
    },
    getConsent: async (psid: string, consentId: string) => (byId.get(consentId)?.psid === psid ? byId.get(consentId) : undefined),
    appendAudit: async (entry: AuditEntry) => void audit.push(entry),
  };
  return { store: store as never, audit, commits, byId };
}

describe('revocation', () => {
  it('ends the consent with who ended it, in one committed transition', async () => {
    const w = world([activeConsent()]);
    const revoked = await revokeOwnConsent(PSID, 'c-1', 'person', { store: w.store, clock: () => NOW, log });
    expect(revoked).toMatchObject({ status: 'revoked', endedBy: 'person', endedAt: NOW.toISOString() });
    expect(w.commits).toHaveLength(1);
  });

  it('is idempotent: a consent already ended is returned as it is, nothing committed', async () => {
    const w = world([activeConsent()]);
    await revokeOwnConsent(PSID, 'c-1', 'person', { store: w.store, clock: () => NOW, log });
    const again = await revokeOwnConsent(PSID, 'c-1', 'bank', { store: w.store, clock: () => NOW, log });
    expect(again.endedBy).toBe('person');
    expect(w.commits).toHaveLength(1);
  });

  it('wins over a change made meanwhile: reads again and revokes', async () => {
    const w = world([activeConsent()], 2);
    await expect(revokeOwnConsent(PSID, 'c-1', 'person', { store: w.store, clock: () => NOW, log })).resolves.toMatchObject({ status: 'revoked' });
  });

  it('gives up after repeated conflicts rather than looping', async () => {
    const w = world([activeConsent()], 10);
    await expect(revokeOwnConsent(PSID, 'c-1', 'person', { store: w.store, clock: () => NOW, log })).rejects.toBeInstanceOf(ConsentChanged);
  });

  it("never touches someone else's consent: answered as not found and audited", async () => {
    const w = world([activeConsent('c-2', 'someone-else')]);
    await expect(revokeOwnConsent(PSID, 'c-2', 'person', { store: w.store, clock: () => NOW, log })).rejects.toBeInstanceOf(NotFound);
    expect(w.byId.get('c-2')?.status).toBe('active');
    expect(w.audit).toEqual([expect.objectContaining({ action: 'access-refused', psid: PSID })]);
  });
});
