import { createHmac } from 'node:crypto';
import { consentRecordWords as words } from '../text/en/consent-record';
import type { ConsentSettings } from './flows';
import { isInForce, validityOf, type Actor, type AuditAction, type AuditEntry, type Consent, type Institution } from './model/consent';
import { AUDIT_RETENTION_DAYS, TRANSACTION_RETENTION_DAYS } from './model/retention';
import type { Scope } from './model/scopes';

/**
 * The record of one consent, for the person and for whoever they show it to (consent rules 1, 7
 * and 8). It follows the fields of ISO/IEC TS 27560:2023 (consent record information structure):
 * a header (schema, record and principal ids), the controller, the processing consented to
 * (purposes, data categories, recipients, retention, jurisdiction, legal basis, how to withdraw)
 * and the events, each with its time, type, resulting state, validity and disclosure version.
 * States are named with the W3C Data Privacy Vocabulary's consent statuses.
 *
 * Built from what is stored, never from what should have happened: the consent item gives the
 * current terms; the audit entries give the events. An event stored before a field was recorded
 * says "not recorded" there.
 */
export const CONSENT_RECORD_FORMAT = 'messenger-banking-consent-record/1';
// Read inside functions only: a property read at module scope would keep these words in every
// bundle that imports export.ts (the conversation's, for holdingsOf), used or not.
type NotRecorded = (typeof words)['notRecorded'];

/** DPV consent statuses (https://w3id.org/dpv): withdrawn is by the person, revoked by anyone else. */
export type ConsentState =
  | 'dpv:ConsentRequested'
  | 'dpv:ConsentGiven'
  | 'dpv:RenewedConsentGiven'
  | 'dpv:ConsentWithdrawn'
  | 'dpv:ConsentRevoked'
  | 'dpv:ConsentExpired';

export type ConsentEventType = 'requested' | 'given' | 'renewed' | 'scopes-changed' | 'withdrawn' | 'revoked' | 'expired' | 'data-deleted';

export interface Period {
  from: string;
  until: string;
}

export interface ConsentRecordEvent {
  time: string;
  type: ConsentEventType;
  /** Who caused it: the person, their bank, or the controller's own rules (an end date, a deletion). */
  by: 'pii-principal' | 'bank' | 'controller';
  /** The consent's state once the event happened. */
  state: ConsentState | NotRecorded;
  /** What the consent covered once the event happened. */
  scopes: Scope[] | NotRecorded;
  /** The period the consent covered once the event happened; null while nothing was authorized. */
  validity: Period | null | NotRecorded;
  /** The disclosure the consent stood under at the event (consent/disclosure.ts). */
  disclosureVersion: string | NotRecorded;
}

export interface ConsentRecord {
  format: typeof CONSENT_RECORD_FORMAT;
  follows: 'ISO/IEC TS 27560:2023';
  about: string;
  asOf: string;
  recordId: string;
  piiPrincipal: { id: string; idType: string };
  piiController: { name: string; contact: string[] };
  /** The disclosure the consent stands under now: the text the person last agreed to. */
  notice: { disclosureVersion: string; disclosureHash: string };
  state: ConsentState;
  validity: Period | null;
  /** The duration chosen (ISO 8601), at most a year from each authorization. */
  duration: string;
  legalBasis: 'consent';
  consentType: 'explicit';
  collectionMethod: string;
  dataSource: { bank: Institution | null; via: string };
  purposes: { scope: Scope; purpose: string; dataCategories: string[] }[];
  notUsedFor: readonly string[];
  recipients: { name: string; role: string; receives: string }[];
  retention: {
    financialData: { heldUntil: string | null; rule: string };
    transactions: { duration: string; rule: string };
    consentRecord: { duration: string; rule: string };
  };
  jurisdiction: { countries: string[]; note: string };
  withdrawal: { methods: readonly string[]; effect: string };
  events: ConsentRecordEvent[];
}

/** What the operator's configuration and the record's principal contribute to every record. */
export interface RecordKeeping {
  principalId: string;
  controller: { name: string; contact?: string };
  countries: string[];
}

