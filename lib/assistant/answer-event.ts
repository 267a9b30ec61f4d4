import { deliverHeldAlerts, readHeldAlerts, type HeldAlertDeps } from '../alerts/deliver';
import type { InboundEvent } from '../messenger/events';
import { deliverOnce } from '../messenger/deliver';
import type { OutboundMessage, SendApi } from '../messenger/send-api';
import type { Log } from '../logger';
import type { CountMetric } from '../metrics';
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

/** Notices the product held while the window was closed: read as the turn starts, delivered after the reply. */
export interface HeldNoticesPort<Held> {
  read(psid: string): Promise<Held>;
  deliver(psid: string, held: Promise<Held>): Promise<unknown>;
}

export interface TurnDeps<Held = unknown> extends AnswerDeps {
  /** The alerts held while the person's 24-hour window was closed, and how they are sent. */
  heldAlerts: Pick<HeldAlertDeps, 'inbox' | 'notify' | 'present'>;
  /** The notices held meanwhile (a consent reminder, what was deleted, the bank's warnings). */
  heldNotices?: HeldNoticesPort<Held>;
  count: CountMetric;
}

/**
 * A turn: the event answered, then — the person just wrote, so their window is open — the alerts
 * held while it was closed, then the notices held meanwhile (an alert may ask about money just
 * spent; a notice about the sharing itself can wait a message more). Both are read while the
 * answer is composed and sent (their Queries no longer wait for the reply), but sent only after it,
 * and only when there was one; a failed read fails the event only then (after the answer, which a
 * retry finds in the ledger). A turn that ends otherwise (a replay, an unreachable person, a
 * failure) has read them for nothing: rare, and two Queries. See readHeldAlerts for why reading
 * them a little earlier loses nothing.
 */
export async function answerTurn<Held>(event: InboundEvent, deps: TurnDeps<Held>): Promise<AnswerOutcome> {
  const alerts: HeldAlertDeps = { ...deps.heldAlerts, log: deps.log, count: deps.count };
  // Only an event that can be answered can open the window: no read for echoes, receipts, standby.
  const psid = wantsAnswer(event) ? event.psid : undefined;
  const held = psid === undefined ? undefined : readHeldAlerts(psid, alerts);
  const notices = psid === undefined ? undefined : deps.heldNotices?.read(psid);
  // Unused when the turn is not answered: no unhandled rejection (used, it fails with its own error).
  notices?.catch(() => undefined);
  const outcome = await answerInboundEvent(event, deps);
  if (outcome === 'replied') deps.count('RepliesSent');
  if (outcome === 'replied' && psid !== undefined) {
    await deliverHeldAlerts(psid, alerts, held);
    if (notices) await deps.heldNotices!.deliver(psid, notices);
  }
  return outcome;
}
