import type { ConnectionExport, FinancialReads } from '../store';
import type { PersonRecords } from '../store/person-records';
import { browserLanguage } from '../text/language';
import { exportFile } from '../text/en/export-file';
import { consentRecord, isConsentEvent, recordKeeping, type ConsentRecord, type RecordSettings } from './consent-record';
import { isInForce, type AuditEntry, type Consent, type Institution } from './model/consent';
import type { ConsentStorePort } from './flows';

/**
 * Consent rule 7: a person can see what is held about them and take a machine-readable copy.
 * The summary is for the chat; the export is everything held about them, behind a signed,
 * single-use link, shown as a page with the JSON file beside it.
 */
export interface HoldingsDeps {
  store: Pick<ConsentStorePort, 'listConsents'> & { listAudit(psid: string): Promise<AuditEntry[]> };
  financial: Pick<FinancialReads, 'holdings'>;
  clock: () => Date;
}

export interface ExportDeps {
  store: Pick<ConsentStorePort, 'listConsents' | 'appendAudit'> & {
    listAudit(psid: string): Promise<AuditEntry[]>;
    listPersonRecords(psid: string): Promise<PersonRecords>;
  };
  financial: Pick<FinancialReads, 'exportData'>;
  /** Who the controller is and the key of principal ids, for the consent records. */
  settings: RecordSettings;
  clock: () => Date;
}

export interface Holdings {
  consents: Consent[];
  inForce: { consent: Consent; accounts: number; transactions: number }[];
  auditEntries: number;
}

export type ExportedConsent = Omit<Consent, 'bankLinkToken' | 'accountLinkRedirect'>;

export interface PersonExport {
  /** 2: the consent history became one consent record per consent (consent-record.ts), the rest in otherHistory. */
  format: 'messenger-banking-export/2';
  exportedAt: string;
  subject: { messengerPageScopedId: string };
  consents: ExportedConsent[];
  consentHistory: ConsentRecord[];
  /** Audit entries that are no event of a consent above: exports, refused uses of the person's links. */
  otherHistory: AuditEntry[];
  financialData: ({ consentId: string; institution: Institution | null } & ConnectionExport)[];
  alertSettings: Record<string, unknown> | null;
  messaging: {
    profile: Record<string, unknown> | null;
    conversation: Record<string, unknown> | null;
    /** Where the person's figures appear (absent from files made before the choice existed). */
    preferences?: Record<string, unknown> | null;
    messagesReceived: Record<string, unknown>[];
    replies: Record<string, unknown>[];
    /** Notices waiting for the person's next message (absent from files made before they were held). */
    heldNotices?: Record<string, unknown>[];
  };
  deletions: Record<string, unknown>[];
  notes: string[];
  notIncluded: { what: string; why: string }[];
}

/**
 * Where the export puts each item type kept under a person's keys, or why it leaves it out. Every
 * type must be decided here: test/lib/consent/export-coverage.test.ts writes one item of each kind
 * the store writes and fails on a type that is neither exported nor explained.
 */
export const EXPORT_COVERAGE = {
  consent: { exportedAs: 'consents' },
  /** The audit table's records (they carry no item type). */
  audit: { exportedAs: 'consentHistory[].events' },
  connection: { exportedAs: 'financialData[].connection' },
  account: { exportedAs: 'financialData[].accounts' },
  transaction: { exportedAs: 'financialData[].transactions' },
  'recurring-stream': { exportedAs: 'financialData[].recurringStreams' },
  alert: { exportedAs: 'financialData[].alerts' },
  'held-alert': { exportedAs: 'financialData[].heldAlerts' },
  'alert-settings': { exportedAs: 'alertSettings' },
  profile: { exportedAs: 'messaging.profile' },
  conversation: { exportedAs: 'messaging.conversation' },
  inbox: { exportedAs: 'messaging.messagesReceived' },
  reply: { exportedAs: 'messaging.replies' },
  'held-notice': { exportedAs: 'messaging.heldNotices' },
  purge: { exportedAs: 'deletions' },
  'bank-item': { leftOut: exportFile.leftOut.bankItemIndex },
  'private-answer': { leftOut: exportFile.leftOut.privateAnswers },
  preferences: { exportedAs: 'messaging.preferences' },
} as const satisfies Record<string, { exportedAs: string } | { leftOut: { what: string; why: string } }>;

