import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  activateConsent,
  changeConsentScopes,
  expireConsent,
  isInForce,
  reconfirmConsent,
  renewConsent,
  requestConsent,
  requireScope,
  revokeConsent,
  type AuditEntry,
  type Consent,
  type ConsentStatus,
  type Transition,
} from '../../../../lib/consent/model/consent';
import { SCOPES, type Scope } from '../../../../lib/consent/model/scopes';
import { ConsentRequired, DisclosureChanged, InvalidConsentTransition, ScopeNotGranted } from '../../../../lib/errors';

const DAY_MS = 86_400_000;
const T0 = new Date('2026-03-01T10:00:00.000Z');
const after = (ms: number) => new Date(T0.getTime() + ms);
const DISCLOSURE = { version: '2026-11-21.1', hash: 'f'.repeat(64) };
/** A later disclosure: what is in force after the words changed. */
const NEWER = { version: '2026-12-07.2', hash: 'e'.repeat(64) };
const PSID = '6543210987654321';
const BANK = { id: 'ins_109508', name: 'First Platypus Bank' };

function pending(overrides: { scopes?: Scope[]; durationDays?: number } = {}): Consent {
  return requestConsent({
    consentId: 'consent-1',
    psid: PSID,
    scopes: overrides.scopes ?? ['balances', 'transactions'],
    durationDays: overrides.durationDays ?? 90,
    disclosure: DISCLOSURE,
    bankLinkToken: 'link-sandbox-0000',
    now: T0,
  }).consent;
}

function active(overrides: { scopes?: Scope[]; durationDays?: number } = {}): Consent {
  return activateConsent(pending(overrides), { itemId: 'item-1', institution: BANK, now: T0 }).consent;
}

const revoked = (): Consent => revokeConsent(active(), { now: after(DAY_MS), by: 'person' }).consent;
const expired = (): Consent => expireConsent(active(), { now: after(90 * DAY_MS) }).consent;

const inState: Record<ConsentStatus, () => Consent> = { pending, active, revoked, expired };
const ALL_STATES: ConsentStatus[] = ['pending', 'active', 'revoked', 'expired'];

describe('requestConsent', () => {
  it('dedupes and sorts the scopes', () => {
    const consent = pending({ scopes: ['transactions', 'balances', 'transactions', 'alerts'] });

    expect(consent.scopes).toEqual(['alerts', 'balances', 'transactions']);
  });

  it('refuses a consent without any scope', () => {
    expect(() => pending({ scopes: [] })).toThrow(InvalidConsentTransition);
  });

  it.each([0, -1, 366, 1000])('refuses a duration of %i days', (durationDays) => {
    expect(() => pending({ durationDays })).toThrow(InvalidConsentTransition);
  });

  it.each([1, 365])('accepts the boundary duration of %i days', (durationDays) => {
    expect(pending({ durationDays }).durationDays).toBe(durationDays);
  });

  it('starts a pending consent at version 1 holding the disclosure it was shown', () => {
    const consent = pending();

    expect(consent).toMatchObject({ status: 'pending', version: 1, disclosureVersion: DISCLOSURE.version, disclosureHash: DISCLOSURE.hash });
  });

  it('audits the request as made by the person under the disclosure version', () => {
    const { audit } = requestConsent({
      consentId: 'consent-1',
      psid: PSID,
      scopes: ['balances'],
      durationDays: 30,
      disclosure: DISCLOSURE,
      bankLinkToken: 'link-sandbox-0000',
      now: T0,
    });

    expect(audit).toEqual({
      action: 'requested',
      actor: 'person',
      psid: PSID,
      consentId: 'consent-1',
      at: T0.toISOString(),
      disclosureVersion: DISCLOSURE.version,
      scopes: ['balances'],
    });
  });
});

