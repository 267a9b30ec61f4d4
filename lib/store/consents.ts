import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { AuditEntry, Consent, Transition } from '../consent/consent';
import { ConsentChanged, LinkRefused } from '../errors';
import { isConditionalCheckFailed } from './errors';
import {
  auditPk,
  ConsentItemType,
  consentExpiryGsi,
  consentPrefix,
  consentsAndAlertSettingsRange,
  consentSk,
  consentSweepPk,
  ConsentSweepItemType,
  epochSeconds,
  linkNoncePk,
  LinkNonceItemType,
  userPk,
} from './keys';
import { alertSettingsOfItem } from './people';
import { queryAll, queryByPrefix } from './query';
import { transactWrite, type TransactItem } from './transactions';

/** Audit records outlive the data they describe: three years (consent rule 8). */
const AUDIT_RETENTION_DAYS = 3 * 365;

export interface ConsentTables {
  table: string;
  auditTable: string;
}

const consentItem = (consent: Consent) => ({
  pk: userPk(consent.psid),
  sk: consentSk(consent.consentId),
  type: ConsentItemType,
  ...consent,
  // Only consents in force sit in the expiry index.
  ...(consent.status === 'active' && consent.expiresAt ? consentExpiryGsi(consent.expiresAt) : {}),
});

/** The audit store is append-only: a put that never overwrites (a fresh id per entry). */
export const auditPut = (auditTable: string, entry: AuditEntry): TransactItem => ({
  Put: {
    TableName: auditTable,
    Item: {
      pk: auditPk(entry.psid),
      sk: `${entry.at}#${randomUUID()}`,
      ...entry,
      expiresAt: epochSeconds(new Date(entry.at)) + AUDIT_RETENTION_DAYS * 86_400,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/**
 * Commits a consent transition: the new consent, its audit entry and any items that must change
 * with it (the bank connection on activation…), all or nothing. The consent's version is the
 * condition, so a transition based on a stale read fails with ConsentChanged.
 */
export async function commitConsentTransition(
  db: DynamoDBDocumentClient,
  tables: ConsentTables,
  transition: Transition,
  with_: TransactItem[] = [],
): Promise<void> {
  const isNew = transition.consent.version === 1;
  const consentPut: TransactItem = {
    Put: {
      TableName: tables.table,
      Item: consentItem(transition.consent),
      ConditionExpression: isNew ? 'attribute_not_exists(pk)' : 'version = :previous',
      ...(isNew ? {} : { ExpressionAttributeValues: { ':previous': transition.consent.version - 1 } }),
    },
  };
  await transactWrite(db, [consentPut, auditPut(tables.auditTable, transition.audit), ...with_], (index) =>
    index === 0 ? new ConsentChanged('The consent changed meanwhile') : new Error(`Transaction item ${index} failed its condition`),
  );
}

/** An audit entry on its own (a refused access attempt, an export). */
export async function appendAudit(db: DynamoDBDocumentClient, auditTable: string, entry: AuditEntry): Promise<void> {
  const { Put } = auditPut(auditTable, entry);
  await db.send(new PutCommand(Put!));
}

const stripKeys = ({ pk: _pk, sk: _sk, type: _type, gsi1pk: _g1, gsi1sk: _g2, ...consent }: Record<string, unknown>) => consent as unknown as Consent;

export async function getConsent(db: DynamoDBDocumentClient, table: string, psid: string, consentId: string): Promise<Consent | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: { pk: userPk(psid), sk: consentSk(consentId) }, ConsistentRead: true }));
  return Item ? stripKeys(Item) : undefined;
}

export async function listConsents(db: DynamoDBDocumentClient, table: string, psid: string): Promise<Consent[]> {
  return (await queryByPrefix(db, table, userPk(psid), consentPrefix)).map(stripKeys);
}

/**
 * A person's consents and alert settings (undefined until they choose some) in one consistent
 * Query: what a sync reads before the bank, and what its alerts need after it. One request and
 * one read unit where a Query and a GetItem took two requests and 1.5.
 */
