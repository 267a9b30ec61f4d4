import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { answerInboxEvent } from '../lib/assistant/answer-inbox-event';
import { processInboxBatch } from '../lib/assistant/inbox-batch';
import { conversationDeps } from '../lib/runtime/assistant';
import { logger } from '../lib/logger';
import { publishMetrics } from '../lib/metrics';
import { createRuntime } from '../lib/runtime';

const runtime = createRuntime();
const deps = conversationDeps(runtime);

/** Inbox items from the table's stream (the event filter in serverless.yml passes only inserts). */
const answerBatch = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const depsFor = await deps();
  return processInboxBatch(event.Records, (inbound) => answerInboxEvent(inbound, depsFor(runtime.logFor(inbound.id))), logger);
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>(answerBatch)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics());
