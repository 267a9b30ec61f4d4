import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { vi } from 'vitest';
import type { TestTables } from './dynamodb';

export const APP_SECRET = 'test-app-secret-3f9a';
export const VERIFY_TOKEN = 'test-verify-token-77';
export const PAGE_TOKEN = 'test-page-token-c0ffee';
export const LINK_SECRET = 'test-link-secret-9d2b';
export const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
export const PLAID_CLIENT_ID = 'test-plaid-client';
export const PLAID_SECRET = 'test-plaid-secret-51ab';

export function lambdaContext(functionName = 'test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export interface FunctionEnv {
  tableName: string;
  auditTableName: string;
  dynamodbEndpoint: string;
  graphApiUrl?: string;
  extra?: Record<string, string>;
}

/** A handler fed by a DynamoDB stream (conversation, consentEffects), called as Lambda calls it. */
export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

/** A handler fed by an SQS queue (syncWorker), called as Lambda calls it. */
export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** The environment of handlers over the test tables that send to the Graph API at `graphApiUrl`. */
export function tablesEnv(tables: TestTables, graphApiUrl: string, extra?: Record<string, string>): FunctionEnv {
  return { tableName: tables.names.main, auditTableName: tables.names.audit, dynamodbEndpoint: tables.endpoint, graphApiUrl, ...(extra ? { extra } : {}) };
}

/**
 * Loads a handler module fresh, as a new Lambda container would, with its configuration in the
 * environment. Handlers read config and secrets once at init, so each load gets its own.
 */
export async function loadHandler<H>(load: () => Promise<{ handler: unknown }>, env: FunctionEnv): Promise<H> {
  vi.resetModules();
  const vars: Record<string, string> = {
    TABLE_NAME: env.tableName,
    AUDIT_TABLE_NAME: env.auditTableName,
    DYNAMODB_ENDPOINT: env.dynamodbEndpoint,
    GRAPH_API_URL: env.graphApiUrl ?? 'http://127.0.0.1:9/v25.0',
    SECRETS_SOURCE: 'env',
    MESSENGER_APP_SECRET: APP_SECRET,
    MESSENGER_VERIFY_TOKEN: VERIFY_TOKEN,
    MESSENGER_PAGE_ACCESS_TOKEN: PAGE_TOKEN,
    CONSENT_LINK_SECRET: LINK_SECRET,
    LOCAL_MASTER_KEY: MASTER_KEY,
    PLAID_CLIENT_ID: PLAID_CLIENT_ID,
    PLAID_SECRET: PLAID_SECRET,
    PUBLIC_BASE_URL: 'https://assistant.test',
    // DynamoDB Local under a test's concurrency is far slower than DynamoDB.
    DYNAMODB_CONNECT_TIMEOUT_MS: '15000',
    DYNAMODB_REQUEST_TIMEOUT_MS: '15000',
    ...env.extra,
  };
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
  // Middy's handler takes an optional third argument; tests call it as Lambda does, with two.
  return (await load()).handler as H;
}
