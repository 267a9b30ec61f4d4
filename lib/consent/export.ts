import type { FinancialData } from '../financial';
import { isInForce, type AuditEntry, type Consent } from './consent';
import type { ConsentStorePort } from './flows';

/**
 * Consent rule 7: a person can see what is held about them and take a machine-readable copy.
 * The summary is for the chat; the export is the JSON behind a signed, single-use link.
 */
export interface ExportDeps {
  store: Pick<ConsentStorePort, 'listConsents' | 'appendAudit'> & { listAudit(psid: string): Promise<AuditEntry[]> };
  financial: Pick<FinancialData, 'holdings' | 'exportData'>;
  clock: () => Date;
}

export interface Holdings {
  consents: Consent[];
  inForce: { consent: Consent; accounts: number; transactions: number }[];
  auditEntries: number;
}

const publicConsent = ({ bankLinkToken: _bankLinkToken, ...consent }: Consent & Record<string, unknown>) => {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _g1, gsi1sk: _g2, ...rest } = consent;
  return rest as Omit<Consent, 'bankLinkToken'>;
};

export async function holdingsOf(psid: string, deps: ExportDeps): Promise<Holdings> {
  const [consents, audit] = await Promise.all([deps.store.listConsents(psid), deps.store.listAudit(psid)]);
  const inForce = await Promise.all(
    consents.filter((c) => isInForce(c, deps.clock())).map(async (consent) => ({ consent, ...(await deps.financial.holdings(consent)) })),
  );
  return { consents, inForce, auditEntries: audit.length };
}

export async function exportPersonData(psid: string, deps: ExportDeps) {
  const [consents, audit] = await Promise.all([deps.store.listConsents(psid), deps.store.listAudit(psid)]);
  const data = await Promise.all(
    consents.map(async (consent) => ({ consentId: consent.consentId, institution: consent.institution ?? null, ...(await deps.financial.exportData(consent)) })),
  );
  const exportedAt = deps.clock().toISOString();
  await deps.store.appendAudit({ action: 'exported', psid, at: exportedAt, actor: 'person' });
  return {
    format: 'messenger-banking-export/1',
    exportedAt,
    subject: { messengerPageScopedId: psid },
    consents: consents.map((c) => publicConsent(c as Consent & Record<string, unknown>)),
    consentHistory: audit,
    financialData: data.filter((d) => d.accounts.length + d.transactions.length > 0),
    notes: [
      'Financial data is held only while a consent is in force, and deleted when it ends.',
      'The consent history (without financial data) is kept for 3 years after the events it records.',
      'Bank access tokens are not included: they let us call your bank for you and are not data about you.',
    ],
  };
}
