import { describe, expect, it } from 'vitest';
import type { Log } from '../../../lib/logger';
import type { SyncRequest } from '../../../lib/queue/sync-queue';
import { enqueueDueSyncs, type ScheduleDeps } from '../../../lib/sync/schedule';
import type { DueConnection } from '../../../lib/store/sync-schedule';

/** The scheduler with its ports in memory: the due index as pages, a queue that records batches. */
const due = (n: number, from = 0): DueConnection[] =>
  Array.from({ length: n }, (_, i) => ({ psid: `p-${from + i}`, itemId: `item-${from + i}`, dueAt: `2026-11-21T10:0${i % 10}:00.000Z` }));

function scheduler(pages: DueConnection[][], options: { accepts?: (batch: SyncRequest[]) => number } = {}) {
  const batches: SyncRequest[][] = [];
  const logged: { level: string; message: string; detail: unknown }[] = [];
  const record = (level: string) => (message: string, detail: unknown) => void logged.push({ level, message, detail });
  const deps: ScheduleDeps = {
    listDue: async (onPage) => {
      for (const page of pages) await onPage(page);
      return { due: pages.flat().length, queries: pages.length + 1 };
    },
    queue: {
      send: async (batch) => {
        batches.push(batch);
        return { sent: options.accepts?.(batch) ?? batch.length, requests: Math.ceil(batch.length / 10) };
      },
    },
    log: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') } as unknown as Log,
  };
  return { deps, batches, logged };
}

describe('enqueueDueSyncs', () => {
  it('sends one scheduled sync per due connection, for the due time it was scheduled for, page by page', async () => {
    const first = due(2);
    const second = due(1, 2);
    const { deps, batches } = scheduler([first, second]);

    await enqueueDueSyncs(deps);

    expect(batches).toEqual([first, second].map((page) => page.map(({ psid, itemId, dueAt }) => ({ psid, itemId, dueAt, reason: 'schedule' }))));
  });

  it('counts what was due, what the queue accepted, and the requests it took', async () => {
    const { deps } = scheduler([due(12), due(3, 12)], { accepts: (batch) => batch.length - 1 });

    expect(await enqueueDueSyncs(deps)).toEqual({ due: 15, enqueued: 13, queries: 3, sqsRequests: 3 });
  });

  it('sends nothing when nothing is due, and says so only at DEBUG', async () => {
    const { deps, batches, logged } = scheduler([]);

    const result = await enqueueDueSyncs(deps);

    expect({ result, batches, levels: logged.map((l) => l.level) }).toEqual({ result: { due: 0, enqueued: 0, queries: 1, sqsRequests: 0 }, batches: [], levels: ['debug'] });
  });

  it('logs a run that enqueued something at INFO, with its counts', async () => {
    const { deps, logged } = scheduler([due(2)]);

    await enqueueDueSyncs(deps);

    expect(logged).toEqual([{ level: 'info', message: 'Due syncs enqueued', detail: { due: 2, enqueued: 2, queries: 2, sqsRequests: 1 } }]);
  });
});
