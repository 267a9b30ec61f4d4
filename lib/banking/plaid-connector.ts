/**
 * The production `BankConnector`, on Plaid's official Node SDK. `baseUrl` decides where it talks:
 * Plaid's sandbox or production host, or the local sandbox bank (`PLAID_BASE_URL`).
 *
 * Plaid's answers are parsed with zod at this edge (only the fields we map; extra fields are
 * ignored), so a changed or broken response surfaces as a classified `BankUnavailable` naming the
 * field, never as a TypeError deep in domain code.
 *
 * Retry policy (full-jitter exponential backoff, at most `maxAttempts` attempts per call):
 * - Only `BankUnavailable` (5xx, API_ERROR, network failure, timeout) and `BankRateLimited` are
 *   retried here. `BankInstitutionDown` will not recover within a second or two, and retrying it
 *   only spends the item's rate limit; `BankSyncMutated` must restart the whole pagination from
 *   its first cursor, which only the caller can do. Both keep `retryable = true` for the caller.
 * - Reads (`/link/token/get`, `/item/get`, `/accounts/get`, `/accounts/balance/get`,
 *   `/transactions/sync` — the same cursor returns the same page —, `/transactions/recurring/get`
 *   and `/webhook_verification_key/get`) and `/link/token/create` (a spare, unused link token is
 *   harmless) are repeated after any of those failures.
 * - `/item/public_token/exchange` (a public token works once: if the first attempt was processed
 *   but its answer lost, a repeat fails with INVALID_PUBLIC_TOKEN and the access token is gone) and
 *   `/item/remove` (a repeat after a processed removal answers ITEM_NOT_FOUND, hiding the success)
 *   are repeated only when the failure proves Plaid did not act: the connection was never made,
 *   or Plaid's rate limiter turned the request away. After a timeout or 5xx the error still says
 *   `retryable`; the caller's own retry then sees the outcome (for removal, `BankAccessRevoked`
 *   means the item is already gone).
 * - A malformed 2xx answer is not repeated: the same request would most likely get the same body.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type {
  AccountsBalanceGetRequest,
  AccountsGetRequest,
  ItemGetRequest,
  ItemPublicTokenExchangeRequest,
  ItemRemoveRequest,
  LinkTokenCreateRequest,
  LinkTokenGetRequest,
  PlaidApi,
  TransactionsRecurringGetRequest,
  TransactionsSyncRequest,
  WebhookVerificationKeyGetRequest,
} from 'plaid';
import { BankInvalidRequest, BankRateLimited, BankUnavailable } from '../errors';
import type { BankError } from '../errors';
import type {
  BankAccount,
  BankAccountType,
  BankConnector,
  BankTransaction,
  CreateLinkTokenInput,
  Institution,
  ItemRemovalReason,
  LinkSession,
  LinkToken,
  PaymentChannel,
  RecurringFrequency,
  RecurringStatus,
  RecurringStream,
  RecurringStreams,
  SyncPage,
  WebhookVerificationKey,
} from './bank-connector';
import { classifyPlaidFailure } from './plaid-errors';
import * as z from 'zod/mini';
import { describeIssues } from '../validation';

export interface PlaidConnectorConfig {
  /** `https://sandbox.plaid.com`, `https://production.plaid.com` or the local sandbox bank. */
  baseUrl: string;
  clientId: string;
  secret: string;
  /** Per attempt. Default 5000 ms. */
  timeoutMs?: number;
  /** Including the first. Default 3. */
  maxAttempts?: number;
  /** Default 200 ms. */
  baseDelayMs?: number;
  /** Default 2000 ms. */
  maxDelayMs?: number;
}

/** The SDK methods this adapter uses; tests may pass a stand-in. */
export type PlaidClient = Pick<
  PlaidApi,
  | 'linkTokenCreate'
  | 'linkTokenGet'
  | 'itemPublicTokenExchange'
  | 'itemGet'
  | 'accountsGet'
  | 'accountsBalanceGet'
  | 'transactionsSync'
  | 'transactionsRecurringGet'
  | 'itemRemove'
  | 'webhookVerificationKeyGet'
>;

export interface PlaidConnectorDeps {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  plaidApi?: PlaidClient;
}

