import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { InvalidInput, PayloadTooLarge } from '../../../lib/errors';
import { pageRequest, pageResponse } from '../../../lib/http/page';

/** The consent pages' requests and answers, as API Gateway passes and takes them. */
const event = (overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 =>
  ({ headers: {}, isBase64Encoded: false, queryStringParameters: { t: 'token' }, ...overrides }) as APIGatewayProxyEventV2;
const form = (body: string, type = 'application/x-www-form-urlencoded') => event({ body, headers: { 'Content-Type': type } });

describe('a page request', () => {
  it('reads the query, the form (whatever the header’s case), and the browser’s languages', () => {
    const request = pageRequest({ ...form('t=abc&scope=balances&scope=alerts'), headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'es-MX' } });

    expect([request.query('t'), request.form().getAll('scope'), request.acceptLanguage]).toEqual(['token', ['balances', 'alerts'], 'es-MX']);
    expect(pageRequest(form('t=abc')).form().get('t')).toBe('abc');
  });

  it('refuses a body that is not a form', () => {
    expect(() => pageRequest(form('{"t":"abc"}', 'application/json')).form()).toThrow(InvalidInput);
  });

  it('refuses a form of more than 8 KiB', () => {
    expect(() => pageRequest(form(`t=${'a'.repeat(8 * 1024)}`)).form()).toThrow(PayloadTooLarge);
  });
});

describe('a page answer', () => {
  it('is a page under the pages’ headers, its forms allowed to post where it says', () => {
    const response = pageResponse({ kind: 'page', body: '<p>hi</p>', status: 400, formTargets: ['https://bank.test'] });

    expect(response).toMatchObject({ statusCode: 400, body: '<p>hi</p>', headers: { 'Cache-Control': 'no-store' } });
    expect((response as { headers: Record<string, string> }).headers['Content-Security-Policy']).toContain("form-action 'self' https://bank.test;");
  });

  it('is a 303 for a redirect, and an attachment for a download', () => {
    expect(pageResponse({ kind: 'redirect', location: 'https://bank.test/link' })).toMatchObject({ statusCode: 303, body: '', headers: { Location: 'https://bank.test/link' } });
    expect(pageResponse({ kind: 'download', body: '{}', contentType: 'application/json; charset=utf-8', fileName: 'data.json' })).toMatchObject({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': 'attachment; filename="data.json"' },
    });
  });
});
