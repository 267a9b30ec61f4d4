/**
 * Plaid's signed webhooks, at the edge: `createWebhookVerifier` decides whether a delivery really
 * comes from Plaid, `parsePlaidWebhook` turns a verified body into the few events the product acts
 * on. Verify first, parse second: nothing in an unverified body is read.
 *
 * Plaid signs every webhook with a compact JWS in the `Plaid-Verification` header: ES256, the key
 * id in `kid`, payload `{ iat, request_body_sha256 }`. The public key comes from
 * `/webhook_verification_key/get` (the `BankConnector` port). The header is attacker-controlled
 * until the signature checks out, so it is only decoded to pick the algorithm (which must be
 * ES256, whatever it claims) and the key id; jose then verifies with `algorithms: ['ES256']` too.
 *
 * Freshness rule: with `age = now − iat` in seconds (now at millisecond precision, from the
 * injected clock), a webhook is accepted iff `−maxAgeSeconds ≤ age ≤ maxAgeSeconds`. With the
 * default 300 s: 299 s old or exactly 300 s old is accepted, 300.001 s or 301 s old is refused;
 * the same window applies to an `iat` ahead of our clock (skew between Plaid and Lambda).
 *
 * Keys are cached by kid for `keyCacheTtlSeconds`. Plaid retires a key by setting `expired_at`
 * when it starts signing with a new one, and a cached copy cannot learn that by itself; so the
 * first time a newer current key is fetched, cached current keys created no later than it are
 * forgotten, and their next use re-reads them (and finds them expired).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { decodeProtectedHeader, importJWK, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import { AppError, InvalidInput } from '../errors';
import type { WebhookVerificationKey } from './bank-connector';
import * as z from 'zod/mini';
import { describeIssues } from '../validation';

// ---- Verification --------------------------------------------------------------------------------

/** Machine-readable cause of a refusal, for logs only: the HTTP answer never says which check failed. */
export type WebhookUnverifiedReason =
  | 'missing-header'
  | 'malformed-header'
  | 'algorithm-not-allowed'
  | 'bad-key-id'
  | 'key-unavailable'
  | 'key-unusable'
  | 'key-expired'
  | 'invalid-token'
  | 'missing-iat'
  | 'too-old'
  | 'issued-in-future'
  | 'body-mismatch'
  | 'unexpected';

/** The webhook is not provably from the bank: answer 401 and act on nothing in it. */
export class WebhookUnverified extends AppError {
  override readonly name = 'WebhookUnverified';
  readonly retryable = false;
  readonly statusCode = 401;
  readonly expose = true;
  constructor(
    readonly reason: WebhookUnverifiedReason,
    options?: ErrorOptions,
  ) {
    super('Webhook signature could not be verified', options);
  }
}

export interface WebhookVerifierDeps {
  /** Usually `(kid) => bank.getWebhookVerificationKey(kid)`. Rejections refuse the webhook. */
  fetchKey: (kid: string) => Promise<WebhookVerificationKey>;
  clock?: () => Date;
  /** How far `iat` may be from now, either way. Default 300 (Plaid's recommendation). */
  maxAgeSeconds?: number;
  /** How long a fetched key is trusted before it is fetched again. Default 24 h. */
  keyCacheTtlSeconds?: number;
}

export interface WebhookVerifier {
  /** Resolves when `header` is Plaid's valid signature of exactly these bytes; else WebhookUnverified. */
  verify(rawBody: Uint8Array, header: string | undefined): Promise<void>;
}

/** A compact ES256 JWS with a short header is ~300 characters; anything far longer is not Plaid's. */
const MAX_HEADER_LENGTH = 4_096;
/** Plaid's kids are UUIDs; this also keeps odd strings out of the key request and the logs. */
const KID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

type CachedKey =
  | { status: 'usable'; key: CryptoKey | Uint8Array; createdAt: number; expiredAt: number | null; fetchedAtMs: number }
  /** Expiry is final, so a replayed old kid is refused without asking the bank again. */
  | { status: 'expired'; fetchedAtMs: number };

const isExpired = (expiredAt: number | null, nowMs: number): boolean => expiredAt !== null && expiredAt * 1000 <= nowMs;

const refuse = (reason: WebhookUnverifiedReason, cause?: unknown): WebhookUnverified =>
  new WebhookUnverified(reason, cause === undefined ? undefined : { cause });

