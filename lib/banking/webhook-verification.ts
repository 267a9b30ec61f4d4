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
 * Keys are cached by kid for `keyCacheTtlSeconds`, counted from the bank's answer, at two levels:
 * in memory, per container, and optionally in a cache every container shares (`sharedKeys`, a
 * DynamoDB partition in production). A key missing from memory is looked up in the shared cache
 * first: one read returns every key there, and each entry is validated and trusted only until its
 * own fetch time plus the TTL, so bouncing between containers never extends a key's trust. Only a
 * key the shared cache lacks costs a call to the bank (with the bank SDK's load in a cold
 * container, a round trip, and the rate-limited key endpoint); it is then shared. The shared cache
 * is an accelerator, never a gate: when it cannot be read the bank is asked, and a failed write
 * only costs the next cold container a bank call.
 *
 * Plaid retires a key by setting `expired_at` when it starts signing with a new one, and a cached
 * copy cannot learn that by itself; so the first time a newer current key shows up, cached current
 * keys created no later than it are forgotten, and their next use re-reads them from the bank (not
 * from the shared cache, which may hold the same stale copy) and finds them expired. A newer key
 * fetched from the bank also drops those older current copies from the shared cache, so other
 * containers re-read them from the bank too; and an older current key the shared cache still lists
 * next to a newer one is not trusted from there.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { decodeProtectedHeader, importJWK, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import { AppError, InvalidInput } from '../errors';
import type { Log } from '../logger';
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
  /** Keys shared by every container, consulted before the bank. Without it, memory only. */
  sharedKeys?: SharedWebhookKeys;
  /** Where a shared-cache failure is noted; the webhook goes on without it. */
  log?: Pick<Log, 'warn'>;
}

/** A key as the bank returned it, and when it was fetched (epoch seconds). */
export interface SharedWebhookKey extends WebhookVerificationKey {
  fetchedAt: number;
}

/** The shared cache's port. Every method may reject: the verifier carries on without it. */
export interface SharedWebhookKeys {
  /** Every entry, as stored: each is validated here before it is trusted. */
  list(): Promise<unknown[]>;
  /** Shares a key just fetched from the bank, for `keepSeconds` from its fetch. */
  put(key: SharedWebhookKey, keepSeconds: number): Promise<void>;
  /** Drops the current copies of keys a newer key may have retired. */
  remove(kids: string[]): Promise<void>;
}

export interface WebhookVerifier {
  /** Resolves when `header` is Plaid's valid signature of exactly these bytes; else WebhookUnverified. */
  verify(rawBody: Uint8Array, header: string | undefined): Promise<void>;
}

/** How long a key the bank returned is trusted, unless `keyCacheTtlSeconds` says otherwise: a day. */
export const DEFAULT_KEY_CACHE_TTL_SECONDS = 24 * 60 * 60;

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

const errorName = (error: unknown): string => (error instanceof Error ? error.name : typeof error);

/** A P-256 coordinate in base64url is 43 characters; a little slack, no room for anything else. */
const coordinate = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/));
const epochSeconds = z.number().check(z.gte(0));
/** A shared-cache entry is outside input like any other: a malformed or foreign item is skipped. */
const sharedEntry = z.object({
  kid: z.string().check(z.regex(KID_PATTERN)),
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  alg: z.literal('ES256'),
  x: coordinate,
  y: coordinate,
  createdAt: epochSeconds,
  expiredAt: z.nullable(epochSeconds),
  fetchedAt: epochSeconds,
});
type SharedEntry = z.infer<typeof sharedEntry>;

/** Containers' clocks differ by milliseconds; an entry stamped further ahead than this is not ours. */
const MAX_CLOCK_SKEW_MS = 60_000;

