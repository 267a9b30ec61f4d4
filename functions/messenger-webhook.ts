import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { createSecretLoader, getConfig } from '../lib/config';
import { httpErrors } from '../lib/http/errors';
import { verifiedRawBody } from '../lib/http/messenger-signature';
import { textResponse } from '../lib/http/raw-body';
import { parseWebhookBody } from '../lib/messenger/events';
import { receiveWebhook } from '../lib/messenger/receive-webhook';
import { verifySubscription } from '../lib/messenger/subscription';
import { logger, logLambdaContext } from '../lib/logger';
import { countMetric, publishMetrics } from '../lib/metrics';
import { createInboxStoreFromConfig } from '../lib/store';

// Wired once per container: config, secrets (cached), the DynamoDB client.
const config = getConfig();
const secrets = createSecretLoader(config);
const signature = { appSecret: () => secrets('MESSENGER_APP_SECRET'), maxBodyBytes: config.WEBHOOK_MAX_BODY_BYTES };
const deps = { inbox: createInboxStoreFromConfig(config), concurrency: config.WEBHOOK_WRITE_CONCURRENCY, log: logger, count: countMetric };

/** GET /webhook: Meta's subscription handshake. */
const verify = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const challenge = verifySubscription(event.queryStringParameters, await secrets('MESSENGER_VERIFY_TOKEN'));
  return challenge === null ? textResponse(403, 'Forbidden') : textResponse(200, challenge);
};

/** POST /webhook: verified (size, then signature over the raw bytes), parsed, recorded and acknowledged. */
const receive = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  await receiveWebhook(parseWebhookBody(await verifiedRawBody(event, signature)), deps);
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
