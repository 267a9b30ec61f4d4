import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BankAccount, BankConnector, BankTransaction, RecurringStreams } from '../../../lib/banking/bank-connector';
import { createPlaidConnector } from '../../../lib/banking/plaid-connector';
import type { PlaidConnectorConfig } from '../../../lib/banking/plaid-connector';
import {
  BankAccessRevoked,
  BankError,
  BankInstitutionDown,
  BankInvalidRequest,
  BankLoginRequired,
  BankRateLimited,
  BankSyncMutated,
  BankUnavailable,
} from '../../../lib/errors';
import * as fixtures from './fixtures';
import { plaidError, refusedUrl, startPlaidServer } from './plaid-server';
import type { PlaidServer, Reply } from './plaid-server';
import { validateRequest, validateResponse } from '../../support/plaid-spec';

// Canaries: none of these may ever appear in an error, its stack, its cause or a log line.
const CLIENT_ID = 'client-id-CANARY-5f0c1e';
const SECRET = 'plaid-secret-CANARY-8d2b7a';
const ACCESS_TOKEN = 'access-sandbox-CANARY-1a2b3c4d';
/** Not shaped like a Plaid token, so only redaction by value can catch it. */
const ODD_ACCESS_TOKEN = 'opaque-CANARY-token-77aa';
const PUBLIC_TOKEN = 'public-sandbox-CANARY-9e8f7a6b';
const LINK_TOKEN = 'link-sandbox-CANARY-4c4c4c';
const CANARIES = [CLIENT_ID, SECRET, ACCESS_TOKEN, ODD_ACCESS_TOKEN, PUBLIC_TOKEN, LINK_TOKEN];

let server: PlaidServer;
const consoleOutput: string[] = [];

beforeAll(async () => {
  server = await startPlaidServer();
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      consoleOutput.push(args.map((a) => inspect(a, { depth: 10 })).join(' '));
    });
  }
});

afterAll(async () => {
  vi.restoreAllMocks();
  await server.close();
});

afterEach(() => {
  // Whatever a test did, each request the adapter sent must be one Plaid's API would accept.
  // Strict: Plaid refuses fields its schema does not describe.
  const invalid = server.requests
    .map((r) => ({ path: r.path, errors: validateRequest(r.path, r.body, { strict: true }) }))
    .filter(({ errors }) => errors.length > 0)
    .map(({ path, errors }) => `${path}: ${errors.join('; ')}`);
  server.reset();
  expect(invalid).toEqual([]);
});

/** An adapter against the test server whose backoff waits are recorded instead of slept. */
function connectorFor(config: Partial<PlaidConnectorConfig> = {}, random: () => number = () => 0.5) {
  const delays: number[] = [];
  const bank = createPlaidConnector(
    { baseUrl: server.url, clientId: CLIENT_ID, secret: SECRET, ...config },
    {
      sleep: async (ms) => {
        delays.push(ms);
      },
      random,
    },
  );
  return { bank, delays };
}

async function failureOf(promise: Promise<unknown>): Promise<BankError> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof BankError)) throw new Error(`expected a BankError, got ${inspect(error)}`);
    return error;
  }
  throw new Error('expected the call to fail');
}

function expectNoCanary(error: unknown): void {
  const views = [
    error instanceof Error ? error.message : '',
    error instanceof Error ? (error.stack ?? '') : '',
    inspect(error, { depth: 10, showHidden: true }),
    JSON.stringify(error),
  ];
  for (const view of views) for (const canary of CANARIES) expect(view).not.toContain(canary);
  expect((error as Error).cause).toBeUndefined();
}

const linkInput = {
  userId: 'u_7c1f0e2a9b',
  redirectUri: 'https://consent.example/link/complete',
  webhookUrl: 'https://api.example/bank/webhook',
  products: ['transactions' as const],
  language: 'es' as const,
  countryCodes: ['US', 'ES'],
  clientName: 'Messenger Banking',
};

// ---- The spec itself -----------------------------------------------------------------------------

describe('canned Plaid answers used by these tests', () => {
  it.each(fixtures.cannedResponses.map(([path, body], i) => [`${path} #${i}`, path, body] as const))(
    '%s conforms to the response schema in Plaid’s OpenAPI spec',
    (_name, path, body) => {
      expect(validateResponse(path, 200, body)).toEqual([]);
    },
  );

  it('error envelopes conform to PlaidError', () => {
    const reply = plaidError(400, 'ITEM_ERROR', 'ITEM_LOGIN_REQUIRED') as { body: unknown };

    expect(validateResponse('/accounts/get', 400, reply.body)).toEqual([]);
  });

  it('the request check rejects what Plaid rejects (an unknown field)', () => {
    expect(validateRequest('/accounts/get', { access_token: 'a', acess_token_typo: 'b' }, { strict: true })).not.toEqual([]);
  });
});

// ---- What goes over the wire ---------------------------------------------------------------------

type Call = (bank: BankConnector) => Promise<unknown>;

const everyMethod: [name: string, path: string, reply: unknown, call: Call][] = [
  ['createLinkToken', '/link/token/create', fixtures.linkTokenCreateResponse, (b) => b.createLinkToken(linkInput)],
  ['getLinkSession', '/link/token/get', fixtures.linkTokenGetPending, (b) => b.getLinkSession(LINK_TOKEN)],
  ['exchangePublicToken', '/item/public_token/exchange', fixtures.exchangeResponse, (b) => b.exchangePublicToken(PUBLIC_TOKEN)],
  ['getItem', '/item/get', fixtures.itemGetResponse, (b) => b.getItem(ACCESS_TOKEN)],
  ['getAccounts', '/accounts/get', fixtures.accountsGetResponse, (b) => b.getAccounts(ACCESS_TOKEN)],
  ['getBalances', '/accounts/balance/get', fixtures.accountsGetResponse, (b) => b.getBalances(ACCESS_TOKEN)],
  ['syncTransactions', '/transactions/sync', fixtures.syncResponse, (b) => b.syncTransactions(ACCESS_TOKEN, undefined)],
  ['recurringStreams', '/transactions/recurring/get', fixtures.recurringResponse, (b) => b.recurringStreams(ACCESS_TOKEN)],
  ['removeItem', '/item/remove', fixtures.itemRemoveResponse, (b) => b.removeItem(ACCESS_TOKEN, 'person-revoked')],
  ['getWebhookVerificationKey', '/webhook_verification_key/get', fixtures.webhookKeyResponse, (b) => b.getWebhookVerificationKey('kid-1')],
];