export const PLAID_API_VERSION = '2020-09-14';
/** Plaid's ceiling for `count` on /transactions/sync. */
export const MAX_SYNC_COUNT = 500;
/** Consent rule 6: the features need 90 days of history, so no more is requested at link time. */
const TRANSACTION_DAYS_REQUESTED = 90;

/**
 * What /item/remove is told. Plaid's reason codes are about fraud and broken connections; a
 * consent that ended is `OTHER`, with a note saying how. A bank-side revocation is
 * `CONNECTION_IS_NON_FUNCTIONAL`: access was withdrawn and, the consent having ended, we will not
 * restore it. Notes are fixed text: Plaid asks for no personal data there, and none is put in.
 */
const REMOVAL_REASONS: Record<ItemRemovalReason, { reason_code: ItemRemoveRequest['reason_code']; reason_note: string }> = {
  'person-revoked': { reason_code: 'OTHER' as ItemRemoveRequest['reason_code'], reason_note: 'The end user revoked their consent to share this data.' },
  'consent-expired': { reason_code: 'OTHER' as ItemRemoveRequest['reason_code'], reason_note: 'The end user consent reached the end date they chose and was not renewed.' },
  'bank-revoked': {
    reason_code: 'CONNECTION_IS_NON_FUNCTIONAL' as ItemRemoveRequest['reason_code'],
    reason_note: 'Access was revoked at the institution or at Plaid; the end user consent has ended.',
  },
  'linking-failed': { reason_code: 'OTHER' as ItemRemoveRequest['reason_code'], reason_note: 'Linking did not complete; no end user consent covers this Item.' },
};

// ---- Plaid's answers: only the fields mapped below ----------------------------------------------

const currencyOf = (iso: string | null, unofficial: string | null | undefined) => iso ?? unofficial ?? undefined;
const hasCurrency = (value: { iso_currency_code: string | null; unofficial_currency_code?: string | null }) =>
  currencyOf(value.iso_currency_code, value.unofficial_currency_code) !== undefined;
const NO_CURRENCY = { message: 'has neither iso_currency_code nor unofficial_currency_code' };
/** A stream amount's currency; the spec, unlike for balances, does not require its fields. */
const streamCurrency = (value: { iso_currency_code?: string | null; unofficial_currency_code?: string | null }) =>
  currencyOf(value.iso_currency_code ?? null, value.unofficial_currency_code);

/**
 * Built on the first bank call, with the SDK: ~2 ms of zod at init that a bank function's cold
 * start otherwise pays even when its first event never reaches the bank.
 */