export async function listConsentsWithAlertSettings(
  db: DynamoDBDocumentClient,
  table: string,
  psid: string,
): Promise<{ consents: Consent[]; alertSettings: Record<string, unknown> | undefined }> {
  const { from, to } = consentsAndAlertSettingsRange;
  const items = await queryAll(db, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': userPk(psid), ':from': from, ':to': to },
    ConsistentRead: true,
  });
  const settings = items.find((item) => item.sk === from);
  return {
    consents: items.filter((item) => String(item.sk).startsWith(consentPrefix)).map(stripKeys),
    alertSettings: settings ? alertSettingsOfItem(settings) : undefined,
  };
}

/** Burns a link token's nonce: the first use wins, every later use is refused. */
export async function consumeLinkNonce(db: DynamoDBDocumentClient, table: string, nonce: string, expiresAtSeconds: number): Promise<void> {
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: { pk: linkNoncePk(nonce), sk: linkNoncePk(nonce), type: LinkNonceItemType, expiresAt: expiresAtSeconds + 86_400 },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw new LinkRefused('This link was already used. Ask in the chat for a new one.');
    throw error;
  }
}

export async function isLinkNonceUsed(db: DynamoDBDocumentClient, table: string, nonce: string): Promise<boolean> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: { pk: linkNoncePk(nonce), sk: linkNoncePk(nonce) }, ConsistentRead: true }));
  return Item !== undefined;
}

/** Audit history of a person, newest first (for "what do you hold about me" and the export). */
export async function listAudit(db: DynamoDBDocumentClient, auditTable: string, psid: string): Promise<AuditEntry[]> {
  const items = await queryAll(db, {
    TableName: auditTable,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': auditPk(psid) },
    ScanIndexForward: false,
  });
  return items.map(({ pk: _pk, sk: _sk, expiresAt: _ttl, ...entry }) => entry as unknown as AuditEntry);
}

export interface PurgeRecord {
  accounts: number;
  transactions: number;
  connections: number;
  removedAtBank: boolean;
  at: string;
}

/** What a purge deleted, kept (with no financial data) so a retried purge reports the same. */
export async function getPurgeRecord(db: DynamoDBDocumentClient, table: string, psid: string, consentId: string): Promise<PurgeRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: { pk: userPk(psid), sk: `PURGE#${consentId}` }, ConsistentRead: true }));
  if (!Item) return undefined;
  const { accounts, transactions, connections, removedAtBank, at } = Item as PurgeRecord;
  return { accounts, transactions, connections, removedAtBank, at };
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

/** Consents whose end falls on one day (UTC), from the overloaded GSI; keys only. */
export async function listConsentsEndingOn(db: DynamoDBDocumentClient, table: string, day: string): Promise<{ psid: string; consentId: string }[]> {
  const items = await queryAll(db, {
    TableName: table,
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :day',
    ExpressionAttributeValues: { ':day': `CONSENT_EXPIRES#${day}` },
  });
  return items.map((item) => ({ psid: String(item.pk).replace(/^USER#/, ''), consentId: String(item.sk).slice(consentPrefix.length) }));
}

/**
 * The UTC day (YYYY-MM-DD) of the last consent sweep that completed, if any. An eventually
 * consistent read is enough: a stale answer is an earlier day, which only makes the sweep read
 * more buckets.
 */
export async function getConsentSweepWatermark(db: DynamoDBDocumentClient, table: string): Promise<string | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: { pk: consentSweepPk(), sk: consentSweepPk() }, ProjectionExpression: '#day', ExpressionAttributeNames: { '#day': 'day' } }));
  return typeof Item?.day === 'string' ? Item.day : undefined;
}

/**
 * Records that a sweep of `day` completed. The watermark only moves forward: an overlapping
 * sweep that recorded the same or a later day wins, and losing that race is not an error.
 */
export async function recordConsentSweep(db: DynamoDBDocumentClient, table: string, day: string, now: Date): Promise<'recorded' | 'superseded'> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: consentSweepPk(), sk: consentSweepPk() },
        UpdateExpression: 'SET #type = :type, #day = :day, sweptAt = :at',
        ConditionExpression: 'attribute_not_exists(pk) OR #day < :day',
        ExpressionAttributeNames: { '#type': 'type', '#day': 'day' },
        ExpressionAttributeValues: { ':type': ConsentSweepItemType, ':day': day, ':at': now.toISOString() },
      }),
    );
    return 'recorded';
  } catch (error) {
    if (isConditionalCheckFailed(error)) return 'superseded';
    throw error;
  }
}
