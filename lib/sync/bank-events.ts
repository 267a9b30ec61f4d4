import type { Consent } from '../consent/model/consent';
import type { ConsentDeps } from '../consent/flows';
import { revokeOwnConsent } from '../consent/revocation';
import { sendNotice, type NoticeDeps } from '../consent/notices';
import type { OutboundMessage } from '../messenger/send-api';

/**
 * What the bank says about a connection, whether its webhook says it or a sync's answer does: the
 * same notice under the same key, the same revocation, so a person hears it once whichever way it
 * came first.
 */
export interface BankEvents {
  /**
   * The person must log in at their bank again: told at most once a day per consent (now, as a
   * utility message, or held for their next message). `messages`: the wording already composed,
   * for a send now; without it the notice is composed from its description.
   */
  loginRequired(consent: Consent, messages?: OutboundMessage[]): Promise<void>;
  /** The bank ended access: a revocation by the bank, whose purge follows from the consent stream. */
  accessRevoked(consent: Consent): Promise<void>;
}

export interface BankEventDeps {
  notices: NoticeDeps;
  consents: Pick<ConsentDeps, 'store' | 'clock' | 'log'>;
}

export function bankEvents(deps: BankEventDeps): BankEvents {
  return {
    async loginRequired(consent, messages) {
      const day = deps.notices.clock().toISOString().slice(0, 10);
      const notice = { kind: 'bank-login', consentId: consent.consentId } as const;
      await sendNotice(consent.psid, `bank-login:${consent.consentId}:${day}`, notice, deps.notices, messages && (async () => messages));
    },
    async accessRevoked(consent) {
      await revokeOwnConsent(consent.psid, consent.consentId, 'bank', deps.consents);
    },
  };
}
