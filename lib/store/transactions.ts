import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BankTransaction } from '../banking/bank-connector';
import { TRANSACTION_RETENTION_DAYS } from '../consent/model/retention';
import { ConsentChanged } from '../errors';
import { batchDelete } from './batch-delete';
import { consentGuardCheck, type ConsentGuard } from './consent-guard';
import { accountPrefix, connectionSk, epochSeconds, FinancialItemType, transactionPrefix, transactionSk, userPk } from './keys';
import { queryAll, queryByPrefix } from './query';
import { transactWrite, type TransactItem } from './transact-write';

/**
 * A connection's bank transactions, kept 90 days. Financial data: ONLY the financial gate may
 * import this module (consent rule 5; see lib/store/connections.ts).
 */

/** Transactions are kept 90 days from their date, then expire (consent rule 6); the figure lives with the consent rules. */
export { TRANSACTION_RETENTION_DAYS };
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
    const items = [consentGuardCheck(table, g, now.toISOString()), ...chunk, ...(last ? [cursor] : [])];
    await transactWrite(db, items, (index) =>
      index === 0 || (last && index === items.length - 1)
        ? new ConsentChanged('Consent changed during the sync; nothing was written')
        : new Error('transaction write failed'),
    );
  }
  // What the sync may treat as new (alert rules look at it): only what was kept.
  return { added: page.added.filter(retained) };
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
    queryByPrefix(db, table, userPk(psid), accountPrefix(itemId), true),
    queryRetainedTransactions(db, table, psid, itemId, now, true),
  ]);
  return { accounts: accounts.length, transactions: transactions.length };
}

/** Deletes a connection's transactions (the person stopped sharing them; consent rule 6). */
export async function deleteTransactions(db: DynamoDBDocumentClient, table: string, psid: string, itemId: string): Promise<number> {
  const keys = await queryByPrefix(db, table, userPk(psid), transactionPrefix(itemId), true);
  await batchDelete(db, table, keys.map(({ pk, sk }) => ({ pk, sk })));
  return keys.length;
}