export function createWebhookVerifier(deps: WebhookVerifierDeps): WebhookVerifier {
  const clock = deps.clock ?? (() => new Date());
  const maxAgeSeconds = deps.maxAgeSeconds ?? 300;
  const cacheTtlSeconds = deps.keyCacheTtlSeconds ?? DEFAULT_KEY_CACHE_TTL_SECONDS;
  const cacheTtlMs = cacheTtlSeconds * 1000;
  const { sharedKeys } = deps;
  const cache = new Map<string, CachedKey>();
  const inFlight = new Map<string, Promise<CachedKey>>();
  /** Kids a newer key made suspect: their next load asks the bank, whatever the shared cache holds. */
  const askBank = new Set<string>();
  /** The current keys (kid → createdAt) the last shared read listed, trusted or not. */
  let sharedCurrent = new Map<string, number>();
  let sharedRead: Promise<void> | undefined;

  const isFresh = (entry: CachedKey, nowMs: number) => nowMs - entry.fetchedAtMs < cacheTtlMs;

  /**
   * Forgets cached current keys created no later than `newer` (a key the bank just returned), or
   * strictly before it (a shared entry: two keys listed together retire neither); returns their kids.
   */
  const forgetOlderCurrentKeys = (newer: { kid: string; createdAt: number }, strictly = false): string[] => {
    const forgotten: string[] = [];
    for (const [kid, entry] of cache) {
      if (kid === newer.kid || entry.status !== 'usable' || entry.expiredAt !== null) continue;
      if (strictly ? entry.createdAt < newer.createdAt : entry.createdAt <= newer.createdAt) {
        cache.delete(kid);
        askBank.add(kid);
        forgotten.push(kid);
      }
    }
    return forgotten;
  };

  const importKey = (jwk: { kty: string; crv: string; x: string; y: string }) => importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, 'ES256');

  /** Parses one stored entry and imports its key; undefined when it is not one to trust now. */
  const fromShared = async (item: unknown, nowMs: number): Promise<{ entry: SharedEntry; cached: CachedKey } | undefined> => {
    const parsed = sharedEntry.safeParse(item);
    if (!parsed.success) return undefined;
    const entry = parsed.data;
    const age = nowMs - entry.fetchedAt * 1000;
    if (age >= cacheTtlMs || age <= -MAX_CLOCK_SKEW_MS) return undefined;
    // The trust runs from the bank's answer, not from this read.
    const fetchedAtMs = entry.fetchedAt * 1000;
    if (isExpired(entry.expiredAt, nowMs)) return { entry, cached: { status: 'expired', fetchedAtMs } };
    try {
      const key = await importKey(entry);
      return { entry, cached: { status: 'usable', key, createdAt: entry.createdAt, expiredAt: entry.expiredAt, fetchedAtMs } };
    } catch {
      return undefined;
    }
  };

  /** Takes the shared cache's valid entries into memory (never a suspect kid, never over a fresh copy). */
  const adoptShared = async (): Promise<void> => {
    let stored: unknown[];
    try {
      stored = await sharedKeys!.list();
    } catch (error) {
      deps.log?.warn('Shared webhook key cache unreadable; asking the bank', { error: errorName(error) });
      return;
    }
    const nowMs = clock().getTime();
    const found = (await Promise.all(stored.map((item) => fromShared(item, nowMs)))).filter((f) => f !== undefined);
    // From here on nothing awaits: the checks below see the memory as it is when they apply.
    const current = found.flatMap(({ entry }) => (entry.expiredAt === null ? [entry] : []));
    sharedCurrent = new Map(current.map((e) => [e.kid, e.createdAt]));
    // The newest current key known, listed or in memory: an older current one may be retired already.
    const newestCreatedAt = Math.max(...current.map((e) => e.createdAt), ...[...cache.values()].map((e) => (e.status === 'usable' && e.expiredAt === null ? e.createdAt : -Infinity)));
    for (const { entry, cached } of found) {
      const inMemory = cache.get(entry.kid);
      if (askBank.has(entry.kid) || (inMemory && isFresh(inMemory, nowMs))) continue;
      if (entry.expiredAt === null && entry.createdAt < newestCreatedAt) {
        askBank.add(entry.kid);
        continue;
      }
      if (entry.expiredAt === null) forgetOlderCurrentKeys(entry, true);
      cache.set(entry.kid, cached);
    }
  };

  /** One shared read at a time: concurrent misses, whatever their kids, wait for the same Query. */
  const readShared = (): Promise<void> => {
    sharedRead ??= adoptShared().finally(() => {
      sharedRead = undefined;
    });
    return sharedRead;
  };

  /** Best effort: a shared-cache write that fails costs another container a bank call, nothing more. */
  const shareQuietly = async (what: string, write: () => Promise<void>): Promise<void> => {
    try {
      await write();
    } catch (error) {
      deps.log?.warn(`Shared webhook key cache: ${what} failed`, { error: errorName(error) });
    }
  };

  const fetchFromBank = async (kid: string): Promise<CachedKey> => {
    let jwk: WebhookVerificationKey;
    try {
      jwk = await deps.fetchKey(kid);
    } catch (error) {
      throw refuse('key-unavailable', error);
    }
    if (jwk.kid !== kid || jwk.alg !== 'ES256' || jwk.kty !== 'EC' || jwk.crv !== 'P-256') throw refuse('key-unusable');
    const fetchedAtMs = clock().getTime();
    let entry: CachedKey;
    if (isExpired(jwk.expiredAt, fetchedAtMs)) {
      entry = { status: 'expired', fetchedAtMs };
    } else {
      let key: CryptoKey | Uint8Array;
      try {
        key = await importKey(jwk);
      } catch (error) {
        throw refuse('key-unusable', error);
      }
      entry = { status: 'usable', key, createdAt: jwk.createdAt, expiredAt: jwk.expiredAt, fetchedAtMs };
    }
    askBank.delete(kid);
    const retired = entry.status === 'usable' && jwk.expiredAt === null ? forgetOlderCurrentKeys(jwk) : [];
    cache.set(kid, entry);
    if (!sharedKeys) return entry;
    if (entry.status === 'usable' && jwk.expiredAt === null) {
      for (const [other, createdAt] of sharedCurrent) {
        if (other !== kid && createdAt <= jwk.createdAt && !retired.includes(other)) retired.push(other);
      }
      for (const other of retired) sharedCurrent.delete(other);
    }
    const shared: SharedWebhookKey = {
      kid: jwk.kid,
      kty: jwk.kty,
      crv: jwk.crv,
      alg: jwk.alg,
      x: jwk.x,
      y: jwk.y,
      createdAt: jwk.createdAt,
      expiredAt: jwk.expiredAt,
      fetchedAt: Math.floor(fetchedAtMs / 1000),
    };
    await Promise.all([
      shareQuietly('put', () => sharedKeys.put(shared, cacheTtlSeconds)),
      retired.length > 0 ? shareQuietly('remove', () => sharedKeys.remove(retired)) : undefined,
    ]);
    return entry;
  };

  const load = async (kid: string): Promise<CachedKey> => {
    if (sharedKeys && !askBank.has(kid)) {
      await readShared();
      const shared = cache.get(kid);
      if (shared && isFresh(shared, clock().getTime())) return shared;
    }
    return fetchFromBank(kid);
  };

  /** Cached, or loaded once: concurrent webhooks naming the same new kid share one load. */
  const keyFor = (kid: string): Promise<CachedKey> => {
    const cached = cache.get(kid);
    if (cached && isFresh(cached, clock().getTime())) return Promise.resolve(cached);
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
  /**
   * US and Canadian items, 7 days ahead: the connection will stop working, because the person's
   * permission at the bank ends (`permission-ends`) or the bank changes how it connects
   * (`migration`). Tell the person why and when, and offer to reconnect.
   */
  | { kind: 'pending-disconnect'; itemId: string; disconnectAt?: Date; reason?: PendingDisconnectReason }
  /**
   * The person revoked access at Plaid or the bank: the revocation path. `accountId` is set for
   * USER_ACCOUNT_REVOKED, which revokes a single account of the item.
   */
  | { kind: 'permission-revoked'; itemId: string; accountId?: string }
  /** The item works again without update mode: clear the reconnect prompt. */
  | { kind: 'login-repaired'; itemId: string }
  | { kind: 'ignored'; webhookType: string; webhookCode: string };

export type PendingDisconnectReason = 'permission-ends' | 'migration';

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
/** Plaid's PendingDisconnectWebhookReason; one it adds later is read as no reason, keeping the warning. */
const disconnectReasons = { INSTITUTION_TOKEN_EXPIRATION: 'permission-ends', INSTITUTION_MIGRATION: 'migration' } as const satisfies Record<string, PendingDisconnectReason>;
const pendingDisconnect = z.object({
  item_id: itemId,
  disconnect_time: courtesyDate,
  reason: z.catch(z.nullish(z.enum(['INSTITUTION_TOKEN_EXPIRATION', 'INSTITUTION_MIGRATION'])), undefined),
});
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
      return {
        kind: 'pending-disconnect',
        itemId: body.item_id,
        ...(disconnectAt ? { disconnectAt } : {}),
        ...(body.reason ? { reason: disconnectReasons[body.reason] } : {}),
      };
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
