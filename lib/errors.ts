/**
 * Named errors of the domain and its adapters. Domain code throws these; the HTTP error middleware
 * and the stream consumer map them to status codes or retry decisions. `retryable` is decided once,
 * where the failure is classified (at the adapter), never re-guessed by callers.
 */
export abstract class AppError extends Error {
  /**
   * Spelled out by every concrete class rather than taken from the class: logs, the reply ledger
   * and a metric filter (`$.error = "SignatureInvalid"`) read it, and minified bundles are built
   * without keepNames (which cost every cold start ~6 ms to restore class and function names).
   */
  abstract override readonly name: string;
  abstract readonly retryable: boolean;
}

/** Input from outside that failed validation. Safe to show: it never echoes secrets or internals. */
export class InvalidInput extends AppError {
  override readonly name = 'InvalidInput';
  readonly retryable = false;
  readonly statusCode = 400;
  readonly expose = true;
}

export class PayloadTooLarge extends AppError {
  override readonly name = 'PayloadTooLarge';
  readonly retryable = false;
  readonly statusCode = 413;
  readonly expose = true;
}

export class SignatureInvalid extends AppError {
  override readonly name = 'SignatureInvalid';
  readonly retryable = false;
  readonly statusCode = 401;
  readonly expose = true;
}

export class ConfigurationError extends AppError {
  override readonly name = 'ConfigurationError';
  readonly retryable = false;
}

// ---- Send API (Messenger) ----------------------------------------------------------------------

/** Base of every Send API failure; carries Meta's code and subcode when the Graph API gave them. */
export abstract class SendApiError extends AppError {
  constructor(
    message: string,
    readonly code?: number,
    readonly subcode?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** 551 / 1545041: the person blocked the Page or is unavailable. Stop sending to them. */
export class RecipientUnavailable extends SendApiError {
  override readonly name = 'RecipientUnavailable';
  readonly retryable = false;
}

/** 10 / 2018278: outside the 24-hour window. Hold the message or use a utility template. */
export class OutsideMessagingWindow extends SendApiError {
  override readonly name = 'OutsideMessagingWindow';
  readonly retryable = false;
}

/** 190: the Page access token expired or was revoked. The operator must act. */
export class PageTokenInvalid extends SendApiError {
  override readonly name = 'PageTokenInvalid';
  readonly retryable = false;
}

/** 4, 613 (and HTTP 429): rate limited. Back off with jitter. */
export class SendApiRateLimited extends SendApiError {
  override readonly name = 'SendApiRateLimited';
  readonly retryable = true;
}

/** 2, 1, HTTP 5xx, network failure or timeout: worth retrying with backoff. */
export class SendApiUnavailable extends SendApiError {
  override readonly name = 'SendApiUnavailable';
  readonly retryable = true;
}

/** 100 and every other permanent rejection: a bug on our side, never retried. */
export class SendApiRejected extends SendApiError {
  override readonly name = 'SendApiRejected';
  readonly retryable = false;
}

// ---- Conversation --------------------------------------------------------------------------------

/** Another invocation is sending the reply to this event right now; retry the record later. */
export class ReplyInProgress extends AppError {
  override readonly name = 'ReplyInProgress';
  readonly retryable = true;
}

export const isRetryable = (error: unknown): boolean =>
  error instanceof AppError ? error.retryable : true;

// ---- Bank (Plaid) --------------------------------------------------------------------------------

/** Base of every bank API failure; carries Plaid's error_type and error_code when it gave them. */
export abstract class BankError extends AppError {
  constructor(
    message: string,
    readonly errorType?: string,
    readonly errorCode?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** ITEM_LOGIN_REQUIRED and friends: the person must reconnect (Link in update mode). Not retried. */
export class BankLoginRequired extends BankError {
  override readonly name = 'BankLoginRequired';
  readonly retryable = false;
}

/** RATE_LIMIT_EXCEEDED: back off and retry later. */
export class BankRateLimited extends BankError {
  override readonly name = 'BankRateLimited';
  readonly retryable = true;
}

/** INSTITUTION_DOWN / INSTITUTION_NOT_RESPONDING / PRODUCT_NOT_READY: retry later. */
export class BankInstitutionDown extends BankError {
  override readonly name = 'BankInstitutionDown';
  readonly retryable = true;
}

/** Plaid 5xx (API_ERROR), network failure or timeout: retry with backoff. */
export class BankUnavailable extends BankError {
  override readonly name = 'BankUnavailable';
  readonly retryable = true;
}

/** The access token or item is no longer valid (removed, revoked): handle as a revocation. */
export class BankAccessRevoked extends BankError {
  override readonly name = 'BankAccessRevoked';
  readonly retryable = false;
}

/** INVALID_REQUEST, INVALID_INPUT, INVALID_API_KEYS…: a bug or a misconfiguration. Not retried. */
export class BankInvalidRequest extends BankError {
  override readonly name = 'BankInvalidRequest';
  readonly retryable = false;
}

/** TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION: restart the sync from the first cursor. */
export class BankSyncMutated extends BankError {
  override readonly name = 'BankSyncMutated';
  readonly retryable = true;
}

// ---- Security ------------------------------------------------------------------------------------

/** A sealed secret could not be opened: wrong key, wrong encryption context or tampered bytes. */
export class SecretUnreadable extends AppError {
  override readonly name = 'SecretUnreadable';
  readonly retryable = false;
}

// ---- Consent ------------------------------------------------------------------------------------

/** No active consent covers this person (or this bank connection). */
export class ConsentRequired extends AppError {
  override readonly name = 'ConsentRequired';
  readonly retryable = false;
}

/** The consent is active but does not grant this data category. */
export class ScopeNotGranted extends AppError {
  override readonly name = 'ScopeNotGranted';
  readonly retryable = false;
  constructor(
    message: string,
    readonly scope: string,
  ) {
    super(message);
  }
}

/** The consent changed since it was read (revoked, renewed…): the write must not happen. */
export class ConsentChanged extends AppError {
  override readonly name = 'ConsentChanged';
  readonly retryable = false;
}

/** A transition the consent state machine does not allow (e.g. renewing a revoked consent). */
export class InvalidConsentTransition extends AppError {
  override readonly name = 'InvalidConsentTransition';
  readonly retryable = false;
}

/**
 * The disclosure in force is not the one the consent was given under: renewing it in one tap would
 * extend an agreement to words the person never read. They are shown the current text first.
 */
export class DisclosureChanged extends AppError {
  override readonly name = 'DisclosureChanged';
  readonly retryable = false;
}

/** A consent link that is forged, expired, already used, or presented for someone else. */
export class LinkRefused extends AppError {
  override readonly name = 'LinkRefused';
  readonly retryable = false;
  readonly statusCode = 403;
  readonly expose = true;
}

/** Something that is not there, or not this person's: the answer is the same, so ids cannot be probed. */
export class NotFound extends AppError {
  override readonly name = 'NotFound';
  readonly retryable = false;
  readonly statusCode = 404;
  readonly expose = true;
}

/** The person came back from the bank's link page without finishing (closed it, or it expired). */
export class LinkingNotFinished extends AppError {
  override readonly name = 'LinkingNotFinished';
  readonly retryable = false;
}
