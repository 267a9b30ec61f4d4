import { bankWarningMessage, syncFailedMessage, type BankNotice } from '../consent/messages';
import type { Language } from '../text/language';
import { parsePlaidWebhook, WebhookUnverified, type PlaidWebhookEvent, type WebhookVerifier } from '../banking/webhook-verification';
import { isInForce, type Consent } from '../consent/model/consent';
import type { AccountNotice } from '../consent/notices';
import type { Log } from '../logger';
import type { OutboundMessage } from '../messenger/send-api';
import type { BankEvents } from './bank-events';
import type { SyncRequest } from '../queue/sync-queue';

/**
 * What a verified bank webhook does. The item names whose it is (through the item pointer);
 * a webhook for an item no consent covers any more has no effect.
 */
export interface BankWebhookDeps {
  findBankItem(itemId: string): Promise<{ psid: string; consentId: string } | undefined>;
  getConsent(psid: string, consentId: string): Promise<Consent | undefined>;
  requestSync(request: SyncRequest): Promise<void>;
  unscheduleSync(key: { psid: string; itemId: string }, status: string): Promise<void>;
  /** Login required, access revoked: handled as when a sync meets them. */
  events: BankEvents;
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

export interface ReceiveDeps {
  verifier: WebhookVerifier;
  /** Records a delivery for an hour: 'duplicate' when the same bytes came within it. */
  recordDelivery(dedupeId: string): Promise<'new' | 'duplicate'>;
  /** What the effect needs, built only for a delivery that has one (a duplicate loads no secret). */
  effects(): Promise<BankWebhookDeps>;
  log: Log;
}

/**
 * A delivery of the bank's webhook: verified before anything in it is read, then acted on once.
 * Plaid's bodies carry no delivery id: two genuine SYNC_UPDATES_AVAILABLE for one item are the
 * same bytes. Those are never deduplicated (a sync finding nothing new is harmless); every other
 * webhook is, for an hour, so a redelivery has no second effect.
 */
export async function receiveBankWebhook(rawBody: Uint8Array, signature: string | undefined, deps: ReceiveDeps): Promise<WebhookEffect | 'duplicate'> {
  try {
    await deps.verifier.verify(rawBody, signature);
  } catch (error) {
    if (error instanceof WebhookUnverified) deps.log.warn('Bank webhook refused', { reason: error.reason });
    throw error;
  }
  const { dedupeId, event } = parsePlaidWebhook(rawBody);
  if (event.kind !== 'sync-updates-available' && (await deps.recordDelivery(dedupeId)) === 'duplicate') return 'duplicate';
  const effect = await onBankWebhook(event, await deps.effects());
  deps.log.info('Bank webhook handled', { kind: event.kind, effect });
  return effect;
}

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
      await deps.events.loginRequired(consent, [syncFailedMessage(consent, deps.reconnectLink(consent), await lang())]);
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
      await deps.events.accessRevoked(consent);
      return 'revoked';
  }
}

function noticeOf(event: Extract<PlaidWebhookEvent, { kind: 'pending-expiration' | 'pending-disconnect' }>): BankNotice {
  if (event.kind === 'pending-expiration') return { cause: 'permission-ends', ...(event.consentExpiresAt ? { at: event.consentExpiresAt } : {}) };
  return { cause: event.reason ?? 'other', ...(event.disconnectAt ? { at: event.disconnectAt } : {}) };
}
