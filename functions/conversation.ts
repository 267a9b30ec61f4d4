import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { answerTurn } from '../lib/assistant/answer-event';
import { composeRefreshed, composeReply, type ComposeDeps } from '../lib/assistant/compose';
import { processInboxBatch } from '../lib/assistant/inbox-batch';
import { asRefreshNotice } from '../lib/assistant/refresh-notice';
import { holdingsOf } from '../lib/consent/export';
import { confirmAccountLink, consentLink, reconnectLink, renewOwnConsent, revokeOwnConsent } from '../lib/consent/flows';
import { deliverHeldNotices, readHeldNotices } from '../lib/consent/notices';
import { createAlertInbox } from '../lib/financial';
import { logger, type Log } from '../lib/logger';
import { countMetric, publishMetrics } from '../lib/metrics';
import { deliverOnce } from '../lib/messenger/deliver';
import { notifyOnce } from '../lib/messenger/notify';
import { noticeDeps } from '../lib/notice-runtime';
import type { SendApi } from '../lib/messenger/send-api';
import { createSyncQueue } from '../lib/queue/sync-queue';
import { createRuntime } from '../lib/runtime';

const runtime = createRuntime();
const { store, clock, config } = runtime;
const alertInbox = createAlertInbox({ db: store.db, table: store.table, clock });
const queue = config.SYNC_QUEUE_URL ? createSyncQueue({ queueUrl: config.SYNC_QUEUE_URL, region: config.AWS_REGION, endpoint: config.SQS_ENDPOINT }) : undefined;
const settings: ComposeDeps['settings'] = {
  locales: { en: config.ASSISTANT_LOCALE_EN, es: config.ASSISTANT_LOCALE_ES },
  timeZone: config.ASSISTANT_TIME_ZONE,
  defaultLanguage: config.ASSISTANT_LANGUAGE,
  freshnessMinutes: config.DATA_FRESHNESS_MINUTES,
  currency: config.ASSISTANT_CURRENCY,
  homeCountry: config.BANK_COUNTRY_CODES.split(',')[0]!,
  brand: config.BRAND_NAME,
  fraudPhone: config.BANK_FRAUD_PHONE,
};

/** The assistant's ports, bound to this container's adapters. */
function composeDeps(messenger: SendApi, consentSettings: Awaited<ReturnType<typeof runtime.consentSettings>>, log: Log): ComposeDeps {
  return {
    listConsents: store.listConsents,
    revoke: (psid, consentId) => revokeOwnConsent(psid, consentId, 'person', { store, clock, log }),
    renew: (psid, consentId) => renewOwnConsent(psid, consentId, { store, clock, log }),
    holdings: (psid) => holdingsOf(psid, { store, financial: runtime.financialReads, clock }),
    confirmAccountLink: (psid, code) => confirmAccountLink(psid, code, { store, clock, settings: consentSettings }),
    answerAlert: async (psid, alertId, answer) => {
      const alert = await alertInbox.find(psid, alertId);
      if (!alert) return 'unknown';
      await alertInbox.answer(psid, alert, answer);
      return 'recorded';
    },
    latestOpenAlert: async (psid) => (await alertInbox.latestOpen(psid))?.alertId,
    bankFraudSteps: { cardLockUrl: config.BANK_CARD_LOCK_URL, fraudPhone: config.BANK_FRAUD_PHONE },
    link: (psid, purpose) => consentLink(psid, purpose, { settings: consentSettings, clock }),
    reconnectLink: (psid, consentId) => reconnectLink(psid, consentId, { settings: consentSettings, clock }),
    clock,
    financial: runtime.financialReads,
    conversation: { get: store.getConversation, put: store.putConversation },
    alertSettings: { get: store.getAlertSettings, put: store.putAlertSettings },
    ...(queue ? { requestRefresh: async (psid: string, itemId: string) => void (await queue.send([{ psid, itemId, reason: 'stale' }])) } : {}),
    handover: (psid) => messenger.passThreadControl(psid, config.HANDOVER_TARGET_APP_ID, 'The person asked for a person'),
    typing: async (psid) => void (await messenger.senderAction(psid, 'typing_on')),
    settings,
  };
}

/** Inbox items from the table's stream (the event filter in serverless.yml passes only inserts). */
const answerBatch = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const [messenger, consentSettings] = await Promise.all([runtime.messenger(), runtime.consentSettings()]);
  return processInboxBatch(
    event.Records,
    async (inbound) => {
      const log = logger.createChild({ persistentKeys: { correlationId: inbound.id } });
      const deps = composeDeps(messenger, consentSettings, log);

      // Fresh data a person was waiting for: the updated answer, once.
      const notice = asRefreshNotice(inbound);
      if (notice) {
        const updated = await composeRefreshed(notice.psid, notice.data_refreshed.itemId, deps);
        if (!updated?.messages.length) return 'ignored';
        const outcome = await deliverOnce({ psid: notice.psid, key: updated.key, messagingType: 'RESPONSE', compose: async () => updated.messages }, { store, messenger, log });
        log.info('Sent the refreshed answer', { outcome });
        if (outcome === 'sent') countMetric('RepliesSent');
        return outcome;
      }

      // The answer, then the alerts and notices held while the person's window was closed.
      const notices = noticeDeps(runtime, messenger, log);
      return answerTurn(inbound, {
        store,
        messenger,
        log,
        compose: (asked) => composeReply(asked, deps),
        heldAlerts: { inbox: alertInbox, notify: (psid, key, messages) => notifyOnce(psid, key, messages, { store, messenger, log }) },
        heldNotices: { read: (psid) => readHeldNotices(psid, notices), deliver: (psid, held) => deliverHeldNotices(psid, notices, held) },
        count: countMetric,
      });
    },
    logger,
  );
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>(answerBatch)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics());
