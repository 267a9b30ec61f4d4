import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { refreshNotice } from '../lib/assistant/refresh-notice';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import pLimit from 'p-limit';
import { createBankRuntime } from '../lib/bank-runtime';
import { revokeOwnConsent } from '../lib/consent/flows';
import { sendNotice } from '../lib/consent/notices';
import { ConfigurationError, isRetryable } from '../lib/errors';
import { logger } from '../lib/logger';
import { countMetric, publishMetrics } from '../lib/metrics';
import { deliverOnce } from '../lib/messenger/deliver';
import { notifyOnce } from '../lib/messenger/notify';
import { createSyncQueue, syncRequestSchema } from '../lib/queue/sync-queue';
import { noticeDeps } from '../lib/notice-runtime';
import { createRuntime, once } from '../lib/runtime';
import { syncConnection } from '../lib/sync/sync-connection';
import { alertsAfterSync } from '../lib/alerts/after-sync';
import { alertSettingsOf } from '../lib/alerts/settings';
import { storedLanguage } from '../lib/assistant/language';

const runtime = createRuntime();
const bankRuntime = createBankRuntime(runtime);
const { store, clock, config } = runtime;
if (!config.SYNC_QUEUE_URL) throw new ConfigurationError('SYNC_QUEUE_URL is not set');
const queueUrl = config.SYNC_QUEUE_URL;
const template = (name: string | undefined) => (name ? { name, language: config.ALERT_UTILITY_TEMPLATE_LANGUAGE } : undefined);
const templates = { fraud: template(config.ALERT_UTILITY_TEMPLATE_FRAUD), notice: template(config.ALERT_UTILITY_TEMPLATE_NOTICE) };
const languages = { default: config.ASSISTANT_LANGUAGE, locales: { en: config.ASSISTANT_LOCALE_EN, es: config.ASSISTANT_LOCALE_ES }, timeZone: config.ASSISTANT_TIME_ZONE };
const homeCountry = config.BANK_COUNTRY_CODES.split(',')[0] ?? 'US';
const queue = once(async () => createSyncQueue({ queueUrl, region: config.AWS_REGION, endpoint: config.SQS_ENDPOINT }));

/** Retry later, longer each time (30 s, 1, 2, 4… minutes, at most 15), with jitter. */
export const backoffSeconds = (receiveCount: number, random = Math.random) => Math.min(900, 30 * 2 ** Math.max(0, receiveCount - 1)) * (0.5 + random() / 2);

/** One message per bank connection; messages of a batch run concurrently, failures reported one by one. */
const syncBatch = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const [financial, bank, messenger, sqs] = await Promise.all([bankRuntime.financial(), bankRuntime.bank(), runtime.messenger(), queue()]);
  const limit = pLimit(10);
  const failures: string[] = [];

  const syncOne = async (record: SQSRecord) => {
    const parsed = syncRequestSchema.safeParse(safeJson(record.body));
    if (!parsed.success) {
      // Cannot succeed on retry, but must not vanish: it fails until the queue moves it to the DLQ.
      logger.error('Invalid sync message', { messageId: record.messageId });
      countMetric('SyncsFailed');
      failures.push(record.messageId);
      return;
    }
    const request = { ...parsed.data, ...sentAt(record) };
    const log = logger.createChild({ persistentKeys: { correlationId: `${request.itemId}:${request.dueAt ?? request.reason}` } });
    // The consents and the person's alert settings come in one read before the bank: the sync
    // needs the consents, its alerts (after the bank) the settings.
    const read = once(() => store.listConsentsWithAlertSettings(request.psid));
    const alertSettings = once(async () => alertSettingsOf((await read()).alertSettings, homeCountry));
    try {
      const outcome = await syncConnection(request, {
        listConsents: async () => (await read()).consents,
        schedule: store.syncSchedule(),
        financial,
        bank,
        onLoginRequired: async (consent) => {
          const day = clock().toISOString().slice(0, 10);
          await sendNotice(consent.psid, `bank-login:${consent.consentId}:${day}`, { kind: 'bank-login', consentId: consent.consentId }, noticeDeps(runtime, messenger, log));
        },
        onAccessRevoked: async (consent) => {
          await revokeOwnConsent(consent.psid, consent.consentId, 'bank', { store, clock, log });
        },
        onSynced: async (result) => {
          await alertsAfterSync(result, {
            financial,
            profile: store.getProfile,
            notify: (psid, key, messages) => notifyOnce(psid, key, messages, { store, messenger, log }),
            // The conversation is read only for an alert being sent: most syncs raise none.
            language: async (psid) => storedLanguage(await store.getConversation(psid)),
            languages,
            templates,
            notifyUtility: (psid, key, message) => deliverOnce({ psid, key, messagingType: 'UTILITY', compose: async () => [message] }, { store, messenger, log }),
            settings: alertSettings,
            clock,
            log,
            count: countMetric,
          });
        },
        dataRefreshed: async (key, syncedAt) => void (await store.putInternalEvent(refreshNotice(key.psid, key.itemId, syncedAt))),
        retryLater: async (seconds) => {
          await sqs.delay(record.receiptHandle, seconds).catch(() => undefined);
          failures.push(record.messageId);
        },
        settings: { intervalHours: config.SYNC_INTERVAL_HOURS, leaseSeconds: 600, pageSize: 30, maxRestarts: 3 },
        clock,
        random: Math.random,
        log,
      });
      log.info('Sync done', { outcome, reason: request.reason });
      if (outcome === 'synced') countMetric('SyncsSucceeded');
    } catch (error) {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? 1);
      log.error('Sync failed', { error: (error as Error).name, retryable: isRetryable(error), receiveCount, detail: (error as Error).message });
      countMetric('SyncsFailed');
      if (isRetryable(error)) await sqs.delay(record.receiptHandle, backoffSeconds(receiveCount)).catch(() => undefined);
      failures.push(record.messageId);
    }
  };

  await Promise.all(event.Records.map((record) => limit(() => syncOne(record))));
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
};

/** When the request was sent (SQS's own stamp), if the record says. */
function sentAt(record: SQSRecord): { requestedAt?: Date } {
  const at = Number(record.attributes.SentTimestamp);
  return Number.isFinite(at) && at > 0 ? { requestedAt: new Date(at) } : {};
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const handler = middy<SQSEvent, SQSBatchResponse>(syncBatch).use(injectLambdaContext(logger, { resetKeys: true })).use(publishMetrics());
