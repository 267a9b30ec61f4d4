import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { createBankRuntime } from '../lib/bank-runtime';
import { onConsentChanged } from '../lib/consent/effects';
import { readConsentChange } from '../lib/consent/consent-stream';
import { sendNotice } from '../lib/consent/notices';
import { ConfigurationError } from '../lib/errors';
import { logger } from '../lib/logger';
import { countMetric, publishMetrics } from '../lib/metrics';
import { createSyncQueue } from '../lib/queue/sync-queue';
import { notifyOnce } from '../lib/messenger/notify';
import { noticeDeps } from '../lib/notice-runtime';
import { createRuntime } from '../lib/runtime';
import { processOrderedBatch } from '../lib/stream/ordered-batch';

const runtime = createRuntime();
const bankRuntime = createBankRuntime(runtime);
const { store, clock, config } = runtime;
if (!config.SYNC_QUEUE_URL) throw new ConfigurationError('SYNC_QUEUE_URL is not set');
const queue = createSyncQueue({ queueUrl: config.SYNC_QUEUE_URL, region: config.AWS_REGION, endpoint: config.SQS_ENDPOINT });

/** Consent changes from the table's stream (the event filter passes consent MODIFY records only). */
const applyEffects = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const [financial, bank, messenger] = await Promise.all([bankRuntime.financial(), bankRuntime.bank(), runtime.messenger()]);
  return processOrderedBatch(
    event.Records,
    readConsentChange,
    ({ before, after }) => {
      const log = logger.createChild({ persistentKeys: { correlationId: `${after.consentId}:v${after.version}` } });
      const notices = noticeDeps(runtime, messenger, log);
      return onConsentChanged(before, after, {
        financial,
        bank,
        purges: store,
        requestSync: async (request) => void (await queue.send([request])),
        notify: (psid, key, messages, notice) =>
          notice ? sendNotice(psid, key, notice, notices, async () => messages) : notifyOnce(psid, key, messages, { store, messenger, log }),
        language: notices.language,
        clock,
        log,
        count: countMetric,
      });
    },
    logger,
  );
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>(applyEffects)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics());