describe('activateConsent', () => {
  it('records in its audit entry the period the grant covers', () => {
    const { audit } = activateConsent(pending({ durationDays: 30 }), { itemId: 'item-1', now: T0 });

    expect(audit.validity).toEqual({ from: T0.toISOString(), until: after(30 * DAY_MS).toISOString() });
  });

  it('makes a pending consent active on the linked item and institution', () => {
    const consent = activateConsent(pending(), { itemId: 'item-9', institution: BANK, now: T0 }).consent;

    expect(consent).toMatchObject({ status: 'active', itemId: 'item-9', institution: BANK, authorizedAt: T0.toISOString() });
  });

  it('sets the expiry to the chosen number of days after activation', () => {
    const consent = activateConsent(pending({ durationDays: 90 }), { itemId: 'item-1', now: T0 }).consent;

    expect(consent.expiresAt).toBe(after(90 * DAY_MS).toISOString());
  });

  it('never sets the expiry more than 365 days ahead, even for a stored consent asking for longer', () => {
    const tooLong: Consent = { ...pending(), durationDays: 400 };

    const consent = activateConsent(tooLong, { itemId: 'item-1', now: T0 }).consent;

    expect(consent.expiresAt).toBe(after(365 * DAY_MS).toISOString());
  });

  it('drops the bank link token', () => {
    const consent = activateConsent(pending(), { itemId: 'item-1', now: T0 }).consent;

    expect(consent).not.toHaveProperty('bankLinkToken');
  });

  it('increments the version by one', () => {
    expect(activateConsent(pending(), { itemId: 'item-1', now: T0 }).consent.version).toBe(2);
  });

  it('audits the grant by the person with the institution id only', () => {
    const { audit } = activateConsent(pending(), { itemId: 'item-1', institution: BANK, now: T0 });

    expect(audit).toMatchObject({ action: 'granted', actor: 'person', at: T0.toISOString(), disclosureVersion: DISCLOSURE.version, details: { institution: BANK.id } });
  });
});

describe('renewConsent', () => {
  it('measures the new expiry from the renewal, not from the first grant', () => {
    const renewedAt = after(80 * DAY_MS);

    const consent = renewConsent(active({ durationDays: 90 }), { now: renewedAt, current: DISCLOSURE }).consent;

    expect(consent).toMatchObject({ authorizedAt: renewedAt.toISOString(), expiresAt: new Date(renewedAt.getTime() + 90 * DAY_MS).toISOString() });
  });

  it('applies a newly chosen duration', () => {
    const renewedAt = after(80 * DAY_MS);

    const consent = renewConsent(active({ durationDays: 90 }), { now: renewedAt, durationDays: 30, current: DISCLOSURE }).consent;

    expect(consent.expiresAt).toBe(new Date(renewedAt.getTime() + 30 * DAY_MS).toISOString());
  });

  it('gives a one-year renewal at most one year from the renewal', () => {
    const renewedAt = after(300 * DAY_MS);

    const consent = renewConsent(active({ durationDays: 365 }), { now: renewedAt, current: DISCLOSURE }).consent;

    expect(consent).toMatchObject({ durationDays: 365, expiresAt: new Date(renewedAt.getTime() + 365 * DAY_MS).toISOString() });
  });

  it.each([0, -5, 366, 1000, 1.5, Number.NaN])('refuses a renewal for %s days', (durationDays) => {
    expect(() => renewConsent(active({ durationDays: 365 }), { now: after(DAY_MS), durationDays, current: DISCLOSURE })).toThrow(InvalidConsentTransition);
  });

  it('refuses to renew a consent whose end has passed (the sweep will expire it)', () => {
    const consent = active({ durationDays: 30 });

    expect(() => renewConsent(consent, { current: DISCLOSURE, now: new Date(Date.parse(consent.expiresAt!)) })).toThrow(InvalidConsentTransition);
  });

  it('increments the version and audits the renewal', () => {
    const { consent, audit } = renewConsent(active(), { current: DISCLOSURE, now: after(DAY_MS) });

    expect([consent.version, audit.action, audit.actor]).toEqual([3, 'renewed', 'person']);
  });

  it('keeps the disclosure the consent was given under, and audits under it', () => {
    const { consent, audit } = renewConsent(active(), { current: DISCLOSURE, now: after(DAY_MS) });

    expect([consent.disclosureVersion, consent.disclosureHash, audit.disclosureVersion, audit.details]).toEqual([DISCLOSURE.version, DISCLOSURE.hash, DISCLOSURE.version, undefined]);
  });

  it('refuses to renew in one tap a consent given under an older disclosure', () => {
    expect(() => renewConsent(active(), { current: NEWER, now: after(DAY_MS) })).toThrow(DisclosureChanged);
  });

  it('refuses it too when only the text changed under the same version (another recipient, a word changed without a new version)', () => {
    expect(() => renewConsent(active(), { current: { version: DISCLOSURE.version, hash: NEWER.hash }, now: after(DAY_MS) })).toThrow(DisclosureChanged);
  });

  it('refuses an ended consent as ended, whatever the disclosure (it gets no link to renew)', () => {
    const consent = active({ durationDays: 30 });

    expect(() => renewConsent(consent, { current: NEWER, now: new Date(Date.parse(consent.expiresAt!)) })).toThrow(InvalidConsentTransition);
  });
});