describe('requests', () => {
  it.each(everyMethod)('%s posts JSON to %s with the credentials in headers, never in the body', async (_n, path, reply, call) => {
    server.on(path, { status: 200, body: reply });
    const { bank } = connectorFor();

    await call(bank);

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(path);
    expect(request?.headers).toMatchObject({
      'plaid-client-id': CLIENT_ID,
      'plaid-secret': SECRET,
      'plaid-version': '2020-09-14',
      'content-type': expect.stringMatching(/^application\/json/),
    });
    expect(request?.rawBody).not.toContain(CLIENT_ID);
    expect(request?.rawBody).not.toContain(SECRET);
  });

  it('creates a Hosted Link token for a pseudonymous user, limited to 90 days of transactions', async () => {
    server.on('/link/token/create', { status: 200, body: fixtures.linkTokenCreateResponse });
    const { bank } = connectorFor();

    await bank.createLinkToken(linkInput);

    expect(server.requests[0]?.body).toEqual({
      client_name: 'Messenger Banking',
      language: 'es',
      country_codes: ['US', 'ES'],
      user: { client_user_id: 'u_7c1f0e2a9b' },
      products: ['transactions'],
      transactions: { days_requested: 90 },
      webhook: 'https://api.example/bank/webhook',
      hosted_link: { completion_redirect_uri: 'https://consent.example/link/complete' },
    });
  });

  it('creates an update-mode token from the access token, without products, to reconnect an item', async () => {
    server.on('/link/token/create', { status: 200, body: fixtures.linkTokenCreateResponse });
    const { bank } = connectorFor();

    await bank.createLinkToken({ ...linkInput, webhookUrl: undefined, accessToken: ACCESS_TOKEN });

    expect(server.requests[0]?.body).toEqual({
      client_name: 'Messenger Banking',
      language: 'es',
      country_codes: ['US', 'ES'],
      user: { client_user_id: 'u_7c1f0e2a9b' },
      access_token: ACCESS_TOKEN,
      hosted_link: { completion_redirect_uri: 'https://consent.example/link/complete' },
    });
  });

  it.each([
    ['an empty user id', { userId: ' ' }, 'userId is empty'],
    ['no country', { countryCodes: [] }, 'countryCodes is empty'],
    ['no product', { products: [] }, 'products is empty'],
    ['a redirect that is not a URL', { redirectUri: 'consent/complete' }, 'redirectUri is not a URL'],
  ])('refuses to create a link token with %s, without calling Plaid', async (_name, change, problem) => {
    const { bank } = connectorFor();

    const error = await failureOf(bank.createLinkToken({ ...linkInput, ...change }));

    expect(error).toBeInstanceOf(BankInvalidRequest);
    expect(error.message).toContain(problem);
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ['getLinkSession', { link_token: LINK_TOKEN }, (b: BankConnector) => b.getLinkSession(LINK_TOKEN)],
    ['exchangePublicToken', { public_token: PUBLIC_TOKEN }, (b: BankConnector) => b.exchangePublicToken(PUBLIC_TOKEN)],
    ['getItem', { access_token: ACCESS_TOKEN }, (b: BankConnector) => b.getItem(ACCESS_TOKEN)],
    ['getAccounts', { access_token: ACCESS_TOKEN }, (b: BankConnector) => b.getAccounts(ACCESS_TOKEN)],
    ['getBalances', { access_token: ACCESS_TOKEN }, (b: BankConnector) => b.getBalances(ACCESS_TOKEN)],
    [
      'getBalances for some accounts',
      { access_token: ACCESS_TOKEN, options: { account_ids: ['acc-checking', 'acc-credit'] } },
      (b: BankConnector) => b.getBalances(ACCESS_TOKEN, ['acc-checking', 'acc-credit']),
    ],
    ['the first syncTransactions', { access_token: ACCESS_TOKEN }, (b: BankConnector) => b.syncTransactions(ACCESS_TOKEN, undefined)],
    [
      'a later syncTransactions',
      { access_token: ACCESS_TOKEN, cursor: 'cursor-page-2', count: 500 },
      (b: BankConnector) => b.syncTransactions(ACCESS_TOKEN, 'cursor-page-2', 500),
    ],
    ['recurringStreams', { access_token: ACCESS_TOKEN }, (b: BankConnector) => b.recurringStreams(ACCESS_TOKEN)],
    [
      'removeItem after the person revoked',
      { access_token: ACCESS_TOKEN, reason_code: 'OTHER', reason_note: 'The end user revoked their consent to share this data.' },
      (b: BankConnector) => b.removeItem(ACCESS_TOKEN, 'person-revoked'),
    ],
    [
      'removeItem after the consent expired',
      { access_token: ACCESS_TOKEN, reason_code: 'OTHER', reason_note: 'The end user consent reached the end date they chose and was not renewed.' },
      (b: BankConnector) => b.removeItem(ACCESS_TOKEN, 'consent-expired'),
    ],
    [
      'removeItem after the bank revoked access',
      { access_token: ACCESS_TOKEN, reason_code: 'CONNECTION_IS_NON_FUNCTIONAL', reason_note: 'Access was revoked at the institution or at Plaid; the end user consent has ended.' },
      (b: BankConnector) => b.removeItem(ACCESS_TOKEN, 'bank-revoked'),
    ],
    [
      'removeItem after linking failed',
      { access_token: ACCESS_TOKEN, reason_code: 'OTHER', reason_note: 'Linking did not complete; no end user consent covers this Item.' },
      (b: BankConnector) => b.removeItem(ACCESS_TOKEN, 'linking-failed'),
    ],
    ['getWebhookVerificationKey', { key_id: 'kid-1' }, (b: BankConnector) => b.getWebhookVerificationKey('kid-1')],
  ])('%s sends exactly %j', async (_name, body, call) => {
    for (const [, path, reply] of everyMethod) server.on(path, { status: 200, body: reply });
    const { bank } = connectorFor();

    await call(bank);

    expect(server.requests.map((r) => r.body)).toEqual([body]);
  });

  it.each([0, 501, 2.5])('refuses a sync page size of %s without calling Plaid', async (count) => {
    const { bank } = connectorFor();

    const error = await failureOf(bank.syncTransactions(ACCESS_TOKEN, 'c', count));

    expect(error).toBeInstanceOf(BankInvalidRequest);
    expect(server.requests).toHaveLength(0);
  });

  it('accepts a base URL with a trailing slash', async () => {
    server.on('/item/get', { status: 200, body: fixtures.itemGetResponse });
    const { bank } = connectorFor({ baseUrl: `${server.url}/` });

    await bank.getItem(ACCESS_TOKEN);

    expect(server.requests.map((r) => r.path)).toEqual(['/item/get']);
  });
});

