import type { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect, it } from 'vitest';
import { syncDueGsi } from '../../../lib/store/keys';
import { listDueConnections, type DueConnection } from '../../../lib/store/sync-schedule';

const NOW = new Date('2026-11-21T12:02:00.000Z');

/**
 * A stand-in for the document client that answers the due-bucket queries from a list of
 * connections (two items a page, so pagination is followed), after a tick, counting what is in flight.
 */
function fakeDb(connections: { psid: string; itemId: string; at: Date }[]) {
  const flight = { now: 0, most: 0, requests: 0, buckets: [] as string[] };
  const db = {
    async send(command: QueryCommand) {
      const input = command.input;
      const bucket = String(input.ExpressionAttributeValues![':bucket']);
      const upTo = String(input.ExpressionAttributeValues![':now']);
      if (!input.ExclusiveStartKey) flight.buckets.push(bucket);
      flight.requests++;
      flight.now++;
      flight.most = Math.max(flight.most, flight.now);
      await new Promise((resolve) => setTimeout(resolve, 2));
      flight.now--;
      const items = connections.map((c) => syncDueGsi(c.at, c.psid, c.itemId)).filter((g) => g.gsi1pk === bucket && g.gsi1sk <= upTo);
      const start = Number(input.ExclusiveStartKey?.offset ?? 0);
      const page = items.slice(start, start + 2);
      return { Items: page, ...(start + 2 < items.length ? { LastEvaluatedKey: { offset: start + 2 } } : {}) };
    },
  };
  return { db: db as unknown as DynamoDBDocumentClient, flight };
}

const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

it('reads every bucket of the lookback once, a few at a time, and reports exact counts', async () => {
  const connections = [
    ...Array.from({ length: 5 }, (_, i) => ({ psid: `p${i}`, itemId: `old${i}`, at: minutesAgo(58) })),
    { psid: 'q', itemId: 'mid', at: minutesAgo(30) },
    { psid: 'r', itemId: 'now', at: minutesAgo(1) },
    // Due later in the current bucket, and in an hour: not due.
    { psid: 's', itemId: 'soon', at: new Date(NOW.getTime() + 60_000) },
    { psid: 't', itemId: 'later', at: new Date(NOW.getTime() + 3_600_000) },
  ];
  const { db, flight } = fakeDb(connections);
  const pages: DueConnection[][] = [];

  const result = await listDueConnections(db, 'main', NOW, 60, async (page) => void pages.push(page));

  expect(result).toEqual({ due: 7, queries: 13 });
  expect(new Set(flight.buckets).size).toBe(13);
  expect(flight.buckets).toHaveLength(13);
  expect(flight.most).toBeGreaterThan(1);
  expect(flight.most).toBeLessThanOrEqual(4);
  expect(pages.flat().map((d) => d.itemId).sort()).toEqual(['mid', 'now', 'old0', 'old1', 'old2', 'old3', 'old4']);
  expect(pages.flat().find((d) => d.itemId === 'mid')).toEqual({ psid: 'q', itemId: 'mid', dueAt: minutesAgo(30).toISOString() });
});

it('has at most four pages being handed on at once, and waits for every one before answering', async () => {
  const connections = Array.from({ length: 13 }, (_, i) => ({ psid: `p${i}`, itemId: `i${i}`, at: minutesAgo(i * 5) }));
  const { db } = fakeDb(connections);
  const sending = { now: 0, most: 0, done: 0 };

  const result = await listDueConnections(db, 'main', NOW, 60, async () => {
    sending.now++;
    sending.most = Math.max(sending.most, sending.now);
    await new Promise((resolve) => setTimeout(resolve, 5));
    sending.now--;
    sending.done++;
  });

  expect(result).toEqual({ due: 13, queries: 13 });
  expect(sending.done).toBe(13);
  expect(sending.most).toBeGreaterThan(1);
  expect(sending.most).toBeLessThanOrEqual(4);
});
