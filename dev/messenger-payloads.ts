import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { signBody } from '../lib/messenger/signature';

/**
 * Builders for what Meta sends: webhook bodies, their events and the API Gateway (HTTP API v2)
 * requests that carry them. Used by `npm run say`, the sample events and the tests.
 */
export interface Person {
  psid: string;
  pageId: string;
}

export const textMessage = (who: Person, text: string, options: { mid?: string; timestamp?: number } = {}) => ({
  sender: { id: who.psid },
  recipient: { id: who.pageId },
  timestamp: options.timestamp ?? Date.now(),
  message: { mid: options.mid ?? `m_${randomUUID()}`, text },
});

export const quickReply = (who: Person, text: string, payload: string, options: { mid?: string; timestamp?: number } = {}) => {
  const event = textMessage(who, text, options);
  return { ...event, message: { ...event.message, quick_reply: { payload } } };
};

export const postback = (who: Person, payload: string, options: { mid?: string; title?: string; timestamp?: number } = {}) => ({
  sender: { id: who.psid },
  recipient: { id: who.pageId },
  timestamp: options.timestamp ?? Date.now(),
  postback: { mid: options.mid ?? `m_${randomUUID()}`, title: options.title ?? payload, payload },
});

export const deliveryReceipt = (who: Person, mids: string[], watermark = Date.now()) => ({
  sender: { id: who.psid },
  recipient: { id: who.pageId },
  timestamp: watermark,
  delivery: { mids, watermark },
});

export interface EntryInput {
  pageId: string;
  messaging?: unknown[];
  standby?: unknown[];
}

export const webhookBody = (entries: EntryInput[]) => ({
  object: 'page',
  entry: entries.map(({ pageId, messaging, standby }) => ({
    id: pageId,
    time: Date.now(),
    ...(messaging ? { messaging } : {}),
    ...(standby ? { standby } : {}),
  })),
});

/**
 * Serialises like Meta does: JSON with every non-ASCII character escaped as \uXXXX (and `/` as
 * `\/`), which is what the signature covers.
 */
export const metaJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');

export function httpApiEvent(input: {
  method: 'GET' | 'POST';
  path?: string;
  body?: string;
  isBase64Encoded?: boolean;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}): APIGatewayProxyEventV2 {
  const path = input.path ?? '/webhook';
  const query = input.query ?? {};
  return {
    version: '2.0',
    routeKey: `${input.method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { 'content-type': 'application/json', ...input.headers },
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: input.method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'facebookexternalua' },
      requestId: randomUUID(),
      routeKey: `${input.method} ${path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(input.body !== undefined ? { body: input.body } : {}),
    isBase64Encoded: input.isBase64Encoded ?? false,
  };
}

/** A POST /webhook as API Gateway delivers it, signed over the exact bytes of `raw`. */
export function signedWebhookEvent(raw: string, appSecret: string, options: { base64?: boolean } = {}): APIGatewayProxyEventV2 {
  const bytes = Buffer.from(raw, 'utf8');
  return httpApiEvent({
    method: 'POST',
    body: options.base64 ? bytes.toString('base64') : raw,
    isBase64Encoded: options.base64 ?? false,
    headers: { 'x-hub-signature-256': signBody(bytes, appSecret) },
  });
}

export const accountLinking = (who: Person, linked: { authorizationCode: string } | 'unlinked', timestamp = Date.now()) => ({
  sender: { id: who.psid },
  recipient: { id: who.pageId },
  timestamp,
  account_linking: linked === 'unlinked' ? { status: 'unlinked' } : { status: 'linked', authorization_code: linked.authorizationCode },
});
