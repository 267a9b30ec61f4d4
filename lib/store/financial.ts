import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { setTimeout as delay } from 'node:timers/promises';
import type { BankAccount, BankTransaction } from '../banking/bank-connector';
import { ConsentChanged } from '../errors';
import { isConditionalCheckFailed } from './errors';
import type { SealedSecret } from '../security/envelope';
import { accountPrefix, accountSk, alertPrefix, alertSk, bankItemPk, connectionSk, heldPrefix, heldSk, consentSk, epochSeconds, FinancialItemType, syncDueGsi, transactionPrefix, transactionSk, userPk } from './keys';
import { queryAll, queryByPrefix } from './query';
import { transactWrite, type TransactItem } from './transactions';

/**
 * Financial data: bank connections (with the sealed access token), accounts with balances,
 * transactions. ONLY lib/financial may import this module (a test enforces it): that module checks
 * consent and scope before anything here runs (consent rule 5).
 *
 * Every write is conditioned on the consent still being active at the version the caller read,
 * inside the same transaction, so a sync that was in flight when the person revoked cannot write
 * anything back after the revocation commits.
 */
export interface ConsentGuard {
  psid: string;
  consentId: string;
  version: number;
}

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
  syncStatus?: string;
}

export interface StoredAccount extends BankAccount {
  itemId: string;
  balancesAsOf: string;
}

const guard = (table: string, g: ConsentGuard, nowIso: string): TransactItem => ({
  ConditionCheck: {
    TableName: table,
    Key: { pk: userPk(g.psid), sk: consentSk(g.consentId) },
    ConditionExpression: '#status = :active AND version = :version AND expiresAt > :now',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':active': 'active', ':version': g.version, ':now': nowIso },
  },
});

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

/** The item pointer written with the connection: ids only, no financial data. */
export const bankItemPut = (table: string, connection: Pick<Connection, 'psid' | 'itemId' | 'consentId'>): TransactItem => ({
  Put: {
    TableName: table,
    Item: { pk: bankItemPk(connection.itemId), sk: bankItemPk(connection.itemId), type: 'bank-item', psid: connection.psid, itemId: connection.itemId, consentId: connection.consentId },
  },
});

/** Transactions are kept 90 days from their date, then expire (consent rule 6). */
export const TRANSACTION_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * The oldest transaction date inside the retention window at `now`. A transaction dated D is kept
 * until midnight (UTC) starting D + 90 days, the instant its TTL falls due. TTL deletes lazily
 * (hours to days later; DynamoDB Local never), so writes and reads cut at that same instant
 * themselves, and nothing past the window is stored, answered, counted or exported meanwhile.
 */
