import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { ConfigurationError } from '../lib/errors';
import { logger } from '../lib/logger';
import { createSyncQueue } from '../lib/queue/sync-queue';
import { createRuntime } from '../lib/runtime';
import { enqueueDueSyncs } from '../lib/sync/schedule';

const runtime = createRuntime();
const { store, clock, config } = runtime;
if (!config.SYNC_QUEUE_URL) throw new ConfigurationError('SYNC_QUEUE_URL is not set');
const queue = createSyncQueue({ queueUrl: config.SYNC_QUEUE_URL, region: config.AWS_REGION, endpoint: config.SQS_ENDPOINT });

/** Scheduled: enqueue every bank connection whose sync is due. */
const schedule = async () =>
  enqueueDueSyncs({
    listDue: (onPage) => store.listDueConnections(clock(), config.SYNC_LOOKBACK_MINUTES, onPage),
    queue,
    log: logger,
  });

export const handler = middy(schedule).use(injectLambdaContext(logger, { resetKeys: true }));
