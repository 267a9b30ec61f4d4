import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { answerInboundEvent } from '../lib/assistant/answer-event';
import { composeReply } from '../lib/assistant/compose';
import { processInboxBatch } from '../lib/assistant/inbox-batch';
import { holdingsOf } from '../lib/consent/export';
import { confirmAccountLink, consentLink, renewOwnConsent, revokeOwnConsent } from '../lib/consent/flows';
import { deliverHeldAlerts } from '../lib/alerts/deliver';
import { createAlertInbox } from '../lib/financial';
import { logger } from '../lib/logger';
import { notifyOnce } from '../lib/messenger/notify';
import { createRuntime } from '../lib/runtime';

const runtime = createRuntime();
const { store, clock } = runtime;
const alertInbox = createAlertInbox({ db: store.db, table: store.table, clock });

/** Inbox items from the table's stream (the event filter in serverless.yml passes only inserts). */
const answerBatch = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const [messenger, settings] = await Promise.all([runtime.messenger(), runtime.consentSettings()]);
  return processInboxBatch(
    event.Records,
    async (inbound) => {
      const log = logger.createChild({ persistentKeys: { correlationId: inbound.id } });
      const outcome = await answerInboundEvent(inbound, {
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
            answerAlert: async (psid, alertId, answer) => {
              const alert = await alertInbox.find(psid, alertId);
              if (!alert) return 'unknown';
              await alertInbox.answer(psid, alert, answer);
              return 'recorded';
            },
            bankFraudSteps: { cardLockUrl: runtime.config.BANK_CARD_LOCK_URL, fraudPhone: runtime.config.BANK_FRAUD_PHONE },
            link: (psid, purpose) => consentLink(psid, purpose, { settings, clock }),
            clock,
          }),
      });
      // The person just wrote: their window is open, so alerts held while it was closed go now.
      if (outcome === 'replied' && inbound.psid) {
        await deliverHeldAlerts(inbound.psid, { inbox: alertInbox, notify: (psid, key, messages) => notifyOnce(psid, key, messages, { store, messenger, log }), log });
      }
      return outcome;
    },
    logger,
  );
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>(answerBatch).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