function buildSchemas() {
  const nullableString = z.nullable(z.string());
  const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD date'));
  const isoDateTime = z.iso.datetime({ offset: true });

  const linkTokenCreateSchema = z.object({
    link_token: z.string().check(z.minLength(1)),
    expiration: isoDateTime,
    hosted_link_url: z.optional(z.string()),
  });

  const institutionSchema = z.nullish(
    z.object({ institution_id: z.optional(z.string()), name: z.optional(z.string()) }),
  );

  const linkTokenGetSchema = z.object({
    link_sessions: z.optional(
      z.array(
        z.object({
          results: z.nullish(
            z.object({
              item_add_results: z.optional(
                z.array(z.object({ public_token: z.string().check(z.minLength(1)), institution: institutionSchema })),
              ),
            }),
          ),
          // Deprecated by Plaid in favour of `results`, still sent; read only when `results` has nothing.
          on_success: z.nullish(
            z.object({
              public_token: z.string().check(z.minLength(1)),
              metadata: z.nullish(z.object({ institution: institutionSchema })),
            }),
          ),
        }),
      ),
    ),
  });

  const exchangeSchema = z.object({
    access_token: z.string().check(z.minLength(1)),
    item_id: z.string().check(z.minLength(1)),
  });

  const itemGetSchema = z.object({
    item: z.object({
      item_id: z.string().check(z.minLength(1)),
      institution_id: z.nullish(z.string()),
      institution_name: z.nullish(z.string()),
    }),
  });


  const accountSchema = z.object({
    account_id: z.string().check(z.minLength(1)),
    name: z.string(),
    official_name: z.nullish(z.string()),
    mask: z.nullish(z.string()),
    type: z.string(),
    subtype: z.nullish(z.string()),
    balances: z
      .object({
        available: z.nullable(z.number()),
        current: z.nullable(z.number()),
        limit: z.nullish(z.number()),
        iso_currency_code: nullableString,
        unofficial_currency_code: z.nullish(z.string()),
      })
      .check(z.refine(hasCurrency, NO_CURRENCY)),
  });

  const accountsSchema = z.object({ accounts: z.array(accountSchema) });

  const transactionSchema = z
    .object({
      transaction_id: z.string().check(z.minLength(1)),
      account_id: z.string().check(z.minLength(1)),
      amount: z.number(),
      iso_currency_code: nullableString,
      unofficial_currency_code: z.nullish(z.string()),
      date: isoDate,
      authorized_date: z.nullish(isoDate),
      datetime: z.nullish(isoDateTime),
      name: z.nullish(z.string()),
      merchant_name: z.nullish(z.string()),
      original_description: z.nullish(z.string()),
      pending: z.boolean(),
      pending_transaction_id: z.nullish(z.string()),
      payment_channel: z.nullish(z.string()),
      personal_finance_category: z.nullish(z.object({ primary: z.string(), detailed: z.string() })),
      location: z.nullish(
        z.object({ city: z.nullish(z.string()), region: z.nullish(z.string()), country: z.nullish(z.string()) }),
      ),
    })
    .check(z.refine(hasCurrency, NO_CURRENCY));

  const syncSchema = z.object({
    added: z.array(transactionSchema),
    modified: z.array(transactionSchema),
    removed: z.array(z.object({ transaction_id: z.string().check(z.minLength(1)), account_id: z.nullish(z.string()) })),
    next_cursor: z.string(),
    has_more: z.boolean(),
    // Required by the current spec; absent from older answers, which then bring no balances.
    accounts: z.optional(z.array(accountSchema)),
  });

  const streamAmountSchema = z.object({
    amount: z.number(),
    iso_currency_code: z.nullish(z.string()),
    unofficial_currency_code: z.nullish(z.string()),
  });

  const streamSchema = z
    .object({
      stream_id: z.string().check(z.minLength(1)),
      account_id: z.string().check(z.minLength(1)),
      description: z.string(),
      merchant_name: z.nullish(z.string()),
      personal_finance_category: z.nullish(z.object({ primary: z.string(), detailed: z.string() })),
      // Open-ended: a value Plaid adds later maps to 'unknown' rather than failing the call.
      frequency: z.string(),
      status: z.string(),
      first_date: isoDate,
      last_date: isoDate,
      predicted_next_date: z.nullish(isoDate),
      is_active: z.boolean(),
      transaction_ids: z.array(z.string().check(z.minLength(1))),
      average_amount: streamAmountSchema,
      last_amount: streamAmountSchema,
    })
    .check(z.refine((s) => (streamCurrency(s.last_amount) ?? streamCurrency(s.average_amount)) !== undefined, NO_CURRENCY));

  const recurringSchema = z.object({
    inflow_streams: z.array(streamSchema),
    outflow_streams: z.array(streamSchema),
    updated_datetime: isoDateTime,
  });

  const webhookKeySchema = z.object({
    key: z.object({
      kid: z.string(),
      alg: z.string(),
      crv: z.string(),
      kty: z.string(),
      x: z.string(),
      y: z.string(),
      created_at: z.number(),
      expired_at: z.nullable(z.number()),
    }),
  });

  const removeSchema = z.object({ request_id: z.optional(z.string()) });

  return {
    linkTokenCreate: linkTokenCreateSchema,
    institution: institutionSchema,
    linkTokenGet: linkTokenGetSchema,
    exchange: exchangeSchema,
    itemGet: itemGetSchema,
    account: accountSchema,
    accounts: accountsSchema,
    transaction: transactionSchema,
    sync: syncSchema,
    stream: streamSchema,
    recurring: recurringSchema,
    webhookKey: webhookKeySchema,
    remove: removeSchema,
  };
}

type Schemas = ReturnType<typeof buildSchemas>;
let built: Schemas | undefined;
const schemas = (): Schemas => (built ??= buildSchemas());

