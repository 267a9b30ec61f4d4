import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AuditEntry } from '../../../lib/consent/model/consent';
import type { Store } from '../../../lib/store';
import { auditPut } from '../../../lib/store/consents';
import { auditPk } from '../../../lib/store/keys';
import { createTestTables, type TestTables } from '../../support/dynamodb';

/**
 * The audit store against DynamoDB Local: append-only by the condition on its own writes. What
 * AWS refuses besides (an update or a delete by anyone: no role is granted one, and the table's
 * resource policy denies them) DynamoDB Local does not enforce; test/serverless/package.test.ts
 * checks it in the template, and test/architecture.test.ts that the store has no such write.
 */
const AT = '2026-11-21T10:00:00.000Z';
const entry: AuditEntry = { action: 'revoked', psid: 'psid-1', consentId: 'consent-1', at: AT, actor: 'person', disclosureVersion: 'v1', scopes: ['balances'] };

let tables: TestTables;
let store: Store;

beforeEach(async () => {
  tables = await createTestTables();
  store = tables.store(() => new Date(AT));
});

afterEach(async () => {
  await tables.dispose();
});

const storedRecords = async () =>
  (
    await tables.db.send(
      new QueryCommand({ TableName: tables.names.audit, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': auditPk(entry.psid) }, ConsistentRead: true }),
    )
  ).Items ?? [];

it('appends: the same entry twice is two records, never one replacing the other', async () => {
  await store.appendAudit(entry);
  await store.appendAudit(entry);

  expect(await store.listAudit(entry.psid)).toEqual([entry, entry]);
});

it("refuses the store's own put aimed at an existing record, alone or inside a transaction", async () => {
  await store.appendAudit(entry);
  const [original] = await storedRecords();
  // The store's audit write, carrying other content under the existing record's key.
  const { Put } = auditPut(tables.names.audit, { ...entry, action: 'granted', actor: 'system' });
  const overwrite = { ...Put!, Item: { ...Put!.Item, pk: original!.pk, sk: original!.sk } };

  await expect(tables.db.send(new PutCommand(overwrite))).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  await expect(tables.db.send(new TransactWriteCommand({ TransactItems: [{ Put: overwrite }] }))).rejects.toMatchObject({ name: 'TransactionCanceledException' });

  expect(await storedRecords()).toEqual([original]);
});
