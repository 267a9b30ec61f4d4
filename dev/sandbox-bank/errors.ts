/**
 * Plaid's error envelope and the errors the sandbox bank returns. Types, codes and HTTP statuses
 * follow Plaid's error reference, because the Plaid adapter classifies failures by exactly these
 * (retryable rate limits and outages versus permanent item errors), and a stand-in that answered
 * differently would let that classification go untested.
 */

/** `PlaidErrorType` values the bank uses (a subset of the spec's enum). */
export type PlaidErrorType =
  | 'INVALID_REQUEST'
  | 'INVALID_INPUT'
  | 'INSTITUTION_ERROR'
  | 'RATE_LIMIT_EXCEEDED'
  | 'API_ERROR'
  | 'ITEM_ERROR'
  | 'SANDBOX_ERROR'
  | 'TRANSACTIONS_ERROR';

/** The body Plaid sends for an error, also embedded as `item.error` and in ERROR webhooks. */
export interface PlaidErrorBody {
  error_type: PlaidErrorType;
  error_code: string;
  error_code_reason: string | null;
  error_message: string;
  display_message: string | null;
  request_id?: string;
  causes?: unknown[];
  status: number;
  documentation_url: string;
  suggested_action: string | null;
}

export interface PlaidErrorSpec {
  status: number;
  error_type: PlaidErrorType;
  error_code: string;
  error_message: string;
  display_message?: string | null;
}

/** Thrown anywhere in a request; the server turns it into Plaid's envelope. */
export class PlaidApiError extends Error {
  readonly status: number;
  readonly errorType: PlaidErrorType;
  readonly errorCode: string;
  readonly displayMessage: string | null;

  constructor(spec: PlaidErrorSpec) {
    super(spec.error_message);
    this.name = 'PlaidApiError';
    this.status = spec.status;
    this.errorType = spec.error_type;
    this.errorCode = spec.error_code;
    this.displayMessage = spec.display_message ?? null;
  }

  body(requestId?: string): PlaidErrorBody {
    return plaidErrorBody(
      {
        status: this.status,
        error_type: this.errorType,
        error_code: this.errorCode,
        error_message: this.message,
        display_message: this.displayMessage,
      },
      requestId,
    );
  }
}

/** Plaid's error reference has one page per error type. */
const DOCS_PAGE: Partial<Record<string, string>> = {
  INVALID_REQUEST: 'invalid-request',
  INVALID_INPUT: 'invalid-input',
  INSTITUTION_ERROR: 'institution',
  RATE_LIMIT_EXCEEDED: 'rate-limit-exceeded',
  API_ERROR: 'api',
  ITEM_ERROR: 'item',
  SANDBOX_ERROR: 'sandbox',
  TRANSACTIONS_ERROR: 'transactions',
};

export function plaidErrorBody(spec: PlaidErrorSpec, requestId?: string): PlaidErrorBody {
  return {
    error_type: spec.error_type,
    error_code: spec.error_code,
    error_code_reason: null,
    error_message: spec.error_message,
    display_message: spec.display_message ?? null,
    ...(requestId === undefined ? {} : { request_id: requestId }),
    causes: [],
    status: spec.status,
    documentation_url: `https://plaid.com/docs/errors/${DOCS_PAGE[spec.error_type] ? `${DOCS_PAGE[spec.error_type]}/#${spec.error_code.toLowerCase()}` : ''}`,
    suggested_action: null,
  };
}

const fail = (spec: PlaidErrorSpec) => new PlaidApiError(spec);

// ── request shape ──────────────────────────────────────────────────────────────────────────

export const invalidBody = () =>
  fail({ status: 400, error_type: 'INVALID_REQUEST', error_code: 'INVALID_BODY', error_message: 'body could not be parsed as JSON' });

export const missingFields = (fields: string[]) =>
  fail({
    status: 400,
    error_type: 'INVALID_REQUEST',
    error_code: 'MISSING_FIELDS',
    error_message: `the following required fields are missing: ${fields.join(', ')}`,
  });

