import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../dev/dynamodb-local';
import { startLocalSqs, type LocalSqs } from '../../dev/local-sqs';
import { startSandboxBank, type SandboxBank } from '../../dev/sandbox-bank/server';
import { createTables } from '../../dev/tables';
import type { BankConnector } from '../../lib/banking/bank-connector';
import { createPlaidConnector } from '../../lib/banking/plaid-connector';
import { createLocalKeyProvider } from '../../lib/security/local-key-provider';
import { createStore, type FinancialGate, type Store } from '../../lib/store';
import { createDocumentClient } from '../../lib/store/client';
import { linkedPerson } from '../../test/support/banking';
import { SECRETS, type Endpoints } from './env';
import { startGraphFake, type GraphFake } from './graph-fake';

/** Everything the benchmarks run against, started once and stopped at the end. */
export interface Stack {
  dynamo: DynamoDbLocal;
  admin: DynamoDBClient;
  sqs: LocalSqs;
  bank: SandboxBank;
  /** The production adapter on the sandbox bank, as the harness's own client. */
  connector: BankConnector;
  graph: GraphFake;
  newTables(): Promise<{ main: string; audit: string }>;
  endpoints(tables: { main: string; audit: string }, overrides?: Partial<Endpoints>): Endpoints;
  store(tables: { main: string; audit: string }): { store: Store; financial: FinancialGate };
  link(tables: { main: string; audit: string }, scopes?: ('balances' | 'transactions' | 'alerts')[]): Promise<{ psid: string; itemId: string }>;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const dynamo = await startDynamoDbLocal();
  // DynamoDB Local keeps one database per access key and region: use the handlers' ones.
  const admin = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const sqs = await startLocalSqs({ stage: `bench${Date.now()}` });
  const bank = await startSandboxBank({ clientId: SECRETS.PLAID_CLIENT_ID, secret: SECRETS.PLAID_SECRET });
  const graph = await startGraphFake();
  const db = createDocumentClient({ region: 'eu-west-1', endpoint: dynamo.endpoint, connectTimeoutMs: 10_000, requestTimeoutMs: 10_000 });
  const connector = createPlaidConnector({ baseUrl: bank.url, clientId: SECRETS.PLAID_CLIENT_ID, secret: SECRETS.PLAID_SECRET });
  const stores = new Map<string, { store: Store; financial: FinancialGate }>();
  const store = (tables: { main: string; audit: string }) => {
    let found = stores.get(tables.main);
    if (!found) {
      const created = createStore({ db, tableName: tables.main, auditTableName: tables.audit, inboxTtlDays: 7 });
      found = { store: created, financial: created.financialGate(createLocalKeyProvider(SECRETS.LOCAL_MASTER_KEY)) };
      stores.set(tables.main, found);
    }
    return found;
  };
  return {
    dynamo,
    admin,
    sqs,
    bank,
    connector,
    graph,
    async newTables() {
      const suffix = randomUUID().slice(0, 8);
      const tables = { main: `bench-main-${suffix}`, audit: `bench-audit-${suffix}` };
      await createTables(admin, tables);
      return tables;
    },
    endpoints: (tables, overrides = {}) => ({
      dynamodb: dynamo.endpoint,
      tables,
      graph: graph.url,
      plaid: bank.url,
      sqs: sqs.endpoint,
      syncQueueUrl: sqs.queueUrl('SyncQueue'),
      ...overrides,
    }),
    store,
    async link(tables, scopes = ['balances', 'transactions', 'alerts']) {
      const { store: s, financial } = store(tables);
      const person = await linkedPerson({ bank, connector, store: s, financial, clientId: SECRETS.PLAID_CLIENT_ID, secret: SECRETS.PLAID_SECRET }, { scopes });
      return { psid: person.psid, itemId: person.itemId };
    },
    async stop() {
      await graph.close();
      await bank.close();
      await sqs.stop();
      db.destroy();
      admin.destroy();
      await dynamo.stop();
    },
  };
}
