/**
 * Plaid failures are classified here, once, into the named bank errors of `lib/errors.ts`.
 *
 * The official SDK rejects with axios errors, and an axios error carries the whole request config:
 * the PLAID-CLIENT-ID / PLAID-SECRET headers and the JSON body with the access or public token.
 * So the raw error never travels on: every failure becomes a fresh `BankError` without a `cause`,
 * whose message is built from an allow-list of facts (endpoint, HTTP status, Plaid's error_type,
 * error_code and request_id, and Plaid's error_message with every known secret and anything
 * shaped like a Plaid token blanked out).
 */
import {
  BankAccessRevoked,
  BankError,
  BankInstitutionDown,
  BankInvalidRequest,
  BankLoginRequired,
  BankRateLimited,
  BankSyncMutated,
  BankUnavailable,
} from '../errors';
import * as z from 'zod/mini';
import '../validation';

type BankErrorClass = new (message: string, errorType?: string, errorCode?: string) => BankError;

/**
 * Codes that mean the person has to go through Link again (update mode) before the item works.
 * INVALID_CREDENTIALS / INVALID_MFA / INVALID_UPDATED_USERNAME normally surface inside Link, but
 * when an API call reports them the remedy is the same.
 */
const LOGIN_REQUIRED_CODES = new Set([
  'ITEM_LOGIN_REQUIRED',
  'PASSWORD_RESET_REQUIRED',
  'ITEM_LOCKED',
  'USER_SETUP_REQUIRED',
  'INSUFFICIENT_CREDENTIALS',
  'INVALID_CREDENTIALS',
  'INVALID_MFA',
  'INVALID_UPDATED_USERNAME',
  'NO_ACCOUNTS',
]);

/**
 * The access is gone for good: the item was removed (by us, concurrently, or by Plaid), the token is
 * not valid, or the person withdrew at their bank the permission we need. Consent rule 4 treats a
 * bank-side withdrawal exactly like a revocation in the chat, so ACCESS_NOT_GRANTED lands here
 * rather than prompting the person to re-grant what they just declined. An institution Plaid no
 * longer supports can never sync again, which for the domain is the same end of the connection.
 */
const ACCESS_REVOKED_CODES = new Set([
  'ITEM_NOT_FOUND',
  'INVALID_ACCESS_TOKEN',
  'USER_PERMISSION_REVOKED',
  'ACCESS_NOT_GRANTED',
  'ITEM_CONCURRENTLY_DELETED',
  'INSTITUTION_NO_LONGER_SUPPORTED',
]);

/** The bank (not Plaid) cannot answer right now, or the product is still being prepared. */
const INSTITUTION_DOWN_CODES = new Set([
  'INSTITUTION_DOWN',
  'INSTITUTION_NOT_RESPONDING',
  'INSTITUTION_NOT_AVAILABLE',
  'PRODUCT_NOT_READY',
]);

const SYNC_MUTATED_CODE = 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION';

/** Transport failures where nothing reached Plaid: no connection was ever made. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Our per-attempt deadline: axios' own timeout, or the AbortSignal that bounds the whole attempt. */
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED']);
/** axios refusing its own options or URL: a configuration bug, not an outage. */
const CONFIG_CODES = new Set(['ERR_INVALID_URL', 'ERR_BAD_OPTION', 'ERR_BAD_OPTION_VALUE', 'ERR_NOT_SUPPORT']);

// Built on the first failure to classify, not at every bank function's init.
const buildEnvelopeSchema = () =>
  z.object({
    error_type: z.optional(z.string()),
    error_code: z.optional(z.string()),
    error_message: z.optional(z.nullable(z.string())),
    request_id: z.optional(z.string()),
  });
let envelopeSchema: ReturnType<typeof buildEnvelopeSchema> | undefined;
type PlaidEnvelope = z.infer<ReturnType<typeof buildEnvelopeSchema>>;

/** The few fields of an axios error this module reads; anything else on it is never touched. */
interface AxiosLikeError {
  isAxiosError: true;
  code?: unknown;
  response?: { status?: unknown; data?: unknown };
}

const isAxiosLike = (error: unknown): error is AxiosLikeError =>
  typeof error === 'object' && error !== null && (error as { isAxiosError?: unknown }).isAxiosError === true;

export interface PlaidFailureContext {
  /** The Plaid path, e.g. `/accounts/get`. */
  endpoint: string;
  timeoutMs: number;
  /** Values that must never appear in a message: credentials and the tokens of this request. */
  secrets: readonly string[];
}