// ---- Mapping into the domain ---------------------------------------------------------------------

const ACCOUNT_TYPES: Record<string, BankAccountType> = {
  depository: 'depository',
  credit: 'credit',
  loan: 'loan',
  investment: 'investment',
  // Plaid's older name for investment accounts, still in its enum.
  brokerage: 'investment',
};

const PAYMENT_CHANNELS = new Set<string>(['online', 'in store', 'other']);

/** Copies only the keys whose value is present, so optional domain fields are absent, not null. */
function defined<T extends object>(value: { [K in keyof T]: T[K] | null | undefined }): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

function toAccount(account: z.infer<Schemas['account']>): BankAccount {
  const { balances } = account;
  return {
    accountId: account.account_id,
    name: account.name,
    ...defined<{ officialName: string; mask: string; subtype: string }>({
      officialName: account.official_name,
      mask: account.mask,
      subtype: account.subtype,
    }),
    type: ACCOUNT_TYPES[account.type] ?? 'other',
    balances: {
      available: balances.available,
      current: balances.current,
      limit: balances.limit ?? null,
      // The schema's refinement guarantees one of the two.
      currency: currencyOf(balances.iso_currency_code, balances.unofficial_currency_code) ?? '',
    },
  };
}

function toTransaction(t: z.infer<Schemas['transaction']>): BankTransaction {
  const location = t.location
    ? defined<{ city: string; region: string; country: string }>({
        city: t.location.city,
        region: t.location.region,
        country: t.location.country,
      })
    : {};
  const channel = t.payment_channel ?? undefined;
  return {
    transactionId: t.transaction_id,
    accountId: t.account_id,
    amount: t.amount,
    currency: currencyOf(t.iso_currency_code, t.unofficial_currency_code) ?? '',
    date: t.date,
    // `name` is deprecated by Plaid but still sent; fall back in the order Plaid suggests.
    name: t.name ?? t.merchant_name ?? t.original_description ?? '',
    category: t.personal_finance_category
      ? { primary: t.personal_finance_category.primary, detailed: t.personal_finance_category.detailed }
      : null,
    pending: t.pending,
    ...defined<{ authorizedDate: string; datetime: string; merchantName: string; pendingTransactionId: string }>({
      authorizedDate: t.authorized_date,
      datetime: t.datetime,
      merchantName: t.merchant_name,
      pendingTransactionId: t.pending_transaction_id,
    }),
    ...(channel === undefined ? {} : { paymentChannel: (PAYMENT_CHANNELS.has(channel) ? channel : 'other') as PaymentChannel }),
    ...(Object.keys(location).length > 0 ? { location } : {}),
  };
}

const FREQUENCIES: Record<string, RecurringFrequency> = {
  WEEKLY: 'weekly',
  BIWEEKLY: 'biweekly',
  SEMI_MONTHLY: 'semi-monthly',
  MONTHLY: 'monthly',
  ANNUALLY: 'annually',
};

const STREAM_STATUSES: Record<string, RecurringStatus> = {
  MATURE: 'mature',
  EARLY_DETECTION: 'early-detection',
  TOMBSTONED: 'tombstoned',
};

function toStream(s: z.infer<Schemas['stream']>, direction: RecurringStream['direction']): RecurringStream {
  return {
    streamId: s.stream_id,
    accountId: s.account_id,
    direction,
    description: s.description,
    category: s.personal_finance_category ? { primary: s.personal_finance_category.primary, detailed: s.personal_finance_category.detailed } : null,
    frequency: FREQUENCIES[s.frequency] ?? 'unknown',
    averageAmount: s.average_amount.amount,
    lastAmount: s.last_amount.amount,
    // The schema's refinement guarantees one of the amounts has a currency.
    currency: streamCurrency(s.last_amount) ?? streamCurrency(s.average_amount) ?? '',
    firstDate: s.first_date,
    lastDate: s.last_date,
    isActive: s.is_active,
    status: STREAM_STATUSES[s.status] ?? 'unknown',
    transactionIds: s.transaction_ids,
    ...defined<{ merchantName: string; predictedNextDate: string }>({
      merchantName: s.merchant_name,
      predictedNextDate: s.predicted_next_date,
    }),
  };
}

