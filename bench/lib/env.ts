/** Configuration every bundle gets in the benchmark: production-like (JSON logs at INFO), local endpoints. */
export const SECRETS = {
  MESSENGER_APP_SECRET: 'bench-app-secret',
  MESSENGER_VERIFY_TOKEN: 'bench-verify-token',
  MESSENGER_PAGE_ACCESS_TOKEN: 'bench-page-token',
  CONSENT_LINK_SECRET: 'bench-link-secret',
  PLAID_CLIENT_ID: 'bench-plaid-client',
  PLAID_SECRET: 'bench-plaid-secret',
  LOCAL_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
};

export interface Endpoints {
  dynamodb: string;
  tables: { main: string; audit: string };
  graph?: string;
  plaid?: string;
  sqs?: string;
  syncQueueUrl?: string;
}

export function benchEnv(endpoints: Endpoints, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_REGION: 'eu-west-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TABLE_NAME: endpoints.tables.main,
    AUDIT_TABLE_NAME: endpoints.tables.audit,
    DYNAMODB_ENDPOINT: endpoints.dynamodb,
    // DynamoDB Local shares two cores with everything else here; do not let a slow answer fail a run.
    DYNAMODB_CONNECT_TIMEOUT_MS: '10000',
    DYNAMODB_REQUEST_TIMEOUT_MS: '10000',
    GRAPH_API_URL: endpoints.graph ?? 'http://127.0.0.1:9/v25.0',
    PLAID_BASE_URL: endpoints.plaid ?? 'http://127.0.0.1:9',
    ...(endpoints.sqs ? { SQS_ENDPOINT: endpoints.sqs } : {}),
    ...(endpoints.syncQueueUrl ? { SYNC_QUEUE_URL: endpoints.syncQueueUrl } : {}),
    PUBLIC_BASE_URL: 'https://assistant.example',
    SECRETS_SOURCE: 'env',
    KEY_PROVIDER: 'local',
    POWERTOOLS_SERVICE_NAME: 'messenger-banking',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    ...SECRETS,
    ...extra,
  };
}
