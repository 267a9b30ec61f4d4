import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { createBankRuntime } from '../lib/runtime/bank';
import { httpErrors } from '../lib/http/errors';
import { boundedRawBody, header, textResponse } from '../lib/http/raw-body';
import { logger } from '../lib/logger';
import { createRuntime } from '../lib/runtime';
import { receiveBankWebhook } from '../lib/sync/bank-webhook';
import { bankWebhookDeps } from '../lib/runtime/sync';

const runtime = createRuntime();
const deps = bankWebhookDeps(runtime, createBankRuntime(runtime));
const MAX_BODY_BYTES = 64 * 1024;

/** POST /bank/webhook: verified before anything is read; a redelivery has no second effect. */
const receive = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const raw = boundedRawBody(event, MAX_BODY_BYTES, 'Body too large');
  const outcome = await receiveBankWebhook(raw, header(event, 'plaid-verification'), deps);
  return textResponse(200, outcome === 'duplicate' ? 'duplicate' : 'ok');
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(receive)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors());
