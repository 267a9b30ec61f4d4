import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyPlaidFailure, redact } from '../../../lib/banking/plaid-errors';
import { BankError, BankInvalidRequest, BankLoginRequired, BankRateLimited, BankUnavailable } from '../../../lib/errors';

const SECRET = 'secret-CANARY-0b1c2d';
const context = { endpoint: '/accounts/get', timeoutMs: 5000, secrets: [SECRET] };

/** The shape the SDK rejects with: an axios error that also carries the request it sent. */
function axiosError(fields: { code?: string; status?: number; data?: unknown }) {
  return Object.assign(new Error('Request failed'), {
    isAxiosError: true,
    code: fields.code,
    config: { headers: { 'PLAID-SECRET': SECRET }, data: JSON.stringify({ access_token: SECRET }) },
    request: { path: '/accounts/get' },
    ...(fields.status === undefined ? {} : { response: { status: fields.status, data: fields.data, headers: {} } }),
  });
}

const KNOWN_TYPES = ['INVALID_REQUEST', 'INVALID_INPUT', 'INSTITUTION_ERROR', 'RATE_LIMIT_EXCEEDED', 'API_ERROR', 'ITEM_ERROR', 'TRANSACTIONS_ERROR'];
const KNOWN_CODES = [
  'ITEM_LOGIN_REQUIRED',
  'ITEM_NOT_FOUND',
  'INSTITUTION_DOWN',
  'PRODUCT_NOT_READY',
  'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION',
  'INTERNAL_SERVER_ERROR',
  'RATE_LIMIT',
  'INVALID_FIELD',
];

describe('classifyPlaidFailure', () => {
  it('keeps nothing of the axios error: no cause, no config, no request', () => {
    const { error } = classifyPlaidFailure(axiosError({ status: 400, data: { error_type: 'ITEM_ERROR', error_code: 'ITEM_LOGIN_REQUIRED', error_message: 'x' } }), context);

    expect(error).toBeInstanceOf(BankLoginRequired);
    expect(error.cause).toBeUndefined();
    expect(inspect(error, { showHidden: true, depth: 10 })).not.toContain(SECRET);
    expect(Object.keys(error)).not.toEqual(expect.arrayContaining(['config']));
  });

  it('passes an already classified BankError through unchanged', () => {
    const original = new BankUnavailable('already classified');

    expect(classifyPlaidFailure(original, context).error).toBe(original);
  });

  it('turns a non-axios failure (a bug before sending) into BankInvalidRequest without quoting it', () => {
    const { error } = classifyPlaidFailure(new TypeError(`cannot read ${SECRET}`), context);

    expect(error).toBeInstanceOf(BankInvalidRequest);
    expect(error.message).toBe('Plaid /accounts/get failed before a request was sent (TypeError)');
  });

  it.each([
    ['ECONNREFUSED', true],
    ['ENOTFOUND', true],
    ['EAI_AGAIN', true],
    ['ECONNRESET', false],
    ['ETIMEDOUT', false],
    ['ECONNABORTED', false],
    ['ERR_CANCELED', false],
    ['ERR_NETWORK', false],
  ])('treats %s without a response as BankUnavailable (nothing sent: %s)', (code, notProcessed) => {
    const failure = classifyPlaidFailure(axiosError({ code }), context);

    expect(failure.error).toBeInstanceOf(BankUnavailable);
    expect(failure.notProcessed).toBe(notProcessed);
  });

  it('counts a rate-limit rejection as not processed, and a 5xx as possibly processed', () => {
    expect(classifyPlaidFailure(axiosError({ status: 429 }), context)).toMatchObject({ notProcessed: true });
    expect(classifyPlaidFailure(axiosError({ status: 500 }), context)).toMatchObject({ notProcessed: false });
  });

  it('treats an axios configuration error as a bug, not an outage', () => {
    expect(classifyPlaidFailure(axiosError({ code: 'ERR_INVALID_URL' }), context).error).toBeInstanceOf(BankInvalidRequest);
  });

  it('always answers with a BankError, whatever the status and body', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.oneof(
          fc.anything(),
          fc.record(
            {
              error_type: fc.oneof(fc.constantFrom(...KNOWN_TYPES), fc.string()),
              error_code: fc.oneof(fc.constantFrom(...KNOWN_CODES), fc.string()),
              error_message: fc.oneof(fc.string(), fc.constant(null)),
              request_id: fc.string(),
            },
            { requiredKeys: [] },
          ),
        ),
        (status, data) => {
          const { error } = classifyPlaidFailure(axiosError({ status, data }), context);

          expect(error).toBeInstanceOf(BankError);
          expect(error.message.startsWith('Plaid /accounts/get failed (HTTP ')).toBe(true);
        },
      ),
    );
  });

  it('any 5xx without a Plaid envelope is BankUnavailable, any 429 BankRateLimited', () => {
    fc.assert(
      fc.property(fc.integer({ min: 500, max: 599 }), fc.oneof(fc.string(), fc.constant(undefined)), (status, data) => {
        expect(classifyPlaidFailure(axiosError({ status, data }), context).error).toBeInstanceOf(BankUnavailable);
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom('RATE_LIMIT', 'ACCOUNTS_LIMIT', 'ITEM_GET_LIMIT', 'TRANSACTIONS_SYNC_LIMIT'), fc.integer({ min: 400, max: 599 }), (code, status) => {
        const data = { error_type: 'RATE_LIMIT_EXCEEDED', error_code: code, error_message: 'slow down' };
        expect(classifyPlaidFailure(axiosError({ status, data }), context).error).toBeInstanceOf(BankRateLimited);
      }),
    );
  });

  it('never lets a secret Plaid quotes back into the message', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{10,40}$/),
        fc.string({ maxLength: 50 }),
        fc.string({ maxLength: 50 }),
        fc.constantFrom(...KNOWN_TYPES),
        fc.constantFrom(...KNOWN_CODES),
        (secret, before, after, type, code) => {
          const data = { error_type: type, error_code: code, error_message: `${before}${secret}${after}`, request_id: secret };
          const { error } = classifyPlaidFailure(axiosError({ status: 400, data }), { ...context, secrets: [secret] });

          expect(error.message).not.toContain(secret);
        },
      ),
    );
  });
});

describe('redact', () => {
  it('blanks known secrets and anything shaped like a Plaid token', () => {
    expect(redact('token abc123 and access-production-5f6e-77 and link-sandbox-x1', ['abc123'])).toBe(
      'token [redacted] and [redacted] and [redacted]',
    );
  });

  it('ignores empty secrets rather than blanking every gap', () => {
    expect(redact('unchanged', [''])).toBe('unchanged');
  });
});