export function createWebhookVerifier(deps: WebhookVerifierDeps): WebhookVerifier {
  const clock = deps.clock ?? (() => new Date());
  const maxAgeSeconds = deps.maxAgeSeconds ?? 300;
  const cacheTtlMs = (deps.keyCacheTtlSeconds ?? 24 * 60 * 60) * 1000;
  const cache = new Map<string, CachedKey>();
  const inFlight = new Map<string, Promise<CachedKey>>();

  const forgetOlderCurrentKeys = (newer: WebhookVerificationKey): void => {
    for (const [kid, entry] of cache) {
      if (kid !== newer.kid && entry.status === 'usable' && entry.expiredAt === null && entry.createdAt <= newer.createdAt) {
        cache.delete(kid);
      }
    }
  };

  const load = async (kid: string): Promise<CachedKey> => {
    let jwk: WebhookVerificationKey;
    try {
      jwk = await deps.fetchKey(kid);
    } catch (error) {
      throw refuse('key-unavailable', error);
    }
    if (jwk.kid !== kid || jwk.alg !== 'ES256' || jwk.kty !== 'EC' || jwk.crv !== 'P-256') throw refuse('key-unusable');
    const fetchedAtMs = clock().getTime();
    if (isExpired(jwk.expiredAt, fetchedAtMs)) {
      const entry: CachedKey = { status: 'expired', fetchedAtMs };
      cache.set(kid, entry);
      return entry;
    }
    let key: CryptoKey | Uint8Array;
    try {
      key = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, 'ES256');
    } catch (error) {
      throw refuse('key-unusable', error);
    }
    const entry: CachedKey = { status: 'usable', key, createdAt: jwk.createdAt, expiredAt: jwk.expiredAt, fetchedAtMs };
    if (jwk.expiredAt === null) forgetOlderCurrentKeys(jwk);
    cache.set(kid, entry);
    return entry;
  };

  /** Cached, or fetched once: concurrent webhooks naming the same new kid share one request. */
  const keyFor = (kid: string): Promise<CachedKey> => {
    const cached = cache.get(kid);
    if (cached && clock().getTime() - cached.fetchedAtMs < cacheTtlMs) return Promise.resolve(cached);
    let pending = inFlight.get(kid);
    if (!pending) {
      pending = load(kid).finally(() => inFlight.delete(kid));
      inFlight.set(kid, pending);
    }
    return pending;
  };

  const verify = async (rawBody: Uint8Array, header: string | undefined): Promise<void> => {
    if (header === undefined || header === '') throw refuse('missing-header');
    if (header.length > MAX_HEADER_LENGTH) throw refuse('malformed-header');

    let alg: unknown;
    let kid: unknown;
    try {
      ({ alg, kid } = decodeProtectedHeader(header));
    } catch (error) {
      throw refuse('malformed-header', error);
    }
    if (alg !== 'ES256') throw refuse('algorithm-not-allowed');
    if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) throw refuse('bad-key-id');

    const entry = await keyFor(kid);
    const now = clock();
    if (entry.status === 'expired' || isExpired(entry.expiredAt, now.getTime())) throw refuse('key-expired');

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(header, entry.key, { algorithms: ['ES256'], currentDate: now }));
    } catch (error) {
      throw refuse('invalid-token', error);
    }

    const { iat } = payload;
    if (typeof iat !== 'number' || !Number.isFinite(iat)) throw refuse('missing-iat');
    const age = now.getTime() / 1000 - iat;
    if (age > maxAgeSeconds) throw refuse('too-old');
    if (age < -maxAgeSeconds) throw refuse('issued-in-future');

    const claimed = payload.request_body_sha256;
    if (typeof claimed !== 'string') throw refuse('body-mismatch');
    const expected = Buffer.from(sha256Hex(rawBody), 'utf8');
    const given = Buffer.from(claimed, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse('body-mismatch');
  };

  return {
    verify: async (rawBody, header) => {
      try {
        await verify(rawBody, header);
      } catch (error) {
        // Fail closed: whatever went wrong, the webhook stays unverified.
        throw error instanceof WebhookUnverified ? error : refuse('unexpected', error);
      }
    },
  };
}

const sha256Hex = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

// ---- Parsing -------------------------------------------------------------------------------------

/** The webhooks the product acts on; everything else is `ignored` (answered 200, no effect). */
export type PlaidWebhookEvent =
  /** New transaction changes: run /transactions/sync for this item. */
  | { kind: 'sync-updates-available'; itemId: string }
  /** ITEM ERROR (ITEM_LOGIN_REQUIRED and others): tell the person and offer to reconnect. */
  | { kind: 'login-required'; itemId: string; errorCode: string | null }
  /** The bank consent expires soon: tell the person and offer to reconnect. */
  | { kind: 'pending-expiration'; itemId: string; consentExpiresAt?: Date }
  /** The connection will stop working (e.g. the bank migrates): tell the person and offer to reconnect. */
  | { kind: 'pending-disconnect'; itemId: string; disconnectAt?: Date }
  /**
   * The person revoked access at Plaid or the bank: the revocation path. `accountId` is set for
   * USER_ACCOUNT_REVOKED, which revokes a single account of the item.
   */
  | { kind: 'permission-revoked'; itemId: string; accountId?: string }
  /** The item works again without update mode: clear the reconnect prompt. */
  | { kind: 'login-repaired'; itemId: string }
  | { kind: 'ignored'; webhookType: string; webhookCode: string };

