import type { BankConnector, ItemRemovalReason } from '../banking/bank-connector';
import { BankAccessRevoked, isRetryable } from '../errors';
import type { Log } from '../logger';
import type { CountMetric } from '../metrics';
import type { OutboundMessage } from '../messenger/send-api';
import { deletedMessage, linkedMessage } from './messages';
import type { Language } from '../text/language';
import type { FinancialGate, Store } from '../store';
import type { Consent } from './model/consent';
import type { AccountNotice } from './notices';
import type { Presenter } from './private-answers';

/**
 * What follows a consent change, run from the table's stream so it is retried until done:
 * - activated: tell the person what they linked, then request the first sync (through the queue);
 * - revoked or expired: remove the item at the bank, telling it why, delete every bit of financial
 *   data held for it, audit the deletion and tell the person who ended it and what was deleted.
 * Each step is safe to repeat.
 *
 * A bank-side revocation removes the item too: after USER_PERMISSION_REVOKED Plaid keeps the item
 * (update mode may restore it), and USER_ACCOUNT_REVOKED leaves its other accounts readable, while
 * the consent that covered them has ended (consent rule 4: the bank's revocation does the same).
 */
export interface EffectsDeps {
  financial: Pick<FinancialGate, 'accessTokenForRemoval' | 'purge' | 'accountNames' | 'scrubWithdrawnScopes'>;
  bank: Pick<BankConnector, 'removeItem'>;
  /** The first sync of a new connection goes through the sync queue like every other. */
  requestSync(request: { psid: string; itemId: string; reason: 'new-consent' }): Promise<void>;
  /**
   * Sends a message at most once per key. One that describes itself as a notice (what was deleted)
   * can also reach the person outside their 24-hour window: as a utility message, or held for
   * their next message and composed again then.
   */
  notify(psid: string, key: string, messages: OutboundMessage[], notice?: AccountNotice): Promise<unknown>;
  purges: Pick<Store, 'getPurgeRecord' | 'recordPurge'>;
  /** Private mode: the linked accounts' names go to the private page, not the chat. Absent: in the chat. */
  presenter?: Pick<Presenter, 'present'>;
  /** The language the person speaks with the assistant, if known; English otherwise. */
  language?: (psid: string) => Promise<Language | undefined>;
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
    const [accounts, lang] = await Promise.all([deps.financial.accountNames(after), languageOf(after.psid, deps)]);
    const linked = linkedMessage(after, accounts, lang);
    const message = deps.presenter ? await deps.presenter.present(after.psid, linked, { kind: 'linked', lang }) : linked;
    await deps.notify(after.psid, `consent:${after.consentId}:linked`, [message]);
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

const languageOf = async (psid: string, deps: EffectsDeps): Promise<Language> => (await deps.language?.(psid)) ?? 'en';

/** How the consent ended, in the words the bank is told. */
const removalReason = (consent: Consent): ItemRemovalReason =>
  consent.status === 'expired' ? 'consent-expired' : consent.endedBy === 'bank' ? 'bank-revoked' : 'person-revoked';

async function purge(consent: Consent, deps: EffectsDeps) {
  // A retry after a partial run (e.g. the chat message failed) reports what the first run did.
  const done = await deps.purges.getPurgeRecord(consent.psid, consent.consentId);
  const record = done ?? (await purgeOnce(consent, deps));
  if (consent.itemId) {
    const lang = await languageOf(consent.psid, deps);
    await deps.notify(consent.psid, `consent:${consent.consentId}:deleted`, [deletedMessage(consent, record, record.removedAtBank, lang)], { kind: 'data-deleted', consentId: consent.consentId });
  }
}

async function purgeOnce(consent: Consent, deps: EffectsDeps) {
  let removedAtBank = false;
  const reason = removalReason(consent);
  const token = await deps.financial.accessTokenForRemoval(consent);
  if (token) {
    try {
      await deps.bank.removeItem(token, reason);
      removedAtBank = true;
    } catch (error) {
      const alreadyGone = error instanceof BankAccessRevoked;
      // The bank has already cut our access: a refusal no retry can change must not hold back the
      // deletion of what we hold.
      const refusedAfterBankRevoked = reason === 'bank-revoked' && !isRetryable(error);
      if (!alreadyGone && !refusedAfterBankRevoked) throw error;
      if (!alreadyGone) deps.log.warn('The bank refused to remove an item whose access it had revoked', { consentId: consent.consentId, error: (error as Error).name });
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
