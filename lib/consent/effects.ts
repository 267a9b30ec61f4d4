import type { BankConnector } from '../banking/bank-connector';
import { BankAccessRevoked } from '../errors';
import type { FinancialData } from '../financial';
import type { Log } from '../logger';
import type { CountMetric } from '../metrics';
import type { OutboundMessage } from '../messenger/send-api';
import { deletedMessage, linkedMessage } from '../assistant/consent-replies';
import type { Store } from '../store';
import type { Consent } from './consent';

/**
 * What follows a consent change, run from the table's stream so it is retried until done:
 * - activated: tell the person what they linked, then request the first sync (through the queue);
 * - revoked or expired: remove the item at the bank (unless the bank ended it), delete every bit of
 *   financial data held for it, audit the deletion and tell the person what was deleted.
 * Each step is safe to repeat.
 */
export interface EffectsDeps {
  financial: Pick<FinancialData, 'accessTokenForRemoval' | 'purge' | 'accountNames' | 'scrubWithdrawnScopes'>;
  bank: Pick<BankConnector, 'removeItem'>;
  /** The first sync of a new connection goes through the sync queue like every other. */
  requestSync(request: { psid: string; itemId: string; reason: 'new-consent' }): Promise<void>;
  notify(psid: string, key: string, messages: OutboundMessage[]): Promise<unknown>;
  purges: Pick<Store, 'getPurgeRecord' | 'recordPurge'>;
  clock: () => Date;
  log: Log;
  /**
   * Business metrics. Every committed consent change passes here, whoever made it (the person, the
   * bank, expiry): consents granted, revoked and expired are counted once each, here.
   */
  count?: CountMetric;
}

export type Effect = 'linked' | 'purged' | 'scrubbed' | 'none';

export async function onConsentChanged(before: Consent | undefined, after: Consent, deps: EffectsDeps): Promise<Effect> {
  if (before?.status === 'pending' && after.status === 'active') {
    await deps.notify(after.psid, `consent:${after.consentId}:linked`, [linkedMessage(after, await deps.financial.accountNames(after))]);
    if (after.itemId) await deps.requestSync({ psid: after.psid, itemId: after.itemId, reason: 'new-consent' });
    deps.count?.('ConsentsGranted');
    return 'linked';
  }
  if (before?.status === 'active' && after.status === 'active') {
    const withdrawn = before.scopes.filter((s) => !after.scopes.includes(s));
    if (withdrawn.length > 0) {
      const scrubbed = await deps.financial.scrubWithdrawnScopes(after, withdrawn);
      deps.log.info('Data of withdrawn scopes deleted', { consentId: after.consentId, withdrawn, ...scrubbed });
      return 'scrubbed';
    }
    return 'none';
  }
  const ended = (s: Consent['status'] | undefined) => s === 'revoked' || s === 'expired';
  if (ended(after.status) && !ended(before?.status)) {
    await purge(after, deps);
    return 'purged';
  }
  return 'none';
}

async function purge(consent: Consent, deps: EffectsDeps) {
  // A retry after a partial run (e.g. the chat message failed) reports what the first run did.
  const done = await deps.purges.getPurgeRecord(consent.psid, consent.consentId);
  const record = done ?? (await purgeOnce(consent, deps));
  if (consent.itemId) {
    await deps.notify(consent.psid, `consent:${consent.consentId}:deleted`, [deletedMessage(consent, record, record.removedAtBank)]);
  }
}

async function purgeOnce(consent: Consent, deps: EffectsDeps) {
  let removedAtBank = false;
  // A bank-side revocation already removed the item; otherwise we remove it, once.
  if (consent.endedBy !== 'bank') {
    const token = await deps.financial.accessTokenForRemoval(consent);
    if (token) {
      try {
        await deps.bank.removeItem(token);
        removedAtBank = true;
      } catch (error) {
        if (!(error instanceof BankAccessRevoked)) throw error; // already gone at the bank
      }
    }
  }
  const counts = await deps.financial.purge(consent);
  const at = deps.clock().toISOString();
  const record = await deps.purges.recordPurge(consent.psid, consent.consentId, { ...counts, removedAtBank, at }, {
    action: 'deleted',
    psid: consent.psid,
    consentId: consent.consentId,
    at,
    actor: 'system',
    disclosureVersion: consent.disclosureVersion,
    details: { ...counts, removedAtBank, reason: consent.status },
  });
  deps.log.info('Financial data purged', { consentId: consent.consentId, ...counts, removedAtBank });
  // Once per consent: a retry finds the purge record and does not come here again.
  deps.count?.(consent.status === 'revoked' ? 'ConsentsRevoked' : 'ConsentsExpired');
  return record;
}