export interface ParsedPlaidWebhook {
  /**
   * SHA-256 (hex) of the raw body. Plaid's redeliveries repeat the bytes, so they share it. Bodies
   * carry no delivery id or timestamp, so two genuinely separate identical webhooks share it too
   * (two SYNC_UPDATES_AVAILABLE for one item): keep dedupe records for a bounded time.
   */
  dedupeId: string;
  event: PlaidWebhookEvent;
}

const str = (max: number, min = 1) => z.string().check(z.minLength(min), z.maxLength(max));
const itemId = str(256);
/** A date Plaid sends as a courtesy: unreadable, it is dropped rather than losing the warning. */
const courtesyDate = z.catch(z.nullish(z.iso.datetime({ offset: true })), undefined);

const envelope = z.object({ webhook_type: str(100), webhook_code: str(100) });
const withItem = z.object({ item_id: itemId });
const itemError = z.object({
  item_id: itemId,
  error: z.nullish(z.object({ error_code: z.nullish(str(100)) })),
});
const pendingExpiration = z.object({ item_id: itemId, consent_expiration_time: courtesyDate });
const pendingDisconnect = z.object({ item_id: itemId, disconnect_time: courtesyDate });
const accountRevoked = z.object({ item_id: itemId, account_id: z.nullish(str(256)) });

/** Messages name the field and the problem, never the value. */
function parseWith<T>(schema: z.ZodMiniType<T>, value: unknown, context = 'Invalid Plaid webhook'): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidInput(`${context}: ${describeIssues(result.error)}`);
  return result.data;
}

const dateOf = (iso: string | null | undefined): Date | undefined => (iso ? new Date(iso) : undefined);

/** Parses a verified webhook body. Throws InvalidInput (safe to return) when it is not one. */
export function parsePlaidWebhook(rawBody: Uint8Array): ParsedPlaidWebhook {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
  } catch {
    throw new InvalidInput('Plaid webhook body is not valid JSON');
  }
  const { webhook_type: webhookType, webhook_code: webhookCode } = parseWith(envelope, json, 'Not a Plaid webhook body');
  return { dedupeId: sha256Hex(rawBody), event: toEvent(webhookType, webhookCode, json) };
}

function toEvent(webhookType: string, webhookCode: string, json: unknown): PlaidWebhookEvent {
  if (webhookType === 'TRANSACTIONS' && webhookCode === 'SYNC_UPDATES_AVAILABLE') {
    return { kind: 'sync-updates-available', itemId: parseWith(withItem, json).item_id };
  }
  if (webhookType !== 'ITEM') return { kind: 'ignored', webhookType, webhookCode };
  switch (webhookCode) {
    case 'ERROR': {
      const body = parseWith(itemError, json);
      return { kind: 'login-required', itemId: body.item_id, errorCode: body.error?.error_code ?? null };
    }
    case 'PENDING_EXPIRATION': {
      const body = parseWith(pendingExpiration, json);
      const consentExpiresAt = dateOf(body.consent_expiration_time);
      return { kind: 'pending-expiration', itemId: body.item_id, ...(consentExpiresAt ? { consentExpiresAt } : {}) };
    }
    case 'PENDING_DISCONNECT': {
      const body = parseWith(pendingDisconnect, json);
      const disconnectAt = dateOf(body.disconnect_time);
      return { kind: 'pending-disconnect', itemId: body.item_id, ...(disconnectAt ? { disconnectAt } : {}) };
    }
    case 'USER_PERMISSION_REVOKED':
      return { kind: 'permission-revoked', itemId: parseWith(withItem, json).item_id };
    case 'USER_ACCOUNT_REVOKED': {
      const body = parseWith(accountRevoked, json);
      return { kind: 'permission-revoked', itemId: body.item_id, ...(body.account_id ? { accountId: body.account_id } : {}) };
    }
    case 'LOGIN_REPAIRED':
      return { kind: 'login-repaired', itemId: parseWith(withItem, json).item_id };
    default:
      return { kind: 'ignored', webhookType, webhookCode };
  }
}