export function oldestRetainedDate(now: Date): string {
  const lastExpiredDay = Math.floor((now.getTime() - TRANSACTION_RETENTION_DAYS * DAY_MS) / DAY_MS);
  return new Date((lastExpiredDay + 1) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Applies one /transactions/sync page and stores the cursor that follows it, all in one
 * transaction conditioned on the consent: either the page and its cursor are stored together, or
 * neither is (a crash or a revocation in between leaves the previous cursor in place).
 */
export async function applyTransactionsPage(
  db: DynamoDBDocumentClient,
  table: string,
  g: ConsentGuard & { itemId: string },
  page: { added: BankTransaction[]; modified: BankTransaction[]; removed: { transactionId: string }[]; nextCursor: string },
  now: Date,
): Promise<{ added: BankTransaction[] }> {
  // Transactions past the window are never written (a first sync may bring older history). A
  // modified one may have been stored while it was inside: its stored copy goes. The cursor still
  // moves on, even when nothing of the page is kept.
  const oldest = oldestRetainedDate(now);
  const retained = (transaction: BankTransaction) => transaction.date >= oldest;
  const upserts = [...page.added, ...page.modified].filter(retained).map((transaction): TransactItem => ({
    Put: {
      TableName: table,
      Item: {
        pk: userPk(g.psid),
        sk: transactionSk(g.itemId, transaction.transactionId),
        type: FinancialItemType.transaction,
        itemId: g.itemId,
        ...transaction,
        expiresAt: epochSeconds(new Date(`${transaction.date}T00:00:00Z`)) + TRANSACTION_RETENTION_DAYS * 86_400,
      },
    },
  }));
  const removals = [...page.removed, ...page.modified.filter((t) => !retained(t))].map((r): TransactItem => ({
    Delete: { TableName: table, Key: { pk: userPk(g.psid), sk: transactionSk(g.itemId, r.transactionId) } },
  }));
  const cursor: TransactItem = {
    Update: {
      TableName: table,
      Key: { pk: userPk(g.psid), sk: connectionSk(g.itemId) },
      UpdateExpression: 'SET #cursor = :cursor',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#cursor': 'cursor' },
      ExpressionAttributeValues: { ':cursor': page.nextCursor },
    },
  };
  // A transaction holds 100 items: a large page goes in chunks, and only the last one carries the
  // cursor. A crash between chunks leaves the old cursor, and re-applying a page is harmless
  // (puts and deletes by transaction id).
  const changes = [...upserts, ...removals];
  const CHUNK = 98;
  for (let start = 0; start === 0 || start < changes.length; start += CHUNK) {
    const chunk = changes.slice(start, start + CHUNK);
    const last = start + CHUNK >= changes.length;
    const items = [guard(table, g, now.toISOString()), ...chunk, ...(last ? [cursor] : [])];
    await transactWrite(db, items, (index) =>
      index === 0 || (last && index === items.length - 1)
        ? new ConsentChanged('Consent changed during the sync; nothing was written')
        : new Error('transaction write failed'),
    );
  }
  // What the sync may treat as new (alert rules look at it): only what was kept.
  return { added: page.added.filter(retained) };
}

export const accountPuts = (table: string, psid: string, itemId: string, accounts: BankAccount[], asOf: string): TransactItem[] =>
  accounts.map((account) => ({
    Put: {
      TableName: table,
      Item: {
        ...toAccountItem(account),
        pk: userPk(psid),
        sk: accountSk(itemId, account.accountId),
        type: FinancialItemType.account,
        itemId,
        balancesAsOf: asOf,
      },
    },
  }));

// `type` is the item type of every item in the table (the stream filters match on it), so the
// account's own type is stored as `accountType`.
const toAccountItem = ({ type, ...account }: BankAccount) => ({ ...account, accountType: type });
const fromAccountItem = ({ pk: _pk, sk: _sk, type: _type, accountType, ...account }: Record<string, unknown>) =>
  ({ ...account, type: accountType }) as unknown as StoredAccount;

/** Replaces the balances of a connection's accounts, if and only if the consent is unchanged. */
export async function saveBalances(
  db: DynamoDBDocumentClient,
  table: string,
  g: ConsentGuard & { itemId: string },
  accounts: BankAccount[],
  asOf: Date,
): Promise<void> {
  // A transaction holds at most 100 items; one connection has far fewer accounts.
  const items = [guard(table, g, asOf.toISOString()), ...accountPuts(table, g.psid, g.itemId, accounts.slice(0, 99), asOf.toISOString())];
  await transactWrite(db, items, (index) =>
    index === 0 ? new ConsentChanged('Consent changed during the sync; nothing was written') : new Error('account write failed'),
  );
}

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
 * When the connection last synced, and when a sync last took its balances (stored or found
 * unchanged). A projection: the sealed token stays where it is.
 */
export async function connectionSyncTimes(
  db: DynamoDBDocumentClient,
  table: string,
  psid: string,
  itemId: string,
): Promise<{ lastSyncAt?: string; balancesSyncedAt?: string }> {
  const { Item } = await db.send(
    new GetCommand({
      TableName: table,
      Key: { pk: userPk(psid), sk: connectionSk(itemId) },
      ProjectionExpression: 'lastSyncAt, balancesSyncedAt',
      ConsistentRead: true,
    }),
  );
  return {
    ...(typeof Item?.lastSyncAt === 'string' ? { lastSyncAt: Item.lastSyncAt } : {}),
    ...(typeof Item?.balancesSyncedAt === 'string' ? { balancesSyncedAt: Item.balancesSyncedAt } : {}),
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
      ProjectionExpression: 'itemId, institution, linkedAt, lastSyncAt, balancesSyncedAt, nextSyncAt, syncStatus',
      ConsistentRead: true,
    }),
  );
  return Item as ConnectionSummary | undefined;
}

const queryPrefix = (db: DynamoDBDocumentClient, table: string, psid: string, prefix: string, keysOnly = false) =>
  queryByPrefix(db, table, userPk(psid), prefix, keysOnly);

export async function listAccounts(db: DynamoDBDocumentClient, table: string, psid: string, itemId: string): Promise<StoredAccount[]> {
  return (await queryPrefix(db, table, psid, accountPrefix(itemId))).map(fromAccountItem);
}

/**
 * A connection's transactions inside the retention window at `now`, filtered in the Query itself:
 * what TTL has not deleted yet never leaves DynamoDB (see `oldestRetainedDate`).
 */
