import pLimit from 'p-limit';
import type { InboundEvent } from './events';

/** Whether an event was new, or a redelivery of one already recorded. */
export type PutInboundResult = 'stored' | 'duplicate';

/** Where inbound events are recorded, once each (the store provides it). */
export interface InboxPort {
  putInboundEvent(event: InboundEvent): Promise<PutInboundResult>;
}

export interface RecordSummary {
  stored: string[];
  duplicates: string[];
}

/**
 * Records every event of a delivery, each with one conditional write, a bounded number at once. This is the
 * whole of the acknowledgement path: no Send API call, no bank call, no reads. If a write fails the
 * error surfaces (a 5xx), Meta redelivers, and what was already stored dedupes.
 */
export async function recordInbound(
  events: InboundEvent[],
  inbox: InboxPort,
  options: { concurrency: number },
): Promise<RecordSummary> {
  // Meta batches: bound the writes in flight so one large delivery cannot exhaust the sockets.
  // Almost every delivery is one event, and a limiter costs more than that event's own CPU.
  const put = (event: InboundEvent) => inbox.putInboundEvent(event);
  let results: PutInboundResult[];
  if (events.length <= options.concurrency) {
    results = await Promise.all(events.map(put));
  } else {
    const limit = pLimit(options.concurrency);
    results = await Promise.all(events.map((event) => limit(() => put(event))));
  }
  const summary: RecordSummary = { stored: [], duplicates: [] };
  results.forEach((result, index) => {
    const eventId = events[index]!.id;
    (result === 'stored' ? summary.stored : summary.duplicates).push(eventId);
  });
  return summary;
}
