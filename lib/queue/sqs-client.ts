import { SQSClient } from '@aws-sdk/client-sqs';
import { withoutSdkLogging } from '../aws/sdk-logging';

export interface SqsClientOptions {
  region: string;
  /** Only set locally (the local SQS); its fixed credentials go with it. */
  endpoint?: string | undefined;
}

/**
 * The SQS client every queue adapter uses: a timeout on the connection and on each request, and
 * the SDK's own bounded retries (3 attempts, backoff with jitter) for what it classifies retryable.
 */
export function createSqsClient(options: SqsClientOptions): SQSClient {
  return withoutSdkLogging(
    new SQSClient({
      region: options.region,
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
      ...(options.endpoint ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    }),
  );
}
