import { bankWarningMessage, syncFailedMessage, type BankNotice } from '../assistant/consent-replies';
import type { Language } from '../assistant/nlu/understand';
import type { PlaidWebhookEvent } from '../banking/webhook-verification';
import { isInForce, type Consent } from '../consent/consent';
import type { AccountNotice } from '../consent/notices';
import type { Log } from '../logger';
import type { OutboundMessage } from '../messenger/send-api';
import type { SyncRequest } from './sync-connection';

/**
 * What a verified bank webhook does. The item names whose it is (through the item pointer);
 * a webhook for an item no consent covers any more has no effect.
 */
export interface BankWebhookDeps {
  findBankItem(itemId: string): Promise<{ psid: string; consentId: string } | undefined>;
  getConsent(psid: string, consentId: string): Promise<Consent | undefined>;
  requestSync(request: SyncRequest): Promise<void>;
  unscheduleSync(key: { psid: string; itemId: string }, status: string): Promise<void>;
  revokeByBank(consent: Consent): Promise<void>;
  /** Sends the notice at most once per key: now, as a utility message, or held for the person's next message. */
  notify(psid: string, key: string, messages: OutboundMessage[], notice: AccountNotice): Promise<unknown>;
  /** A link that opens the bank in update mode for this consent's item. */
  reconnectLink(consent: Consent): string;
  /** The language the person speaks with the assistant, if known; English otherwise. */
  language?: (psid: string) => Promise<Language | undefined>;
  clock: () => Date;
  log: Log;
}

export type WebhookEffect = 'sync-requested' | 'person-told' | 'revoked' | 'no-consent' | 'ignored';

export async function onBankWebhook(event: PlaidWebhookEvent, deps: BankWebhookDeps): Promise<WebhookEffect> {
  if (event.kind === 'ignored') return 'ignored';
  const owner = await deps.findBankItem(event.itemId);
  const consent = owner ? await deps.getConsent(owner.psid, owner.consentId) : undefined;
  if (!consent || !isInForce(consent, deps.clock())) {
    deps.log.info('Bank webhook for an item no consent covers', { kind: event.kind });
    return 'no-consent';
  }
  const key = { psid: consent.psid, itemId: event.itemId };
  const day = deps.clock().toISOString().slice(0, 10);
  const lang = async () => (await deps.language?.(consent.psid)) ?? 'en';

  switch (event.kind) {
    case 'sync-updates-available':
    case 'login-repaired':
      await deps.requestSync({ ...key, reason: 'webhook' });
      return 'sync-requested';
    case 'login-required':
      await deps.unscheduleSync(key, 'login-required');
      await deps.notify(consent.psid, `bank-login:${consent.consentId}:${day}`, [syncFailedMessage(consent, deps.reconnectLink(consent), await lang())], { kind: 'bank-login', consentId: consent.consentId });
      return 'person-told';
    case 'pending-expiration':
    case 'pending-disconnect': {
      // Nothing stops yet: the person is told why and when, with a way to log in again before then.
      const notice = noticeOf(event);
      await deps.notify(consent.psid, `bank-${event.kind}:${consent.consentId}:${day}`, [bankWarningMessage(consent, notice, deps.reconnectLink(consent), await lang())], {
        kind: 'bank-warning',
        consentId: consent.consentId,
        cause: notice.cause,
        ...(notice.at ? { at: notice.at.toISOString() } : {}),
      });
      return 'person-told';
    }
    case 'permission-revoked':
      await deps.revokeByBank(consent);
      return 'revoked';
  }
}

function noticeOf(event: Extract<PlaidWebhookEvent, { kind: 'pending-expiration' | 'pending-disconnect' }>): BankNotice {
  if (event.kind === 'pending-expiration') return { cause: 'permission-ends', ...(event.consentExpiresAt ? { at: event.consentExpiresAt } : {}) };
  return { cause: event.reason ?? 'other', ...(event.disconnectAt ? { at: event.disconnectAt } : {}) };
}
