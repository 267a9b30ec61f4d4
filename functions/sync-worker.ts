import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createBankRuntime } from '../lib/runtime/bank';
import { logger } from '../lib/logger';
import { publishMetrics } from '../lib/metrics';
import { processSqsBatch } from '../lib/queue/sqs-batch';
import { createRuntime } from '../lib/runtime';
import { handleSyncMessage } from '../lib/sync/handle-sync-message';
import { syncMessageDeps } from '../lib/runtime/sync';

const runtime = createRuntime();
const deps = syncMessageDeps(runtime, createBankRuntime(runtime));

/** One message per bank connection, up to 10 at once; the ones kept for later are reported one by one. */
const syncBatch = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const ports = await deps();
  return processSqsBatch(event, (message) => handleSyncMessage(message, ports), { concurrency: 10 });
};

export const handler = middy<SQSEvent, SQSBatchResponse>(syncBatch).use(injectLambdaContext(logger, { resetKeys: true })).use(publishMetrics());
