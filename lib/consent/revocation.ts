import { ConsentChanged } from '../errors';
import { revokeConsent, type Actor, type Consent } from './model/consent';
import { ownConsent, type ConsentDeps } from './flows';

/**
 * Revocation, from the person (the chat's confirmed "stop sharing", the manage page) or from the
 * bank (access revoked at its end). This commits the change and its audit record in one
 * transaction; what follows is driven by the table's stream, so it happens once whatever path the
 * revocation took: `effects.ts` (the consentEffects function) removes the item at the bank,
 * purges every piece of the consent's financial data through the store's financial gate and tells
 * the person who ended it and what was deleted (delivered by `notices.ts`).
 */
/** Revokes one of the person's consents (from the chat or the manage page). Idempotent. */
export async function revokeOwnConsent(psid: string, consentId: string, by: Actor, deps: Pick<ConsentDeps, 'store' | 'clock' | 'log'>): Promise<Consent> {
  for (let attempt = 0; ; attempt++) {
    const consent = await ownConsent(psid, consentId, deps);
    if (consent.status === 'revoked' || consent.status === 'expired') return consent;
    const transition = revokeConsent(consent, { now: deps.clock(), by });
    try {
      await deps.store.commitConsentTransition(transition);
      deps.log.info('Consent revoked', { consentId, by });
      return transition.consent;
    } catch (error) {
      // Changed between read and write (activated, renewed): read again; revocation always wins.
      if (error instanceof ConsentChanged && attempt < 3) continue;
      throw error;
    }
  }
}
