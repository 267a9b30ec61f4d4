import type { Log } from '../logger';
import type { CountMetric } from '../metrics';
import type { InboundEvent, ParsedWebhook } from './events';
import { recordInbound, type InboxPort } from './inbound';

export interface ReceiveWebhookDeps {
  inbox: InboxPort;
  /** Writes in flight at once for one delivery. */
  concurrency: number;
  log: Log;
  count: CountMetric;
}

/** Counted as a message received: a person's message or button tap, not the Page's own echo. */
const isFromPerson = (e: InboundEvent) => (e.kind === 'message' && e.message.is_echo !== true) || e.kind === 'postback';

/**
 * A verified delivery of Meta's webhook: every event recorded in the person's inbox (the
 * conversation answers from there), and nothing else before the acknowledgement. A failed write
 * fails the delivery, which Meta retries; what was already recorded is a no-op then.
 */
export async function receiveWebhook({ object, events }: ParsedWebhook, deps: ReceiveWebhookDeps): Promise<void> {
  if (object !== 'page') {
    deps.log.warn('Ignoring a delivery for another object type; check the app subscription', { object });
    return;
  }
  const recording = recordInbound(events, deps.inbox, { concurrency: deps.concurrency });
  // Awaited below, where a failure becomes the 5xx Meta retries; this only keeps it from being
  // reported as unhandled if it comes while the log line is written.
  recording.catch(() => undefined);
  // The log line is written while DynamoDB answers, not after: it costs about as much CPU as the
  // rest of the acknowledgement, and by the next turn of the event loop the writes are on the wire.
  await new Promise(setImmediate);
  deps.log.info('Webhook received', { eventIds: events.map((e) => e.id), unknownKinds: events.filter((e) => e.kind === 'unknown').length });
  const { stored, duplicates } = await recording;
  // Meta redelivers what it thinks went unanswered; the inbox item made each of these a no-op.
  if (duplicates.length > 0) deps.log.info('Webhook redelivered', { duplicates });
  const isNew = new Set(stored);
  deps.count('MessagesReceived', events.filter((e) => isNew.has(e.id) && isFromPerson(e)).length);
}
