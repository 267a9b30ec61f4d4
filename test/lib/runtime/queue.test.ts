import { describe, expect, it } from 'vitest';
import type { Config } from '../../../lib/config';
import { ConfigurationError } from '../../../lib/errors';
import { syncQueueOf } from '../../../lib/runtime/queue';

/** The sync queue as the functions get it: required by most, optional for the conversation. */
const config = (queueUrl?: string) => ({ config: { AWS_REGION: 'eu-west-1', ...(queueUrl ? { SYNC_QUEUE_URL: queueUrl } : {}) } as Config });

describe('the sync queue', () => {
  it('fails a function that needs it at init, naming the missing setting', () => {
    expect(() => syncQueueOf(config())).toThrow(ConfigurationError);
    expect(() => syncQueueOf(config())).toThrow('SYNC_QUEUE_URL is not set');
  });

  it('is absent, not an error, where it is optional', () => {
    expect(syncQueueOf(config(), { optional: true })).toBeUndefined();
  });

  it('is there when configured, whether required or optional', () => {
    const url = 'http://127.0.0.1:9/000000000000/sync';

    expect(Object.keys(syncQueueOf(config(url))).sort()).toEqual(['delay', 'request', 'send']);
    expect(syncQueueOf(config(url), { optional: true })).toBeDefined();
  });
});
