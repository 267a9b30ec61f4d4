import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

/**
 * One structured JSON logger per container. Never log secrets, tokens, message text, names or
 * amounts: log ids, kinds and counts. Each handler sets a correlation id per inbound event.
 *
 * Redaction below is the safety net for what slips through anyway, mostly inside error messages
 * and stacks from outside (a bank or Graph API answer, an HTTP client's URL): values under
 * sensitive keys are replaced, and tokens and money amounts are scrubbed from every string.
 */
export const REDACTED = '[redacted]';

/** Keys whose values are never written: credentials, money, people's and accounts' names, message text. */
const SENSITIVE_KEY =
  /^(?:access_?token|public_?token|link_?token|page_?access_?token|token|secret|client_?secret|password|authorization|cookie|amount|amounts|balance|balances|available|current|limit|iso_?amount|merchant_?name|merchant|counterparty|official_?name|account_?name|institution_?name|first_?name|last_?name|full_?name|display_?name|person_?name|text|body|raw_?body)$/i;

const TOKEN_PATTERNS: [RegExp, string][] = [
  // Plaid access, public and link tokens.
  [/\b(access|public|link)-(sandbox|development|production)-[\w-]+/g, `$1-$2-${REDACTED}`],
  // A token in a URL or a header.
  [/\b(access_token|client_secret|secret|appsecret_proof)=[^&\s"']+/gi, `$1=${REDACTED}`],
  [/\b(Bearer|OAuth)\s+[\w.~+/-]+=*/g, `$1 ${REDACTED}`],
  // Meta user and Page access tokens.
  [/\bEAA[A-Za-z0-9]{20,}/g, REDACTED],
];
/** Money as people write it: $912.40, € 15, 1,234.56 USD, -45.00 EUR. */
const AMOUNT_PATTERNS: RegExp[] = [/[$€£¥]\s?-?\d[\d,]*(?:\.\d+)?/g, /-?\b\d[\d,]*(?:\.\d+)?\s?(?:USD|EUR|GBP|CAD|MXN|JPY)\b/g];

/**
 * Every string any pattern above could match contains one of these. Most strings in a log line
 * (ids, names of things, ISO times, ARNs) contain none, and one test is far cheaper than the six
 * replaces: the webhook writes a line per delivery, and its replacer runs for each of ~15 values.
 * Keep it a superset when a pattern is added (test/lib/logger.test.ts checks each one).
 */
const MIGHT_NEED_REDACTION = /[=$€£¥]|-(?:sandbox|development|production)-|Bearer|OAuth|EAA|USD|EUR|GBP|CAD|MXN|JPY/;

export function redactText(text: string): string {
  if (!MIGHT_NEED_REDACTION.test(text)) return text;
  let out = text;
  for (const [pattern, replacement] of TOKEN_PATTERNS) out = out.replace(pattern, replacement);
  for (const pattern of AMOUNT_PATTERNS) out = out.replace(pattern, '[amount]');
  return out;
}

/** Keys come from code, so there are few of them: each is tested against SENSITIVE_KEY once. */
const keyVerdicts = new Map<string, boolean>();
const isSensitiveKey = (key: string): boolean => {
  let verdict = keyVerdicts.get(key);
  if (verdict === undefined) {
    verdict = SENSITIVE_KEY.test(key);
    // Bounded all the same: an error from outside may carry keys of its own.
    if (keyVerdicts.size < 1_000) keyVerdicts.set(key, verdict);
  }
  return verdict;
};

/** JSON replacer for every log line (Powertools applies it to each key, nested ones included). */
export function redactLogValue(key: string, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (key !== '' && typeof value !== 'boolean' && isSensitiveKey(key)) return REDACTED;
  // Errors need nothing here: Powertools formats them into plain objects whose message and stack
  // come back through this replacer as strings.
  if (typeof value === 'string') return redactText(value);
  return value;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * Locally (LOG_FORMAT=local, as .env.example sets it) a record is one short JSON line a person can
 * read in a terminal: time of day, level, function, message, then the record's own keys. The
 * Lambda context Powertools puts on every record (ARN, memory, request id, sampling rate) is what
 * CloudWatch needs and what nobody reads in a terminal; an error keeps its name, message
 * and where it was thrown, not its stack. Redaction applies as in AWS, where the default
 * formatter writes the whole record.
 */
class LocalLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const at = attributes.timestamp;
    const functionName = attributes.lambdaContext?.functionName;
    return new LogItem({
      attributes: {
        time: `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`,
        level: attributes.logLevel,
        // Deployed names are <service>-<stage>-<function>; the function's own name has no dash.
        function: functionName?.slice(functionName.lastIndexOf('-') + 1),
        message: attributes.message,
      },
    }).addAttributes(additional);
  }

  override formatError(error: Error): LogAttributes {
    const formatted = super.formatError(error);
    delete formatted.stack;
    return formatted;
  }
}

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'messenger-banking',
  jsonReplacerFn: redactLogValue,
  ...(process.env.LOG_FORMAT === 'local' ? { logFormatter: new LocalLogFormatter() } : {}),
});

/** What domain code needs of a logger; tests pass a plain object. */
export type Log = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

/**
 * Middy middleware: the invocation's Lambda context (function, request id, cold start) on every log
 * line. Powertools' `injectLambdaContext` does this and, per invocation, also re-draws debug-log
 * sampling, clears the log buffer and resets temporary keys: features a function that samples
 * nothing, buffers nothing and appends no keys does not use, and about 15 µs of the webhook's
 * ~2 ms acknowledgement (npm run bench). Functions that do use them keep `injectLambdaContext`.
 */
export const logLambdaContext = (): MiddlewareObj<unknown, unknown, Error, Context> => ({
  before: ({ context }) => {
    logger.addContext(context);
  },
});
