import { vi } from 'vitest';
import { startGraphStub, type GraphStub } from '../../dev/graph-stub';
import { startLocalSqs, type LocalSqs } from '../../dev/local-sqs';
import { startSandboxBank, type SandboxBank } from '../../dev/sandbox-bank/server';
import { createTestTables, type TestTables } from './dynamodb';
import { PAGE_TOKEN, PLAID_CLIENT_ID, PLAID_SECRET, tablesEnv, type FunctionEnv } from './functions';

/** What the handlers of a bank-linking function test talk to, each local and fresh for the file. */
export interface Services {
  tables: TestTables;
  graph: GraphStub;
  bank: SandboxBank;
  sqs: LocalSqs;
}

/**
 * Fresh tables, the Graph API stub, the sandbox bank and a local SQS stage named `stage` and the
 * time, started one after another; what started is stopped again if a later one fails to.
 */
export async function startServices(stage: string): Promise<Services> {
  const started: Partial<Services> = {};
  try {
    started.tables = await createTestTables();
    started.graph = await startGraphStub({ pageAccessToken: PAGE_TOKEN });
    started.bank = await startSandboxBank({ clientId: PLAID_CLIENT_ID, secret: PLAID_SECRET });
    started.sqs = await startLocalSqs({ stage: `${stage}${Date.now()}` });
    return started as Services;
  } catch (error) {
    await stopServices(started);
    throw error;
  }
}

/** Stops the services in the reverse order of their start, passing over any that never started. */
export async function stopServices({ tables, graph, bank, sqs }: Partial<Services>): Promise<void> {
  await sqs?.stop();
  await bank?.close();
  await graph?.close();
  await tables?.dispose();
}

/** Undoes a function test's setup: the environment its handlers were loaded with, then `consumers` in order, then the services. */
export async function tearDown(consumers: { stop(): Promise<void> }[], services: Partial<Services>): Promise<void> {
  vi.unstubAllEnvs();
  for (const consumer of consumers) await consumer.stop();
  await stopServices(services);
}

/** The environment of handlers over all the services (the bank's API, the sync queue), with `extra` settings. */
export function servicesEnv({ tables, graph, bank, sqs }: Services, extra: Record<string, string>): FunctionEnv {
  return tablesEnv(tables, graph.url, { PLAID_BASE_URL: bank.url, SQS_ENDPOINT: sqs.endpoint, SYNC_QUEUE_URL: sqs.queueUrl('SyncQueue'), ...extra });
}