const queryRetainedTransactions = (db: DynamoDBDocumentClient, table: string, psid: string, itemId: string, now: Date, keysOnly = false) =>
  queryAll(db, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    FilterExpression: '#date >= :oldest',
    ExpressionAttributeNames: { '#date': 'date' },
    ExpressionAttributeValues: { ':pk': userPk(psid), ':prefix': transactionPrefix(itemId), ':oldest': oldestRetainedDate(now) },
    // The filter still reads `date` when only the keys come back.
    ...(keysOnly ? { ProjectionExpression: 'pk, sk' } : {}),
    ConsistentRead: true,
  });

export async function listTransactions(db: DynamoDBDocumentClient, table: string, psid: string, itemId: string, now: Date): Promise<Record<string, unknown>[]> {
  return (await queryRetainedTransactions(db, table, psid, itemId, now)).map(({ pk: _pk, sk: _sk, type: _type, ...transaction }) => transaction);
}

/** How many accounts and transactions (inside the retention window) are held for a connection (keys only: cheap). */
export async function countConnectionData(db: DynamoDBDocumentClient, table: string, psid: string, itemId: string, now: Date): Promise<{ accounts: number; transactions: number }> {
  const [accounts, transactions] = await Promise.all([
    queryPrefix(db, table, psid, accountPrefix(itemId), true),
    queryRetainedTransactions(db, table, psid, itemId, now, true),
  ]);
  return { accounts: accounts.length, transactions: transactions.length };
}

export interface PurgeCounts {
  connections: number;
  accounts: number;
  transactions: number;
}

/**
 * Deletes everything held for one bank connection: the connection (token and sync cursor),
 * its accounts and balances, its transactions. Idempotent: a second run finds nothing.
 */
export async function deleteConnectionData(db: DynamoDBDocumentClient, table: string, psid: string, itemId: string): Promise<PurgeCounts> {
  const [accounts, transactions, connection, alerts, held] = await Promise.all([
    queryPrefix(db, table, psid, accountPrefix(itemId), true),
    queryPrefix(db, table, psid, transactionPrefix(itemId), true),
    queryPrefix(db, table, psid, connectionSk(itemId), true),
    queryPrefix(db, table, psid, alertPrefix(itemId), true),
    queryPrefix(db, table, psid, heldPrefix(itemId), true),
  ]);
  const pointer = { pk: bankItemPk(itemId), sk: bankItemPk(itemId) };
  const keys = [...connection, ...accounts, ...transactions, ...alerts, ...held].map(({ pk, sk }) => ({ pk, sk }));
  await batchDelete(db, table, keys.concat(connection.length ? [pointer] : []));
  return { connections: connection.length, accounts: accounts.length, transactions: transactions.length };
}

/** Deletes a connection's transactions (the person stopped sharing them; consent rule 6). */
export async function deleteTransactions(db: DynamoDBDocumentClient, table: string, psid: string, itemId: string): Promise<number> {
  const keys = await queryPrefix(db, table, psid, transactionPrefix(itemId), true);
  await batchDelete(db, table, keys.map(({ pk, sk }) => ({ pk, sk })));
  return keys.length;
}

/** Blanks the balances of a connection's accounts, keeping names and masks (balances no longer shared). */
export async function clearBalances(db: DynamoDBDocumentClient, table: string, psid: string, itemId: string): Promise<number> {
  const accounts = await queryPrefix(db, table, psid, accountPrefix(itemId), true);
  const blank = ({ pk, sk }: Record<string, unknown>) =>
    new UpdateCommand({
      TableName: table,
      Key: { pk, sk },
      UpdateExpression: 'SET balances.available = :null, balances.#current = :null, balances.#limit = :null REMOVE balancesAsOf',
      ExpressionAttributeNames: { '#current': 'current', '#limit': 'limit' },
      ExpressionAttributeValues: { ':null': null },
      ConditionExpression: 'attribute_exists(pk)',
    });
  // The connection forgets when balances were last taken, too: blanked balances are as of nothing.
  const forget = new UpdateCommand({
    TableName: table,
    Key: { pk: userPk(psid), sk: connectionSk(itemId) },
    UpdateExpression: 'REMOVE balancesSyncedAt',
    ConditionExpression: 'attribute_exists(pk)',
  });
  await Promise.all(
    [...accounts.map(blank), forget].map((command) =>
      db.send(command).catch((error: unknown) => {
        if (!isConditionalCheckFailed(error)) throw error;
      }),
    ),
  );
  return accounts.length;
}

/** BatchWrite in chunks of 25, retrying UnprocessedItems with backoff until none are left. */
async function batchDelete(db: DynamoDBDocumentClient, table: string, keys: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 25) {
    let requests = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error(`Could not delete ${requests.length} items after ${attempt} attempts`);
      if (attempt > 0) await delay(Math.random() * Math.min(2_000, 50 * 2 ** attempt));
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  }
}