function toInstitution(value: z.infer<Schemas['institution']>): Institution | undefined {
  if (!value?.institution_id) return undefined;
  return { id: value.institution_id, name: value.name ?? value.institution_id };
}

// ---- The adapter ---------------------------------------------------------------------------------

type RetryPolicy = 'repeatable' | 'only-if-not-processed';

interface CallSpec<S extends z.ZodMiniType> {
  endpoint: string;
  policy: RetryPolicy;
  /** Request values that must never appear in an error message. */
  secrets: readonly (string | undefined)[];
  schema: S;
  send: (plaid: PlaidClient, options: { signal: AbortSignal }) => Promise<{ status: number; data: unknown }>;
}

export function createPlaidConnector(config: PlaidConnectorConfig, deps: PlaidConnectorDeps = {}): BankConnector {
  const timeoutMs = config.timeoutMs ?? 5000;
  const maxAttempts = Math.max(1, config.maxAttempts ?? 3);
  const baseDelayMs = config.baseDelayMs ?? 200;
  const maxDelayMs = config.maxDelayMs ?? 2000;
  const sleep = deps.sleep ?? ((ms: number) => delay(ms));
  const random = deps.random ?? Math.random;
  const credentials = [config.clientId, config.secret];

  // The SDK (with axios, which loads Node's fetch) is loaded on the first bank call, not at init:
  // evaluating it was ~45 ms of every bank function's cold start, paid even by invocations that
  // never reach the bank (a consent page view, a webhook that is not ours to sync, a sync skipped
  // because its consent is gone). esbuild keeps the bundled CommonJS package in a closure that
  // `import()` runs only when reached, so the bytes stay in the one file and only the work moves.
  let sdk: Promise<PlaidClient> | undefined;
  const plaidClient = (): Promise<PlaidClient> =>
    (sdk ??= deps.plaidApi
      ? Promise.resolve(deps.plaidApi)
      : import('plaid').then(
          ({ Configuration, PlaidApi }) =>
            new PlaidApi(
              new Configuration({
                basePath: config.baseUrl.replace(/\/+$/, ''),
                baseOptions: {
                  timeout: timeoutMs,
                  // Plaid never redirects. Following one would forward PLAID-SECRET to wherever it
                  // points (axios strips Authorization on cross-host redirects, not custom headers).
                  maxRedirects: 0,
                  headers: {
                    'PLAID-CLIENT-ID': config.clientId,
                    'PLAID-SECRET': config.secret,
                    'Plaid-Version': PLAID_API_VERSION,
                  },
                },
              }),
            ),
        ));

  const shouldRetry = (error: BankError, notProcessed: boolean, policy: RetryPolicy) =>
    (error instanceof BankUnavailable || error instanceof BankRateLimited) &&
    (policy === 'repeatable' || notProcessed);

  async function call<S extends z.ZodMiniType>(spec: CallSpec<S>): Promise<z.infer<S>> {
    const secrets = [...credentials, ...spec.secrets].filter((s): s is string => typeof s === 'string' && s.length > 0);
    // Outside the retry loop: failing to load the SDK is a packaging bug, not a bank failure.
    const plaid = await plaidClient();
    let response: { status: number; data: unknown };
    for (let attempt = 0; ; attempt += 1) {
      try {
        // axios' `timeout` is a socket idle timer; the signal bounds the whole attempt, so a
        // server that trickles bytes cannot hold the Lambda past its budget either.
        response = await spec.send(plaid, { signal: AbortSignal.timeout(timeoutMs) });
        break;
      } catch (raw) {
        const { error, notProcessed } = classifyPlaidFailure(raw, { endpoint: spec.endpoint, timeoutMs, secrets });
        if (attempt + 1 >= maxAttempts || !shouldRetry(error, notProcessed, spec.policy)) throw error;
        // Full jitter spreads the retries of many workers that failed together.
        await sleep(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
      }
    }
    const parsed = spec.schema.safeParse(response.data);
    if (!parsed.success) {
      throw new BankUnavailable(
        `Plaid ${spec.endpoint} answered HTTP ${response.status} with an unexpected body: ${describeIssues(parsed.error)}`,
      );
    }
    return parsed.data;
  }

  return {
    async createLinkToken(input: CreateLinkTokenInput): Promise<LinkToken> {
      assertLinkTokenInput(input);
      const updateMode = input.accessToken !== undefined;
      const request: LinkTokenCreateRequest = {
        client_name: input.clientName,
        language: input.language,
        country_codes: input.countryCodes as LinkTokenCreateRequest['country_codes'],
        user: { client_user_id: input.userId },
        // Hosted Link runs the whole flow (OAuth included) on Plaid's pages, which works inside
        // Messenger's in-app browser where the Link SDK cannot; it returns the person to us.
        hosted_link: { completion_redirect_uri: input.redirectUri },
        ...(input.webhookUrl === undefined ? {} : { webhook: input.webhookUrl }),
        // Update mode repairs an existing item and takes its products from it; Plaid asks for
        // none to be listed then.
        ...(updateMode
          ? { access_token: input.accessToken }
          : {
              products: input.products as LinkTokenCreateRequest['products'],
              ...(input.products.includes('transactions')
                ? { transactions: { days_requested: TRANSACTION_DAYS_REQUESTED } }
                : {}),
            }),
      };
      const data = await call({
        endpoint: '/link/token/create',
        policy: 'repeatable',
        secrets: [input.accessToken, input.userId],
        schema: schemas().linkTokenCreate,
        send: (plaid, options) => plaid.linkTokenCreate(request, options),
      });
      return {
        linkToken: data.link_token,
        expiration: new Date(data.expiration),
        ...(data.hosted_link_url === undefined ? {} : { hostedLinkUrl: data.hosted_link_url }),
      };
    },

    async getLinkSession(linkToken: string): Promise<LinkSession> {
      const request: LinkTokenGetRequest = { link_token: linkToken };
      const data = await call({
        endpoint: '/link/token/get',
        policy: 'repeatable',
        secrets: [linkToken],
        schema: schemas().linkTokenGet,
        send: (plaid, options) => plaid.linkTokenGet(request, options),
      });
      const results = (data.link_sessions ?? []).flatMap((session) => {
        const added = session.results?.item_add_results ?? [];
        if (added.length > 0) return added;
        const success = session.on_success;
        return success ? [{ public_token: success.public_token, institution: success.metadata?.institution }] : [];
      });
      const publicTokens = [...new Set(results.map((r) => r.public_token))];
      const institution = results.map((r) => toInstitution(r.institution)).find((i) => i !== undefined);
      return {
        status: publicTokens.length > 0 ? 'completed' : 'pending',
        publicTokens,
        ...(institution === undefined ? {} : { institution }),
      };
    },

    async exchangePublicToken(publicToken: string) {
      const request: ItemPublicTokenExchangeRequest = { public_token: publicToken };
      const data = await call({
        endpoint: '/item/public_token/exchange',
        policy: 'only-if-not-processed',
        secrets: [publicToken],
        schema: schemas().exchange,
        send: (plaid, options) => plaid.itemPublicTokenExchange(request, options),
      });
      return { accessToken: data.access_token, itemId: data.item_id };
    },

    async getItem(accessToken: string) {
      const request: ItemGetRequest = { access_token: accessToken };
      const data = await call({
        endpoint: '/item/get',
        policy: 'repeatable',
        secrets: [accessToken],
        schema: schemas().itemGet,
        send: (plaid, options) => plaid.itemGet(request, options),
      });
      const { item } = data;
      const institution = toInstitution({ institution_id: item.institution_id ?? undefined, name: item.institution_name ?? undefined });
      return { itemId: item.item_id, ...(institution === undefined ? {} : { institution }) };
    },

    async getAccounts(accessToken: string) {
      const request: AccountsGetRequest = { access_token: accessToken };
      const data = await call({
        endpoint: '/accounts/get',
        policy: 'repeatable',
        secrets: [accessToken],
        schema: schemas().accounts,
        send: (plaid, options) => plaid.accountsGet(request, options),
      });
      return data.accounts.map(toAccount);
    },

    async getBalances(accessToken: string, accountIds?: string[]) {
      const request: AccountsBalanceGetRequest = {
        access_token: accessToken,
        ...(accountIds !== undefined && accountIds.length > 0 ? { options: { account_ids: accountIds } } : {}),
      };
      const data = await call({
        endpoint: '/accounts/balance/get',
        policy: 'repeatable',
        secrets: [accessToken],
        schema: schemas().accounts,
        send: (plaid, options) => plaid.accountsBalanceGet(request, options),
      });
      return data.accounts.map(toAccount);
    },

    async syncTransactions(accessToken: string, cursor: string | undefined, count?: number): Promise<SyncPage> {
      if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > MAX_SYNC_COUNT)) {
        throw new BankInvalidRequest(`Plaid /transactions/sync not sent: count must be an integer from 1 to ${MAX_SYNC_COUNT}`);
      }
      const request: TransactionsSyncRequest = {
        access_token: accessToken,
        // The first sync sends no cursor; Plaid also answers '' as next_cursor while not ready.
        ...(cursor ? { cursor } : {}),
        ...(count === undefined ? {} : { count }),
      };
      const data = await call({
        endpoint: '/transactions/sync',
        policy: 'repeatable',
        secrets: [accessToken],
        schema: schemas().sync,
        send: (plaid, options) => plaid.transactionsSync(request, options),
      });
      return {
        added: data.added.map(toTransaction),
        modified: data.modified.map(toTransaction),
        removed: data.removed.map((r) => ({
          transactionId: r.transaction_id,
          ...(r.account_id ? { accountId: r.account_id } : {}),
        })),
        nextCursor: data.next_cursor,
        hasMore: data.has_more,
        accounts: (data.accounts ?? []).map(toAccount),
      };
    },

    async recurringStreams(accessToken: string): Promise<RecurringStreams> {
      const request: TransactionsRecurringGetRequest = { access_token: accessToken };
      const data = await call({
        endpoint: '/transactions/recurring/get',
        policy: 'repeatable',
        secrets: [accessToken],
        schema: schemas().recurring,
        send: (plaid, options) => plaid.transactionsRecurringGet(request, options),
      });
      return {
        inflows: data.inflow_streams.map((s) => toStream(s, 'inflow')),
        outflows: data.outflow_streams.map((s) => toStream(s, 'outflow')),
        updatedAt: new Date(data.updated_datetime),
      };
    },

    async removeItem(accessToken: string, reason: ItemRemovalReason) {
      const request: ItemRemoveRequest = { access_token: accessToken, ...REMOVAL_REASONS[reason] };
      await call({
        endpoint: '/item/remove',
        policy: 'only-if-not-processed',
        secrets: [accessToken],
        schema: schemas().remove,
        send: (plaid, options) => plaid.itemRemove(request, options),
      });
    },

    async getWebhookVerificationKey(keyId: string): Promise<WebhookVerificationKey> {
      const request: WebhookVerificationKeyGetRequest = { key_id: keyId };
      const { key } = await call({
        endpoint: '/webhook_verification_key/get',
        policy: 'repeatable',
        secrets: [],
        schema: schemas().webhookKey,
        send: (plaid, options) => plaid.webhookVerificationKeyGet(request, options),
      });
      return {
        kid: key.kid,
        alg: key.alg,
        crv: key.crv,
        kty: key.kty,
        x: key.x,
        y: key.y,
        createdAt: key.created_at,
        expiredAt: key.expired_at,
      };
    },
  };
}

/** Catches our own mistakes before they cost a Plaid call; messages never quote the values. */
function assertLinkTokenInput(input: CreateLinkTokenInput): void {
  const problems: string[] = [];
  if (input.userId.trim() === '') problems.push('userId is empty');
  if (input.clientName.trim() === '') problems.push('clientName is empty');
  if (input.countryCodes.length === 0) problems.push('countryCodes is empty');
  if (input.accessToken === undefined && input.products.length === 0) problems.push('products is empty');
  if (!URL.canParse(input.redirectUri)) problems.push('redirectUri is not a URL');
  if (input.webhookUrl !== undefined && !URL.canParse(input.webhookUrl)) problems.push('webhookUrl is not a URL');
  if (problems.length > 0) throw new BankInvalidRequest(`Plaid /link/token/create not sent: ${problems.join('; ')}`);
}
