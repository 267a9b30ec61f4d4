import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { SealedSecret } from '../security/envelope';
import { batchDelete } from './batch-delete';
import { isConditionalCheckFailed } from './errors';
import { accountPrefix, alertPrefix, bankItemPk, connectionSk, FinancialItemType, heldPrefix, recurringStreamPrefix, syncDueGsi, transactionPrefix, userPk } from './keys';
import { queryByPrefix } from './query';
import type { TransactItem } from './transact-write';

/**
 * Bank connections: one per linked bank item, holding the sealed access token and the sync
 * cursor. Financial data: ONLY the financial gate (lib/store/financial-gate.ts and
 * financial-reads.ts) may import this module, and it checks consent and scope before anything here
 * runs (consent rule 5; test/architecture.test.ts enforces it).
 */
export interface Connection {
  psid: string;
  itemId: string;
  consentId: string;
  institution?: { id: string; name: string };
  accessToken: SealedSecret;
  linkedAt: string;
  /** Plaid's /transactions/sync position; stored only together with the page it follows. */
  cursor?: string;
  nextSyncAt?: string;
  lastSyncAt?: string;
  /** The last sync that took the balances, whether it stored them or found them unchanged. */
  balancesSyncedAt?: string;
  /** The last refresh of the recurring streams (lib/store/recurring-streams.ts)… */
  streamsRefreshedAt?: string;
  /** …and the transactions cursor they went with: once the cursor moves on, they are due again. */
  streamsCursor?: string;
  syncStatus?: string;
}

export const connectionPut = (table: string, connection: Connection): TransactItem => ({
  Put: {
    TableName: table,
    Item: {
      pk: userPk(connection.psid),
      sk: connectionSk(connection.itemId),
      type: FinancialItemType.connection,
      ...connection,
      // A new connection is due for its first sync at once.
      ...(connection.nextSyncAt ? syncDueGsi(new Date(connection.nextSyncAt), connection.psid, connection.itemId) : {}),
    },
  },
});

/**
 * Takes a connection for syncing and returns it as the claim left it, so the sync's token and
 * cursor come back with the claim in one request. The claim holds only if the connection is
 * still due at the given time (a second delivery of the same message finds it taken or done) or,
 * for on-demand syncs, not being synced right now; the connection leaves the due index while it
 * is held. Given `requestedAt`, it holds only if no sync has ended since then.
 *
 * A refused claim says why, from the item as the refusal found it (at no extra request or
 * capacity): another sync holds the lease until `heldUntil`, or a sync ended at `syncedAt`, after
 * the request was made. Neither: it is not due at that time, or the connection is gone.
 */
export type ConnectionClaim = { claimed: Connection } | { refused: { heldUntil?: string; syncedAt?: string } };

export async function claimConnection(
  db: DynamoDBDocumentClient,
  table: string,
  key: { psid: string; itemId: string; dueAt?: string; requestedAt?: string },
  options: { now: Date; leaseSeconds: number },
): Promise<ConnectionClaim> {
  const now = options.now.toISOString();
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: userPk(key.psid), sk: connectionSk(key.itemId) },
        UpdateExpression: 'SET syncLeaseUntil = :lease REMOVE gsi1pk, gsi1sk',
        ConditionExpression: [
          'attribute_exists(pk)',
          '(attribute_not_exists(syncLeaseUntil) OR syncLeaseUntil < :now)',
          ...(key.dueAt ? ['nextSyncAt = :due'] : []),
          ...(key.requestedAt ? ['(attribute_not_exists(lastSyncAt) OR lastSyncAt < :requested)'] : []),
        ].join(' AND '),
        ExpressionAttributeValues: {
          ':lease': new Date(options.now.getTime() + options.leaseSeconds * 1000).toISOString(),
          ':now': now,
          ...(key.dueAt ? { ':due': key.dueAt } : {}),
          ...(key.requestedAt ? { ':requested': key.requestedAt } : {}),
        },
        // Returning the item costs no capacity: an update is billed on the item's size anyway.
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    if (!Attributes) return { refused: {} };
    const { pk: _pk, sk: _sk, type: _type, ...connection } = Attributes;
    return { claimed: connection as Connection };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    // The document client does not unmarshall items carried by exceptions.
    const old = error.Item ? unmarshall(error.Item) : {};
    const heldUntil = typeof old.syncLeaseUntil === 'string' && old.syncLeaseUntil >= now ? old.syncLeaseUntil : undefined;
    const syncedAt = key.requestedAt && typeof old.lastSyncAt === 'string' && old.lastSyncAt >= key.requestedAt ? old.lastSyncAt : undefined;
    return { refused: { ...(heldUntil ? { heldUntil } : {}), ...(syncedAt ? { syncedAt } : {}) } };
  }
}