describe('reconfirmConsent', () => {
  it('renews from now and records the disclosure shown, its version and its hash', () => {
    const renewedAt = after(80 * DAY_MS);

    const consent = reconfirmConsent(active({ durationDays: 90 }), { shown: NEWER, now: renewedAt }).consent;

    expect(consent).toMatchObject({
      status: 'active',
      disclosureVersion: NEWER.version,
      disclosureHash: NEWER.hash,
      authorizedAt: renewedAt.toISOString(),
      expiresAt: new Date(renewedAt.getTime() + 90 * DAY_MS).toISOString(),
      version: 3,
    });
  });

  it('audits a renewal under the new version, with its hash and the version agreed to before', () => {
    const { audit } = reconfirmConsent(active(), { shown: NEWER, now: after(DAY_MS) });

    expect(audit).toMatchObject({
      action: 'renewed',
      actor: 'person',
      disclosureVersion: NEWER.version,
      details: { reconfirmed: true, disclosureHash: NEWER.hash, previousDisclosureVersion: DISCLOSURE.version },
    });
  });

  it('lets one tap renew again afterwards, under the disclosure now agreed to', () => {
    const reconfirmed = reconfirmConsent(active(), { shown: NEWER, now: after(DAY_MS) }).consent;

    expect(renewConsent(reconfirmed, { current: NEWER, now: after(2 * DAY_MS) }).consent.disclosureVersion).toBe(NEWER.version);
  });

  it('refuses a consent whose end has passed', () => {
    const consent = active({ durationDays: 30 });

    expect(() => reconfirmConsent(consent, { shown: NEWER, now: new Date(Date.parse(consent.expiresAt!)) })).toThrow(InvalidConsentTransition);
  });
});

describe('changeConsentScopes', () => {
  it('replaces the scopes of an active consent, deduped and sorted', () => {
    const consent = changeConsentScopes(active({ scopes: ['balances'] }), { scopes: ['transactions', 'alerts', 'alerts'], now: after(DAY_MS) }).consent;

    expect(consent.scopes).toEqual(['alerts', 'transactions']);
  });

  it('refuses to leave a consent without any scope', () => {
    expect(() => changeConsentScopes(active(), { scopes: [], now: after(DAY_MS) })).toThrow(InvalidConsentTransition);
  });

  it('audits the change keeping the previous scopes', () => {
    const { audit } = changeConsentScopes(active({ scopes: ['balances'] }), { scopes: ['balances', 'alerts'], now: after(DAY_MS) });

    expect(audit).toMatchObject({ action: 'scopes-changed', scopes: ['alerts', 'balances'], details: { previousScopes: ['balances'] } });
  });

  it('does not move the expiry', () => {
    const before = active();

    const consent = changeConsentScopes(before, { scopes: ['alerts'], now: after(10 * DAY_MS) }).consent;

    expect(consent.expiresAt).toBe(before.expiresAt);
  });
});

describe('revokeConsent', () => {
  it('revokes a pending consent, ended by the person', () => {
    const consent = revokeConsent(pending(), { now: after(1000), by: 'person' }).consent;

    expect(consent).toMatchObject({ status: 'revoked', endedBy: 'person', endedAt: after(1000).toISOString(), version: 2 });
  });

  it('revokes an active consent, ended by the bank', () => {
    const consent = revokeConsent(active(), { now: after(DAY_MS), by: 'bank' }).consent;

    expect(consent).toMatchObject({ status: 'revoked', endedBy: 'bank', endedAt: after(DAY_MS).toISOString() });
  });

  it('audits the revocation with whoever ended it as the actor', () => {
    const { audit } = revokeConsent(active(), { now: after(DAY_MS), by: 'bank' });

    expect(audit).toMatchObject({ action: 'revoked', actor: 'bank', at: after(DAY_MS).toISOString() });
  });

  it('records in its audit entry the period the consent covered, cut at the revocation', () => {
    const { audit } = revokeConsent(active(), { now: after(DAY_MS), by: 'person' });

    expect(audit.validity).toEqual({ from: T0.toISOString(), until: after(DAY_MS).toISOString() });
  });

  it('records no period for a consent that was never authorized', () => {
    expect(revokeConsent(pending(), { now: after(1000), by: 'person' }).audit.validity).toBeUndefined();
  });
});