// ---- Mapping into the domain ---------------------------------------------------------------------

const expectedAccounts: BankAccount[] = [
  {
    accountId: 'acc-checking',
    name: 'Plaid Checking',
    officialName: 'Plaid Gold Standard 0% Interest Checking',
    mask: '0000',
    type: 'depository',
    subtype: 'checking',
    balances: { available: 100.5, current: 110.25, limit: null, currency: 'USD' },
  },
  {
    accountId: 'acc-credit',
    name: 'Plaid Credit Card',
    mask: '3333',
    type: 'credit',
    subtype: 'credit card',
    balances: { available: null, current: 410, limit: 2000, currency: 'USD' },
  },
  {
    accountId: 'acc-mortgage',
    name: 'Plaid Mortgage',
    mask: '8888',
    type: 'loan',
    subtype: 'mortgage',
    balances: { available: null, current: 56302.06, limit: null, currency: 'USD' },
  },
  {
    accountId: 'acc-ira',
    name: 'Plaid IRA',
    type: 'investment',
    subtype: 'ira',
    balances: { available: null, current: 320.76, limit: null, currency: 'BTC' },
  },
  {
    accountId: 'acc-brokerage',
    name: 'Legacy brokerage',
    mask: '5555',
    type: 'investment',
    balances: { available: null, current: 23631.98, limit: null, currency: 'EUR' },
  },
  {
    accountId: 'acc-other',
    name: 'Prepaid card',
    mask: '9999',
    type: 'other',
    subtype: 'prepaid',
    balances: { available: 12, current: 12, limit: null, currency: 'USD' },
  },
];

