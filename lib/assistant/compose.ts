import { isInForce, type Consent } from '../consent/consent';
import { itWasMeMessage, notMeMessage, unknownAlertMessage, type BankFraudSteps } from '../alerts/messages';
import type { Holdings } from '../consent/export';
import { InvalidConsentTransition, NotFound } from '../errors';
import type { InboundEvent } from '../messenger/events';
import type { OutboundMessage } from '../messenger/send-api';
import {
  confirmStopMessage,
  dataPolicyMessage,
  accountLinkRefusedMessage,
  keepSharingMessage,
  linkBankMessage,
  manageMessage,
  myDataMessage,
  renewedMessage,
  stopAcknowledgedMessage,
} from './consent-replies';
import { intentOf } from './intents';
import { welcomeMessage } from './welcome';

/**
 * Decides what to answer. Whose consents are read or revoked is always the sender's: an id in a
 * payload only picks among the sender's own (anything else is refused and audited downstream).
 */
export interface ComposeDeps {
  listConsents(psid: string): Promise<Consent[]>;
  revoke(psid: string, consentId: string): Promise<Consent>;
  renew(psid: string, consentId: string): Promise<Consent>;
  holdings(psid: string): Promise<Holdings>;
  confirmAccountLink(psid: string, code: string): Promise<'confirmed' | 'refused'>;
  /** Records the person's answer to one of their own fraud alerts. */
  answerAlert(psid: string, alertId: string, answer: 'yes' | 'no'): Promise<'recorded' | 'unknown'>;
  bankFraudSteps: BankFraudSteps;
  link(psid: string, purpose: 'consent' | 'manage' | 'export'): string;
  clock: () => Date;
}

/** A payload naming a consent that is not the sender's (or no longer exists) gets a plain answer. */
async function ownOrNothing(act: () => Promise<Consent>): Promise<Consent | undefined> {
  try {
    return await act();
  } catch (error) {
    if (error instanceof NotFound || error instanceof InvalidConsentTransition) return undefined;
    throw error;
  }
}

const isMessage = (m: OutboundMessage | undefined): m is OutboundMessage => m !== undefined;

export async function composeReply(event: InboundEvent & { psid: string }, deps: ComposeDeps): Promise<OutboundMessage[]> {
  const intent = intentOf(event);
  const inForce = async () => (await deps.listConsents(event.psid)).filter((c) => isInForce(c, deps.clock()));

  switch (intent.kind) {
    case 'link-bank':
      return [linkBankMessage(deps.link(event.psid, 'consent'))];
    case 'data-policy':
      return [dataPolicyMessage()];
    case 'my-data':
      return [myDataMessage(await deps.holdings(event.psid), deps.link(event.psid, 'export'))];
    case 'manage-sharing':
      return [manageMessage(await inForce(), deps.link(event.psid, 'manage'))];
    case 'stop-sharing':
      return [confirmStopMessage(await inForce())];
    case 'confirm-revoke':
      return [stopAcknowledgedMessage(await ownOrNothing(() => deps.revoke(event.psid, intent.consentId)))].filter(isMessage);
    case 'renew':
      return [renewedMessage(await ownOrNothing(() => deps.renew(event.psid, intent.consentId)))].filter(isMessage);
    case 'keep-sharing':
      return [keepSharingMessage()];
    case 'fraud-answer': {
      const recorded = await deps.answerAlert(event.psid, intent.alertId, intent.answer);
      if (recorded === 'unknown') return [unknownAlertMessage()];
      return [intent.answer === 'no' ? notMeMessage(deps.bankFraudSteps) : itWasMeMessage()];
    }
    case 'account-linked':
      // Confirmed: the consent's own effects already told the person what they linked.
      return (await deps.confirmAccountLink(event.psid, intent.authorizationCode)) === 'confirmed' ? [] : [accountLinkRefusedMessage()];
    case 'account-unlinked': {
      // Unlinking in Messenger is a revocation, as easy as the grant (consent rule 4).
      const ended = await Promise.all((await inForce()).map((c) => deps.revoke(event.psid, c.consentId)));
      return [ended.length ? stopAcknowledgedMessage(ended[0]) : keepSharingMessage()];
    }
    case 'help':
    case 'welcome':
      return [welcomeMessage()];
  }
}
