import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { createBankRuntime } from '../lib/bank-runtime';
import { isInForce } from '../lib/consent/consent';
import { disclosure } from '../lib/consent/disclosure';
import { exportFileName, exportJson, exportLanguage, exportPersonData } from '../lib/consent/export';
import {
  accountLinkReturn,
  changeOwnScopes,
  completeLinking,
  finishReconnect,
  ownConsent,
  revokeOwnConsent,
  startLinking,
  startReconnect,
  verifyAccountLink,
  verifyLink,
  type AccountLinkRequest,
} from '../lib/consent/flows';
import { readLinkToken } from '../lib/consent/link-token';
import { consentPage, exportPage, linkedPage, managePage, messagePage, stoppedSharingPage } from '../lib/consent/pages';
import { InvalidInput, LinkRefused, PayloadTooLarge } from '../lib/errors';
import { pageHeaders } from '../lib/http/html';
import { htmlErrors } from '../lib/http/html-errors';
import { rawBodyBytes, rawBodySizeBound } from '../lib/http/raw-body';
import { logger } from '../lib/logger';
import { createRuntime } from '../lib/runtime';

const runtime = createRuntime();
const bankRuntime = createBankRuntime(runtime);
const { store, clock } = runtime;

const page = (body: string, statusCode = 200, formTargets: string[] = []): APIGatewayProxyResultV2 => ({
  statusCode,
  headers: pageHeaders(formTargets),
  body,
});
/**
 * The consent form answers with a redirect to the bank's hosted link page, whose host the bank
 * chooses: every response showing that form (first view or re-shown with what is missing) must let
 * the browser follow it, or the submit is silently refused by the page's CSP.
 */
const consentFormPage = (body: string, statusCode = 200) => page(body, statusCode, ['https:', new URL(runtime.config.PLAID_BASE_URL).origin]);

const MAX_FORM_BYTES = 8 * 1024;
function form(event: APIGatewayProxyEventV2): URLSearchParams {
  if (rawBodySizeBound(event) > MAX_FORM_BYTES && rawBodyBytes(event).length > MAX_FORM_BYTES) throw new PayloadTooLarge('Form too large');
  const type = event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) throw new InvalidInput('Expected a form');
  return new URLSearchParams(rawBodyBytes(event).toString('utf8'));
}
const query = (event: APIGatewayProxyEventV2, name: string) => event.queryStringParameters?.[name];

/** Messenger's account_link button appends these; they are verified with Meta, never trusted. */
const accountLinkOf = async (psid: string, get: (name: string) => string | undefined): Promise<AccountLinkRequest | undefined> => {
  const accountLinkingToken = get('account_linking_token');
  const redirectUri = get('redirect_uri');
  if (!accountLinkingToken && !redirectUri) return undefined;
  if (!accountLinkingToken || !redirectUri) throw new LinkRefused('This link is incomplete');
  return verifyAccountLink(psid, { accountLinkingToken, redirectUri }, { store, clock, messenger: await runtime.messenger() });
};

/** GET /consent?t=…: the disclosure and the choices. Viewing does not use up the link. */
const showConsent = async (event: APIGatewayProxyEventV2) => {
  const settings = await runtime.consentSettings();
  const token = query(event, 't');
  const claims = await verifyLink(token, 'consent', { store, settings, clock });
  const accountLink = await accountLinkOf(claims.psid, (name) => query(event, name));
  const shown = consentPage({ token: token!, disclosure: disclosure({ recipient: settings.recipient }), recipient: settings.recipient, ...(accountLink ? { accountLink } : {}) });
  return consentFormPage(shown);
};

/** POST /consent: confirmed; on to the bank's hosted link page. */
const confirmConsent = async (event: APIGatewayProxyEventV2) => {
  const fields = form(event);
  const deps = await bankRuntime.consentDeps();
  const claims = readLinkToken(fields.get('t') ?? undefined, 'consent', deps.settings.linkSecret, clock());
  const accountLink = await accountLinkOf(claims.psid, (name) => fields.get(name) ?? undefined);
  try {
    const { redirectTo } = await startLinking(
      { token: fields.get('t') ?? undefined, scopes: fields.getAll('scope'), durationDays: fields.get('duration'), ...(accountLink ? { accountLink } : {}) },
      deps,
    );
    return { statusCode: 303, headers: { ...pageHeaders(), Location: redirectTo }, body: '' };
  } catch (error) {
    if (!(error instanceof InvalidInput)) throw error;
    // The link is still unused: show the form again with what is missing.
    const settings = deps.settings;
    const shown = consentPage({
      token: fields.get('t') ?? '',
      disclosure: disclosure({ recipient: settings.recipient }),
      recipient: settings.recipient,
      error: error.message,
      ...(accountLink ? { accountLink } : {}),
    });
    return consentFormPage(shown, 400);
  }
};

/** GET /link/complete?t=…: back from the bank. */
const completeLink = async (event: APIGatewayProxyEventV2) => {
  const deps = await bankRuntime.consentDeps();
  const consent = await completeLinking(query(event, 't'), deps);
  // Opened from Messenger's account_link button: hand the person back to Messenger, which then
  // sends the account_linking event with the code.
  const backToMessenger = accountLinkReturn(consent, deps);
  if (backToMessenger) return { statusCode: 303, headers: { ...pageHeaders(), Location: backToMessenger }, body: '' };
  const financial = await bankRuntime.financial();
  return page(linkedPage(consent, await financial.accountNames(consent)));
};