export const unknownFields = (fields: string[]) =>
  fail({
    status: 400,
    error_type: 'INVALID_REQUEST',
    error_code: 'UNKNOWN_FIELDS',
    error_message: `the following fields are not recognized by this endpoint: ${fields.join(', ')}`,
  });

export const invalidField = (message: string) =>
  fail({ status: 400, error_type: 'INVALID_REQUEST', error_code: 'INVALID_FIELD', error_message: message });

export const notFound = (path: string) =>
  fail({ status: 404, error_type: 'INVALID_REQUEST', error_code: 'NOT_FOUND', error_message: `not found: ${path}` });

// ── credentials and tokens ─────────────────────────────────────────────────────────────────

export const invalidApiKeys = () =>
  fail({
    status: 400,
    error_type: 'INVALID_INPUT',
    error_code: 'INVALID_API_KEYS',
    error_message: 'invalid client_id or secret provided',
  });

export const invalidAccessToken = () =>
  fail({
    status: 400,
    error_type: 'INVALID_INPUT',
    error_code: 'INVALID_ACCESS_TOKEN',
    error_message: 'provided access token is in an invalid format or was never issued',
  });

export const invalidPublicToken = (reason: string) =>
  fail({ status: 400, error_type: 'INVALID_INPUT', error_code: 'INVALID_PUBLIC_TOKEN', error_message: reason });

export const invalidLinkToken = (reason: string) =>
  fail({ status: 400, error_type: 'INVALID_INPUT', error_code: 'INVALID_LINK_TOKEN', error_message: reason });

export const invalidProduct = (products: string[]) =>
  fail({
    status: 400,
    error_type: 'INVALID_INPUT',
    error_code: 'INVALID_PRODUCT',
    error_message: `the sandbox bank does not support these products: ${products.join(', ')}`,
  });

export const invalidInstitution = (id: string) =>
  fail({
    status: 400,
    error_type: 'INVALID_INPUT',
    error_code: 'INVALID_INSTITUTION',
    error_message: `invalid institution_id provided: ${id}`,
  });

export const invalidAccountId = (ids: string[]) =>
  fail({
    status: 400,
    error_type: 'INVALID_INPUT',
    error_code: 'INVALID_ACCOUNT_ID',
    error_message: `one or more of the account IDs is invalid: ${ids.join(', ')}`,
  });

export const invalidWebhookKeyId = () =>
  fail({
    status: 400,
    error_type: 'INVALID_INPUT',
    error_code: 'INVALID_WEBHOOK_VERIFICATION_KEY_ID',
    error_message: 'invalid key_id provided. ensure the key_id comes from the Plaid-Verification header',
  });

// ── item state ─────────────────────────────────────────────────────────────────────────────

export const itemNotFound = () =>
  fail({
    status: 400,
    error_type: 'ITEM_ERROR',
    error_code: 'ITEM_NOT_FOUND',
    error_message:
      'The Item you requested cannot be found. This Item does not exist, has been previously removed via /item/remove, or has had access removed by the user.',
  });

export const ITEM_LOGIN_REQUIRED: PlaidErrorSpec = {
  status: 400,
  error_type: 'ITEM_ERROR',
  error_code: 'ITEM_LOGIN_REQUIRED',
  error_message:
    'the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link\'s update mode to restore the item to a good state',
  display_message: null,
};

export const USER_PERMISSION_REVOKED: PlaidErrorSpec = {
  status: 400,
  error_type: 'ITEM_ERROR',
  error_code: 'USER_PERMISSION_REVOKED',
  error_message: 'the holder of this account has revoked their permission for your application to access it',
  display_message: null,
};

export const invalidCredentials = () =>
  fail({
    status: 400,
    error_type: 'ITEM_ERROR',
    error_code: 'INVALID_CREDENTIALS',
    error_message: 'the provided credentials were not correct',
    display_message: 'The provided credentials were not correct. Please try again.',
  });

export const mutationDuringPagination = () =>
  fail({
    status: 400,
    error_type: 'TRANSACTIONS_ERROR',
    error_code: 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION',
    error_message:
      'Underlying transaction data changed since last page was fetched. Please restart pagination from last update.',
  });

