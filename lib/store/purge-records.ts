import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../consent/model/consent';
import { ConsentChanged } from '../errors';
import { auditPut, type ConsentTables } from './consents';
import { userPk } from './keys';
import { transactWrite, type TransactItem } from './transact-write';

/** What a purge deleted, one record per ended consent: counts only, no financial data. */
export interface PurgeRecord {
  accounts: number;
  transactions: number;
  connections: number;
  /** Absent from records made before recurring streams were stored. */
  recurringStreams?: number;
  removedAtBank: boolean;
  at: string;
}

/** What a purge deleted, kept (with no financial data) so a retried purge reports the same. */
export async function getPurgeRecord(db: DynamoDBDocumentClient, table: string, psid: string, consentId: string): Promise<PurgeRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: { pk: userPk(psid), sk: `PURGE#${consentId}` }, ConsistentRead: true }));
  if (!Item) return undefined;
  const { accounts, transactions, connections, recurringStreams, removedAtBank, at } = Item as PurgeRecord;
  return { accounts, transactions, connections, ...(recurringStreams !== undefined ? { recurringStreams } : {}), removedAtBank, at };
}

/**
 * Records a purge and its audit entry in one transaction. The first record wins: a retry that
 * finds one returns it (so the person is told the first run's counts, and it is audited once).
 */
export async function recordPurge(
  db: DynamoDBDocumentClient,
  tables: ConsentTables,
  psid: string,
  consentId: string,
  record: PurgeRecord,
  audit: AuditEntry,
): Promise<PurgeRecord> {
  const put: TransactItem = {
    Put: {
      TableName: tables.table,
      Item: { pk: userPk(psid), sk: `PURGE#${consentId}`, type: 'purge', ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  try {
    await transactWrite(db, [put, auditPut(tables.auditTable, audit)], () => new ConsentChanged('Purge already recorded'));
    return record;
  } catch (error) {
    if (!(error instanceof ConsentChanged)) throw error;
    return (await getPurgeRecord(db, tables.table, psid, consentId)) ?? record;
  }
}
