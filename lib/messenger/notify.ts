import { isRetryable, PageTokenInvalid, RecipientUnavailable, SendApiError } from '../errors';
import type { Log } from '../logger';
import type { Store } from '../store';
import type { OutboundMessage, SendApi } from './send-api';

export interface NotifyDeps {
  store: Pick<Store, 'claimReply' | 'markReplySent' | 'markReplyFailed' | 'releaseReply' | 'markRecipientUnreachable'>;
  messenger: Pick<SendApi, 'send'>;
  log: Log;
}

/**
 * Sends a message we start (not an answer) at most once per key, through the same reply ledger
 * as answers: a retried stream record does not tell the person twice. Transient failures give
 * the claim back and throw (the record is retried); a person who blocked the Page is recorded
 * and not retried; a closed 24-hour window is logged (held alerts come with the alerts work).
 */
export async function notifyOnce(psid: string, key: string, messages: OutboundMessage[], deps: NotifyDeps): Promise<'sent' | 'already-sent' | 'undeliverable'> {
  const ledgerKey = { psid, eventId: key };
  const claim = await deps.store.claimReply(ledgerKey);
  if (claim.outcome === 'already-sent' || claim.outcome === 'already-failed') return 'already-sent';
  if (claim.outcome === 'in-progress') throw new Error(`Notification ${key} is being sent elsewhere`);
  const ids: string[] = [];
  try {
    for (const message of messages) {
      const result = await deps.messenger.send({ recipient: { id: psid }, messaging_type: 'UPDATE', message });
      if (result.messageId) ids.push(result.messageId);
    }
  } catch (error) {
    if (!(error instanceof SendApiError) || isRetryable(error) || error instanceof PageTokenInvalid) {
      await deps.store.releaseReply(ledgerKey);
      throw error;
    }
    if (error instanceof RecipientUnavailable) await deps.store.markRecipientUnreachable(psid, error.name);
    await deps.store.markReplyFailed(ledgerKey, error.name);
    deps.log.warn('Notification not deliverable', { key, reason: error.name, code: error.code });
    return 'undeliverable';
  }
  await deps.store.markReplySent(ledgerKey, ids);
  return 'sent';
}