export interface ClassifiedFailure {
  error: BankError;
  /**
   * True only when the failure proves Plaid did not act on the request: no connection was made, or
   * Plaid turned it away at its rate limiter. Calls that must not be repeated blindly (public token
   * exchange, item removal) are retried only then.
   */
  notProcessed: boolean;
}

/** Which named error a Plaid answer means. Plaid's error_code is the most specific, then error_type, then HTTP. */
export function plaidErrorClassFor(status: number | undefined, envelope: PlaidEnvelope | undefined): BankErrorClass {
  const code = envelope?.error_code;
  const type = envelope?.error_type;
  if (code !== undefined) {
    if (code === SYNC_MUTATED_CODE) return BankSyncMutated;
    if (LOGIN_REQUIRED_CODES.has(code)) return BankLoginRequired;
    if (ACCESS_REVOKED_CODES.has(code)) return BankAccessRevoked;
    if (INSTITUTION_DOWN_CODES.has(code)) return BankInstitutionDown;
  }
  if (type === 'RATE_LIMIT_EXCEEDED') return BankRateLimited;
  if (type === 'API_ERROR') return BankUnavailable;
  // Plaid explained itself with a type we do not retry (INVALID_REQUEST, INVALID_INPUT, ITEM_ERROR…).
  if (type !== undefined) return BankInvalidRequest;
  if (status === 429) return BankRateLimited;
  if (status !== undefined && (status >= 500 || status === 408)) return BankUnavailable;
  return BankInvalidRequest;
}

/** Turns whatever a Plaid SDK call rejected with into a classified, secret-free `BankError`. */
export function classifyPlaidFailure(raw: unknown, context: PlaidFailureContext): ClassifiedFailure {
  if (raw instanceof BankError) return { error: raw, notProcessed: false };
  const where = `Plaid ${context.endpoint}`;

  if (!isAxiosLike(raw)) {
    // The SDK rejects with its own RequiredError for a missing argument; anything else is a bug
    // here. Only the error's name is kept: its message could quote what was being sent.
    const name = raw instanceof Error ? raw.name : typeof raw;
    return { error: new BankInvalidRequest(`${where} failed before a request was sent (${name})`), notProcessed: true };
  }

  const code = typeof raw.code === 'string' ? raw.code : undefined;
  const status = typeof raw.response?.status === 'number' ? raw.response.status : undefined;

  if (status === undefined) {
    if (code !== undefined && TIMEOUT_CODES.has(code)) {
      return { error: new BankUnavailable(`${where} timed out after ${context.timeoutMs} ms`), notProcessed: false };
    }
    if (code !== undefined && CONFIG_CODES.has(code)) {
      return { error: new BankInvalidRequest(`${where} could not be sent: axios ${code}`), notProcessed: true };
    }
    const notSent = code !== undefined && NOT_SENT_CODES.has(code);
    return {
      error: new BankUnavailable(`${where} could not be reached (${code ?? 'network error'})`),
      notProcessed: notSent,
    };
  }

  const parsed = (envelopeSchema ??= buildEnvelopeSchema()).safeParse(raw.response?.data);
  const envelope = parsed.success ? parsed.data : undefined;
  const ErrorClass = plaidErrorClassFor(status, envelope);
  const error = new ErrorClass(describe(where, status, envelope, context.secrets), envelope?.error_type, envelope?.error_code);
  const rateLimited = error instanceof BankRateLimited;
  return { error, notProcessed: rateLimited };
}

function describe(where: string, status: number, envelope: PlaidEnvelope | undefined, secrets: readonly string[]): string {
  const facts = [`HTTP ${status}`];
  if (envelope?.error_type !== undefined || envelope?.error_code !== undefined) {
    facts.push(`${envelope.error_type ?? '?'}/${envelope.error_code ?? '?'}`);
  }
  if (envelope?.request_id !== undefined) facts.push(`request_id ${redact(envelope.request_id, secrets).slice(0, 64)}`);
  const said = envelope?.error_message ? `: ${redact(envelope.error_message, secrets).slice(0, 300)}` : '';
  return `${where} failed (${facts.join(', ')})${said}`;
}

// Plaid's tokens look like `access-sandbox-<uuid>`; blank any such shape even when it is not one
// of the values we sent (Plaid quoting another token back must not leak it either).
const PLAID_TOKEN_SHAPE = /\b(?:access|public|link|processor)-(?:sandbox|development|production)-[\w-]+/gi;

/** Blanks every secret and Plaid-token-shaped string out of text that will reach logs. */
export function redact(text: string, secrets: readonly string[]): string {
  const blanked = secrets
    .filter((secret) => secret.length > 0)
    .reduce((out, secret) => out.split(secret).join('[redacted]'), text);
  return blanked.replace(PLAID_TOKEN_SHAPE, '[redacted]');
}
