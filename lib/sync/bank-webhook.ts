import type { PlaidWebhookEvent } from '../banking/webhook-verification';
import { isInForce, type Consent } from '../consent/consent';
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
  notify(psid: string, key: string, messages: OutboundMessage[]): Promise<unknown>;
  reconnectMessage(consent: Consent, event: PlaidWebhookEvent): OutboundMessage;
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

  switch (event.kind) {
    case 'sync-updates-available':
    case 'login-repaired':
      await deps.requestSync({ ...key, reason: 'webhook' });
      return 'sync-requested';
    case 'login-required':
      await deps.unscheduleSync(key, 'login-required');
      await deps.notify(consent.psid, `bank-login:${consent.consentId}:${day}`, [deps.reconnectMessage(consent, event)]);
      return 'person-told';
    case 'pending-expiration':
    case 'pending-disconnect':
      await deps.notify(consent.psid, `bank-${event.kind}:${consent.consentId}:${day}`, [deps.reconnectMessage(consent, event)]);
      return 'person-told';
    case 'permission-revoked':
      await deps.revokeByBank(consent);
      return 'revoked';
  }
}
