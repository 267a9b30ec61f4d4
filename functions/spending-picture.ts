import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { handlePictureMessage } from '../lib/insights/handle-picture-message';
import { logger } from '../lib/logger';
import { publishMetrics } from '../lib/metrics';
import { processSqsBatch } from '../lib/queue/sqs-batch';
import { createRuntime } from '../lib/runtime';
import { spendingPictureDeps } from '../lib/runtime/insights';

const deps = spendingPictureDeps(createRuntime());

/** One spending picture per message: drawn, then sent with its text; failures reported one by one. */
const pictureBatch = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const forMessage = await deps();
  return processSqsBatch(event, (message) => handlePictureMessage(message, { log: logger, forMessage }), { concurrency: 5 });
};

export const handler = middy<SQSEvent, SQSBatchResponse>(pictureBatch).use(injectLambdaContext(logger, { resetKeys: true })).use(publishMetrics());