/** GET /link/reconnect?t=…: log in at the bank again (update mode), from the chat's button. */
const reconnect = async (event: APIGatewayProxyEventV2) => {
  const deps = await bankRuntime.consentDeps();
  const { redirectTo } = await startReconnect(query(event, 't'), { ...deps, financial: await bankRuntime.financial() });
  return { statusCode: 303, headers: { ...pageHeaders(), Location: redirectTo }, body: '' };
};

/** GET /link/reconnected?t=…: back from the bank; the connection is synced again. */
const reconnected = async (event: APIGatewayProxyEventV2) => {
  const deps = await bankRuntime.consentDeps();
  const consent = await finishReconnect(query(event, 't'), {
    ...deps,
    financial: await bankRuntime.financial(),
    reschedule: (key) => store.scheduleNextSync(key, { at: clock(), status: 'ok' }),
  });
  return page(messagePage('Your bank is connected again', [`${consent.institution?.name ?? 'Your bank'} works again. Your answers and alerts will be up to date within minutes.`]));
};

/** GET /consent/manage?t=…: what the person shares, with a way to stop. */
const showManage = async (event: APIGatewayProxyEventV2) => {
  const settings = await runtime.consentSettings();
  const token = query(event, 't');
  const claims = await verifyLink(token, 'manage', { store, settings, clock });
  const consents = (await store.listConsents(claims.psid)).filter((c) => isInForce(c, clock()));
  return page(managePage({ token: token!, consents }));
};

/** POST /consent/revoke: stop sharing one consent; the consent id must be the link holder's own. */
const revoke = async (event: APIGatewayProxyEventV2) => {
  const fields = form(event);
  const settings = await runtime.consentSettings();
  const claims = readLinkToken(fields.get('t') ?? undefined, 'manage', settings.linkSecret, clock());
  const consent = await ownConsent(claims.psid, fields.get('consent') ?? undefined, { store, clock });
  await store.consumeLinkNonce(claims.nonce, claims.exp);
  return page(stoppedSharingPage(await revokeOwnConsent(claims.psid, consent.consentId, 'person', { store, clock, log: logger })));
};

/** POST /consent/scopes: share more or less; what is no longer shared is deleted. */
const changeScopes = async (event: APIGatewayProxyEventV2) => {
  const fields = form(event);
  const settings = await runtime.consentSettings();
  const claims = readLinkToken(fields.get('t') ?? undefined, 'manage', settings.linkSecret, clock());
  const consent = await ownConsent(claims.psid, fields.get('consent') ?? undefined, { store, clock });
  await store.consumeLinkNonce(claims.nonce, claims.exp);
  const changed = await changeOwnScopes(claims.psid, consent.consentId, fields.getAll('scope'), { store, clock, log: logger });
  return page(
    messagePage('Saved', [
      `You now share ${changed.scopes.join(', ')} of ${changed.institution?.name ?? 'your bank'}. Anything you stopped sharing is being deleted.`,
    ]),
  );
};

/**
 * GET /consent/export?t=…: everything held about the person, as a readable page with the JSON file
 * in it (`format=json`: the file alone). Single use: the page needs no second request.
 */
const exportData = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const settings = await runtime.consentSettings();
  const claims = readLinkToken(query(event, 't'), 'export', settings.linkSecret, clock());
  await store.consumeLinkNonce(claims.nonce, claims.exp);
  const data = await exportPersonData(claims.psid, { store, financial: runtime.financialReads, clock });
  if (query(event, 'format') === 'json') {
    return {
      statusCode: 200,
      headers: { ...pageHeaders(), 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': `attachment; filename="${exportFileName(data)}"` },
      body: exportJson(data),
    };
  }
  const { config } = runtime;
  const lang = exportLanguage(data, event.headers?.['accept-language']);
  return page(exportPage(data, { lang, locale: lang === 'es' ? config.ASSISTANT_LOCALE_ES : config.ASSISTANT_LOCALE_EN, timeZone: config.ASSISTANT_TIME_ZONE }));
};

const route = (handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2>) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(handler) as MiddyfiedHandler<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(htmlErrors())
  .handler(
    httpRouterHandler([
      { method: 'GET', path: '/consent', handler: route(showConsent) },
      { method: 'POST', path: '/consent', handler: route(confirmConsent) },
      { method: 'GET', path: '/link/complete', handler: route(completeLink) },
      { method: 'GET', path: '/link/reconnect', handler: route(reconnect) },
      { method: 'GET', path: '/link/reconnected', handler: route(reconnected) },
      { method: 'GET', path: '/consent/manage', handler: route(showManage) },
      { method: 'POST', path: '/consent/revoke', handler: route(revoke) },
      { method: 'POST', path: '/consent/scopes', handler: route(changeScopes) },
      { method: 'GET', path: '/consent/export', handler: route(exportData) },
    ]),
  );
