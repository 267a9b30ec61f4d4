import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { answerInboundEvent } from '../lib/assistant/answer-event';
import { composeReply } from '../lib/assistant/compose';
import { processInboxBatch } from '../lib/assistant/inbox-batch';
import { holdingsOf } from '../lib/consent/export';
import { confirmAccountLink, consentLink, renewOwnConsent, revokeOwnConsent } from '../lib/consent/flows';
import { logger } from '../lib/logger';
import { createRuntime } from '../lib/runtime';

const runtime = createRuntime();
const { store, clock } = runtime;

/** Inbox items from the table's stream (the event filter in serverless.yml passes only inserts). */
const answerBatch = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const [messenger, settings] = await Promise.all([runtime.messenger(), runtime.consentSettings()]);
  return processInboxBatch(
    event.Records,
    (inbound) => {
      const log = logger.createChild({ persistentKeys: { correlationId: inbound.id } });
      return answerInboundEvent(inbound, {
        store,
        messenger,
        log,
        compose: (asked) =>
          composeReply(asked, {
            listConsents: store.listConsents,
            revoke: (psid, consentId) => revokeOwnConsent(psid, consentId, 'person', { store, clock, log }),
            renew: (psid, consentId) => renewOwnConsent(psid, consentId, { store, clock, log }),
            holdings: (psid) => holdingsOf(psid, { store, financial: runtime.financialReads, clock }),
            confirmAccountLink: (psid, code) => confirmAccountLink(psid, code, { store, clock, settings }),
            link: (psid, purpose) => consentLink(psid, purpose, { settings, clock }),
            clock,
          }),
      });
    },
    logger,
  );
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>(answerBatch).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