describe('expireConsent', () => {
  it('expires an active consent exactly at its end', () => {
    const consent = active({ durationDays: 30 });

    const { consent: ended, audit } = expireConsent(consent, { now: new Date(consent.expiresAt!) });

    expect([ended.status, ended.endedBy, audit.action, audit.actor]).toEqual(['expired', 'system', 'expired', 'system']);
  });

  it('expires an active consent after its end', () => {
    expect(expireConsent(active({ durationDays: 30 }), { now: after(31 * DAY_MS) }).consent.status).toBe('expired');
  });

  it('refuses to expire an active consent one millisecond before its end', () => {
    const consent = active({ durationDays: 30 });

    expect(() => expireConsent(consent, { now: new Date(Date.parse(consent.expiresAt!) - 1) })).toThrow(InvalidConsentTransition);
  });
});

describe('illegal transitions', () => {
  // Times far past any expiry, so the state is the only reason to refuse.
  const late = after(1000 * DAY_MS);
  const transitions: { name: string; allowed: ConsentStatus[]; run: (c: Consent) => Transition }[] = [
    { name: 'activate', allowed: ['pending'], run: (c) => activateConsent(c, { itemId: 'item-2', now: late }) },
    // Renewal also needs the consent to be in force, so it runs a day in.
    { name: 'renew', allowed: ['active'], run: (c) => renewConsent(c, { current: DISCLOSURE, now: after(DAY_MS) }) },
    { name: 'reconfirm', allowed: ['active'], run: (c) => reconfirmConsent(c, { shown: NEWER, now: after(DAY_MS) }) },
    { name: 'change scopes', allowed: ['active'], run: (c) => changeConsentScopes(c, { scopes: ['alerts'], now: late }) },
    { name: 'revoke', allowed: ['pending', 'active'], run: (c) => revokeConsent(c, { now: late, by: 'person' }) },
    { name: 'expire', allowed: ['active'], run: (c) => expireConsent(c, { now: late }) },
  ];
  const illegal = transitions.flatMap((t) => ALL_STATES.filter((s) => !t.allowed.includes(s)).map((state) => ({ ...t, state })));
  const legal = transitions.flatMap((t) => t.allowed.map((state) => ({ ...t, state })));

  it.each(illegal)('refuses to $name a $state consent', ({ run, state }) => {
    expect(() => run(inState[state]())).toThrow(InvalidConsentTransition);
  });

  // The counterpart of the table above: the same calls succeed from the allowed states, so the
  // refusals are about the state and not about the arguments.
  it.each(legal)('allows to $name a $state consent', ({ run, state }) => {
    expect(run(inState[state]()).consent.version).toBe(inState[state]().version + 1);
  });
});

describe('isInForce', () => {
  it('is true for an active consent one millisecond before its end', () => {
    const consent = active();

    expect(isInForce(consent, new Date(Date.parse(consent.expiresAt!) - 1))).toBe(true);
  });

  it('is false for an active consent at its end', () => {
    const consent = active();

    expect(isInForce(consent, new Date(consent.expiresAt!))).toBe(false);
  });

  it('is false for an active consent one millisecond after its end', () => {
    const consent = active();

    expect(isInForce(consent, new Date(Date.parse(consent.expiresAt!) + 1))).toBe(false);
  });

  it.each(['pending', 'revoked', 'expired'] as const)('is false for a %s consent', (state) => {
    expect(isInForce(inState[state](), T0)).toBe(false);
  });
});