// ---- Alerts ------------------------------------------------------------------------------------

export interface AlertRecord {
  alertId: string;
  itemId: string;
  dedupeKey: string;
  rule: string;
  kind: string;
  at: string;
  answer?: 'yes' | 'no';
}

/**
 * One alert per (transaction, rule), ever: the first record wins. Kept 120 days from the alert,
 * longer than the transaction it is about can be held (90 days from its date), so a bank that
 * reports the transaction again never raises the alert twice; purged with the connection.
 */
export async function recordAlert(db: DynamoDBDocumentClient, table: string, psid: string, record: AlertRecord): Promise<'new' | 'duplicate'> {
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: { pk: userPk(psid), sk: alertSk(record.itemId, record.alertId), type: 'alert', ...record, expiresAt: epochSeconds(new Date(record.at)) + 120 * 86_400 },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return 'new';
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return 'duplicate';
    throw error;
  }
}

/**
 * A person's items of one sort-key prefix, without those TTL should have deleted by `now`: DynamoDB
 * deletes lazily, and an expired alert is neither answered, delivered nor exported (consent rule 6).
 */
const queryLive = (db: DynamoDBDocumentClient, table: string, psid: string, prefix: string, now: Date) =>
  queryAll(db, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    FilterExpression: 'attribute_not_exists(expiresAt) OR expiresAt > :now',
    ExpressionAttributeValues: { ':pk': userPk(psid), ':prefix': prefix, ':now': epochSeconds(now) },
    ConsistentRead: true,
  });

export async function findAlert(db: DynamoDBDocumentClient, table: string, psid: string, alertId: string, now: Date): Promise<AlertRecord | undefined> {
  const found = (await queryLive(db, table, psid, alertPrefix(), now)).find((item) => item.alertId === alertId);
  return found as unknown as AlertRecord | undefined;
}

/** The most recent fraud alert ("Was this you?") the person has not answered yet, if any. */
export async function latestOpenFraudAlert(db: DynamoDBDocumentClient, table: string, psid: string, now: Date): Promise<AlertRecord | undefined> {
  const open = (await queryLive(db, table, psid, alertPrefix(), now)).filter((item) => item.kind === 'fraud' && item.answer === undefined) as unknown as AlertRecord[];
  return open.reduce<AlertRecord | undefined>((latest, alert) => (latest === undefined || alert.at > latest.at ? alert : latest), undefined);
}

export async function answerAlert(db: DynamoDBDocumentClient, table: string, psid: string, alert: AlertRecord, answer: 'yes' | 'no', at: Date): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: userPk(psid), sk: alertSk(alert.itemId, alert.alertId) },
        UpdateExpression: 'SET answer = :answer, answeredAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(answer)',
        ExpressionAttributeValues: { ':answer': answer, ':at': at.toISOString() },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** An alert that could not be sent (the 24-hour window was closed), kept for the next message. */
export async function holdAlert(db: DynamoDBDocumentClient, table: string, psid: string, held: { itemId: string; alertId: string; at: string; message: unknown }): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: table,
      Item: { pk: userPk(psid), sk: heldSk(held.itemId, held.at, held.alertId), type: 'held-alert', ...held, expiresAt: epochSeconds(new Date(held.at)) + 30 * 86_400 },
    }),
  );
}

export async function listHeldAlerts(db: DynamoDBDocumentClient, table: string, psid: string, now: Date): Promise<{ sk: string; alertId: string; message: unknown }[]> {
  return (await queryLive(db, table, psid, heldPrefix(), now)).map((item) => ({ sk: String(item.sk), alertId: String(item.alertId), message: item.message }));
}

export async function dropHeldAlert(db: DynamoDBDocumentClient, table: string, psid: string, sk: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table, Key: { pk: userPk(psid), sk } }));
}

/**
 * A connection's alerts (with the person's "it was me / not me" answers) and the alerts held for
 * their next message, for their export; what TTL should have deleted by `now` left out.
 */
export async function listConnectionAlerts(
  db: DynamoDBDocumentClient,
  table: string,
  psid: string,
  itemId: string,
  now: Date,
): Promise<{ alerts: Record<string, unknown>[]; held: Record<string, unknown>[] }> {
  const live = async (prefix: string) =>
    (await queryLive(db, table, psid, prefix, now)).map(({ pk: _pk, sk: _sk, type: _type, expiresAt: _expiresAt, ...record }) => record);
  const [alerts, held] = await Promise.all([live(alertPrefix(itemId)), live(heldPrefix(itemId))]);
  return { alerts, held };
}