describe('mapping Plaid answers into domain types', () => {
  it('maps accounts of every type, with absent optional fields left out rather than null', async () => {
    server.on('/accounts/get', { status: 200, body: fixtures.accountsGetResponse });
    const { bank } = connectorFor();

    const accounts = await bank.getAccounts(ACCESS_TOKEN);

    expect(accounts).toEqual(expectedAccounts);
    expect(accounts[3]).not.toHaveProperty('mask');
    expect(accounts[4]).not.toHaveProperty('subtype');
  });

  it('maps real-time balances the same way', async () => {
    server.on('/accounts/balance/get', { status: 200, body: fixtures.accountsGetResponse });
    const { bank } = connectorFor();

    expect(await bank.getBalances(ACCESS_TOKEN)).toEqual(expectedAccounts);
  });

  it('maps an account type Plaid adds later to "other"', async () => {
    const future = { ...fixtures.accounts[0], type: 'payroll_card' };
    server.on('/accounts/get', { status: 200, body: { ...fixtures.accountsGetResponse, accounts: [future] } });
    const { bank } = connectorFor();

    expect((await bank.getAccounts(ACCESS_TOKEN))[0]?.type).toBe('other');
  });

  it('maps a sync page: added, modified, removed, pending with its replacement, cursor and has_more', async () => {
    server.on('/transactions/sync', { status: 200, body: fixtures.syncResponse });
    const { bank } = connectorFor();

    const page = await bank.syncTransactions(ACCESS_TOKEN, undefined);

    const groceries: BankTransaction = {
      transactionId: 'txn-groceries',
      accountId: 'acc-checking',
      amount: 72.1,
      currency: 'USD',
      date: '2026-11-18',
      authorizedDate: '2026-11-17',
      datetime: '2026-11-18T17:24:00Z',
      name: 'WHOLE FOODS MARKET #123',
      merchantName: 'Whole Foods',
      category: { primary: 'FOOD_AND_DRINK', detailed: 'FOOD_AND_DRINK_GROCERIES' },
      pending: false,
      pendingTransactionId: 'txn-pending-groceries',
      paymentChannel: 'in store',
      location: { city: 'San Francisco', region: 'CA', country: 'US' },
    };
    const electronics: BankTransaction = {
      transactionId: 'txn-electro',
      accountId: 'acc-credit',
      amount: 912.4,
      currency: 'USD',
      date: '2026-11-20',
      name: 'ELECTRO-WORLD',
      category: null,
      pending: true,
      paymentChannel: 'online',
    };
    const salary: BankTransaction = {
      transactionId: 'txn-salary',
      accountId: 'acc-checking',
      amount: -2500,
      currency: 'EUR',
      date: '2026-11-01',
      name: 'NOMINA ACME SL',
      category: { primary: 'INCOME', detailed: 'INCOME_WAGES' },
      pending: false,
      paymentChannel: 'other',
      location: { country: 'ES' },
    };
    expect(page).toEqual({
      added: [groceries, electronics],
      modified: [salary],
      removed: [{ transactionId: 'txn-pending-groceries', accountId: 'acc-checking' }],
      nextCursor: 'cursor-page-2',
      hasMore: true,
      accounts: expectedAccounts.slice(0, 2),
    });
  });

  it('reports the last page of a sync', async () => {
    server.on('/transactions/sync', { status: 200, body: fixtures.lastSyncResponse });
    const { bank } = connectorFor();

    const page = await bank.syncTransactions(ACCESS_TOKEN, 'cursor-page-2');

    expect(page).toEqual({ added: [], modified: [], removed: [], nextCursor: 'cursor-final', hasMore: false, accounts: expectedAccounts.slice(0, 2) });
  });

  it('maps a sync answer without accounts (older API versions) to no accounts, not an error', async () => {
    const { accounts: _accounts, ...older } = fixtures.lastSyncResponse;
    server.on('/transactions/sync', { status: 200, body: older });
    const { bank } = connectorFor();

    expect((await bank.syncTransactions(ACCESS_TOKEN, 'cursor-page-2')).accounts).toEqual([]);
  });

  it('maps recurring streams in and out: cadence, status, amounts, dates and the ids of their transactions', async () => {
    server.on('/transactions/recurring/get', { status: 200, body: fixtures.recurringResponse });
    const { bank } = connectorFor();

    const streams = await bank.recurringStreams(ACCESS_TOKEN);

    expect(streams).toEqual<RecurringStreams>({
      inflows: [
        {
          streamId: 'stream-payroll',
          accountId: 'acc-checking',
          direction: 'inflow',
          description: 'ACME CORP PAYROLL',
          category: { primary: 'INCOME', detailed: 'INCOME_WAGES' },
          frequency: 'semi-monthly',
          averageAmount: -1900,
          lastAmount: -1900,
          currency: 'USD',
          firstDate: '2026-09-01',
          lastDate: '2026-11-15',
          predictedNextDate: '2026-12-01',
          isActive: true,
          status: 'mature',
          transactionIds: ['txn-pay-1', 'txn-pay-2', 'txn-pay-3'],
        },
      ],
      outflows: [
        {
          streamId: 'stream-netflix',
          accountId: 'acc-credit',
          direction: 'outflow',
          description: 'NETFLIX.COM',
          merchantName: 'Netflix',
          category: { primary: 'ENTERTAINMENT', detailed: 'ENTERTAINMENT_TV_AND_MOVIES' },
          frequency: 'monthly',
          averageAmount: 16.32,
          lastAmount: 17.99,
          currency: 'USD',
          firstDate: '2026-09-12',
          lastDate: '2026-11-12',
          predictedNextDate: '2026-12-12',
          isActive: true,
          status: 'mature',
          transactionIds: ['txn-nf-1', 'txn-nf-2', 'txn-nf-3'],
        },
        {
          streamId: 'stream-lapsed',
          accountId: 'acc-ira',
          direction: 'outflow',
          description: 'COLD STORAGE FEE',
          category: null,
          frequency: 'unknown',
          averageAmount: 0.0002,
          lastAmount: 0.0002,
          currency: 'BTC',
          firstDate: '2026-06-03',
          lastDate: '2026-07-03',
          isActive: false,
          status: 'tombstoned',
          transactionIds: ['txn-cs-1', 'txn-cs-2'],
        },
      ],
      updatedAt: new Date('2026-11-20T15:30:00Z'),
    });
    expect(streams.outflows[1]).not.toHaveProperty('predictedNextDate');
    expect(streams.outflows[1]).not.toHaveProperty('merchantName');
  });

  it('maps a frequency or status Plaid adds later to "unknown"', async () => {
    const future = { ...fixtures.netflixStream, frequency: 'QUARTERLY', status: 'DORMANT' };
    server.on('/transactions/recurring/get', { status: 200, body: { ...fixtures.recurringResponse, outflow_streams: [future] } });
    const { bank } = connectorFor();

    expect((await bank.recurringStreams(ACCESS_TOKEN)).outflows[0]).toMatchObject({ frequency: 'unknown', status: 'unknown' });
  });

  it('returns the link token, its expiry as a Date, and the Hosted Link URL', async () => {
    server.on('/link/token/create', { status: 200, body: fixtures.linkTokenCreateResponse });
    const { bank } = connectorFor();

    const token = await bank.createLinkToken(linkInput);

    expect(token).toEqual({
      linkToken: fixtures.linkTokenCreateResponse.link_token,
      expiration: new Date('2026-11-21T18:00:00Z'),
      hostedLinkUrl: 'https://hosted.plaid.com/link/lp1234',
    });
  });

  it('reports a link session without results as pending', async () => {
    server.on('/link/token/get', { status: 200, body: fixtures.linkTokenGetPending });
    const { bank } = connectorFor();

    expect(await bank.getLinkSession(LINK_TOKEN)).toEqual({ status: 'pending', publicTokens: [] });
  });

  it('reports a finished Hosted Link session with its public token and institution', async () => {
    server.on('/link/token/get', { status: 200, body: fixtures.linkTokenGetCompleted });
    const { bank } = connectorFor();

    expect(await bank.getLinkSession(LINK_TOKEN)).toEqual({
      status: 'completed',
      publicTokens: ['public-sandbox-1b2c3d4e-0000-4000-8000-000000000002'],
      institution: { id: 'ins_109508', name: 'First Platypus Bank' },
    });
  });

  it('reads the deprecated on_success when a session has no results', async () => {
    server.on('/link/token/get', { status: 200, body: fixtures.linkTokenGetCompletedLegacy });
    const { bank } = connectorFor();

    expect(await bank.getLinkSession(LINK_TOKEN)).toEqual({
      status: 'completed',
      publicTokens: ['public-sandbox-legacy-0000'],
      institution: { id: 'ins_3', name: 'Tartan Bank' },
    });
  });

  it('returns the access token and item id of an exchange', async () => {
    server.on('/item/public_token/exchange', { status: 200, body: fixtures.exchangeResponse });
    const { bank } = connectorFor();

    expect(await bank.exchangePublicToken(PUBLIC_TOKEN)).toEqual({
      accessToken: fixtures.exchangeResponse.access_token,
      itemId: fixtures.ITEM_ID,
    });
  });

  it('returns the item with its institution, or without one when Plaid has none', async () => {
    server.on('/item/get', { status: 200, body: fixtures.itemGetResponse }, { status: 200, body: fixtures.itemGetNoInstitution });
    const { bank } = connectorFor();

    expect(await bank.getItem(ACCESS_TOKEN)).toEqual({
      itemId: fixtures.ITEM_ID,
      institution: { id: 'ins_109508', name: 'First Platypus Bank' },
    });
    expect(await bank.getItem(ACCESS_TOKEN)).toEqual({ itemId: fixtures.ITEM_ID });
  });

  it('returns the webhook verification key', async () => {
    server.on('/webhook_verification_key/get', { status: 200, body: fixtures.webhookKeyResponse });
    const { bank } = connectorFor();

    expect(await bank.getWebhookVerificationKey('kid-1')).toEqual({
      kid: 'bfbd5111-8e33-4643-8ced-b2e642a72f3c',
      alg: 'ES256',
      crv: 'P-256',
      kty: 'EC',
      x: 'hKXLGIjWvCBv-cP5euCTxl8g9GLG9zHo_3pO5NN1DwQ',
      y: 'shhexqPB7YffGn6fR6h2UhTSuCtPmfzQJ6ENVIoO4Ys',
      createdAt: 1560466150,
      expiredAt: null,
    });
  });
});