describe('requireScope', () => {
  it('asks for a consent when there is none', () => {
    expect(() => requireScope(undefined, 'balances', T0)).toThrow(ConsentRequired);
  });

  it.each(['pending', 'revoked', 'expired'] as const)('asks for a consent when the only one is %s', (state) => {
    expect(() => requireScope(inState[state](), 'balances', after(DAY_MS))).toThrow(ConsentRequired);
  });

  it('asks for a consent when the active one is past its end', () => {
    const consent = active();

    expect(() => requireScope(consent, 'balances', new Date(consent.expiresAt!))).toThrow(ConsentRequired);
  });

  it('names the scope that is not granted', () => {
    let thrown: unknown;
    try {
      requireScope(active({ scopes: ['balances'] }), 'transactions', after(DAY_MS));
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(ScopeNotGranted);
    expect((thrown as ScopeNotGranted).scope).toBe('transactions');
  });

  it('returns the consent when it is in force and grants the scope', () => {
    const consent = active({ scopes: ['balances', 'alerts'] });

    expect(requireScope(consent, 'alerts', after(DAY_MS))).toBe(consent);
  });
});

describe('any sequence of transitions (property)', () => {
  const AUDIT_FIELDS = new Set<keyof AuditEntry>(['action', 'psid', 'consentId', 'at', 'actor', 'disclosureVersion', 'scopes', 'validity', 'details']);
  const scopesArb = fc.uniqueArray(fc.constantFrom(...SCOPES), { minLength: 1, maxLength: 3 });
  const step = fc.record({
    advanceMs: fc.integer({ min: 0, max: 400 * DAY_MS }),
    op: fc.oneof(
      fc.constant({ kind: 'activate' as const }),
      fc.record({
        kind: fc.constant('renew' as const),
        durationDays: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
        current: fc.constantFrom(DISCLOSURE, NEWER),
      }),
      fc.record({ kind: fc.constant('reconfirm' as const), shown: fc.constantFrom(DISCLOSURE, NEWER) }),
      fc.record({ kind: fc.constant('change' as const), scopes: scopesArb }),
      fc.record({ kind: fc.constant('revoke' as const), by: fc.constantFrom('person' as const, 'bank' as const, 'system' as const) }),
      fc.constant({ kind: 'expire' as const }),
    ),
  });
  type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

  const apply = (consent: Consent, { op }: Step, now: Date): Transition => {
    switch (op.kind) {
      case 'activate':
        return activateConsent(consent, { itemId: 'item-1', institution: BANK, now });
      case 'renew':
        return renewConsent(consent, { now, current: op.current, ...(op.durationDays === undefined ? {} : { durationDays: op.durationDays }) });
      case 'reconfirm':
        return reconfirmConsent(consent, { now, shown: op.shown });
      case 'change':
        return changeConsentScopes(consent, { scopes: op.scopes, now });
      case 'revoke':
        return revokeConsent(consent, { now, by: op.by });
      case 'expire':
        return expireConsent(consent, { now });
    }
  };

  it('keeps the version +1 per transition, the expiry within a year of the authorization, the disclosure agreed to and the audit free of other fields', () => {
    fc.assert(
      fc.property(scopesArb, fc.integer({ min: 1, max: 365 }), fc.array(step, { maxLength: 30 }), (scopes, durationDays, steps) => {
        const first = requestConsent({ consentId: 'c', psid: PSID, scopes, durationDays, disclosure: DISCLOSURE, bankLinkToken: 'lt', now: T0 });
        const audits: AuditEntry[] = [first.audit];
        let consent = first.consent;
        let clock = T0.getTime();
        for (const s of steps) {
          clock += s.advanceMs;
          let transition: Transition;
          try {
            transition = apply(consent, s, new Date(clock));
          } catch (error) {
            if (!(error instanceof InvalidConsentTransition) && !(error instanceof DisclosureChanged)) throw error;
            continue;
          }
          expect(transition.consent.version).toBe(consent.version + 1);
          // Only a yes to the text shown changes the disclosure; a one-tap renewal is only ever under the text agreed to.
          const disclosureOf = (c: Consent) => ({ version: c.disclosureVersion, hash: c.disclosureHash });
          const expected = s.op.kind === 'reconfirm' ? s.op.shown : disclosureOf(consent);
          if (s.op.kind === 'renew') expect(disclosureOf(consent)).toEqual(s.op.current);
          expect([disclosureOf(transition.consent), transition.audit.disclosureVersion]).toEqual([expected, expected.version]);
          consent = transition.consent;
          audits.push(transition.audit);
          if (consent.expiresAt !== undefined) {
            expect(consent.authorizedAt).toBeDefined();
            expect(Date.parse(consent.expiresAt) - Date.parse(consent.authorizedAt!)).toBeLessThanOrEqual(365 * DAY_MS);
          }
        }
        for (const audit of audits) {
          expect(Object.keys(audit).filter((key) => !AUDIT_FIELDS.has(key as keyof AuditEntry))).toEqual([]);
          // The period an entry records is one the consent could cover: forward, at most a year.
          if (audit.validity) expect(Date.parse(audit.validity.until) - Date.parse(audit.validity.from)).toBeGreaterThanOrEqual(0);
          if (audit.validity) expect(Date.parse(audit.validity.until) - Date.parse(audit.validity.from)).toBeLessThanOrEqual(365 * DAY_MS);
          expect(Object.keys(audit.details ?? {}).filter((key) => !['institution', 'previousScopes', 'reconfirmed', 'disclosureHash', 'previousDisclosureVersion'].includes(key))).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
