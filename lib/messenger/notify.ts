import { deliverOnce, type DeliverDeps, type DeliveryOutcome } from './deliver';
import type { OutboundMessage, UtilityMessage } from './send-api';

export type NotifyDeps = DeliverDeps;

/**
 * Sends a message we start (not an answer: a confirmation, a reminder) at most once per key, as
 * an UPDATE. A closed 24-hour window is recorded as undeliverable: for messages that have no other
 * way to reach the person. Alerts hold their own (lib/alerts/deliver.ts); the product's own
 * notices go through notifyOrHold.
 */
export function notifyOnce(psid: string, key: string, messages: OutboundMessage[], deps: NotifyDeps): Promise<DeliveryOutcome> {
  return deliverOnce({ psid, key, messagingType: 'UPDATE', compose: async () => messages }, deps);
}

/** A minute's margin for clock skew between our clock and Meta's. */
const WINDOW_MS = 24 * 3_600_000 - 60_000;

/** Whether the person's 24-hour window is open: they wrote (or tapped) less than a day ago. */
export const isWindowOpen = (profile: { lastInboundAt?: number } | undefined, now: Date): boolean =>
  profile?.lastInboundAt !== undefined && now.getTime() - profile.lastInboundAt < WINDOW_MS;

export interface NoticeDeps extends NotifyDeps {
  /** When the person last wrote: it opens their window. */
  profile(psid: string): Promise<{ lastInboundAt?: number } | undefined>;
  clock: () => Date;
}

export interface Notice {
  psid: string;
  /** The delivery key: one notice per key, whichever way it goes (now, as a utility message, held). */
  key: string;
  /** The messages, composed under the key's claim; undefined when the notice no longer applies. */
  compose(): Promise<OutboundMessage[] | undefined>;
  /** Outside the window: the utility message, when the deployment has a template for this notice. */
  utility?: (() => Promise<UtilityMessage | undefined>) | undefined;
  /** Keeps the notice for the person's next message (what composes it then, not these messages). */
  hold(): Promise<void>;
}

/** 'dropped': the notice no longer applied when it came to be sent (its key is settled all the same). */
export type NoticeOutcome = DeliveryOutcome | 'held' | 'dropped';

/**
 * A message the product starts, within Messenger's policy (message tags stopped working on
 * 27 April 2026): inside the person's 24-hour window it is sent now as an UPDATE; outside it, as a
 * Page-owned utility message when the deployment has a template for it, otherwise it is held and
 * delivered with the person's next message. Meta's own "outside the window" answer, from either
 * send, leads to the next way, not to a lost notice.
 *
 * Every way uses the notice's one key in the reply ledger: a notice sent now is not held; a held
 * notice that is later also sent (a sweep's next run after the person wrote) or delivered twice
 * (a replayed inbound event) reaches the person once.
 */
export async function notifyOrHold(notice: Notice, deps: NoticeDeps): Promise<NoticeOutcome> {
  let dropped = false;
  const send = async (messagingType: 'UPDATE' | 'UTILITY', compose: () => Promise<(OutboundMessage | UtilityMessage)[] | undefined>) => {
    const outcome = await deliverOnce(
      {
        psid: notice.psid,
        key: notice.key,
        messagingType,
        whenWindowClosed: 'release',
        compose: async () => {
          const messages = await compose();
          dropped = messages === undefined;
          return messages ?? [];
        },
      },
      deps,
    );
    return outcome === 'sent' && dropped ? 'dropped' : outcome;
  };

  if (isWindowOpen(await deps.profile(notice.psid), deps.clock())) {
    const outcome = await send('UPDATE', notice.compose);
    if (outcome !== 'window-closed') return outcome;
  }
  const utility = notice.utility;
  if (utility) {
    const outcome = await send('UTILITY', async () => {
      const message = await utility();
      return message && [message];
    });
    if (outcome !== 'window-closed') return outcome;
  }
  await notice.hold();
  deps.log.info('Notice held until the person writes', { key: notice.key });
  return 'held';
}