/**
 * The principal's id in a record: a keyed hash of the PSID, not the PSID. A PSID is this Page's
 * handle on the person's Messenger account (with the Page token it opens their name and picture),
 * and the record is made to be handed to others: an auditor sees one stable id per person, which
 * only the controller, holding the key, can match to the person. A label of its own keeps it
 * distinct from the id the bank knows the person by (link-token.ts bankUserId).
 */
export const recordPrincipalId = (psid: string, secret: string): string =>
  createHmac('sha256', secret).update(`consent-record-principal:${psid}`).digest('hex').slice(0, 32);

/** The settings a record is made with: the controller, its contact, its countries, the key of principal ids. */
export type RecordSettings = Pick<ConsentSettings, 'linkSecret' | 'recipient' | 'privacyContact' | 'countryCodes'>;

export const recordKeeping = (psid: string, settings: RecordSettings): RecordKeeping => ({
  principalId: recordPrincipalId(psid, settings.linkSecret),
  controller: { name: settings.recipient, ...(settings.privacyContact ? { contact: settings.privacyContact } : {}) },
  countries: settings.countryCodes,
});

const days = (n: number) => `P${n}D`;

const BY: Record<Actor, ConsentRecordEvent['by']> = { person: 'pii-principal', bank: 'bank', system: 'controller' };

const GIVEN: ConsentState[] = ['dpv:ConsentGiven', 'dpv:RenewedConsentGiven'];

/**
 * The order of a consent's life, for entries of the same millisecond: the audit's keys break such
 * ties at random, and a grant cannot precede its request.
 */
const LIFECYCLE: AuditAction[] = ['requested', 'granted', 'renewed', 'scopes-changed', 'revoked', 'expired', 'deleted'];

/**
 * The consent's events from its audit entries, oldest first. Each event's state follows from the
 * ones before it where the entry alone does not say it (a scope change keeps the consent given, a
 * deletion leaves it as it ended); the validity of a deletion is the ended consent's.
 */
function eventsOf(consentId: string, history: AuditEntry[]): ConsentRecordEvent[] {
  const entries = history.filter((entry) => entry.consentId === consentId).sort((a, b) => a.at.localeCompare(b.at) || LIFECYCLE.indexOf(a.action) - LIFECYCLE.indexOf(b.action));
  const events: ConsentRecordEvent[] = [];
  for (const entry of entries) {
    const previous = events.at(-1);
    const change = changeOf(entry, previous?.state);
    if (!change) continue;
    const validity = entry.validity
      ? { from: entry.validity.from, until: entry.validity.until }
      : change.type === 'requested' || previous?.state === 'dpv:ConsentRequested'
        ? null
        : change.type === 'data-deleted' && previous
          ? previous.validity
          : words.notRecorded;
    events.push({
      time: entry.at,
      type: change.type,
      by: BY[entry.actor],
      state: change.state,
      scopes: entry.scopes ? [...entry.scopes] : words.notRecorded,
      validity,
      disclosureVersion: entry.disclosureVersion ?? words.notRecorded,
    });
  }
  return events;
}

/** What an audit entry did to the consent, or undefined for entries that are not its events. */
function changeOf(entry: AuditEntry, previous: ConsentState | NotRecorded | undefined): { type: ConsentEventType; state: ConsentState | NotRecorded } | undefined {
  switch (entry.action) {
    case 'requested':
      return { type: 'requested', state: 'dpv:ConsentRequested' };
    case 'granted':
      return { type: 'given', state: 'dpv:ConsentGiven' };
    case 'renewed':
      return { type: 'renewed', state: 'dpv:RenewedConsentGiven' };
    case 'scopes-changed':
      return { type: 'scopes-changed', state: previous && GIVEN.includes(previous as ConsentState) ? previous : 'dpv:ConsentGiven' };
    case 'revoked':
      return entry.actor === 'person' ? { type: 'withdrawn', state: 'dpv:ConsentWithdrawn' } : { type: 'revoked', state: 'dpv:ConsentRevoked' };
    case 'expired':
      return { type: 'expired', state: 'dpv:ConsentExpired' };
    case 'deleted':
      return { type: 'data-deleted', state: previous ?? (entry.details?.reason === 'expired' ? 'dpv:ConsentExpired' : words.notRecorded) };
    default:
      return undefined;
  }
}

