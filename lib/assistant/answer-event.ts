import type { InboundEvent } from '../messenger/events';
import { deliverOnce } from '../messenger/deliver';
import type { OutboundMessage, SendApi } from '../messenger/send-api';
import type { Log } from '../logger';
import type { Store } from '../store';

export interface AnswerDeps {
  store: Pick<
    Store,
    'claimReply' | 'markReplySent' | 'markReplyFailed' | 'releaseReply' | 'recordInboundActivity' | 'markRecipientUnreachable'
  >;
  messenger: Pick<SendApi, 'send'>;
  /**
   * What to answer (may act, e.g. revoke a consent; must be safe to run again on a retry), and
   * what to do once it is sent (e.g. hand the thread to a person after saying so).
   */
  compose: (event: InboundEvent & { psid: string }) => Promise<{ messages: OutboundMessage[]; afterSent?: () => Promise<OutboundMessage[]> }>;
  log: Log;
}

export type AnswerOutcome = 'replied' | 'ignored' | 'already-answered' | 'undeliverable';

/** Events a person sends us and expects an answer to; everything else is recorded only. */
const wantsAnswer = (event: InboundEvent): event is InboundEvent & { psid: string } =>
  event.channel === 'messaging' &&
  event.psid !== null &&
  ((event.kind === 'message' && event.message.is_echo !== true) || event.kind === 'postback' || event.kind === 'account_linking');

/**
 * Answers one inbound event, at most once (see deliverOnce for the ledger and failure handling).
 */
export async function answerInboundEvent(event: InboundEvent, deps: AnswerDeps): Promise<AnswerOutcome> {
  if (!wantsAnswer(event)) return 'ignored';
  const psid = event.psid;
  // When the person last wrote (their 24-hour window, for alerts) does not depend on the reply, nor
  // the reply on it: it is recorded while the reply is claimed and composed, one round trip less.
  // A failure still fails the event, after the answer; the retry finds the answer in the ledger.
  const activity = deps.store.recordInboundActivity(psid, event.timestamp);
  void activity.catch(() => undefined);
  let sent = 0;
  let afterSent: (() => Promise<OutboundMessage[]>) | undefined;
  const outcome = await deliverOnce(
    {
      psid,
      key: event.id,
      messagingType: 'RESPONSE',
      compose: async () => {
        const reply = await deps.compose(event);
        sent = reply.messages.length;
        afterSent = reply.afterSent;
        return reply.messages;
      },
    },
    deps,
  );
  await activity;
  if (outcome === 'already-sent') return 'already-answered';
  if (outcome === 'undeliverable') return 'undeliverable';
  deps.log.info('Replied', { eventId: event.id, kind: event.kind, messages: sent });
  if (afterSent) {
    const more = await afterSent();
    if (more.length) await deliverOnce({ psid, key: `${event.id}:after`, messagingType: 'RESPONSE', compose: async () => more }, deps);
  }
  return 'replied';
}
