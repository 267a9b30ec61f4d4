import { deliverOnce, type DeliverDeps, type DeliveryOutcome } from './deliver';
import type { OutboundMessage } from './send-api';

export type NotifyDeps = DeliverDeps;

/**
 * Sends a message we start (not an answer: a confirmation, a reminder) at most once per key, as
 * an UPDATE. A closed 24-hour window is recorded as undeliverable (held alerts come with the
 * alerts work).
 */
export function notifyOnce(psid: string, key: string, messages: OutboundMessage[], deps: NotifyDeps): Promise<DeliveryOutcome> {
  return deliverOnce({ psid, key, messagingType: 'UPDATE', compose: async () => messages }, deps);
}
