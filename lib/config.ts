import { ConfigurationError } from './errors';
import * as z from 'zod/mini';
import { describeIssues } from './validation';

/**
 * Typed configuration, read once per container at init. A missing or malformed setting fails the
 * cold start with the setting's name, rather than failing the first request in some odd way.
 */
const int = (min: number, max: number, fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.gte(min), z.lte(max)), fallback);

const isLocale = (value: string) => {
  try {
    return Intl.NumberFormat.supportedLocalesOf([value]).length === 1;
  } catch {
    return false;
  }
};
const isTimeZone = (value: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

const envSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  AUDIT_TABLE_NAME: z.string().check(z.minLength(1)),
  GRAPH_API_URL: z.url(),
  PUBLIC_BASE_URL: z._default(z.string(), ''),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'eu-west-1'),
  /** Only set locally: DynamoDB Local. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  /**
   * DynamoDB answers in milliseconds; these bound a stuck connection so the webhook still answers
   * Meta in time. DynamoDB Local on a laptop is far slower, so .env.example raises them.
   */
  DYNAMODB_CONNECT_TIMEOUT_MS: int(50, 60_000, 1_000),
  DYNAMODB_REQUEST_TIMEOUT_MS: int(50, 60_000, 2_500),
  /** Only set locally: the local SQS endpoint. */
  SQS_ENDPOINT: z.optional(z.url()),
  /** `ssm` in AWS (SecureString parameters under SECRETS_SSM_PREFIX); `env` on a laptop and in tests. */
  SECRETS_SOURCE: z._default(z.enum(['env', 'ssm']), 'env'),
  SECRETS_SSM_PREFIX: z.optional(z.string().check(z.regex(/^\/[\w./-]+$/))),
  /** The bank API (Plaid's host per environment, or the local sandbox bank). */
  PLAID_BASE_URL: z._default(z.url(), 'https://sandbox.plaid.com'),
  /** Who receives the data, as the consent disclosure names it: the bank or fintech running this. */
  BRAND_NAME: z._default(z.string().check(z.minLength(1), z.maxLength(60)), 'Demo Bank'),
  /**
   * How people reach the controller (BRAND_NAME) about their data: an email address or an https URL,
   * named in every consent record. Unset: the records name the chat ("agent" reaches a person).
   */
  PRIVACY_CONTACT: z.optional(z.string().check(z.maxLength(200), z.regex(/^(?:[^\s@<>"]+@[^\s@<>"]+\.[a-z]{2,}|https:\/\/[^\s<>"]+)$/i))),
  /** Countries whose banks Link offers (ISO 3166-1 alpha-2, comma-separated). */
  BANK_COUNTRY_CODES: z._default(z.string().check(z.regex(/^[A-Z]{2}(,[A-Z]{2})*$/)), 'US'),
  /** `kms` in AWS (a customer-managed key, KMS_KEY_ID); `local` on a laptop and in tests (LOCAL_MASTER_KEY). */
  KEY_PROVIDER: z._default(z.enum(['kms', 'local']), 'local'),
  KMS_KEY_ID: z.optional(z.string().check(z.minLength(1))),
  /** The bank's own fraud steps, shown when a person says an alerted payment was not theirs. */
  BANK_CARD_LOCK_URL: z.optional(z.url()),
  BANK_FRAUD_PHONE: z.optional(z.string().check(z.maxLength(40))),
  /** Page-owned utility templates for alerts outside the 24-hour window; unset: alerts are held. */
  ALERT_UTILITY_TEMPLATE_FRAUD: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
  ALERT_UTILITY_TEMPLATE_NOTICE: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
  ALERT_UTILITY_TEMPLATE_LANGUAGE: z._default(z.string().check(z.regex(/^[a-z]{2}(_[A-Z]{2})?$/)), 'en_US'),
  /**
   * Page-owned utility templates for the product's own notices outside the 24-hour window (in the
   * language above): consent reminders (body `{{1}}`, postback buttons Renew / Let it end) and the
   * bank's warnings (body `{{1}}`, postback buttons Log in again / Stop sharing). What was deleted
   * uses the alerts' notice template. Unset: the notice is held for the person's next message.
   */
  NOTICE_UTILITY_TEMPLATE_RENEWAL: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
  NOTICE_UTILITY_TEMPLATE_BANK: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
  /** The assistant's language until a person's words say otherwise (`en` or `es`). */
  ASSISTANT_LANGUAGE: z._default(z.enum(['en', 'es']), 'en'),
  /** Locales money and dates are written in, per language (BCP 47). */
  ASSISTANT_LOCALE_EN: z._default(z.string().check(z.refine(isLocale, 'not a locale Intl knows')), 'en-US'),
  ASSISTANT_LOCALE_ES: z._default(z.string().check(z.refine(isLocale, 'not a locale Intl knows')), 'es-US'),
  /** The time zone of "today", "this week" and "as of 9:14" (IANA name). */
  ASSISTANT_TIME_ZONE: z._default(z.string().check(z.refine(isTimeZone, 'not an IANA time zone')), 'America/New_York'),
  /** The currency alert thresholds are written in (ISO 4217). */
  ASSISTANT_CURRENCY: z._default(z.string().check(z.regex(/^[A-Z]{3}$/)), 'USD'),
  /** Figures older than this are refreshed from the bank (a targeted sync) while the answer says so. */
  DATA_FRESHNESS_MINUTES: int(1, 7 * 24 * 60, 60),
  /** Who takes the thread when a person asks for one (handover protocol); 263902037430900 is the Page inbox. */
  HANDOVER_TARGET_APP_ID: z._default(z.string().check(z.regex(/^\d{1,20}$/)), '263902037430900'),
  /** The sync queue (scheduled and on-demand bank syncs). */
  SYNC_QUEUE_URL: z.optional(z.url()),
  /** The picture queue (a spending picture asked for in the chat, drawn by spendingPicture). */
  PICTURE_QUEUE_URL: z.optional(z.url()),
  /** How often each connection is synced; each next sync gets ±10% jitter. */
  SYNC_INTERVAL_HOURS: int(1, 168, 24),
  /** How far back the scheduler looks for due syncs it may have missed. */
  SYNC_LOOKBACK_MINUTES: int(5, 1440, 60),
  /** How long inbox items (the durable copy of each webhook event) are kept. */
  INBOX_TTL_DAYS: int(1, 90, 7),
  /** How many events of one webhook delivery are written at once. */
  WEBHOOK_WRITE_CONCURRENCY: int(1, 100, 16),
  /** Largest webhook body accepted, in bytes. Meta batches events, but never anywhere near this. */
  WEBHOOK_MAX_BODY_BYTES: int(1024, 10 * 1024 * 1024, 1024 * 1024),
});

export type Config = z.infer<typeof envSchema>;

export const secretNames = [
  'MESSENGER_APP_SECRET',
  'MESSENGER_VERIFY_TOKEN',
  'MESSENGER_PAGE_ACCESS_TOKEN',
  /** Signs the links to consent pages. */
  'CONSENT_LINK_SECRET',
  'PLAID_CLIENT_ID',
  'PLAID_SECRET',
  /** Only with KEY_PROVIDER=local: the master key of the local key provider (32 bytes, base64). */
  'LOCAL_MASTER_KEY',
] as const;
export type SecretName = (typeof secretNames)[number];

export function parseConfig(env: Record<string, string | undefined>): Config {
  // An empty value means "not set" (serverless.yml passes '' for settings a stage does not use).
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = envSchema.safeParse(present);
  if (!result.success) throw new ConfigurationError(`Invalid configuration: ${describeIssues(result.error, 20)}`);
  if (result.data.KEY_PROVIDER === 'kms' && !result.data.KMS_KEY_ID) {
    throw new ConfigurationError('Invalid configuration: KMS_KEY_ID is required when KEY_PROVIDER=kms');
  }
  if (result.data.SECRETS_SOURCE === 'ssm' && !result.data.SECRETS_SSM_PREFIX) {
    throw new ConfigurationError('Invalid configuration: SECRETS_SSM_PREFIX is required when SECRETS_SOURCE=ssm');
  }
  return result.data;
}

let cached: Config | undefined;
/** The process configuration, parsed on first use and then kept for the container's life. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

export type SecretLoader = (name: SecretName) => Promise<string>;

/**
 * Secrets are loaded once per container and cached in memory; in AWS they come from SSM Parameter
 * Store through Powertools Parameters (its cache is refreshed every 15 minutes so a rotated secret
 * is picked up without a redeploy), never from plain environment variables.
 */
export function createSecretLoader(config: Config, env: Record<string, string | undefined> = process.env): SecretLoader {
  const memo = new Map<SecretName, Promise<string>>();
  const load = async (name: SecretName): Promise<string> => {
    if (config.SECRETS_SOURCE === 'ssm') {
      const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
      const value = await getParameter(`${config.SECRETS_SSM_PREFIX}/${name}`, { decrypt: true, maxAge: 900 });
      if (!value) throw new ConfigurationError(`Secret ${name} is missing from SSM`);
      return value;
    }
    const value = env[name];
    if (!value) throw new ConfigurationError(`Secret ${name} is not set`);
    return value;
  };
  return (name) => {
    if (config.SECRETS_SOURCE === 'ssm') return load(name); // Powertools caches; rotation must show
    let pending = memo.get(name);
    if (!pending) {
      pending = load(name);
      memo.set(name, pending);
      pending.catch(() => memo.delete(name));
    }
    return pending;
  };
}
