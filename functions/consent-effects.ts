import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { createBankRuntime } from '../lib/runtime/bank';
import { onConsentChanged } from '../lib/consent/effects';
import { readConsentChange, type ConsentChange } from '../lib/consent/consent-stream';
import { logger } from '../lib/logger';
import { countMetric, publishMetrics } from '../lib/metrics';
import { notifier, presenterOf } from '../lib/runtime/notice';
import { syncQueueOf } from '../lib/runtime/queue';
import { createRuntime } from '../lib/runtime';
import { processOrderedBatch } from '../lib/stream/ordered-batch';

const runtime = createRuntime();
const bankRuntime = createBankRuntime(runtime);
const { store, clock } = runtime;
const queue = syncQueueOf(runtime);
const presenter = presenterOf(runtime);

/** Consent changes from the table's stream (the event filter passes consent MODIFY records only). */
const applyEffects = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const [financial, bank, messenger] = await Promise.all([bankRuntime.financial(), bankRuntime.bank(), runtime.messenger()]);
  const effects = ({ before, after }: ConsentChange) => {
    const log = runtime.logFor(`${after.consentId}:v${after.version}`);
    const notify = notifier(runtime, messenger, log);
    const ports = { financial, bank, purges: store, requestSync: queue.request, notify: notify.send, language: notify.language, presenter };
    return onConsentChanged(before, after, { ...ports, clock, log, count: countMetric });
  };
  return processOrderedBatch(event.Records, readConsentChange, effects, logger);
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>(applyEffects)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics());