/**
 * When the connection last synced, when a sync last took its balances (stored or found
 * unchanged), and when its recurring streams were last refreshed. A projection: the sealed token
 * stays where it is.
 */
export async function connectionSyncTimes(
  db: DynamoDBDocumentClient,
  table: string,
  psid: string,
  itemId: string,
): Promise<{ lastSyncAt?: string; balancesSyncedAt?: string; streamsRefreshedAt?: string }> {
  const { Item } = await db.send(
    new GetCommand({
      TableName: table,
      Key: { pk: userPk(psid), sk: connectionSk(itemId) },
      ProjectionExpression: 'lastSyncAt, balancesSyncedAt, streamsRefreshedAt',
      ConsistentRead: true,
    }),
  );
  return {
    ...(typeof Item?.lastSyncAt === 'string' ? { lastSyncAt: Item.lastSyncAt } : {}),
    ...(typeof Item?.balancesSyncedAt === 'string' ? { balancesSyncedAt: Item.balancesSyncedAt } : {}),
    ...(typeof Item?.streamsRefreshedAt === 'string' ? { streamsRefreshedAt: Item.streamsRefreshedAt } : {}),
  };
}

export async function getConnection(db: DynamoDBDocumentClient, table: string, psid: string, itemId: string): Promise<Connection | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: { pk: userPk(psid), sk: connectionSk(itemId) }, ConsistentRead: true }));
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, type: _type, ...connection } = Item;
  return connection as Connection;
}

/** The connection as the person's export tells it. */
export interface ConnectionSummary {
  itemId: string;
  institution?: { id: string; name: string };
  linkedAt?: string;
  lastSyncAt?: string;
  balancesSyncedAt?: string;
  streamsRefreshedAt?: string;
  nextSyncAt?: string;
  syncStatus?: string;
}

/**
 * A connection for the person's export: a projection that leaves the sealed access token, the
 * bank's sync cursor and the sync lease where they are (see lib/consent/export.ts for why).
 */
export async function describeConnection(db: DynamoDBDocumentClient, table: string, psid: string, itemId: string): Promise<ConnectionSummary | undefined> {
  const { Item } = await db.send(
    new GetCommand({
      TableName: table,
      Key: { pk: userPk(psid), sk: connectionSk(itemId) },
      ProjectionExpression: 'itemId, institution, linkedAt, lastSyncAt, balancesSyncedAt, streamsRefreshedAt, nextSyncAt, syncStatus',
      ConsistentRead: true,
    }),
  );
  return Item as ConnectionSummary | undefined;
}

export interface PurgeCounts {
  connections: number;
  accounts: number;
  transactions: number;
  recurringStreams: number;
}

/**
 * Deletes everything held for one bank connection: the connection (token and sync cursor),
 * its accounts and balances, its transactions and recurring streams, its alerts and the bank
 * item's pointer.
 * Idempotent: a second run finds nothing.
 */
export async function deleteConnectionData(db: DynamoDBDocumentClient, table: string, psid: string, itemId: string): Promise<PurgeCounts> {
  const keysOf = (prefix: string) => queryByPrefix(db, table, userPk(psid), prefix, true);
  const [accounts, transactions, streams, connection, alerts, held] = await Promise.all([
    keysOf(accountPrefix(itemId)),
    keysOf(transactionPrefix(itemId)),
    keysOf(recurringStreamPrefix(itemId)),
    keysOf(connectionSk(itemId)),
    keysOf(alertPrefix(itemId)),
    keysOf(heldPrefix(itemId)),
  ]);
  const pointer = { pk: bankItemPk(itemId), sk: bankItemPk(itemId) };
  const keys = [...connection, ...accounts, ...transactions, ...streams, ...alerts, ...held].map(({ pk, sk }) => ({ pk, sk }));
  await batchDelete(db, table, keys.concat(connection.length ? [pointer] : []));
  return { connections: connection.length, accounts: accounts.length, transactions: transactions.length, recurringStreams: streams.length };
}
