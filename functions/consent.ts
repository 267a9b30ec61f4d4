import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { consentPageDeps, createBankRuntime } from '../lib/runtime/bank';
import { goToReconnect, returnFromLinking, returnFromReconnect } from '../lib/consent/bank-link-return';
import { showConsentForm, submitConsentForm } from '../lib/consent/consent-form';
import { downloadExport } from '../lib/consent/export-download';
import { changeSharing, downloadConsentRecord, showSharing, stopSharing } from '../lib/consent/manage-sharing';
import { confirmRenewal, showRenewal } from '../lib/consent/renew-sharing';
import { showPrivateAnswer } from '../lib/consent/private-answer-page';
import { answerAlertOnPage } from '../lib/alerts/private-alert-page';
import type { ConsentPageDeps } from '../lib/consent/page-deps';
import { htmlErrors } from '../lib/http/html-errors';
import { pageRequest, pageResponse, type PageAnswer, type PageRequest } from '../lib/http/page';
import { logger } from '../lib/logger';
import { createRuntime } from '../lib/runtime';

const runtime = createRuntime();
const deps = consentPageDeps(runtime, createBankRuntime(runtime));

type Flow = (request: PageRequest, deps: ConsentPageDeps) => Promise<PageAnswer>;
const route = (flow: Flow) => {
  const answer = async (event: APIGatewayProxyEventV2) => pageResponse(await flow(pageRequest(event), deps));
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(answer) as MiddyfiedHandler<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;
};

/** The pages a person opens from the chat's links: consent, the bank's round trips, what they share, renewal, their data. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(htmlErrors())
  .handler(
    httpRouterHandler([
      { method: 'GET', path: '/consent', handler: route(showConsentForm) },
      { method: 'POST', path: '/consent', handler: route(submitConsentForm) },
      { method: 'GET', path: '/link/complete', handler: route(returnFromLinking) },
      { method: 'GET', path: '/link/reconnect', handler: route(goToReconnect) },
      { method: 'GET', path: '/link/reconnected', handler: route(returnFromReconnect) },
      { method: 'GET', path: '/consent/manage', handler: route(showSharing) },
      { method: 'POST', path: '/consent/revoke', handler: route(stopSharing) },
      { method: 'POST', path: '/consent/scopes', handler: route(changeSharing) },
      { method: 'POST', path: '/consent/record', handler: route(downloadConsentRecord) },
      { method: 'GET', path: '/consent/renew', handler: route(showRenewal) },
      { method: 'POST', path: '/consent/renew', handler: route(confirmRenewal) },
      { method: 'GET', path: '/consent/export', handler: route(downloadExport) },
      { method: 'GET', path: '/private/answer', handler: route(showPrivateAnswer) },
      { method: 'POST', path: '/private/alert', handler: route(answerAlertOnPage) },
    ]),
  );
