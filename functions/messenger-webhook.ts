import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { createSecretLoader, getConfig } from '../lib/config';
import { httpErrors } from '../lib/http/errors';
import { verifiedRawBody } from '../lib/http/messenger-signature';
import { textResponse } from '../lib/http/raw-body';
import { parseWebhookBody, type InboundEvent } from '../lib/messenger/events';
import { recordInbound } from '../lib/messenger/inbound';
import { verifySubscription } from '../lib/messenger/subscription';
import { logger, logLambdaContext } from '../lib/logger';
import { countMetric, publishMetrics } from '../lib/metrics';
import { createStoreFromConfig } from '../lib/store';

// Wired once per container: config, secrets (cached), the DynamoDB client.
const config = getConfig();
const secrets = createSecretLoader(config);
const store = createStoreFromConfig(config);

/** Counted as a message received: a person's message or button tap, not the Page's own echo. */
const isFromPerson = (e: InboundEvent) => (e.kind === 'message' && e.message.is_echo !== true) || e.kind === 'postback';

/** GET /webhook: Meta's subscription handshake. */
const verify = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const challenge = verifySubscription(event.queryStringParameters, await secrets('MESSENGER_VERIFY_TOKEN'));
  return challenge === null ? textResponse(403, 'Forbidden') : textResponse(200, challenge);
};

const signature = { appSecret: () => secrets('MESSENGER_APP_SECRET'), maxBodyBytes: config.WEBHOOK_MAX_BODY_BYTES };

/** POST /webhook: verified (size, then signature over the raw bytes), parsed, recorded and acknowledged. */
const receive = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const { object, events } = parseWebhookBody(await verifiedRawBody(event, signature));
  if (object !== 'page') {
    logger.warn('Ignoring a delivery for another object type; check the app subscription', { object });
    return textResponse(200, 'EVENT_RECEIVED');
  }
  const recording = recordInbound(events, store, { concurrency: config.WEBHOOK_WRITE_CONCURRENCY });
  // Awaited below, where a failure becomes the 5xx Meta retries; this only keeps it from being
  // reported as unhandled if it comes while the log line is written.
  recording.catch(() => undefined);
  // The log line is written while DynamoDB answers, not after: it costs about as much CPU as the
  // rest of the acknowledgement, and by the next turn of the event loop the writes are on the wire.
  await new Promise(setImmediate);
  logger.info('Webhook received', { eventIds: events.map((e) => e.id), unknownKinds: events.filter((e) => e.kind === 'unknown').length });
  const { stored, duplicates } = await recording;
  // Meta redelivers what it thinks went unanswered; the inbox item made each of these a no-op.
  if (duplicates.length > 0) logger.info('Webhook redelivered', { duplicates });
  const isNew = new Set(stored);
  countMetric('MessagesReceived', events.filter((e) => isNew.has(e.id) && isFromPerson(e)).length);
  return textResponse(200, 'EVENT_RECEIVED');
};

// One middy stack: the routes are plain functions, so nothing runs twice per delivery.
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(logLambdaContext())
  .use(publishMetrics())
  .use(httpErrors())
  .handler(
    httpRouterHandler([
      { method: 'GET', path: '/webhook', handler: verify },
      { method: 'POST', path: '/webhook', handler: receive },
    ]),
  );
