import { DeleteTableCommand, DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createTables } from '../../dev/tables';
import { createStore, type Store } from '../../lib/store';
import { createDocumentClient } from '../../lib/store/client';

export interface TestTables {
  endpoint: string;
  client: DynamoDBClient;
  db: DynamoDBDocumentClient;
  names: { main: string; audit: string };
  /** Every item of the main table (a Scan is fine in a test, never in production code). */
  items(): Promise<Record<string, unknown>[]>;
  /** The production store over these tables (7-day inbox), on the given clock or the real one. */
  store(clock?: () => Date): Store;
  dispose(): Promise<void>;
}

/** Fresh tables, created from serverless.yml's definitions, in the run's DynamoDB Local. */
export async function createTestTables(): Promise<TestTables> {
  const endpoint = inject('dynamodbEndpoint');
  const suffix = randomUUID().slice(0, 8);
  const names = { main: `test-main-${suffix}`, audit: `test-audit-${suffix}` };
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await createTables(client, names);
  const db = createDocumentClient({ region: 'eu-west-1', endpoint, connectTimeoutMs: 15_000, requestTimeoutMs: 15_000 });
  const items = async () => {
    const found: Record<string, unknown>[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: names.main, ExclusiveStartKey: start }));
      found.push(...(page.Items ?? []).map((item) => unmarshall(item)));
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  };
  const dispose = async () => {
    await Promise.all(Object.values(names).map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
    client.destroy();
    db.destroy();
  };
  const store = (clock?: () => Date) =>
    createStore({ db, tableName: names.main, auditTableName: names.audit, inboxTtlDays: 7, ...(clock ? { clock } : {}) });
  return { endpoint, client, db, names, items, store, dispose };
}

/** Every item of one person's partition in the main table. */
export async function personItems(tables: TestTables, psid: string): Promise<Record<string, unknown>[]> {
  return (await tables.items()).filter((i) => i.pk === `USER#${psid}`);
}
