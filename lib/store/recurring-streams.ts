import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isDeepStrictEqual } from 'node:util';
import type { RecurringStream } from '../banking/bank-connector';
import { ConsentChanged } from '../errors';
import { batchDelete } from './batch-delete';
import { consentGuardCheck, type ConsentGuard } from './consent-guard';
import { isConditionalCheckFailed } from './errors';
import { connectionSk, epochSeconds, FinancialItemType, recurringStreamPrefix, recurringStreamSk, userPk } from './keys';
import { queryAll, queryByPrefix } from './query';
import { transactWrite, type TransactItem } from './transact-write';

/**
 * A connection's recurring payments as the bank describes them (bills, subscriptions, pay), one
 * item per stream, and on the connection when they were last refreshed (`streamsRefreshedAt`) and
 * the transactions cursor they went with (`streamsCursor`).
 * Financial data under the transactions scope: ONLY the financial gate may import this module
 * (consent rule 5; see lib/store/connections.ts).
 */

/**
 * The transactions' retention window (lib/store/transactions.ts), which streams follow: a stream is
 * kept as long as its latest payment would be. The gate passes it in, since one financial module
 * does not import another.
 */
export interface StreamRetention {
  /** The oldest payment date (`YYYY-MM-DD`) still inside the window now. */
  oldest: string;
  days: number;
}

/**
 * A stream lists every payment the bank knows of (up to two years of them). Only the latest can
 * point at a transaction still stored: 16 covers a weekly stream over the 90-day window, with room
 * for a double charge or two, and keeps a stream's item small.
 */
const MAX_TRANSACTION_IDS = 16;
/** Guard + changes + the connection's refresh time: TransactWriteItems holds at most 100. */
const CHUNK = 98;

const REFRESHED_AT = 'streamsRefreshedAt';
const CURSOR = 'streamsCursor';

const asStored = (stream: RecurringStream): RecurringStream => ({ ...stream, transactionIds: stream.transactionIds.slice(-MAX_TRANSACTION_IDS) });
const fromItem = ({ pk: _pk, sk: _sk, type: _type, itemId: _itemId, expiresAt: _expiresAt, ...stream }: Record<string, unknown>) => stream as unknown as RecurringStream;
// Through JSON both sides drop absent optional fields alike (an undefined one is not stored).
const sameStream = (stored: Record<string, unknown> | undefined, fresh: RecurringStream) =>
  stored !== undefined && isDeepStrictEqual(fromItem(stored), JSON.parse(JSON.stringify(fresh)));

/**
 * Replaces a connection's streams with the bank's current ones and records the refresh (its time,
 * and the transactions cursor it went with when given), if and only if the consent is unchanged.
 * Only what differs is written: a refresh that finds the same streams (most of them) writes the
 * refresh alone. Streams whose latest payment left the retention window are not kept. The sync's
 * lease on the connection keeps two refreshes from interleaving.
 */
export async function replaceRecurringStreams(
  db: DynamoDBDocumentClient,
  table: string,
  g: ConsentGuard & { itemId: string },
  streams: RecurringStream[],
  refresh: { now: Date; cursor?: string },
  retention: StreamRetention,
): Promise<'saved' | 'unchanged'> {
  const { now } = refresh;
  const fresh = new Map(streams.filter((s) => s.lastDate >= retention.oldest).map((s) => [s.streamId, asStored(s)]));
  const stored = await queryByPrefix(db, table, userPk(g.psid), recurringStreamPrefix(g.itemId));
  const storedById = new Map(stored.map((item) => [String(item.streamId), item]));
  const puts = [...fresh.values()]
    .filter((stream) => !sameStream(storedById.get(stream.streamId), stream))
    .map((stream): TransactItem => ({
      Put: {
        TableName: table,
        Item: {
          pk: userPk(g.psid),
          sk: recurringStreamSk(g.itemId, stream.streamId),
          type: FinancialItemType.recurringStream,
          itemId: g.itemId,
          ...stream,
          expiresAt: epochSeconds(new Date(`${stream.lastDate}T00:00:00Z`)) + retention.days * 86_400,
        },
      },
    }));
  const deletes = stored
    .filter((item) => !fresh.has(String(item.streamId)))
    .map((item): TransactItem => ({ Delete: { TableName: table, Key: { pk: item.pk, sk: item.sk } } }));
  const connection = (update: Pick<NonNullable<TransactItem['Update']>, 'UpdateExpression' | 'ExpressionAttributeValues'>): TransactItem => ({
    Update: {
      TableName: table,
      Key: { pk: userPk(g.psid), sk: connectionSk(g.itemId) },
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#refreshed': REFRESHED_AT, '#cursor': CURSOR },
      ...update,
    },
  });
  // Without a cursor the streams go with no known position: the next sync's transactions refresh them.
  const refreshed =
    refresh.cursor === undefined
      ? connection({ UpdateExpression: 'SET #refreshed = :now REMOVE #cursor', ExpressionAttributeValues: { ':now': now.toISOString() } })
      : connection({ UpdateExpression: 'SET #refreshed = :now, #cursor = :cursor', ExpressionAttributeValues: { ':now': now.toISOString(), ':cursor': refresh.cursor } });
  // A refresh too large for one transaction first forgets the last one: a crash between chunks
  // leaves streams of two refreshes, and the next sync then refreshes them again.
  const forget = connection({ UpdateExpression: 'REMOVE #refreshed, #cursor' });
  const changes = [...puts, ...deletes];
  const chunks = Math.max(1, Math.ceil(changes.length / CHUNK));
  for (let chunk = 0; chunk < chunks; chunk++) {
    const last = chunk === chunks - 1;
    const items = [consentGuardCheck(table, g, now.toISOString()), ...changes.slice(chunk * CHUNK, (chunk + 1) * CHUNK), last ? refreshed : forget];
    // Without the guard or the connection, nothing of this chunk was written.
    await transactWrite(db, items, (index) =>
      index === 0 || index === items.length - 1 ? new ConsentChanged('Consent changed during the sync; nothing was written') : new Error('recurring stream write failed'),
    );
  }
  return changes.length ? 'saved' : 'unchanged';
}

/**
 * A connection's streams whose latest payment is inside the retention window, filtered in the
 * Query itself: what TTL has not deleted yet never leaves DynamoDB.
 */
export async function listRecurringStreams(db: DynamoDBDocumentClient, table: string, psid: string, itemId: string, oldest: string): Promise<RecurringStream[]> {
  const items = await queryAll(db, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    FilterExpression: 'lastDate >= :oldest',
    ExpressionAttributeValues: { ':pk': userPk(psid), ':prefix': recurringStreamPrefix(itemId), ':oldest': oldest },
    ConsistentRead: true,
  });
  return items.map(fromItem);
}

/**
 * Deletes a connection's streams (the person stopped sharing transactions; consent rule 6), and
 * the record of their refresh: shared again, they are fetched at the next sync.
 */
export async function deleteRecurringStreams(db: DynamoDBDocumentClient, table: string, psid: string, itemId: string): Promise<number> {
  await db
    .send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: userPk(psid), sk: connectionSk(itemId) },
        UpdateExpression: 'REMOVE #refreshed, #cursor',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#refreshed': REFRESHED_AT, '#cursor': CURSOR },
      }),
    )
    .catch((error: unknown) => {
      if (!isConditionalCheckFailed(error)) throw error;
    });
  const keys = await queryByPrefix(db, table, userPk(psid), recurringStreamPrefix(itemId), true);
  await batchDelete(db, table, keys.map(({ pk, sk }) => ({ pk, sk })));
  return keys.length;
}
