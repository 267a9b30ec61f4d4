import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { createBankRuntime } from '../lib/bank-runtime';
import { createWebhookVerifier, parsePlaidWebhook, WebhookUnverified } from '../lib/banking/webhook-verification';
import { reconnectLink, revokeOwnConsent } from '../lib/consent/flows';
import { ConfigurationError, PayloadTooLarge } from '../lib/errors';
import { httpErrors } from '../lib/http/errors';
import { header, rawBodyBytes, rawBodySizeBound, textResponse } from '../lib/http/raw-body';
import { logger } from '../lib/logger';
import { sendNotice } from '../lib/consent/notices';
import { noticeDeps } from '../lib/notice-runtime';
import { createSyncQueue } from '../lib/queue/sync-queue';
import { createRuntime } from '../lib/runtime';
import { onBankWebhook } from '../lib/sync/bank-webhook';

const runtime = createRuntime();
const bankRuntime = createBankRuntime(runtime);
const { store, clock, config } = runtime;
if (!config.SYNC_QUEUE_URL) throw new ConfigurationError('SYNC_QUEUE_URL is not set');
const queue = createSyncQueue({ queueUrl: config.SYNC_QUEUE_URL, region: config.AWS_REGION, endpoint: config.SQS_ENDPOINT });
// Keys are cached per container and, across containers, in the table: a cold container reads them
// there, and only a key no container has fetched yet loads the bank SDK and calls the bank.
const verifier = createWebhookVerifier({
  fetchKey: async (kid) => (await bankRuntime.bank()).getWebhookVerificationKey(kid),
  sharedKeys: { list: store.listWebhookKeys, put: store.putWebhookKey, remove: store.deleteCurrentWebhookKeys },
  clock,
  log: logger,
});
const MAX_BODY_BYTES = 64 * 1024;

/** POST /bank/webhook: verified before anything is read; a redelivery has no second effect. */
const receive = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const raw = rawBodyBytes(event);
  if (rawBodySizeBound(event) > MAX_BODY_BYTES && raw.length > MAX_BODY_BYTES) throw new PayloadTooLarge('Body too large');
  try {
    await verifier.verify(raw, header(event, 'plaid-verification'));
  } catch (error) {
    if (error instanceof WebhookUnverified) logger.warn('Bank webhook refused', { reason: error.reason });
    throw error;
  }
  const { dedupeId, event: webhook } = parsePlaidWebhook(raw);
  // Plaid's bodies carry no delivery id: two genuine SYNC_UPDATES_AVAILABLE for one item are the
  // same bytes. Those are never deduplicated (a sync finding nothing new is harmless); every
  // other webhook is, for an hour.
  if (webhook.kind !== 'sync-updates-available' && (await store.recordWebhookDelivery(dedupeId)) === 'duplicate') {
    return textResponse(200, 'duplicate');
  }
  const [messenger, settings] = await Promise.all([runtime.messenger(), runtime.consentSettings()]);
  const notices = noticeDeps(runtime, messenger, logger);
  const effect = await onBankWebhook(webhook, {
    findBankItem: store.findBankItem,
    getConsent: store.getConsent,
    requestSync: async (request) => void (await queue.send([request])),
    unscheduleSync: store.unscheduleSync,
    revokeByBank: async (consent) => void (await revokeOwnConsent(consent.psid, consent.consentId, 'bank', { store, clock, log: logger })),
    notify: (psid, key, messages, notice) => sendNotice(psid, key, notice, notices, async () => messages),
    reconnectLink: (consent) => reconnectLink(consent.psid, consent.consentId, { settings, clock }),
    language: notices.language,
    clock,
    log: logger,
  });
  logger.info('Bank webhook handled', { kind: webhook.kind, effect });
  return textResponse(200, 'ok');
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(receive)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors());
