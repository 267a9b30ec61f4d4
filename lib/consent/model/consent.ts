import { ConsentRequired, DisclosureChanged, InvalidConsentTransition, ScopeNotGranted } from '../../errors';
import { MAX_DURATION_DAYS, type Scope } from './scopes';

/**
 * The consent state machine. Every transition is a pure function from a consent to the next
 * consent and the audit entry that records it; the store commits both in one transaction, with
 * the consent's version as the condition, so a transition never races another.
 *
 *   pending ──activate──▶ active ──revoke──▶ revoked
 *      │                   │ ▲ renew, reconfirm, changeScopes
 *      └──revoke──▶ revoked │ └──
 *                          └──expire──▶ expired
 *
 * A consent keeps the disclosure it was given under; only `reconfirm` (the person read the
 * disclosure in force and said yes) replaces it.
 */
export type ConsentStatus = 'pending' | 'active' | 'revoked' | 'expired';
export type Actor = 'person' | 'bank' | 'system';

export interface Institution {
  id: string;
  name: string;
}

export interface Consent {
  consentId: string;
  psid: string;
  status: ConsentStatus;
  scopes: Scope[];
  durationDays: number;
  disclosureVersion: string;
  disclosureHash: string;
  /** Incremented by every transition; writes of financial data are conditioned on it. */
  version: number;
  createdAt: string;
  updatedAt: string;
  /** The bank's link token while the person is linking. */
  bankLinkToken?: string;
  /** Started from Messenger's account_link button: where to send the person back to Messenger. */
  accountLinkRedirect?: string;
  itemId?: string;
  institution?: Institution;
  /** The latest authorization (grant or renewal): the one-year limit runs from here. */
  authorizedAt?: string;
  expiresAt?: string;
  endedAt?: string;
  endedBy?: Actor;
}

/** A disclosure as a consent records it (consent/disclosure.ts): its version and the hash of its exact text. */
export interface DisclosureRef {
  version: string;
  hash: string;
}

export type AuditAction =
  | 'requested'
  | 'granted'
  | 'renewed'
  | 'scopes-changed'
  | 'revoked'
  | 'expired'
  | 'deleted'
  | 'exported'
  | 'access-refused';

/** An audit entry: who, what, when, under which disclosure. Never any financial data. */
export interface AuditEntry {
  action: AuditAction;
  psid: string;
  consentId?: string;
  at: string;
  actor: Actor;
  disclosureVersion?: string;
  scopes?: Scope[];
  /**
   * The period the consent covers as this change leaves it: from its latest authorization to its end
   * date, or to the moment it ended. Absent while nothing was authorized yet, and on entries written
   * before it was recorded (a consent record says "not recorded" there rather than guess).
   */
  validity?: { from: string; until: string };
  /** Counts, reasons, institution: never amounts, balances, merchants or tokens. */
  details?: Record<string, string | number | boolean | string[]>;
}

export interface Transition {
  consent: Consent;
  audit: AuditEntry;
}

const DAY_MS = 86_400_000;
const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + Math.min(days, MAX_DURATION_DAYS) * DAY_MS).toISOString();

function expect(consent: Consent, allowed: ConsentStatus[], action: string) {
  if (!allowed.includes(consent.status)) {
    throw new InvalidConsentTransition(`Cannot ${action} a consent that is ${consent.status}`);
  }
}

function next(consent: Consent, changes: Partial<Consent>, now: string): Consent {
  return { ...consent, ...changes, version: consent.version + 1, updatedAt: now };
}

/**
 * The period a consent covers: from its latest authorization to its end date, or to the moment it
 * ended if that came first (a consent may be revoked after its end date, before the sweep expires it).
 */
export function validityOf(consent: Consent): { from: string; until: string } | undefined {
  if (!consent.authorizedAt || !consent.expiresAt) return undefined;
  const ended = consent.endedAt && consent.endedAt < consent.expiresAt ? consent.endedAt : undefined;
  return { from: consent.authorizedAt, until: ended ?? consent.expiresAt };
}

function entry(consent: Consent, action: AuditAction, actor: Actor, now: string, details?: AuditEntry['details']): AuditEntry {
  const validity = validityOf(consent);
  return {
    action,
    psid: consent.psid,
    consentId: consent.consentId,
    at: now,
    actor,
    disclosureVersion: consent.disclosureVersion,
    scopes: consent.scopes,
    ...(validity ? { validity } : {}),
    ...(details ? { details } : {}),
  };
}

export function requestConsent(input: {
  consentId: string;
  psid: string;
  scopes: Scope[];
  durationDays: number;
  /** The disclosure the person was shown (consent/disclosure.ts): its version and the hash of its text. */
  disclosure: DisclosureRef;
  bankLinkToken: string;
  accountLinkRedirect?: string;
  now: Date;
}): Transition {
  if (input.scopes.length === 0) throw new InvalidConsentTransition('A consent needs at least one scope');
  if (!Number.isInteger(input.durationDays) || input.durationDays < 1 || input.durationDays > MAX_DURATION_DAYS) {
    throw new InvalidConsentTransition(`A consent lasts between 1 and ${MAX_DURATION_DAYS} days`);
  }
  const now = input.now.toISOString();
  const consent: Consent = {
    consentId: input.consentId,
    psid: input.psid,
    status: 'pending',
    scopes: [...new Set(input.scopes)].sort(),
    durationDays: input.durationDays,
    disclosureVersion: input.disclosure.version,
    disclosureHash: input.disclosure.hash,
    version: 1,
    createdAt: now,
    updatedAt: now,
    bankLinkToken: input.bankLinkToken,
    ...(input.accountLinkRedirect ? { accountLinkRedirect: input.accountLinkRedirect } : {}),
  };
  return { consent, audit: entry(consent, 'requested', 'person', now) };
}

