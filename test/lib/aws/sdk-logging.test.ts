import { describe, expect, it } from 'vitest';
import { SQSClient } from '@aws-sdk/client-sqs';
import { withoutSdkLogging } from '../../../lib/aws/sdk-logging';
import { createDocumentClient } from '../../../lib/store/client';

/** The SDK's logger middleware walks every input and output even with no logger: our clients go without it. */
const names = (client: { middlewareStack: { identify(): string[] } }) => client.middlewareStack.identify().map((entry) => entry.split(' ')[0]);

describe('AWS SDK clients without the logger middleware', () => {
  it('a client has it by default, and not once it is taken off', () => {
    const client = new SQSClient({ region: 'eu-west-1' });
    expect(names(client)).toContain('loggerMiddleware');
    expect(names(withoutSdkLogging(client))).not.toContain('loggerMiddleware');
    expect(names(client)).toContain('retryMiddleware');
  });

  it('the DynamoDB document client every function uses goes without it', () => {
    const db = createDocumentClient({ region: 'eu-west-1', connectTimeoutMs: 1000, requestTimeoutMs: 1000 });
    expect(names(db)).not.toContain('loggerMiddleware');
    expect(names(db)).toContain('retryMiddleware');
  });
});
