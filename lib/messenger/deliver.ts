import { isRetryable, OutsideMessagingWindow, PageTokenInvalid, RecipientUnavailable, ReplyInProgress, SendApiError, SendApiRejected } from '../errors';
import type { Log } from '../logger';
import type { MessagingType, OutboundMessage, SendApi, SendRequest, UtilityMessage } from './send-api';

/** A reply's place in the ledger: the person, and the event (or notice) it answers. */
export interface ReplyKey {
  psid: string;
  eventId: string;
}

/**
 * The reply ledger deliverOnce works through, and where an unreachable person is noted. Declared
 * here, by the one who needs it; the store provides it.
 */
/** A claim on a key: taken, already settled, or leased by another invocation until `leaseExpiresAt`. */
export type ReplyClaim = { outcome: 'claimed' } | { outcome: 'already-sent' } | { outcome: 'already-failed' } | { outcome: 'in-progress'; leaseExpiresAt: number };

export interface ReplyLedger {
  claimReply(key: ReplyKey): Promise<ReplyClaim>;
  markReplySent(key: ReplyKey, messageIds: string[]): Promise<void>;
  markReplyFailed(key: ReplyKey, reason: string): Promise<void>;
  releaseReply(key: ReplyKey): Promise<void>;
  markRecipientUnreachable(psid: string, reason: string): Promise<void>;
}

export interface DeliverDeps {
  store: ReplyLedger;
  messenger: Pick<SendApi, 'send'>;
  log: Log;
}

export type DeliveryOutcome = 'sent' | 'already-sent' | 'undeliverable';

export interface DeliveryInput {
  psid: string;
  key: string;
  messagingType: MessagingType;
  compose: () => Promise<(OutboundMessage | UtilityMessage)[]>;
}

/**
 * Sends messages at most once per key, through the reply ledger: the key is claimed (a lease)
 * before anything is composed or sent and marked sent after, so a replayed stream record finds it
 * done. `compose` runs only under the claim (it may act, e.g. revoke a consent, and must be safe
 * to run again if a transient failure gives the claim back).
 *
 * Failures are decided here, once: transient ones and a revoked Page token release the claim and
 * throw (the stream retries the record; the DLQ keeps it if the operator must act); permanent ones
 * for this message (the person blocked the Page, the 24-hour window is closed, a request Meta
 * rejects) are recorded and end here — retrying cannot help and would hold up later messages.
 *
 * A message we start that has another way to reach the person (a utility template, or being held
 * for their next message) asks for `whenWindowClosed: 'release'`: a closed window then gives the
 * claim back, so that other way delivers under the same key, once, instead of finding it failed.
 */
export function deliverOnce(input: DeliveryInput & { whenWindowClosed: 'release' }, deps: DeliverDeps): Promise<DeliveryOutcome | 'window-closed'>;
export function deliverOnce(input: DeliveryInput, deps: DeliverDeps): Promise<DeliveryOutcome>;
export async function deliverOnce(input: DeliveryInput & { whenWindowClosed?: 'release' }, deps: DeliverDeps): Promise<DeliveryOutcome | 'window-closed'> {
  const ledgerKey = { psid: input.psid, eventId: input.key };
  const claim = await deps.store.claimReply(ledgerKey);
  if (claim.outcome === 'already-sent' || claim.outcome === 'already-failed') return 'already-sent';
  if (claim.outcome === 'in-progress') throw new ReplyInProgress(`Message ${input.key} is being sent elsewhere`);

  const ids: string[] = [];
  try {
    for (const message of await input.compose()) {
      // The pairing of messaging type and message kind is checked by the Send API client's schema.
      const request = { recipient: { id: input.psid }, messaging_type: input.messagingType, message } as SendRequest;
      const result = await deps.messenger.send(request);
      if (result.messageId) ids.push(result.messageId);
    }
  } catch (error) {
    if (!(error instanceof SendApiError) || isRetryable(error) || error instanceof PageTokenInvalid) {
      await deps.store.releaseReply(ledgerKey);
      throw error;
    }
    // Only while nothing of it went out: a key given back half-sent would send its first part again.
    if (error instanceof OutsideMessagingWindow && input.whenWindowClosed === 'release' && ids.length === 0) {
      await deps.store.releaseReply(ledgerKey);
      return 'window-closed';
    }
    if (error instanceof RecipientUnavailable) await deps.store.markRecipientUnreachable(input.psid, error.name);
    await deps.store.markReplyFailed(ledgerKey, error.name);
    const level = error instanceof SendApiRejected ? 'error' : 'warn';
    deps.log[level]('Message not deliverable', { key: input.key, reason: error.name, code: error.code, subcode: error.subcode });
    return 'undeliverable';
  }
  await deps.store.markReplySent(ledgerKey, ids);
  return 'sent';
}
