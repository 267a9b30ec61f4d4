import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { answerInboundEvent } from '../lib/assistant/answer-event';
import { processInboxBatch } from '../lib/assistant/inbox-batch';
import { createSecretLoader, getConfig } from '../lib/config';
import { logger } from '../lib/logger';
import { createSendApi } from '../lib/messenger/send-api';
import { createStoreFromConfig } from '../lib/store';

const config = getConfig();
const secrets = createSecretLoader(config);
const store = createStoreFromConfig(config);

/** Inbox items from the table's stream (the event filter in serverless.yml passes only inserts). */
const answerBatch = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const messenger = createSendApi({
    graphApiUrl: config.GRAPH_API_URL,
    pageAccessToken: await secrets('MESSENGER_PAGE_ACCESS_TOKEN'),
  });
  return processInboxBatch(
    event.Records,
    (inbound) =>
      answerInboundEvent(inbound, {
        store,
        messenger,
        log: logger.createChild({ persistentKeys: { correlationId: inbound.id } }),
      }),
    logger,
  );
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>(answerBatch).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
