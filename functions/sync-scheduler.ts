import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../lib/logger';
import { syncQueueOf } from '../lib/runtime/queue';
import { createRuntime } from '../lib/runtime';
import { enqueueDueSyncs } from '../lib/sync/schedule';

const runtime = createRuntime();
const { store, clock, config } = runtime;
const queue = syncQueueOf(runtime);

/** Scheduled: enqueue every bank connection whose sync is due. */
const schedule = async () =>
  enqueueDueSyncs({
    listDue: (onPage) => store.listDueConnections(clock(), config.SYNC_LOOKBACK_MINUTES, onPage),
    queue,
    log: logger,
  });

export const handler = middy(schedule).use(injectLambdaContext(logger, { resetKeys: true }));
