import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './errors';
import { connectionSk, SYNC_BUCKET_MINUTES, syncBucket, syncDueGsi, userPk } from './keys';
import { forEachBounded } from '../bounded';
import { queryAll } from './query';

/**
 * When each bank connection is next synced. Connections sit in the GSI under a due-time bucket
 * while they wait; the scheduler reads only the buckets that are due (never a Scan), and a
 * connection leaves the index while a worker syncs it, so a repeated schedule cannot enqueue
 * it twice for the same due time.
 */
export interface DueConnection {
  psid: string;
  itemId: string;
  /** The due time this entry was scheduled for: the idempotency key of its sync. */
  dueAt: string;
}

/** Due-time buckets queried at once by the scheduler. */
const DUE_BUCKET_CONCURRENCY = 4;

/** Connections due at or before `now`, from the buckets of the last `lookbackMinutes`. */
export async function listDueConnections(
  db: DynamoDBDocumentClient,
  table: string,
  now: Date,
  lookbackMinutes: number,
  onPage?: (due: DueConnection[]) => Promise<void>,
): Promise<{ due: number; queries: number }> {
  let due = 0;
  let queries = 0;
  const step = SYNC_BUCKET_MINUTES * 60_000;
  const buckets: Date[] = [];
  for (let t = now.getTime() - lookbackMinutes * 60_000; t <= now.getTime(); t += step) buckets.push(new Date(t));
  // Buckets are independent. One after another, the 13 round trips were most of a run when little
  // is due (first event of a cold start 76 -> 52 ms in the cold-start bench). Each lane hands its
  // page on before it reads the next bucket, so at most that many pages are being sent at once.
  await forEachBounded(buckets, DUE_BUCKET_CONCURRENCY, async (bucket) => {
    const items = await queryAll(db, {
      TableName: table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :bucket AND gsi1sk <= :now',
      ExpressionAttributeValues: { ':bucket': `SYNC_DUE#${syncBucket(bucket)}`, ':now': `${now.toISOString()}#~` },
    });
    queries++;
    const page = items.map((item) => {
      const [dueAt, psid, itemId] = String(item.gsi1sk).split('#') as [string, string, string];
      return { psid, itemId, dueAt };
    });
    due += page.length;
    if (page.length && onPage) await onPage(page);
  });
  return { due, queries };
}

/**
 * Done (or given up for now): schedule the next sync and release the claim. A sync that ended
 * (`syncedAt`) also takes the requests that waited for it off the connection, in the same write:
 * they come back as `waiters` (the write returns what it removed, at no extra capacity), so
 * whoever waited is told at once and a request that arrives later finds no sync to wait for.
 */
export async function scheduleNextSync(
  db: DynamoDBDocumentClient,
  table: string,
  key: { psid: string; itemId: string },
  next: { at: Date; status: string; syncedAt?: Date; balancesSyncedAt?: Date },
): Promise<{ waiters: string[] }> {
  const gsi = syncDueGsi(next.at, key.psid, key.itemId);
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: userPk(key.psid), sk: connectionSk(key.itemId) },
        UpdateExpression: [
          'SET nextSyncAt = :next, gsi1pk = :g1, gsi1sk = :g2, syncStatus = :status',
          ...(next.syncedAt ? ['lastSyncAt = :synced'] : []),
          ...(next.balancesSyncedAt ? ['balancesSyncedAt = :balances'] : []),
        ].join(', ') + ` REMOVE syncLeaseUntil${next.syncedAt ? ', syncWaiters' : ''}`,
        // A connection purged meanwhile (revocation) is not brought back.
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: {
          ':next': next.at.toISOString(),
          ':g1': gsi.gsi1pk,
          ':g2': gsi.gsi1sk,
          ':status': next.status,
          ...(next.syncedAt ? { ':synced': next.syncedAt.toISOString() } : {}),
          ...(next.balancesSyncedAt ? { ':balances': next.balancesSyncedAt.toISOString() } : {}),
        },
        ...(next.syncedAt ? { ReturnValues: 'UPDATED_OLD' as const } : {}),
      }),
    );
    return { waiters: waitersOf(Attributes?.syncWaiters) };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    return { waiters: [] };
  }
}

/**
 * A request someone waits for (`reason`) met a sync in flight: it is recorded on the connection
 * for that sync to take when it ends (see `scheduleNextSync`). Only while that very lease
 * (`heldUntil`, as the refused claim saw it) is still on the item, checked in the same write: a
 * sync that ends (or gives up) first removes the lease and makes this fail, and so does a lease
 * that ran out and was taken by another sync. False then: the request claims again instead.
 */
export async function waitForSync(
  db: DynamoDBDocumentClient,
  table: string,
  key: { psid: string; itemId: string },
  waiter: { reason: string; heldUntil: string },
): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: userPk(key.psid), sk: connectionSk(key.itemId) },
        UpdateExpression: 'ADD syncWaiters :waiter',
        ConditionExpression: 'syncLeaseUntil = :held',
        ExpressionAttributeValues: { ':waiter': new Set([waiter.reason]), ':held': waiter.heldUntil },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

const waitersOf = (value: unknown): string[] => (value instanceof Set ? [...value].filter((w): w is string => typeof w === 'string').sort() : []);

/**
 * Out of the schedule (login required, consent gone): nothing more is synced until it is fixed, so
 * no request waits for it either (a waiting request's own message finds out for itself).
 */
export async function unscheduleSync(db: DynamoDBDocumentClient, table: string, key: { psid: string; itemId: string }, status: string): Promise<void> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: userPk(key.psid), sk: connectionSk(key.itemId) },
        UpdateExpression: 'SET syncStatus = :status REMOVE gsi1pk, gsi1sk, syncLeaseUntil, nextSyncAt, syncWaiters',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':status': status },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

/** Gives the claim back after a transient failure; the retried message claims it again. */
export async function releaseSync(db: DynamoDBDocumentClient, table: string, key: { psid: string; itemId: string }): Promise<void> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: userPk(key.psid), sk: connectionSk(key.itemId) },
        UpdateExpression: 'SET syncStatus = :status REMOVE syncLeaseUntil',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':status': 'retrying' },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}
