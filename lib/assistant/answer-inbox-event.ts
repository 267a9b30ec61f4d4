import type { DeliveryOutcome } from '../messenger/deliver';
import { deliverOnce } from '../messenger/deliver';
import type { InboundEvent } from '../messenger/events';
import { asRefreshNotice } from '../sync/refresh-notice';
import { answerTurn, type AnswerOutcome, type TurnDeps } from './answer-event';
import { composeRefreshed, composeReply, type ComposeDeps } from './compose';

export interface InboxEventDeps<Held = unknown> extends Omit<TurnDeps<Held>, 'compose'> {
  /** What the assistant reads, changes and links to when it composes an answer. */
  assistant: ComposeDeps;
}

/**
 * One event of the person's inbox, as the conversation answers it: fresh data the person was
 * waiting for (the updated answer, once), or their own message (the answer, then the alerts and
 * notices held while their window was closed).
 */
export async function answerInboxEvent<Held>(inbound: InboundEvent, deps: InboxEventDeps<Held>): Promise<AnswerOutcome | DeliveryOutcome> {
  const notice = asRefreshNotice(inbound);
  if (!notice) return answerTurn(inbound, { ...deps, compose: (asked) => composeReply(asked, deps.assistant) });
  const updated = await composeRefreshed(notice.psid, notice.data_refreshed.itemId, deps.assistant);
  if (!updated?.messages.length) return 'ignored';
  const outcome = await deliverOnce({ psid: notice.psid, key: updated.key, messagingType: 'RESPONSE', compose: async () => updated.messages }, deps);
  deps.log.info('Sent the refreshed answer', { outcome });
  if (outcome === 'sent') deps.count('RepliesSent');
  return outcome;
}
