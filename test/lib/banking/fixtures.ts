/**
 * Canned Plaid answers in the shapes Plaid's OpenAPI spec describes (a test checks each one against
 * it), so the adapter's mapping is exercised on realistic bodies, extra fields included.
 */

export const ITEM_ID = 'item-9Mo7z3kQ1x';
export const REQUEST_ID = 'req-7f3a9c';

const item = {
  item_id: ITEM_ID,
  institution_id: 'ins_109508',
  institution_name: 'First Platypus Bank',
  webhook: 'https://api.example/bank/webhook',
  auth_method: null,
  error: null,
  available_products: ['balance', 'identity'],
  billed_products: ['transactions'],
  products: ['transactions'],
  consented_products: ['transactions'],
  consent_expiration_time: null,
  update_type: 'background',
};

const balances = (
  available: number | null,
  current: number | null,
  limit: number | null,
  iso: string | null = 'USD',
  unofficial: string | null = null,
) => ({
  available,
  current,
  limit,
  iso_currency_code: iso,
  unofficial_currency_code: unofficial,
  last_updated_datetime: null,
});

export const accounts = [
  {
    account_id: 'acc-checking',
    balances: balances(100.5, 110.25, null),
    mask: '0000',
    name: 'Plaid Checking',
    official_name: 'Plaid Gold Standard 0% Interest Checking',
    type: 'depository',
    subtype: 'checking',
    persistent_account_id: 'pa-1',
  },
  {
    account_id: 'acc-credit',
    balances: balances(null, 410, 2000),
    mask: '3333',
    name: 'Plaid Credit Card',
    official_name: null,
    type: 'credit',
    subtype: 'credit card',
  },
  {
    account_id: 'acc-mortgage',
    balances: balances(null, 56302.06, null),
    mask: '8888',
    name: 'Plaid Mortgage',
    official_name: null,
    type: 'loan',
    subtype: 'mortgage',
  },
  {
    account_id: 'acc-ira',
    balances: balances(null, 320.76, null, null, 'BTC'),
    mask: null,
    name: 'Plaid IRA',
    official_name: null,
    type: 'investment',
    subtype: 'ira',
  },
  {
    account_id: 'acc-brokerage',
    balances: balances(null, 23631.98, null, 'EUR'),
    mask: '5555',
    name: 'Legacy brokerage',
    official_name: null,
    type: 'brokerage',
    subtype: null,
  },
  {
    account_id: 'acc-other',
    balances: balances(12, 12, null),
    mask: '9999',
    name: 'Prepaid card',
    official_name: null,
    type: 'other',
    subtype: 'prepaid',
  },
];

export const accountsGetResponse = { accounts, item, request_id: REQUEST_ID };

const paymentMeta = {
  reference_number: null,
  ppd_id: null,
  payee: null,
  by_order_of: null,
  payer: null,
  payment_method: null,
  payment_processor: null,
  reason: null,
};

const location = (city: string | null, region: string | null, country: string | null) => ({
  address: city ? '13 Main St' : null,
  city,
  region,
  postal_code: city ? '94103' : null,
  country,
  lat: city ? 37.77 : null,
  lon: city ? -122.42 : null,
  store_number: null,
});

export const postedGroceries = {
  account_id: 'acc-checking',
  account_owner: null,
  amount: 72.1,
  iso_currency_code: 'USD',
  unofficial_currency_code: null,
  category: ['Shops', 'Supermarkets and Groceries'],
  category_id: '19047000',
  check_number: null,
  counterparties: [],
  date: '2026-11-18',
  datetime: '2026-11-18T17:24:00Z',
  authorized_date: '2026-11-17',
  authorized_datetime: '2026-11-17T17:24:00Z',
  location: location('San Francisco', 'CA', 'US'),
  merchant_name: 'Whole Foods',
  merchant_entity_id: 'ent-1',
  logo_url: null,
  website: null,
  name: 'WHOLE FOODS MARKET #123',
  payment_channel: 'in store',
  payment_meta: paymentMeta,
  pending: false,
  pending_transaction_id: 'txn-pending-groceries',
  personal_finance_category: {
    primary: 'FOOD_AND_DRINK',
    detailed: 'FOOD_AND_DRINK_GROCERIES',
    confidence_level: 'VERY_HIGH',
  },
  transaction_code: null,
  transaction_id: 'txn-groceries',
  transaction_type: 'place',
};