/** Parts of exported items left out, and why; told to the person in the file and on the page. */
const LEFT_OUT_FIELDS: { what: string; why: string }[] = [exportFile.leftOut.tokens, exportFile.leftOut.syncPosition, exportFile.leftOut.accountLinkRedirect];

const notIncluded = (): { what: string; why: string }[] => [
  ...Object.values(EXPORT_COVERAGE).flatMap((decision) => ('leftOut' in decision ? [decision.leftOut] : [])),
  ...LEFT_OUT_FIELDS,
];

const publicConsent = (consent: Consent): ExportedConsent => {
  const { bankLinkToken: _token, accountLinkRedirect: _redirect, ...rest } = consent as Consent & Record<string, unknown>;
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _g1, gsi1sk: _g2, ...exported } = rest;
  return exported as ExportedConsent;
};

export async function holdingsOf(psid: string, deps: HoldingsDeps): Promise<Holdings> {
  const [consents, audit] = await Promise.all([deps.store.listConsents(psid), deps.store.listAudit(psid)]);
  const inForce = await Promise.all(
    consents.filter((c) => isInForce(c, deps.clock())).map(async (consent) => ({ consent, ...(await deps.financial.holdings(consent)) })),
  );
  return { consents, inForce, auditEntries: audit.length };
}

export async function exportPersonData(psid: string, deps: ExportDeps): Promise<PersonExport> {
  const [consents, audit, records] = await Promise.all([deps.store.listConsents(psid), deps.store.listAudit(psid), deps.store.listPersonRecords(psid)]);
  const data = await Promise.all(
    consents.map(async (consent) => ({ consentId: consent.consentId, institution: consent.institution ?? null, ...(await deps.financial.exportData(consent)) })),
  );
  const now = deps.clock();
  const exportedAt = now.toISOString();
  const keeping = recordKeeping(psid, deps.settings);
  // Every entry is in the file once: as an event in its consent's record, or else here.
  const held = new Set(consents.map((c) => c.consentId));
  const otherHistory = audit.filter((entry) => !(entry.consentId && held.has(entry.consentId) && isConsentEvent(entry)));
  await deps.store.appendAudit({ action: 'exported', psid, at: exportedAt, actor: 'person' });
  return {
    format: 'messenger-banking-export/2',
    exportedAt,
    subject: { messengerPageScopedId: psid },
    consents: consents.map(publicConsent),
    consentHistory: consents.map((consent) => consentRecord(consent, audit, keeping, now)),
    otherHistory,
    financialData: data.filter((d) => d.connection || d.accounts.length + d.transactions.length + d.recurringStreams.length + d.alerts.length + d.heldAlerts.length > 0),
    alertSettings: records.alertSettings ?? null,
    messaging: {
      profile: records.profile ?? null,
      conversation: records.conversation ?? null,
      preferences: records.preferences ?? null,
      messagesReceived: records.messagesReceived,
      replies: records.replies,
      heldNotices: records.heldNotices,
    },
    deletions: records.purges,
    notes: [...exportFile.notes],
    notIncluded: notIncluded(),
  };
}

/** The export as the JSON file the person downloads. */
export const exportJson = (data: PersonExport): string => JSON.stringify(data, null, 2);
export const exportFileName = (data: PersonExport): string => `my-bank-assistant-data-${data.exportedAt.slice(0, 10)}.json`;

/**
 * The language of the export page: the one the person speaks with the assistant, else their
 * browser's first choice when it is Spanish, else English.
 */
export function exportLanguage(data: PersonExport, acceptLanguage: string | undefined): 'en' | 'es' {
  const spoken = data.messaging.conversation?.lang;
  if (spoken === 'en' || spoken === 'es') return spoken;
  return browserLanguage(acceptLanguage);
}