/** Whether an audit entry is an event of its consent's record (exports and refused accesses are not). */
export const isConsentEvent = (entry: AuditEntry): boolean => changeOf(entry, undefined) !== undefined;

function stateOf(consent: Consent, events: ConsentRecordEvent[], asOf: Date): ConsentState {
  switch (consent.status) {
    case 'pending':
      return 'dpv:ConsentRequested';
    case 'revoked':
      return consent.endedBy === 'person' ? 'dpv:ConsentWithdrawn' : 'dpv:ConsentRevoked';
    case 'expired':
      return 'dpv:ConsentExpired';
    case 'active': {
      // Past its end date, before the hourly sweep has marked it: no longer valid for processing.
      if (!isInForce(consent, asOf)) return 'dpv:ConsentExpired';
      const last = events.findLast((event) => GIVEN.includes(event.state as ConsentState));
      return last?.state === 'dpv:RenewedConsentGiven' ? 'dpv:RenewedConsentGiven' : 'dpv:ConsentGiven';
    }
  }
}

/**
 * The record of `consent` as of `asOf`, from its audit entries (`history` may hold the person's
 * whole history: only this consent's events are kept).
 */
export function consentRecord(consent: Consent, history: AuditEntry[], keeping: RecordKeeping, asOf: Date): ConsentRecord {
  const events = eventsOf(consent.consentId, history);
  const validity = validityOf(consent) ?? null;
  const categories = words.dataCategories(TRANSACTION_RETENTION_DAYS);
  return {
    format: CONSENT_RECORD_FORMAT,
    follows: 'ISO/IEC TS 27560:2023',
    about: words.about,
    asOf: asOf.toISOString(),
    recordId: consent.consentId,
    piiPrincipal: { id: keeping.principalId, idType: words.principalIdType },
    piiController: { name: keeping.controller.name, contact: [...(keeping.controller.contact ? [keeping.controller.contact] : []), words.contactInChat] },
    notice: { disclosureVersion: consent.disclosureVersion, disclosureHash: consent.disclosureHash },
    state: stateOf(consent, events, asOf),
    validity,
    duration: days(consent.durationDays),
    legalBasis: 'consent',
    consentType: 'explicit',
    collectionMethod: words.collectionMethod,
    dataSource: { bank: consent.institution ?? null, via: words.bankConnection },
    purposes: consent.scopes.map((scope) => ({ scope, purpose: words.purposes[scope], dataCategories: categories[scope] })),
    notUsedFor: words.notUsedFor,
    recipients: words.recipients(keeping.controller.name),
    retention: {
      // Financial data goes when the consent ends: at the latest on its end date, or when it ended.
      financialData: { heldUntil: validity?.until ?? null, rule: words.retention.financialData },
      transactions: { duration: days(TRANSACTION_RETENTION_DAYS), rule: words.retention.transactions(TRANSACTION_RETENTION_DAYS) },
      consentRecord: { duration: days(AUDIT_RETENTION_DAYS), rule: words.retention.record(AUDIT_RETENTION_DAYS) },
    },
    jurisdiction: { countries: [...keeping.countries], note: words.jurisdiction },
    withdrawal: { methods: words.withdrawalMethod, effect: words.withdrawalEffect },
    events,
  };
}

/** The record as the JSON file the person downloads. */
export const consentRecordJson = (record: ConsentRecord): string => JSON.stringify(record, null, 2);
export const consentRecordFileName = (record: ConsentRecord): string => `consent-record-${record.asOf.slice(0, 10)}-${record.recordId.slice(0, 8)}.json`;

export interface ConsentRecordDeps {
  store: { listAudit(psid: string): Promise<AuditEntry[]> };
  clock: () => Date;
}

/** The record of one of the person's consents, with its events as the audit holds them now. */
export async function consentRecordOf(consent: Consent, settings: RecordSettings, deps: ConsentRecordDeps): Promise<ConsentRecord> {
  const history = await deps.store.listAudit(consent.psid);
  return consentRecord(consent, history, recordKeeping(consent.psid, settings), deps.clock());
}