export const pendingElectronics = {
  ...postedGroceries,
  account_id: 'acc-credit',
  amount: 912.4,
  date: '2026-11-20',
  datetime: null,
  authorized_date: null,
  authorized_datetime: null,
  location: location(null, null, null),
  merchant_name: null,
  name: 'ELECTRO-WORLD',
  payment_channel: 'online',
  pending: true,
  pending_transaction_id: null,
  personal_finance_category: null,
  transaction_id: 'txn-electro',
};

/** Money in: Plaid's sign convention makes deposits negative. */
export const salaryDeposit = {
  ...postedGroceries,
  amount: -2500,
  iso_currency_code: 'EUR',
  date: '2026-11-01',
  datetime: null,
  authorized_date: null,
  authorized_datetime: null,
  location: location(null, null, 'ES'),
  merchant_name: null,
  name: 'NOMINA ACME SL',
  payment_channel: 'other',
  pending_transaction_id: null,
  personal_finance_category: { primary: 'INCOME', detailed: 'INCOME_WAGES' },
  transaction_id: 'txn-salary',
};

export const syncResponse = {
  // The accounts that have transactions, with the balances Plaid last cached.
  accounts: accounts.slice(0, 2),
  added: [postedGroceries, pendingElectronics],
  modified: [salaryDeposit],
  removed: [{ transaction_id: 'txn-pending-groceries', account_id: 'acc-checking' }],
  next_cursor: 'cursor-page-2',
  has_more: true,
  transactions_update_status: 'HISTORICAL_UPDATE_COMPLETE',
  request_id: REQUEST_ID,
};

export const lastSyncResponse = {
  ...syncResponse,
  added: [],
  modified: [],
  removed: [],
  next_cursor: 'cursor-final',
  has_more: false,
};

export const linkTokenCreateResponse = {
  link_token: 'link-sandbox-3c5d1a2e-0000-4000-8000-000000000001',
  expiration: '2026-11-21T18:00:00Z',
  hosted_link_url: 'https://hosted.plaid.com/link/lp1234',
  request_id: REQUEST_ID,
};

const linkMetadata = {
  initial_products: ['transactions'],
  webhook: 'https://api.example/bank/webhook',
  country_codes: ['US'],
  language: 'en',
  redirect_uri: null,
  client_name: 'Messenger Banking',
};

const linkTokenGetBase = {
  link_token: linkTokenCreateResponse.link_token,
  created_at: '2026-11-21T14:00:00Z',
  expiration: '2026-11-21T18:00:00Z',
  metadata: linkMetadata,
  request_id: REQUEST_ID,
};

export const linkTokenGetPending = {
  ...linkTokenGetBase,
  link_sessions: [{ link_session_id: 'ls-1', started_at: '2026-11-21T14:01:00Z', finished_at: null }],
};

export const linkTokenGetCompleted = {
  ...linkTokenGetBase,
  link_sessions: [
    {
      link_session_id: 'ls-1',
      started_at: '2026-11-21T14:01:00Z',
      finished_at: '2026-11-21T14:03:00Z',
      results: {
        item_add_results: [
          {
            public_token: 'public-sandbox-1b2c3d4e-0000-4000-8000-000000000002',
            accounts: [{ id: 'acc-checking', name: 'Plaid Checking', mask: '0000', type: 'depository', subtype: 'checking' }],
            institution: { name: 'First Platypus Bank', institution_id: 'ins_109508' },
          },
        ],
        cra_item_add_results: [],
        cra_update_results: [],
        bank_income_results: [],
        payroll_income_results: [],
        document_income_results: null,
      },
    },
  ],
};

/** Before `results`, Plaid reported the outcome in `on_success` (deprecated, still sent). */
export const linkTokenGetCompletedLegacy = {
  ...linkTokenGetBase,
  link_sessions: [
    {
      link_session_id: 'ls-2',
      started_at: '2026-11-21T14:01:00Z',
      finished_at: '2026-11-21T14:03:00Z',
      on_success: {
        public_token: 'public-sandbox-legacy-0000',
        metadata: {
          institution: { name: 'Tartan Bank', institution_id: 'ins_3' },
          accounts: [],
          link_session_id: 'ls-2',
        },
      },
    },
  ],
};

export const exchangeResponse = {
  access_token: 'access-sandbox-de3ce8ef-0000-4000-8000-000000000003',
  item_id: ITEM_ID,
  request_id: REQUEST_ID,
};

export const itemGetResponse = { item, status: null, request_id: REQUEST_ID };