export const sandboxProductNotEnabled = (what: string) =>
  fail({
    status: 400,
    error_type: 'SANDBOX_ERROR',
    error_code: 'SANDBOX_PRODUCT_NOT_ENABLED',
    error_message: `the sandbox bank does not simulate ${what} for this item`,
  });

export const sandboxWebhookInvalid = () =>
  fail({
    status: 400,
    error_type: 'SANDBOX_ERROR',
    error_code: 'SANDBOX_WEBHOOK_INVALID',
    error_message: 'the webhook for this item is not set; create the link token with a webhook',
  });

// ── armed failures ─────────────────────────────────────────────────────────────────────────

/** Named failures a test can arm with one word; anything else is given as a full spec. */
export type ArmedErrorPreset =
  | 'RATE_LIMIT_EXCEEDED'
  | 'INSTITUTION_DOWN'
  | 'INSTITUTION_NOT_RESPONDING'
  | 'API_ERROR'
  | 'INTERNAL_SERVER_ERROR'
  | 'PLANNED_MAINTENANCE'
  | 'ITEM_LOGIN_REQUIRED'
  | 'PRODUCT_NOT_READY';

/** Plaid's per-endpoint rate limit codes; endpoints without their own use the generic one. */
const RATE_LIMIT_CODES: Record<string, string> = {
  '/accounts/get': 'ACCOUNTS_LIMIT',
  '/accounts/balance/get': 'BALANCE_LIMIT',
  '/item/get': 'ITEM_GET_LIMIT',
  '/transactions/sync': 'TRANSACTIONS_SYNC_LIMIT',
};

export function armedErrorSpec(preset: ArmedErrorPreset, path: string): PlaidErrorSpec {
  switch (preset) {
    case 'RATE_LIMIT_EXCEEDED':
      return {
        status: 429,
        error_type: 'RATE_LIMIT_EXCEEDED',
        error_code: RATE_LIMIT_CODES[path] ?? 'RATE_LIMIT',
        error_message: 'rate limit exceeded for attempts to access this item. please try again later',
      };
    case 'INSTITUTION_DOWN':
      return {
        status: 400,
        error_type: 'INSTITUTION_ERROR',
        error_code: 'INSTITUTION_DOWN',
        error_message: 'this institution is not currently responding to this request. please try again soon',
        display_message: 'This financial institution is not currently responding to requests. We apologize for the inconvenience.',
      };
    case 'INSTITUTION_NOT_RESPONDING':
      return {
        status: 400,
        error_type: 'INSTITUTION_ERROR',
        error_code: 'INSTITUTION_NOT_RESPONDING',
        error_message: 'this institution is not currently responding to this request. please try again soon',
        display_message: 'This financial institution is not currently responding to requests. We apologize for the inconvenience.',
      };
    case 'API_ERROR':
    case 'INTERNAL_SERVER_ERROR':
      return {
        status: 500,
        error_type: 'API_ERROR',
        error_code: 'INTERNAL_SERVER_ERROR',
        error_message: 'an unexpected error occurred',
        display_message: 'Please try again later.',
      };
    case 'PLANNED_MAINTENANCE':
      return {
        status: 503,
        error_type: 'API_ERROR',
        error_code: 'PLANNED_MAINTENANCE',
        error_message: 'the Plaid API is temporarily unavailable due to planned maintenance. visit https://status.plaid.com/ for more information',
        display_message: null,
      };
    case 'ITEM_LOGIN_REQUIRED':
      return ITEM_LOGIN_REQUIRED;
    case 'PRODUCT_NOT_READY':
      return {
        status: 400,
        error_type: 'ITEM_ERROR',
        error_code: 'PRODUCT_NOT_READY',
        error_message: 'the requested product is not yet ready. please provide a webhook or try the request again later',
      };
  }
}

export const ARMED_ERROR_PRESETS: readonly ArmedErrorPreset[] = [
  'RATE_LIMIT_EXCEEDED',
  'INSTITUTION_DOWN',
  'INSTITUTION_NOT_RESPONDING',
  'API_ERROR',
  'INTERNAL_SERVER_ERROR',
  'PLANNED_MAINTENANCE',
  'ITEM_LOGIN_REQUIRED',
  'PRODUCT_NOT_READY',
];