// ---- Failures ----------------------------------------------------------------------------------

type ErrorClass = abstract new (...args: never[]) => BankError;

const classification: [reply: Reply, expected: ErrorClass, retryable: boolean][] = [
  [plaidError(400, 'ITEM_ERROR', 'ITEM_LOGIN_REQUIRED'), BankLoginRequired, false],
  [plaidError(400, 'ITEM_ERROR', 'PASSWORD_RESET_REQUIRED'), BankLoginRequired, false],
  [plaidError(400, 'ITEM_ERROR', 'ITEM_LOCKED'), BankLoginRequired, false],
  [plaidError(400, 'ITEM_ERROR', 'USER_SETUP_REQUIRED'), BankLoginRequired, false],
  [plaidError(400, 'ITEM_ERROR', 'INSUFFICIENT_CREDENTIALS'), BankLoginRequired, false],
  [plaidError(400, 'ITEM_ERROR', 'NO_ACCOUNTS'), BankLoginRequired, false],
  [plaidError(400, 'ITEM_ERROR', 'ITEM_NOT_FOUND'), BankAccessRevoked, false],
  [plaidError(400, 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN'), BankAccessRevoked, false],
  [plaidError(400, 'ITEM_ERROR', 'USER_PERMISSION_REVOKED'), BankAccessRevoked, false],
  [plaidError(400, 'ITEM_ERROR', 'ACCESS_NOT_GRANTED'), BankAccessRevoked, false],
  [plaidError(400, 'ITEM_ERROR', 'ITEM_CONCURRENTLY_DELETED'), BankAccessRevoked, false],
  [plaidError(400, 'INSTITUTION_ERROR', 'INSTITUTION_NO_LONGER_SUPPORTED'), BankAccessRevoked, false],
  [plaidError(429, 'RATE_LIMIT_EXCEEDED', 'RATE_LIMIT'), BankRateLimited, true],
  [plaidError(429, 'RATE_LIMIT_EXCEEDED', 'ACCOUNTS_LIMIT'), BankRateLimited, true],
  [plaidError(400, 'RATE_LIMIT_EXCEEDED', 'TRANSACTIONS_SYNC_LIMIT'), BankRateLimited, true],
  [{ status: 429, raw: 'Too Many Requests', contentType: 'text/plain' }, BankRateLimited, true],
  [plaidError(400, 'INSTITUTION_ERROR', 'INSTITUTION_DOWN'), BankInstitutionDown, true],
  [plaidError(400, 'INSTITUTION_ERROR', 'INSTITUTION_NOT_RESPONDING'), BankInstitutionDown, true],
  [plaidError(400, 'INSTITUTION_ERROR', 'INSTITUTION_NOT_AVAILABLE'), BankInstitutionDown, true],
  [plaidError(400, 'ITEM_ERROR', 'PRODUCT_NOT_READY'), BankInstitutionDown, true],
  [plaidError(400, 'TRANSACTIONS_ERROR', 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION'), BankSyncMutated, true],
  [plaidError(500, 'API_ERROR', 'INTERNAL_SERVER_ERROR'), BankUnavailable, true],
  [plaidError(503, 'API_ERROR', 'PLANNED_MAINTENANCE'), BankUnavailable, true],
  [{ status: 502, raw: '<html>Bad Gateway</html>' }, BankUnavailable, true],
  [{ status: 500, raw: '' }, BankUnavailable, true],
  [plaidError(400, 'INVALID_REQUEST', 'MISSING_FIELDS'), BankInvalidRequest, false],
  [plaidError(400, 'INVALID_REQUEST', 'UNKNOWN_FIELDS'), BankInvalidRequest, false],
  [plaidError(400, 'INVALID_INPUT', 'INVALID_API_KEYS'), BankInvalidRequest, false],
  [plaidError(400, 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN'), BankInvalidRequest, false],
  [plaidError(400, 'INSTITUTION_ERROR', 'INSTITUTION_REGISTRATION_REQUIRED'), BankInvalidRequest, false],
  [plaidError(400, 'ITEM_ERROR', 'A_CODE_PLAID_ADDS_LATER'), BankInvalidRequest, false],
  [{ status: 404, raw: 'Not Found', contentType: 'text/plain' }, BankInvalidRequest, false],
  [{ status: 403, body: { message: 'Forbidden' } }, BankInvalidRequest, false],
];

function describeReply(reply: Reply): string {
  if (!('status' in reply)) return JSON.stringify(reply);
  const body = 'body' in reply ? (reply.body as { error_type?: string; error_code?: string }) : undefined;
  return body?.error_code === undefined
    ? `HTTP ${reply.status} without a Plaid envelope`
    : `HTTP ${reply.status} ${body.error_type}/${body.error_code}`;
}

describe('error classification', () => {
  it.each(classification.map(([reply, cls, retryable]) => [describeReply(reply), reply, cls, retryable] as const))(
    '%s → %o',
    async (_name, reply, ErrorClass, retryable) => {
      server.on('/accounts/get', reply);
      const { bank } = connectorFor({ maxAttempts: 1 });

      const error = await failureOf(bank.getAccounts(ACCESS_TOKEN));

      expect(error).toBeInstanceOf(ErrorClass);
      expect(error.retryable).toBe(retryable);
    },
  );

  it('names the endpoint, status, Plaid type/code and request id in the message and on the error', async () => {
    server.on('/item/get', plaidError(400, 'ITEM_ERROR', 'ITEM_LOGIN_REQUIRED', 'the login details of this item have changed', 'req-42'));
    const { bank } = connectorFor();

    const error = await failureOf(bank.getItem(ACCESS_TOKEN));

    expect(error.message).toBe(
      'Plaid /item/get failed (HTTP 400, ITEM_ERROR/ITEM_LOGIN_REQUIRED, request_id req-42): the login details of this item have changed',
    );
    expect(error).toMatchObject({ name: 'BankLoginRequired', errorType: 'ITEM_ERROR', errorCode: 'ITEM_LOGIN_REQUIRED' });
  });

  it('classifies a refused connection as BankUnavailable', async () => {
    const { bank } = connectorFor({ baseUrl: await refusedUrl(), maxAttempts: 1 });

    const error = await failureOf(bank.getAccounts(ACCESS_TOKEN));

    expect(error).toBeInstanceOf(BankUnavailable);
    expect(error.message).toBe('Plaid /accounts/get could not be reached (ECONNREFUSED)');
  });

  it('classifies a dropped connection as BankUnavailable', async () => {
    server.on('/accounts/get', { destroy: true });
    const { bank } = connectorFor({ maxAttempts: 1 });

    const error = await failureOf(bank.getAccounts(ACCESS_TOKEN));

    expect(error).toBeInstanceOf(BankUnavailable);
    expect(error.message).toContain('could not be reached (ECONNRESET)');
  });

  it('gives up on a server that never answers after the per-attempt timeout', async () => {
    server.on('/accounts/get', { hang: true });
    const { bank } = connectorFor({ timeoutMs: 150, maxAttempts: 1 });
    const started = Date.now();

    const error = await failureOf(bank.getAccounts(ACCESS_TOKEN));

    expect(error).toBeInstanceOf(BankUnavailable);
    expect(error.message).toBe('Plaid /accounts/get timed out after 150 ms');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('never follows a redirect, so the secret is not forwarded to another host', async () => {
    const elsewhere = await startPlaidServer();
    try {
      server.on('/accounts/get', { redirect: `${elsewhere.url}/accounts/get` });
      const { bank } = connectorFor({ maxAttempts: 1 });

      const error = await failureOf(bank.getAccounts(ACCESS_TOKEN));

      expect(error).toBeInstanceOf(BankInvalidRequest);
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it.each([
    ['a field of the wrong type', { ...fixtures.accountsGetResponse, accounts: 'none' }, 'accounts'],
    ['an account without its balances', { ...fixtures.accountsGetResponse, accounts: [{ ...fixtures.accounts[0], balances: undefined }] }, 'accounts.0.balances'],
    [
      'a balance without any currency',
      {
        ...fixtures.accountsGetResponse,
        accounts: [{ ...fixtures.accounts[0], balances: { ...fixtures.accounts[0]?.balances, iso_currency_code: null } }],
      },
      'accounts.0.balances has neither iso_currency_code nor unofficial_currency_code',
    ],
    ['an empty object', {}, 'accounts'],
    ['JSON null', null, '(root)'],
  ])('turns a 200 with %s into a classified BankUnavailable naming the field, not a TypeError', async (_name, body, field) => {
    server.on('/accounts/get', { status: 200, body });
    const { bank } = connectorFor();

    const error = await failureOf(bank.getAccounts(ACCESS_TOKEN));

    expect(error).toBeInstanceOf(BankUnavailable);
    expect(error.message).toContain('Plaid /accounts/get answered HTTP 200 with an unexpected body: ');
    expect(error.message).toContain(field);
    // The same request would get the same body: it is not repeated here.
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['a stream date that is not YYYY-MM-DD', { ...fixtures.netflixStream, last_date: '12/11/2026' }, 'outflow_streams.0.last_date must be a YYYY-MM-DD date'],
    [
      'a stream without any currency',
      { ...fixtures.netflixStream, last_amount: { amount: 1 }, average_amount: { amount: 1, iso_currency_code: null } },
      'outflow_streams.0 has neither iso_currency_code nor unofficial_currency_code',
    ],
    ['a stream without its amount', { ...fixtures.netflixStream, last_amount: { iso_currency_code: 'USD' } }, 'outflow_streams.0.last_amount.amount'],
  ])('turns recurring streams with %s into a classified BankUnavailable naming it', async (_name, broken, field) => {
    server.on('/transactions/recurring/get', { status: 200, body: { ...fixtures.recurringResponse, outflow_streams: [broken] } });
    const { bank } = connectorFor();

    const error = await failureOf(bank.recurringStreams(ACCESS_TOKEN));

    expect(error).toBeInstanceOf(BankUnavailable);
    expect(error.message).toContain(field);
  });

  it('turns an HTML 200 into a classified BankUnavailable', async () => {
    server.on('/accounts/get', { status: 200, raw: '<html>captive portal</html>' });
    const { bank } = connectorFor();

    expect(await failureOf(bank.getAccounts(ACCESS_TOKEN))).toBeInstanceOf(BankUnavailable);
  });

  it('turns a malformed transaction into a classified error naming it', async () => {
    const broken = { ...fixtures.postedGroceries, date: '18/11/2026' };
    server.on('/transactions/sync', { status: 200, body: { ...fixtures.syncResponse, added: [broken] } });
    const { bank } = connectorFor();

    const error = await failureOf(bank.syncTransactions(ACCESS_TOKEN, undefined));

    expect(error).toBeInstanceOf(BankUnavailable);
    expect(error.message).toContain('added.0.date must be a YYYY-MM-DD date');
  });
});

describe('secrets never leak into errors or logs', () => {
  // Plaid-shaped tokens are blanked wherever they come from; any other value only when this
  // request sent it (the adapter cannot know a value it never saw).
  const echo = `access token ${ACCESS_TOKEN} / public token ${PUBLIC_TOKEN} / ${LINK_TOKEN} / client ${CLIENT_ID} / secret ${SECRET}`;
  const failures: [name: string, reply: Reply | 'refused', call: Call][] = [
    [
      'Plaid echoing the request’s odd-shaped token and every other token in its message',
      plaidError(400, 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN', `${echo} / ${ODD_ACCESS_TOKEN}`, ODD_ACCESS_TOKEN),
      (b) => b.getAccounts(ODD_ACCESS_TOKEN),
    ],
    ['an exchange rejected with the token quoted', plaidError(400, 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN', echo), (b) => b.exchangePublicToken(PUBLIC_TOKEN)],
    ['an update-mode link token refused', plaidError(500, 'API_ERROR', 'INTERNAL_SERVER_ERROR', echo), (b) => b.createLinkToken({ ...linkInput, accessToken: ACCESS_TOKEN })],
    ['a link session lookup failing', plaidError(400, 'INVALID_INPUT', 'INVALID_LINK_TOKEN', echo), (b) => b.getLinkSession(LINK_TOKEN)],
    ['a timeout', { hang: true }, (b) => b.syncTransactions(ACCESS_TOKEN, 'cursor')],
    ['a dropped connection', { destroy: true }, (b) => b.removeItem(ACCESS_TOKEN, 'person-revoked')],
    ['a refused connection', 'refused', (b) => b.exchangePublicToken(PUBLIC_TOKEN)],
    ['a malformed answer', { status: 200, body: { access_token: 42 } }, (b) => b.exchangePublicToken(PUBLIC_TOKEN)],
  ];

  it.each(failures)('%s', async (_name, reply, call) => {
    const baseUrl = reply === 'refused' ? await refusedUrl() : server.url;
    if (reply !== 'refused') {
      for (const path of ['/accounts/get', '/item/public_token/exchange', '/link/token/create', '/link/token/get', '/transactions/sync', '/item/remove']) {
        server.on(path, reply);
      }
    }
    const { bank } = connectorFor({ baseUrl, timeoutMs: 100, maxAttempts: 2 });

    const error = await failureOf(call(bank));

    expectNoCanary(error);
  });

  it('the adapter itself writes nothing to the console', () => {
    expect(consoleOutput).toEqual([]);
  });
});

// ---- Retries ------------------------------------------------------------------------------------

describe('retries', () => {
  it.each(everyMethod.filter(([name]) => !['exchangePublicToken', 'removeItem'].includes(name)))(
    '%s is repeated up to maxAttempts on a 5xx',
    async (_name, path, _reply, call) => {
      server.on(path, plaidError(500, 'API_ERROR', 'INTERNAL_SERVER_ERROR'));
      const { bank, delays } = connectorFor({ maxAttempts: 3 });

      expect(await failureOf(call(bank))).toBeInstanceOf(BankUnavailable);

      expect(server.requestsTo(path)).toHaveLength(3);
      expect(delays).toHaveLength(2);
    },
  );

  it('returns the answer of the attempt that succeeded', async () => {
    server.on('/accounts/get', { status: 503, raw: 'unavailable' }, plaidError(429, 'RATE_LIMIT_EXCEEDED', 'ACCOUNTS_LIMIT'), {
      status: 200,
      body: fixtures.accountsGetResponse,
    });
    const { bank } = connectorFor();

    expect(await bank.getAccounts(ACCESS_TOKEN)).toEqual(expectedAccounts);
    expect(server.requests).toHaveLength(3);
  });

  it('repeats a read that timed out', async () => {
    server.on('/item/get', { hang: true }, { status: 200, body: fixtures.itemGetResponse });
    const { bank } = connectorFor({ timeoutMs: 100 });

    expect((await bank.getItem(ACCESS_TOKEN)).itemId).toBe(fixtures.ITEM_ID);
    expect(server.requests).toHaveLength(2);
  });

  it.each([
    ['login required', plaidError(400, 'ITEM_ERROR', 'ITEM_LOGIN_REQUIRED')],
    ['access revoked', plaidError(400, 'ITEM_ERROR', 'ITEM_NOT_FOUND')],
    ['an invalid request', plaidError(400, 'INVALID_REQUEST', 'INVALID_FIELD')],
    ['the institution being down', plaidError(400, 'INSTITUTION_ERROR', 'INSTITUTION_DOWN')],
    ['a mutation during pagination', plaidError(400, 'TRANSACTIONS_ERROR', 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION')],
  ])('does not repeat a sync after %s', async (_name, reply) => {
    server.on('/transactions/sync', reply);
    const { bank, delays } = connectorFor({ maxAttempts: 5 });

    await failureOf(bank.syncTransactions(ACCESS_TOKEN, 'cursor-page-2'));

    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it.each([
    ['a 5xx', plaidError(500, 'API_ERROR', 'INTERNAL_SERVER_ERROR')],
    ['a timeout', { hang: true } as Reply],
    ['a dropped connection', { destroy: true } as Reply],
  ])('sends a public token exchange once after %s: the token may already be spent', async (_name, reply) => {
    server.on('/item/public_token/exchange', reply);
    const { bank } = connectorFor({ timeoutMs: 100, maxAttempts: 3 });

    const error = await failureOf(bank.exchangePublicToken(PUBLIC_TOKEN));

    expect(error).toBeInstanceOf(BankUnavailable);
    expect(error.retryable).toBe(true);
    // Never twice. A dropped connection may even fail before the request reaches the bank (a
    // kept-alive socket the server had closed), which is just as safe.
    const sent = server.requestsTo('/item/public_token/exchange').length;
    if (_name === 'a dropped connection') expect(sent).toBeLessThanOrEqual(1);
    else expect(sent).toBe(1);
  });

  it.each([
    ['a 5xx', plaidError(500, 'API_ERROR', 'INTERNAL_SERVER_ERROR')],
    ['a timeout', { hang: true } as Reply],
  ])('sends an item removal once after %s', async (_name, reply) => {
    server.on('/item/remove', reply);
    const { bank } = connectorFor({ timeoutMs: 100, maxAttempts: 3 });

    expect(await failureOf(bank.removeItem(ACCESS_TOKEN, 'person-revoked'))).toBeInstanceOf(BankUnavailable);
    expect(server.requestsTo('/item/remove')).toHaveLength(1);
  });

  it.each([
    ['exchangePublicToken', '/item/public_token/exchange', fixtures.exchangeResponse, (b: BankConnector) => b.exchangePublicToken(PUBLIC_TOKEN)],
    ['removeItem', '/item/remove', fixtures.itemRemoveResponse, (b: BankConnector) => b.removeItem(ACCESS_TOKEN, 'person-revoked')],
  ])('repeats %s when Plaid’s rate limiter turned it away unprocessed', async (_name, path, reply, call) => {
    server.on(path, plaidError(429, 'RATE_LIMIT_EXCEEDED', 'RATE_LIMIT'), { status: 200, body: reply });
    const { bank } = connectorFor();

    await call(bank);

    expect(server.requestsTo(path)).toHaveLength(2);
  });

  it.each([
    ['exchangePublicToken', (b: BankConnector) => b.exchangePublicToken(PUBLIC_TOKEN)],
    ['removeItem', (b: BankConnector) => b.removeItem(ACCESS_TOKEN, 'person-revoked')],
  ])('repeats %s when the connection was refused, as nothing was sent', async (_name, call) => {
    const { bank, delays } = connectorFor({ baseUrl: await refusedUrl(), maxAttempts: 3 });

    expect(await failureOf(call(bank))).toBeInstanceOf(BankUnavailable);
    expect(delays).toHaveLength(2);
  });

  it('makes exactly one attempt when maxAttempts is 1', async () => {
    server.on('/accounts/get', plaidError(500, 'API_ERROR', 'INTERNAL_SERVER_ERROR'));
    const { bank, delays } = connectorFor({ maxAttempts: 1 });

    await failureOf(bank.getAccounts(ACCESS_TOKEN));

    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('backs off exponentially up to the cap (at the top of the jitter range)', async () => {
    server.on('/accounts/get', plaidError(500, 'API_ERROR', 'INTERNAL_SERVER_ERROR'));
    const { bank, delays } = connectorFor({ maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 250 }, () => 0.999999);

    await failureOf(bank.getAccounts(ACCESS_TOKEN));

    expect(delays.map(Math.round)).toEqual([100, 200, 250, 250]);
  });

  it('uses the defaults of 3 attempts and 200 ms growing delays', async () => {
    server.on('/accounts/get', plaidError(500, 'API_ERROR', 'INTERNAL_SERVER_ERROR'));
    const { bank, delays } = connectorFor({}, () => 0.999999);

    await failureOf(bank.getAccounts(ACCESS_TOKEN));

    expect(delays.map(Math.round)).toEqual([200, 400]);
  });

  it('draws every delay from the full jitter range [0, min(max, base·2^attempt))', async () => {
    server.on('/accounts/get', plaidError(503, 'API_ERROR', 'INTERNAL_SERVER_ERROR'));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 3, maxLength: 3 }),
        async (baseDelayMs, maxDelayMs, draws) => {
          const queue = [...draws];
          const { bank, delays } = connectorFor({ maxAttempts: 4, baseDelayMs, maxDelayMs }, () => queue.shift() ?? 0);

          await failureOf(bank.getAccounts(ACCESS_TOKEN));

          expect(delays).toHaveLength(3);
          delays.forEach((ms, attempt) => {
            expect(ms).toBeGreaterThanOrEqual(0);
            expect(ms).toBeLessThan(Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
          });
        },
      ),
      { numRuns: 25 },
    );
  });
});
