/** The contract helper itself: a checker that accepted everything would make every contract test pass. */
import { describe, expect, it } from 'vitest';
import { plaidSpecVersion, validateRequest, validateResponse, validateSchema } from '../../support/plaid-spec';

const item = {
  item_id: 'item-1',
  webhook: null,
  error: null,
  available_products: [],
  billed_products: ['transactions'],
  consent_expiration_time: null,
  update_type: 'background',
};

describe('plaid-spec', () => {
  it('loads the 2020-09-14 spec', () => {
    expect(plaidSpecVersion()).toMatch(/^2020-09-14/);
  });

  it('validates requests against the endpoint’s request schema', () => {
    expect(validateRequest('/transactions/sync', { access_token: 'a', count: 10 })).toEqual([]);
    expect(validateRequest('/transactions/sync', { count: 501 })).toEqual(
      expect.arrayContaining(["(root) must have required property 'access_token'", '/count must be <= 500']),
    );
  });

  it('treats OpenAPI nullable as allowing null, on $refs and enums too', () => {
    expect(validateSchema('Item', item)).toEqual([]);
    expect(validateSchema('Item', { ...item, error: { error_type: 'ITEM_ERROR' } })).not.toEqual([]);
    expect(validateSchema('AccountSubtype', null)).toEqual([]);
    expect(validateSchema('AccountSubtype', 'not-a-subtype')).not.toEqual([]);
  });

  it('falls back to the PlaidError schema for error statuses', () => {
    const error = { error_type: 'ITEM_ERROR', error_code: 'ITEM_NOT_FOUND', error_message: 'gone', display_message: null, request_id: 'r' };
    expect(validateResponse('/item/get', 400, error)).toEqual([]);
    expect(validateResponse('/item/get', 500, { ...error, error_type: 'NOT_A_TYPE' })).not.toEqual([]);
  });

  it('reports undocumented fields only in strict mode, nested in arrays too', () => {
    const body = {
      item: { ...item, surprise: 1 },
      accounts: [
        {
          account_id: 'a',
          balances: { available: 1, current: 1, limit: null, iso_currency_code: 'USD', unofficial_currency_code: null, extra: true },
          mask: '0000',
          name: 'Checking',
          official_name: null,
          type: 'depository',
          subtype: 'checking',
        },
      ],
      request_id: 'r',
    };
    expect(validateResponse('/accounts/get', 200, body)).toEqual([]);
    expect(validateResponse('/accounts/get', 200, body, { strict: true })).toEqual([
      '/item/surprise is not described by the spec',
      '/accounts/0/balances/extra is not described by the spec',
    ]);
  });

  it('accepts loopback webhook URLs (the spec means "a URL", not "a public URL")', () => {
    expect(validateSchema('SandboxPublicTokenCreateRequestOptions', { webhook: 'http://127.0.0.1:3000/bank/webhook' })).toEqual([]);
    expect(validateSchema('SandboxPublicTokenCreateRequestOptions', { webhook: 'not a url' })).not.toEqual([]);
  });

  it('throws for paths and schemas the spec does not have', () => {
    expect(() => validateRequest('/nope', {})).toThrow(/no POST \/nope/);
    expect(() => validateSchema('Nope', {})).toThrow(/no schema Nope/);
  });
});