export const itemGetNoInstitution = {
  item: { ...item, institution_id: null, institution_name: null },
  request_id: REQUEST_ID,
};

export const itemRemoveResponse = { request_id: REQUEST_ID };

export const webhookKeyResponse = {
  key: {
    alg: 'ES256',
    created_at: 1560466150,
    crv: 'P-256',
    expired_at: null,
    kid: 'bfbd5111-8e33-4643-8ced-b2e642a72f3c',
    kty: 'EC',
    use: 'sig',
    x: 'hKXLGIjWvCBv-cP5euCTxl8g9GLG9zHo_3pO5NN1DwQ',
    y: 'shhexqPB7YffGn6fR6h2UhTSuCtPmfzQJ6ENVIoO4Ys',
  },
  request_id: REQUEST_ID,
};

const usd = (amount: number) => ({ amount, iso_currency_code: 'USD', unofficial_currency_code: null });

const stream = {
  category: null,
  category_id: null,
  is_user_modified: false,
};

export const payrollStream = {
  ...stream,
  account_id: 'acc-checking',
  stream_id: 'stream-payroll',
  description: 'ACME CORP PAYROLL',
  merchant_name: null,
  personal_finance_category: { primary: 'INCOME', detailed: 'INCOME_WAGES', confidence_level: 'UNKNOWN' },
  first_date: '2026-09-01',
  last_date: '2026-11-15',
  predicted_next_date: '2026-12-01',
  frequency: 'SEMI_MONTHLY',
  transaction_ids: ['txn-pay-1', 'txn-pay-2', 'txn-pay-3'],
  average_amount: usd(-1900),
  last_amount: usd(-1900),
  is_active: true,
  status: 'MATURE',
};

export const netflixStream = {
  ...stream,
  account_id: 'acc-credit',
  stream_id: 'stream-netflix',
  description: 'NETFLIX.COM',
  merchant_name: 'Netflix',
  personal_finance_category: { primary: 'ENTERTAINMENT', detailed: 'ENTERTAINMENT_TV_AND_MOVIES', confidence_level: 'VERY_HIGH' },
  first_date: '2026-09-12',
  last_date: '2026-11-12',
  predicted_next_date: '2026-12-12',
  frequency: 'MONTHLY',
  transaction_ids: ['txn-nf-1', 'txn-nf-2', 'txn-nf-3'],
  average_amount: usd(16.32),
  last_amount: usd(17.99),
  is_active: true,
  status: 'MATURE',
};

/** An early stream that lapsed, with no category, no prediction and an unofficial currency. */
export const lapsedStream = {
  ...stream,
  account_id: 'acc-ira',
  stream_id: 'stream-lapsed',
  description: 'COLD STORAGE FEE',
  merchant_name: null,
  personal_finance_category: null,
  first_date: '2026-06-03',
  last_date: '2026-07-03',
  predicted_next_date: null,
  frequency: 'UNKNOWN',
  transaction_ids: ['txn-cs-1', 'txn-cs-2'],
  average_amount: { amount: 0.0002, iso_currency_code: null, unofficial_currency_code: 'BTC' },
  last_amount: { amount: 0.0002, iso_currency_code: null, unofficial_currency_code: 'BTC' },
  is_active: false,
  status: 'TOMBSTONED',
};

export const recurringResponse = {
  inflow_streams: [payrollStream],
  outflow_streams: [netflixStream, lapsedStream],
  updated_datetime: '2026-11-20T15:30:00Z',
  personal_finance_category_version: 'v1',
  request_id: REQUEST_ID,
};

/** Every 200 body above, by the path that answers it (checked against the spec). */
export const cannedResponses: [path: string, body: unknown][] = [
  ['/link/token/create', linkTokenCreateResponse],
  ['/link/token/get', linkTokenGetPending],
  ['/link/token/get', linkTokenGetCompleted],
  ['/link/token/get', linkTokenGetCompletedLegacy],
  ['/item/public_token/exchange', exchangeResponse],
  ['/item/get', itemGetResponse],
  ['/item/get', itemGetNoInstitution],
  ['/accounts/get', accountsGetResponse],
  ['/accounts/balance/get', accountsGetResponse],
  ['/transactions/sync', syncResponse],
  ['/transactions/sync', lastSyncResponse],
  ['/transactions/recurring/get', recurringResponse],
  ['/item/remove', itemRemoveResponse],
  ['/webhook_verification_key/get', webhookKeyResponse],
];
