import type { Log } from '../logger';
import type { SyncQueue } from '../queue/sync-queue';
import type { DueConnection } from '../store/sync-schedule';

/**
 * The scheduler: reads only what is due (the GSI's due buckets, page by page) and sends one queue
 * message per connection, in batches of 10. A repeated schedule delivery sends the same due
 * times again; the worker's claim on (connection, due time) makes the second one a no-op.
 */
export interface ScheduleDeps {
  listDue(onPage: (due: DueConnection[]) => Promise<void>): Promise<{ due: number; queries: number }>;
  queue: Pick<SyncQueue, 'send'>;
  log: Log;
}

export async function enqueueDueSyncs(deps: ScheduleDeps): Promise<{ due: number; enqueued: number; queries: number; sqsRequests: number }> {
  let enqueued = 0;
  let sqsRequests = 0;
  const { due, queries } = await deps.listDue(async (page) => {
    const result = await deps.queue.send(page.map((d) => ({ psid: d.psid, itemId: d.itemId, dueAt: d.dueAt, reason: 'schedule' as const })));
    enqueued += result.sent;
    sqsRequests += result.requests;
  });
  // A run that found nothing due is the usual one; it is not worth a line at INFO.
  deps.log[due > 0 ? 'info' : 'debug']('Due syncs enqueued', { due, enqueued, queries, sqsRequests });
  return { due, enqueued, queries, sqsRequests };
}
