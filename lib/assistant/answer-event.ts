import {
  isRetryable,
  PageTokenInvalid,
  RecipientUnavailable,
  ReplyInProgress,
  SendApiError,
  SendApiRejected,
} from '../errors';
import type { InboundEvent } from '../messenger/events';
import type { OutboundMessage, SendApi } from '../messenger/send-api';
import type { Log } from '../logger';
import type { Store } from '../store';

export interface AnswerDeps {
  store: Pick<
    Store,
    'claimReply' | 'markReplySent' | 'markReplyFailed' | 'releaseReply' | 'recordInboundActivity' | 'markRecipientUnreachable'
  >;
  messenger: Pick<SendApi, 'send'>;
  /** What to answer (may act, e.g. revoke a consent; must be safe to run again on a retry). */
  compose: (event: InboundEvent & { psid: string }) => Promise<OutboundMessage[]>;
  log: Log;
}

export type AnswerOutcome = 'replied' | 'ignored' | 'already-answered' | 'undeliverable';

/** Events a person sends us and expects an answer to; everything else is recorded only. */
const wantsAnswer = (event: InboundEvent): event is InboundEvent & { psid: string } =>
  event.channel === 'messaging' &&
  event.psid !== null &&
  ((event.kind === 'message' && event.message.is_echo !== true) || event.kind === 'postback' || event.kind === 'account_linking');

/**
 * Answers one inbound event, at most once. The reply ledger is claimed before sending and marked
 * after, so a replayed stream batch finds the reply already sent. Permanent delivery failures end
 * here (the person blocked the Page, a rejected request); transient ones give the claim back and
 * throw, so the stream retries the record.
 */
export async function answerInboundEvent(event: InboundEvent, deps: AnswerDeps): Promise<AnswerOutcome> {
  if (!wantsAnswer(event)) return 'ignored';
  const psid = event.psid;
  await deps.store.recordInboundActivity(psid, event.timestamp);

  const key = { psid, eventId: event.id };
  const claim = await deps.store.claimReply(key);
  if (claim.outcome === 'already-sent' || claim.outcome === 'already-failed') return 'already-answered';
  if (claim.outcome === 'in-progress') throw new ReplyInProgress(`Reply to ${event.id} is being sent elsewhere`);

  let messages: OutboundMessage[];
  try {
    messages = await deps.compose(event);
  } catch (error) {
    await deps.store.releaseReply(key);
    throw error;
  }
  const messageIds: string[] = [];
  try {
    for (const message of messages) {
      const result = await deps.messenger.send({ recipient: { id: psid }, messaging_type: 'RESPONSE', message });
      if (result.messageId) messageIds.push(result.messageId);
    }
  } catch (error) {
    return handleSendFailure(error, key, deps);
  }
  await deps.store.markReplySent(key, messageIds);
  deps.log.info('Replied', { eventId: event.id, kind: event.kind, messages: messageIds.length });
  return 'replied';
}

async function handleSendFailure(
  error: unknown,
  key: { psid: string; eventId: string },
  deps: AnswerDeps,
): Promise<AnswerOutcome> {
  // Transient failures, and a revoked Page token (the operator must act; the DLQ keeps the record
  // for a replay after the fix): give the claim back and let the record fail.
  if (!(error instanceof SendApiError) || isRetryable(error) || error instanceof PageTokenInvalid) {
    await deps.store.releaseReply(key);
    throw error;
  }
  // Permanent for this message: a person who blocked the Page, a closed window, a request Meta
  // rejects. Retrying cannot help and would hold up the person's later messages.
  if (error instanceof RecipientUnavailable) await deps.store.markRecipientUnreachable(key.psid, error.name);
  await deps.store.markReplyFailed(key, error.name);
  const level = error instanceof SendApiRejected ? 'error' : 'warn';
  deps.log[level]('Reply not deliverable', { eventId: key.eventId, reason: error.name, code: error.code, subcode: error.subcode });
  return 'undeliverable';
}
