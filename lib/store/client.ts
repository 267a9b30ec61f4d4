import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withoutSdkLogging } from '../aws/sdk-logging';

export interface DynamoOptions {
  region: string;
  /** Set only locally (DynamoDB Local). */
  endpoint?: string | undefined;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
}

/**
 * The one DynamoDB document client a container uses. Every call has a connect and a request
 * timeout and the SDK's bounded, jittered retries; the webhook must answer Meta within seconds.
 */
export function createDocumentClient(options: DynamoOptions): DynamoDBDocumentClient {
  const client = withoutSdkLogging(new DynamoDBClient({
    region: options.region,
    maxAttempts: 3,
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      // Without this, newer SDKs only log a warning when the request timeout passes.
      throwOnRequestTimeout: true,
    },
    // DynamoDB Local accepts any credentials; fixed ones avoid walking the credential chain.
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  }));
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