export function activateConsent(consent: Consent, input: { itemId: string; institution?: Institution; now: Date }): Transition {
  expect(consent, ['pending'], 'activate');
  const now = input.now.toISOString();
  const { bankLinkToken: _done, ...rest } = consent;
  const active = next(
    rest,
    {
      status: 'active',
      itemId: input.itemId,
      ...(input.institution ? { institution: input.institution } : {}),
      authorizedAt: now,
      expiresAt: addDays(now, consent.durationDays),
    },
    now,
  );
  return { consent: active, audit: entry(active, 'granted', 'person', now, input.institution ? { institution: input.institution.id } : undefined) };
}

/**
 * One tap renews a consent under the very text the person agreed to: `current` is the disclosure in
 * force. When it is another (its words changed, with a new version, or who receives the data did:
 * either changes the hash), a renewal would extend an agreement to words the person never read, so
 * it is refused with DisclosureChanged and the person is shown the current text (reconfirmConsent).
 * The hash is compared, not the version alone: it covers both.
 */
export function renewConsent(consent: Consent, input: { now: Date; durationDays?: number; current: DisclosureRef }): Transition {
  const durationDays = renewable(consent, input);
  if (consent.disclosureHash !== input.current.hash) {
    throw new DisclosureChanged(`The consent was given under disclosure ${consent.disclosureVersion}; ${input.current.version} is in force`);
  }
  const now = input.now.toISOString();
  const renewed = next(consent, { durationDays, authorizedAt: now, expiresAt: addDays(now, durationDays) }, now);
  return { consent: renewed, audit: entry(renewed, 'renewed', 'person', now) };
}

/**
 * The person read `shown` (the disclosure in force) and said yes to it: a renewal that records it as
 * the disclosure of the consent, and whose audit entry (under the new version) keeps the previous one.
 */
export function reconfirmConsent(consent: Consent, input: { now: Date; durationDays?: number; shown: DisclosureRef }): Transition {
  const durationDays = renewable(consent, input);
  const now = input.now.toISOString();
  const renewed = next(
    consent,
    { durationDays, authorizedAt: now, expiresAt: addDays(now, durationDays), disclosureVersion: input.shown.version, disclosureHash: input.shown.hash },
    now,
  );
  return {
    consent: renewed,
    audit: entry(renewed, 'renewed', 'person', now, { reconfirmed: true, disclosureHash: input.shown.hash, previousDisclosureVersion: consent.disclosureVersion }),
  };
}

/** A renewal is of an active consent still in force, for 1 day to a year: the duration it gets. */
function renewable(consent: Consent, input: { now: Date; durationDays?: number }): number {
  expect(consent, ['active'], 'renew');
  if (!isInForce(consent, input.now)) throw new InvalidConsentTransition('Cannot renew a consent that has ended');
  const durationDays = input.durationDays ?? consent.durationDays;
  if (!Number.isInteger(durationDays) || durationDays < 1 || durationDays > MAX_DURATION_DAYS) {
    throw new InvalidConsentTransition(`A consent lasts between 1 and ${MAX_DURATION_DAYS} days`);
  }
  return durationDays;
}

export function changeConsentScopes(consent: Consent, input: { scopes: Scope[]; now: Date }): Transition {
  expect(consent, ['active'], 'change the scopes of');
  if (input.scopes.length === 0) throw new InvalidConsentTransition('A consent needs at least one scope; to share nothing, revoke it');
  const now = input.now.toISOString();
  const changed = next(consent, { scopes: [...new Set(input.scopes)].sort() }, now);
  return { consent: changed, audit: entry(changed, 'scopes-changed', 'person', now, { previousScopes: consent.scopes }) };
}

export function revokeConsent(consent: Consent, input: { now: Date; by: Actor }): Transition {
  expect(consent, ['pending', 'active'], 'revoke');
  const now = input.now.toISOString();
  const revoked = next(consent, { status: 'revoked', endedAt: now, endedBy: input.by }, now);
  return { consent: revoked, audit: entry(revoked, 'revoked', input.by, now) };
}

export function expireConsent(consent: Consent, input: { now: Date }): Transition {
  expect(consent, ['active'], 'expire');
  if (!consent.expiresAt || Date.parse(consent.expiresAt) > input.now.getTime()) {
    throw new InvalidConsentTransition('Cannot expire a consent before its end');
  }
  const now = input.now.toISOString();
  const expired = next(consent, { status: 'expired', endedAt: now, endedBy: 'system' }, now);
  return { consent: expired, audit: entry(expired, 'expired', 'system', now) };
}

/** Active and not past its end: the only state in which any bank data may be read or written. */
export const isInForce = (consent: Consent, now: Date): boolean =>
  consent.status === 'active' && consent.expiresAt !== undefined && Date.parse(consent.expiresAt) > now.getTime();

/** Throws the named error that tells the person what is missing. */
export function requireScope(consent: Consent | undefined, scope: Scope, now: Date): Consent {
  if (!consent || !isInForce(consent, now)) throw new ConsentRequired('No bank account is shared');
  if (!consent.scopes.includes(scope)) throw new ScopeNotGranted(`The consent does not include ${scope}`, scope);
  return consent;
}
