import { ConfigurationError } from '../errors';
import { createSyncQueue, type SyncQueue, type SyncRequest } from '../queue/sync-queue';
import type { Runtime } from './index';

/** The sync queue as the functions use it: with one request sent on its own. */
export interface SyncRequests extends SyncQueue {
  request(request: SyncRequest): Promise<void>;
}

/**
 * The sync queue, for the functions that send to it or delay its messages: wiring of its own (like
 * bank.ts) so that the others (the consent pages, the expiry sweep) bundle no SQS client.
 * Without its URL a function that needs it fails at init, naming the setting; one that can do
 * without (the conversation: no refreshes) asks for it as optional. The client is made on first use.
 */
export function syncQueueOf(runtime: Pick<Runtime, 'config'>): SyncRequests;
export function syncQueueOf(runtime: Pick<Runtime, 'config'>, options: { optional: true }): SyncRequests | undefined;
export function syncQueueOf({ config }: Pick<Runtime, 'config'>, options?: { optional: true }): SyncRequests | undefined {
  const queueUrl = config.SYNC_QUEUE_URL;
  if (!queueUrl) {
    if (options?.optional) return undefined;
    throw new ConfigurationError('SYNC_QUEUE_URL is not set');
  }
  let made: SyncQueue | undefined;
  const queue = () => (made ??= createSyncQueue({ queueUrl, region: config.AWS_REGION, endpoint: config.SQS_ENDPOINT }));
  return {
    send: (requests) => queue().send(requests),
    delay: (receiptHandle, seconds) => queue().delay(receiptHandle, seconds),
    request: async (request) => void (await queue().send([request])),
  };
}
