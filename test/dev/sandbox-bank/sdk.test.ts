/**
 * The official `plaid` SDK against the sandbox bank: proves the product's adapter (which is built
 * on this SDK) can talk to it unchanged — headers, paths, JSON shapes and error responses.
 */
import { Configuration, CountryCode, PlaidApi, Products, type Transaction } from 'plaid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxBank } from '../../../dev/sandbox-bank/server';
import { validateResponse } from '../../support/plaid-spec';
import { CLIENT_ID, SECRET, startBank } from './support';

let bank: SandboxBank;
let client: PlaidApi;

beforeAll(async () => {
  bank = await startBank();
  client = new PlaidApi(
    new Configuration({
      basePath: bank.url,
      baseOptions: { headers: { 'PLAID-CLIENT-ID': CLIENT_ID, 'PLAID-SECRET': SECRET } },
    }),
  );
});

afterAll(async () => {
  await bank.close();
});

/** The SDK rejects with its HTTP client's error, which carries Plaid's response. */
async function failureOf(promise: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as { response?: { status: number; data: unknown } },
  );
  if (!error?.response) throw new Error('expected the SDK call to fail with an HTTP response');
  return { status: error.response.status, data: error.response.data };
}

/** Every SDK response is also held to the spec, strictly. */
function contract<T>(path: string, response: { status: number; data: T }): T {
  expect(validateResponse(path, response.status, response.data, { strict: true }), path).toEqual([]);
  return response.data;
}

describe('the official plaid SDK', () => {
  it('links, reads accounts and balances, syncs every transaction and removes the item', async () => {
    const link = contract(
      '/link/token/create',
      await client.linkTokenCreate({
        client_name: 'Messenger Bank',
        language: 'en',
        country_codes: [CountryCode.Us],
        user: { client_user_id: 'psid-1' },
        products: [Products.Transactions],
        hosted_link: { completion_redirect_uri: 'https://messenger-bank.example/done' },
      }),
    );
    expect(link.hosted_link_url).toContain(link.link_token);

    const { public_token } = contract(
      '/sandbox/public_token/create',
      await client.sandboxPublicTokenCreate({ institution_id: 'ins_109508', initial_products: [Products.Transactions] }),
    );
    const { access_token } = contract('/item/public_token/exchange', await client.itemPublicTokenExchange({ public_token }));

    const accounts = contract('/accounts/get', await client.accountsGet({ access_token }));
    expect(accounts.accounts).toHaveLength(3);
    const balances = contract('/accounts/balance/get', await client.accountsBalanceGet({ access_token }));
    expect(balances.accounts.map((a) => a.balances.current)).toEqual(accounts.accounts.map((a) => a.balances.current));

    const synced: Transaction[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = contract('/transactions/sync', await client.transactionsSync({ access_token, count: 60, ...(cursor ? { cursor } : {}) }));
      synced.push(...page.added);
      cursor = page.next_cursor;
      pages += 1;
      if (!page.has_more) break;
    }
    expect(pages).toBeGreaterThan(1);
    expect(synced.map((t) => t.transaction_id).sort()).toEqual(bank.controls.listTransactions(access_token).map((t) => t.transaction_id).sort());

    contract('/item/remove', await client.itemRemove({ access_token }));
    const after = await failureOf(client.accountsGet({ access_token }));
    expect(after.status).toBe(400);
    expect(contract('/accounts/get', after)).toMatchObject({ error_type: 'ITEM_ERROR', error_code: 'ITEM_NOT_FOUND' });
  });

  it('surfaces an armed rate limit as the 429 Plaid sends', async () => {
    bank.controls.failNext('/sandbox/public_token/create', 1, 'RATE_LIMIT_EXCEEDED');
    const error = await failureOf(client.sandboxPublicTokenCreate({ institution_id: 'ins_109508', initial_products: [Products.Transactions] }));
    expect(error.status).toBe(429);
    expect(contract('/sandbox/public_token/create', error)).toMatchObject({ error_type: 'RATE_LIMIT_EXCEEDED', error_code: 'RATE_LIMIT' });
  });
});
