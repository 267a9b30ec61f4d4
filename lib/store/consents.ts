import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { AuditEntry, Consent, Transition } from '../consent/model/consent';
import { AUDIT_RETENTION_DAYS } from '../consent/model/retention';
import { ConsentChanged } from '../errors';
import {
  auditPk,
  ConsentItemType,
  consentExpiryGsi,
  consentPrefix,
  consentsAndAlertSettingsRange,
  consentSk,
  epochSeconds,
  userPk,
} from './keys';
import { alertSettingsOfItem } from './people';
import { queryAll, queryByPrefix } from './query';
import { transactWrite, type TransactItem } from './transact-write';

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
