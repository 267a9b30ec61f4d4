import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { CompactSign, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import type { WebhookVerificationKey } from '../../../lib/banking/bank-connector';
import {
  createWebhookVerifier,
  parsePlaidWebhook,
  WebhookUnverified,
  type SharedWebhookKey,
  type SharedWebhookKeys,
  type WebhookVerifierDeps,
} from '../../../lib/banking/webhook-verification';
import { BankInvalidRequest, BankUnavailable, InvalidInput } from '../../../lib/errors';
import { unhandledDuring } from '../../support/async';
import { validateSchema } from '../../support/plaid-spec';

// ---- Prepare: keys, signing, a fake key endpoint, a settable clock ------------------------------

const T0 = new Date('2026-11-20T15:30:00Z');
const T0_SECONDS = T0.getTime() / 1000;

const BODY = Buffer.from(
  JSON.stringify(
    { webhook_type: 'TRANSACTIONS', webhook_code: 'SYNC_UPDATES_AVAILABLE', item_id: 'item-1', initial_update_complete: true, historical_update_complete: true, environment: 'sandbox' },
    null,
    2,
  ),
  'utf8',
);

const sha256Hex = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: WebhookVerificationKey;
}

async function newKey(kid: string, times: { createdAt?: number; expiredAt?: number | null } = {}): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const { x, y } = await exportJWK(publicKey);
  return {
    kid,
    privateKey,
    jwk: { kid, alg: 'ES256', crv: 'P-256', kty: 'EC', x: x!, y: y!, createdAt: times.createdAt ?? T0_SECONDS - 86_400, expiredAt: times.expiredAt ?? null },
  };
}

interface SignOptions {
  iat?: number | null;
  hash?: unknown;
  header?: Record<string, unknown>;
}

/** A `Plaid-Verification` header as Plaid builds it, with any part overridable. */
function sign(key: SigningKey, body: Uint8Array = BODY, options: SignOptions = {}): Promise<string> {
  const payload: JWTPayload = { request_body_sha256: options.hash === undefined ? sha256Hex(body) : options.hash };
  const iat = options.iat === undefined ? T0_SECONDS : options.iat;
  if (iat !== null) payload.iat = iat;
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT', ...options.header }).sign(key.privateKey);
}

/** The same token with its protected header replaced (the signature no longer covers it). */
const withHeader = (token: string, header: Record<string, unknown>) => {
  const [, payload, signature] = token.split('.');
  return `${b64url(header)}.${payload}.${signature}`;
};

/** The bank's key endpoint: counts requests per kid, can fail, and can hold answers back. */
function fakeKeyEndpoint(...keys: SigningKey[]) {
  const published = new Map(keys.map((k) => [k.kid, k.jwk]));
  const calls: string[] = [];
  let failures = 0;
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  return {
    calls,
    callsFor: (kid: string) => calls.filter((c) => c === kid).length,
    publish: (jwk: WebhookVerificationKey) => published.set(jwk.kid, jwk),
    failNext: (count: number) => {
      failures = count;
    },
    hold: () => {
      gate = new Promise((resolve) => (open = resolve));
    },
    release: () => open?.(),
    fetchKey: async (kid: string): Promise<WebhookVerificationKey> => {
      calls.push(kid);
      if (gate) await gate;
      if (failures > 0) {
        failures -= 1;
        throw new BankUnavailable('Plaid /webhook_verification_key/get failed: 503');
      }
      const jwk = published.get(kid);
      if (!jwk) throw new BankInvalidRequest('Plaid /webhook_verification_key/get: INVALID_WEBHOOK_VERIFICATION_KEY_ID');
      return jwk;
    },
  };
}

function settableClock(start = T0) {
  let now = start;
  return {
    clock: () => now,
    set: (date: Date) => {
      now = date;
    },
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

function verifierWith(endpoint: ReturnType<typeof fakeKeyEndpoint>, deps: Partial<WebhookVerifierDeps> = {}) {
  const time = settableClock();
  const verifier = createWebhookVerifier({ fetchKey: endpoint.fetchKey, clock: time.clock, ...deps });
  return { verifier, time };
}

/** The refusal a verification ended with; fails the test if it resolved or threw anything else. */
async function refusal(verification: Promise<void>): Promise<WebhookUnverified> {
  const error = await verification.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookUnverified);
  return error as WebhookUnverified;
}

const flipByte = (bytes: Uint8Array, index: number, mask = 0x01) => {
  const copy = Buffer.from(bytes);
  copy[index] = copy[index]! ^ mask;
  return copy;
};

// ---- createWebhookVerifier -----------------------------------------------------------------------

describe('createWebhookVerifier: what Plaid sends', () => {
  it('accepts a webhook signed with the current key over the exact body', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));

    await expect(verifier.verify(BODY, await sign(key))).resolves.toBeUndefined();
  });

  it('answers every refusal with the same generic 401, keeping the failed check for logs only', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));

    const refusals = await Promise.all([
      refusal(verifier.verify(BODY, undefined)),
      refusal(verifier.verify(BODY, withHeader(await sign(key), { alg: 'ES384', kid: key.kid }))),
      refusal(verifier.verify(flipByte(BODY, 3), await sign(key))),
    ]);

    expect(refusals.map((r) => r.reason)).toEqual(['missing-header', 'algorithm-not-allowed', 'body-mismatch']);
    expect(new Set(refusals.map((r) => r.message)).size).toBe(1);
    expect(refusals[0]).toMatchObject({ statusCode: 401, expose: true, retryable: false, name: 'WebhookUnverified' });
    expect(refusals[0]!.message).not.toMatch(/alg|kid|hash|sha|expired|body/i);
  });

  it.each([undefined, ''])('refuses a webhook without a Plaid-Verification header (%j)', async (header) => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));

    expect((await refusal(verifier.verify(BODY, header))).reason).toBe('missing-header');
  });
});

describe('createWebhookVerifier: algorithm', () => {
  it('refuses HS256 signed with a secret, without asking the bank for a key', async () => {
    const key = await newKey('kid-current');
    const endpoint = fakeKeyEndpoint(key);
    const { verifier } = verifierWith(endpoint);
    const forged = await new SignJWT({ iat: T0_SECONDS, request_body_sha256: sha256Hex(BODY) })
      .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' })
      .sign(new TextEncoder().encode('a-shared-secret-the-attacker-chose'));

    expect((await refusal(verifier.verify(BODY, forged))).reason).toBe('algorithm-not-allowed');
    expect(endpoint.calls).toEqual([]);
  });

  it('refuses HS256 keyed with the public key itself (algorithm confusion)', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));
    const forged = await new SignJWT({ iat: T0_SECONDS, request_body_sha256: sha256Hex(BODY) })
      .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' })
      .sign(new TextEncoder().encode(JSON.stringify(key.jwk)));

    expect((await refusal(verifier.verify(BODY, forged))).reason).toBe('algorithm-not-allowed');
  });

  it.each(['none', 'None', 'NONE'])('refuses an unsigned token with alg %s', async (alg) => {
    const key = await newKey('kid-current');
    const endpoint = fakeKeyEndpoint(key);
    const { verifier } = verifierWith(endpoint);
    const unsigned = `${b64url({ alg, kid: key.kid, typ: 'JWT' })}.${b64url({ iat: T0_SECONDS, request_body_sha256: sha256Hex(BODY) })}.`;

    expect((await refusal(verifier.verify(BODY, unsigned))).reason).toBe('algorithm-not-allowed');
    expect(endpoint.calls).toEqual([]);
  });

  it.each(['RS256', 'ES384', 'ES512', 'PS256', 'EdDSA'] as const)('refuses a token genuinely signed with %s', async (alg) => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));
    const other = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
    const token = await new SignJWT({ iat: T0_SECONDS, request_body_sha256: sha256Hex(BODY) })
      .setProtectedHeader({ alg, kid: key.kid, typ: 'JWT' })
      .sign(other.privateKey);

    expect((await refusal(verifier.verify(BODY, token))).reason).toBe('algorithm-not-allowed');
  });

  it('refuses "es256" in lower case: the algorithm must match exactly', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));
    const token = withHeader(await sign(key), { alg: 'es256', kid: key.kid, typ: 'JWT' });

    expect((await refusal(verifier.verify(BODY, token))).reason).toBe('algorithm-not-allowed');
  });

  it('refuses an ES256 token signed by another key under the bank’s kid', async () => {
    const key = await newKey('kid-current');
    const impostor = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));

    expect((await refusal(verifier.verify(BODY, await sign(impostor)))).reason).toBe('invalid-token');
  });

  it('refuses a valid signature whose signature segment was altered', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));
    const [header, payload, signature] = (await sign(key)).split('.');
    const altered = Buffer.from(signature!, 'base64url');
    altered[10] = altered[10]! ^ 0x01;

    expect((await refusal(verifier.verify(BODY, `${header}.${payload}.${altered.toString('base64url')}`))).reason).toBe('invalid-token');
  });
});

describe('createWebhookVerifier: key id and key lookup', () => {
  it('refuses a token without kid, without asking the bank', async () => {
    const key = await newKey('kid-current');
    const endpoint = fakeKeyEndpoint(key);
    const { verifier } = verifierWith(endpoint);
    const token = await new SignJWT({ iat: T0_SECONDS, request_body_sha256: sha256Hex(BODY) })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .sign(key.privateKey);

    expect((await refusal(verifier.verify(BODY, token))).reason).toBe('bad-key-id');
    expect(endpoint.calls).toEqual([]);
  });

  it.each([['../../webhook'], ['x'.repeat(129)], [''], ['kid with spaces']])('refuses kid %j without asking the bank', async (kid) => {
    const key = await newKey('kid-current');
    const endpoint = fakeKeyEndpoint(key);
    const { verifier } = verifierWith(endpoint);

    expect((await refusal(verifier.verify(BODY, await sign(key, BODY, { header: { kid } })))).reason).toBe('bad-key-id');
    expect(endpoint.calls).toEqual([]);
  });

  it('refuses a non-string kid', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));

    expect((await refusal(verifier.verify(BODY, await sign(key, BODY, { header: { kid: 42 } })))).reason).toBe('bad-key-id');
  });

  it('fetches an unknown kid once for five concurrent webhooks, then serves it from the cache', async () => {
    const key = await newKey('kid-new');
    const endpoint = fakeKeyEndpoint(key);
    const { verifier } = verifierWith(endpoint);
    const token = await sign(key);
    endpoint.hold();

    const concurrent = Promise.all(Array.from({ length: 5 }, () => verifier.verify(BODY, token)));
    endpoint.release();
    await expect(concurrent).resolves.toHaveLength(5);
    await verifier.verify(BODY, token);

    expect(endpoint.callsFor('kid-new')).toBe(1);
  });

  it('refuses when the key cannot be fetched, and does not cache the failure', async () => {
    const key = await newKey('kid-current');
    const endpoint = fakeKeyEndpoint(key);
    const { verifier } = verifierWith(endpoint);
    const token = await sign(key);
    endpoint.failNext(1);

    const refused = await refusal(verifier.verify(BODY, token));
    await expect(verifier.verify(BODY, token)).resolves.toBeUndefined();

    expect(refused.reason).toBe('key-unavailable');
    expect(refused.cause).toBeInstanceOf(BankUnavailable);
    expect(endpoint.callsFor('kid-current')).toBe(2);
  });

  it('shares one failed fetch among concurrent webhooks, then tries again for the next one', async () => {
    const key = await newKey('kid-current');
    const endpoint = fakeKeyEndpoint(key);
    const { verifier } = verifierWith(endpoint);
    const token = await sign(key);
    endpoint.failNext(1);
    endpoint.hold();

    const concurrent = Promise.allSettled(Array.from({ length: 3 }, () => verifier.verify(BODY, token)));
    endpoint.release();
    const outcomes = await concurrent;
    await verifier.verify(BODY, token);

    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(endpoint.callsFor('kid-current')).toBe(2);
  });

  it('refuses a kid the bank does not know', async () => {
    const key = await newKey('kid-unpublished');
    const { verifier } = verifierWith(fakeKeyEndpoint());

    expect((await refusal(verifier.verify(BODY, await sign(key)))).reason).toBe('key-unavailable');
  });

  it.each([
    ['a different kid', { kid: 'kid-other' }],
    ['alg ES384', { alg: 'ES384' }],
    ['curve P-384', { crv: 'P-384' }],
    ['kty RSA', { kty: 'RSA' }],
  ])('refuses a key the bank returns with %s', async (_what, change) => {
    const key = await newKey('kid-current');
    const endpoint = fakeKeyEndpoint(key);
    const { verifier } = verifierWith(endpoint, { fetchKey: async (kid) => ({ ...(await endpoint.fetchKey(kid)), ...change }) });

    expect((await refusal(verifier.verify(BODY, await sign(key)))).reason).toBe('key-unusable');
  });

  it('refuses a key whose coordinates are not a P-256 point', async () => {
    const key = await newKey('kid-current');
    const endpoint = fakeKeyEndpoint();
    endpoint.publish({ ...key.jwk, x: 'AAAA', y: 'AAAA' });
    const { verifier } = verifierWith(endpoint);

    expect((await refusal(verifier.verify(BODY, await sign(key)))).reason).toBe('key-unusable');
  });

  it('fetches the key again once the cache lifetime has passed', async () => {
    const key = await newKey('kid-current');
    const endpoint = fakeKeyEndpoint(key);
    const { verifier, time } = verifierWith(endpoint, { keyCacheTtlSeconds: 3_600 });

    await verifier.verify(BODY, await sign(key));
    time.advance(3_599_000);
    await verifier.verify(BODY, await sign(key, BODY, { iat: time.clock().getTime() / 1000 }));
    time.advance(1_000);
    await verifier.verify(BODY, await sign(key, BODY, { iat: time.clock().getTime() / 1000 }));

    expect(endpoint.callsFor('kid-current')).toBe(2);
  });
});

describe('createWebhookVerifier: expired keys', () => {
  it('refuses a webhook signed with a key that has expired, and does not fetch that key again', async () => {
    const key = await newKey('kid-old', { expiredAt: T0_SECONDS - 60 });
    const endpoint = fakeKeyEndpoint(key);
    const { verifier } = verifierWith(endpoint);
    const token = await sign(key);

    const first = await refusal(verifier.verify(BODY, token));
    const second = await refusal(verifier.verify(BODY, token));

    expect([first.reason, second.reason]).toEqual(['key-expired', 'key-expired']);
    expect(endpoint.callsFor('kid-old')).toBe(1);
  });

  it('refuses a key whose expiry is this very second', async () => {
    const key = await newKey('kid-old', { expiredAt: T0_SECONDS });
    const { verifier } = verifierWith(fakeKeyEndpoint(key));

    expect((await refusal(verifier.verify(BODY, await sign(key)))).reason).toBe('key-expired');
  });

  it('uses a key with a scheduled expiry until that instant, then refuses it from the cache', async () => {
    const key = await newKey('kid-retiring', { expiredAt: T0_SECONDS + 120 });
    const endpoint = fakeKeyEndpoint(key);
    const { verifier, time } = verifierWith(endpoint);

    await verifier.verify(BODY, await sign(key));
    time.advance(120_000);
    const refused = await refusal(verifier.verify(BODY, await sign(key, BODY, { iat: T0_SECONDS + 120 })));

    expect(refused.reason).toBe('key-expired');
    expect(endpoint.callsFor('kid-retiring')).toBe(1);
  });

  it('re-reads a cached key once a newer key shows up, and refuses it if the rotation expired it', async () => {
    const old = await newKey('kid-old', { createdAt: T0_SECONDS - 86_400 });
    const endpoint = fakeKeyEndpoint(old);
    const { verifier } = verifierWith(endpoint);
    const oldToken = await sign(old);
    await verifier.verify(BODY, oldToken);
    // The bank rotates: the old key gets expired_at, the new one signs from now on.
    const fresh = await newKey('kid-new', { createdAt: T0_SECONDS });
    endpoint.publish({ ...old.jwk, expiredAt: T0_SECONDS });
    endpoint.publish(fresh.jwk);

    await verifier.verify(BODY, await sign(fresh));
    const refused = await refusal(verifier.verify(BODY, oldToken));

    expect(refused.reason).toBe('key-expired');
    expect(endpoint.calls).toEqual(['kid-old', 'kid-new', 'kid-old']);
  });

  it('keeps a cached key that is newer than the one just fetched', async () => {
    const newer = await newKey('kid-newer', { createdAt: T0_SECONDS });
    const older = await newKey('kid-older', { createdAt: T0_SECONDS - 86_400 });
    const endpoint = fakeKeyEndpoint(newer, older);
    const { verifier } = verifierWith(endpoint);

    await verifier.verify(BODY, await sign(newer));
    await verifier.verify(BODY, await sign(older));
    await verifier.verify(BODY, await sign(newer));

    expect(endpoint.calls).toEqual(['kid-newer', 'kid-older']);
  });
});

// ---- The shared key cache ------------------------------------------------------------------------

/** A shared-cache entry as the store keeps it: the bank's key and when it was fetched. */
const entryOf = (key: SigningKey, fetchedAt = T0_SECONDS - 3_600, change: Record<string, unknown> = {}): Record<string, unknown> => ({ ...key.jwk, fetchedAt, ...change });

/** The cache every container shares: counts reads, records writes, can fail, can hold reads back. */
function fakeSharedKeys(...initial: Record<string, unknown>[]) {
  const entries = new Map<unknown, Record<string, unknown>>(initial.map((e, i) => [e.kid ?? `foreign-${i}`, e]));
  const puts: { key: SharedWebhookKey; keepSeconds: number }[] = [];
  const removes: string[][] = [];
  const failing = { list: 0, put: 0, remove: 0 };
  let reads = 0;
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  return {
    entries,
    puts,
    removes,
    reads: () => reads,
    fail: (what: keyof typeof failing, count = 1) => {
      failing[what] = count;
    },
    hold: () => {
      gate = new Promise((resolve) => (open = resolve));
    },
    release: () => open?.(),
    sharedKeys: {
      list: async () => {
        reads += 1;
        if (gate) await gate;
        if (failing.list-- > 0) throw new Error('DynamoDB: request timed out');
        return [...entries.values()];
      },
      put: async (key: SharedWebhookKey, keepSeconds: number) => {
        puts.push({ key, keepSeconds });
        if (failing.put-- > 0) throw new Error('DynamoDB: throttled');
        entries.set(key.kid, { ...key });
      },
      remove: async (kids: string[]) => {
        removes.push(kids);
        if (failing.remove-- > 0) throw new Error('DynamoDB: throttled');
        for (const kid of kids) entries.delete(kid);
      },
    } satisfies SharedWebhookKeys,
  };
}

/** A container: a verifier on the bank's key endpoint and the shared cache, noting its warnings. */
function containerWith(endpoint: ReturnType<typeof fakeKeyEndpoint>, shared: ReturnType<typeof fakeSharedKeys>, deps: Partial<WebhookVerifierDeps> = {}) {
  const warnings: string[] = [];
  const { verifier, time } = verifierWith(endpoint, { sharedKeys: shared.sharedKeys, log: { warn: (message: string) => void warnings.push(message) }, ...deps });
  return { verifier, time, warnings };
}

describe('createWebhookVerifier: the shared key cache', () => {
  it('verifies with a key from the shared cache without asking the bank', async () => {
    const key = await newKey('kid-current');
    const endpoint = fakeKeyEndpoint(key);
    const shared = fakeSharedKeys(entryOf(key));
    const { verifier } = containerWith(endpoint, shared);

    await expect(verifier.verify(BODY, await sign(key))).resolves.toBeUndefined();

    expect(endpoint.calls).toEqual([]);
    expect(shared.reads()).toBe(1);
  });

  it('warms every key of the shared cache with its one read', async () => {
    const a = await newKey('kid-a', { createdAt: T0_SECONDS - 86_400 });
    const b = await newKey('kid-b', { createdAt: T0_SECONDS - 86_400, expiredAt: T0_SECONDS + 3_600 });
    const endpoint = fakeKeyEndpoint(a, b);
    const shared = fakeSharedKeys(entryOf(a), entryOf(b));
    const { verifier } = containerWith(endpoint, shared);

    await verifier.verify(BODY, await sign(a));
    await verifier.verify(BODY, await sign(b));

    expect(shared.reads()).toBe(1);
    expect(endpoint.calls).toEqual([]);
  });

  it('fetches a key the shared cache lacks from the bank once, and shares it for the cache lifetime', async () => {
    const key = await newKey('kid-new');
    const endpoint = fakeKeyEndpoint(key);
    const shared = fakeSharedKeys();
    const first = containerWith(endpoint, shared);
    const token = await sign(key);

    await first.verifier.verify(BODY, token);
    await first.verifier.verify(BODY, token);
    const second = containerWith(endpoint, shared);
    await second.verifier.verify(BODY, token);

    expect(endpoint.callsFor('kid-new')).toBe(1);
    expect(shared.puts).toEqual([{ key: { ...key.jwk, fetchedAt: T0_SECONDS }, keepSeconds: 86_400 }]);
    expect(shared.reads()).toBe(2);
  });

  it('shares only the public key fields the bank returned, and the fetch time', async () => {
    const key = await newKey('kid-new');
    const endpoint = fakeKeyEndpoint(key);
    const shared = fakeSharedKeys();
    const { verifier } = containerWith(endpoint, shared, { fetchKey: async (kid) => ({ ...(await endpoint.fetchKey(kid)), use: 'sig', d: 'not-ours-to-keep' }) as WebhookVerificationKey });

    await verifier.verify(BODY, await sign(key));

    expect(Object.keys(shared.puts[0]!.key).sort()).toEqual(['alg', 'createdAt', 'crv', 'expiredAt', 'fetchedAt', 'kid', 'kty', 'x', 'y']);
  });

  it.each([
    ['without y', { y: undefined }],
    ['with alg HS256', { alg: 'HS256' }],
    ['with kty RSA', { kty: 'RSA' }],
    ['with curve P-384', { crv: 'P-384' }],
    ['with a coordinate that is not base64url', { x: 'not base64url!' }],
    ['with fetchedAt as a string', { fetchedAt: String(T0_SECONDS) }],
    ['without fetchedAt', { fetchedAt: undefined }],
    ['with createdAt missing', { createdAt: undefined }],
    ['with expiredAt as a date string', { expiredAt: '2026-11-20T15:30:00Z' }],
    ['whose coordinates are not a P-256 point', { x: 'AAAA', y: 'AAAA' }],
  ])('ignores a shared entry %s and asks the bank', async (_what, change) => {
    const key = await newKey('kid-current');
    const endpoint = fakeKeyEndpoint(key);
    const { verifier } = containerWith(endpoint, fakeSharedKeys(entryOf(key, T0_SECONDS - 3_600, change)));

    await expect(verifier.verify(BODY, await sign(key))).resolves.toBeUndefined();

    expect(endpoint.callsFor('kid-current')).toBe(1);
  });

  it('ignores items that are not key entries at all, and still uses the valid ones', async () => {
    const key = await newKey('kid-current');
    const endpoint = fakeKeyEndpoint(key);
    const shared = fakeSharedKeys({ note: 'a foreign item' }, entryOf(key));
    shared.entries.set('null', null as unknown as Record<string, unknown>);
    const { verifier } = containerWith(endpoint, shared);

    await expect(verifier.verify(BODY, await sign(key))).resolves.toBeUndefined();

    expect(endpoint.calls).toEqual([]);
  });

  it('never trusts a shared entry under another key’s kid: the bank’s key decides', async () => {
    const key = await newKey('kid-current');
    const impostor = await newKey('kid-current');
    const endpoint = fakeKeyEndpoint(key);
    // A copy whose kid field and key disagree is just a key for the kid it names: the signature fails.
    const { verifier } = containerWith(endpoint, fakeSharedKeys(entryOf(impostor)));

    expect((await refusal(verifier.verify(BODY, await sign(key)))).reason).toBe('invalid-token');
  });

  it.each([
    ['fetched exactly the cache lifetime ago', -86_400, false],
    ['fetched a day and a second ago', -86_401, false],
    ['fetched a second short of the cache lifetime ago', -86_399, true],
    ['stamped a second ahead of our clock', 1, true],
    ['stamped an hour ahead of our clock', 3_600, false],
  ] as const)('with a shared entry %s, uses it = %s', async (_what, offsetSeconds, used) => {
    const key = await newKey('kid-current');
    const endpoint = fakeKeyEndpoint(key);
    const { verifier } = containerWith(endpoint, fakeSharedKeys(entryOf(key, T0_SECONDS + offsetSeconds)));

    await verifier.verify(BODY, await sign(key));

    expect(endpoint.callsFor('kid-current')).toBe(used ? 0 : 1);
  });

  it('trusts a shared key until its own fetch time plus the lifetime, not the time it was read', async () => {
    const key = await newKey('kid-current');
    const endpoint = fakeKeyEndpoint(key);
    const shared = fakeSharedKeys(entryOf(key, T0_SECONDS - 3_500));
    const { verifier, time } = containerWith(endpoint, shared, { keyCacheTtlSeconds: 3_600 });

    await verifier.verify(BODY, await sign(key));
    time.advance(99_000);
    await verifier.verify(BODY, await sign(key, BODY, { iat: time.clock().getTime() / 1000 }));
    time.advance(1_000);
    await verifier.verify(BODY, await sign(key, BODY, { iat: time.clock().getTime() / 1000 }));

    expect(endpoint.callsFor('kid-current')).toBe(1);
    expect(shared.puts.map((p) => p.key.fetchedAt)).toEqual([T0_SECONDS + 100]);
  });

  it('asks the bank when the shared cache cannot be read, and reads it again for the next miss', async () => {
    const key = await newKey('kid-current');
    const other = await newKey('kid-other');
    const endpoint = fakeKeyEndpoint(key, other);
    const shared = fakeSharedKeys(entryOf(other));
    shared.fail('list');
    const { verifier, warnings } = containerWith(endpoint, shared);

    await expect(verifier.verify(BODY, await sign(key))).resolves.toBeUndefined();
    await expect(verifier.verify(BODY, await sign(other))).resolves.toBeUndefined();

    expect(endpoint.calls).toEqual(['kid-current']);
    expect(shared.reads()).toBe(2);
    expect(warnings).toEqual(['Shared webhook key cache unreadable; asking the bank']);
  });

  it('verifies even when sharing the fetched key fails, with nothing left unhandled', async () => {
    const key = await newKey('kid-new');
    const endpoint = fakeKeyEndpoint(key);
    const shared = fakeSharedKeys();
    shared.fail('put');
    const { verifier, warnings } = containerWith(endpoint, shared);
    const token = await sign(key);

    const unhandled = await unhandledDuring(() => verifier.verify(BODY, token));
    await verifier.verify(BODY, token);

    expect(unhandled).toEqual([]);
    expect(endpoint.callsFor('kid-new')).toBe(1);
    expect(warnings).toEqual(['Shared webhook key cache: put failed']);
  });

  it('shares one read among concurrent webhooks, whatever their kids, and one bank fetch per kid', async () => {
    const cached = await newKey('kid-cached');
    const fresh = await newKey('kid-fresh');
    const endpoint = fakeKeyEndpoint(cached, fresh);
    const shared = fakeSharedKeys(entryOf(cached));
    const { verifier } = containerWith(endpoint, shared);
    const tokens = [await sign(cached), await sign(fresh)];
    shared.hold();

    const concurrent = Promise.all(Array.from({ length: 6 }, (_, i) => verifier.verify(BODY, tokens[i % 2]!)));
    shared.release();
    await expect(concurrent).resolves.toHaveLength(6);

    expect(shared.reads()).toBe(1);
    expect(endpoint.calls).toEqual(['kid-fresh']);
    expect(shared.puts).toHaveLength(1);
  });

  it('refuses a webhook under a key the shared cache holds as expired, without asking the bank', async () => {
    const key = await newKey('kid-old', { expiredAt: T0_SECONDS - 60 });
    const endpoint = fakeKeyEndpoint(key);
    const { verifier } = containerWith(endpoint, fakeSharedKeys(entryOf(key)));

    expect((await refusal(verifier.verify(BODY, await sign(key)))).reason).toBe('key-expired');
    expect(endpoint.calls).toEqual([]);
  });

  it('uses a shared key with a scheduled expiry until that instant, then refuses it', async () => {
    const key = await newKey('kid-retiring', { expiredAt: T0_SECONDS + 120 });
    const endpoint = fakeKeyEndpoint(key);
    const { verifier, time } = containerWith(endpoint, fakeSharedKeys(entryOf(key)));

    await verifier.verify(BODY, await sign(key));
    time.advance(120_000);

    expect((await refusal(verifier.verify(BODY, await sign(key, BODY, { iat: T0_SECONDS + 120 })))).reason).toBe('key-expired');
    expect(endpoint.calls).toEqual([]);
  });

  it('shares a key the bank reports expired, so other containers refuse it without asking', async () => {
    const key = await newKey('kid-old', { expiredAt: T0_SECONDS - 60 });
    const endpoint = fakeKeyEndpoint(key);
    const shared = fakeSharedKeys();
    const token = await sign(key);

    await refusal(containerWith(endpoint, shared).verifier.verify(BODY, token));
    const refused = await refusal(containerWith(endpoint, shared).verifier.verify(BODY, token));

    expect(refused.reason).toBe('key-expired');
    expect(endpoint.callsFor('kid-old')).toBe(1);
  });
});

describe('createWebhookVerifier: rotation with the shared key cache', () => {
  /** The bank rotates: the old key gets expired_at, the new one signs from now on. */
  async function rotation() {
    const old = await newKey('kid-old', { createdAt: T0_SECONDS - 86_400 });
    const fresh = await newKey('kid-new', { createdAt: T0_SECONDS });
    const endpoint = fakeKeyEndpoint(old);
    const rotate = () => {
      endpoint.publish({ ...old.jwk, expiredAt: T0_SECONDS });
      endpoint.publish(fresh.jwk);
    };
    return { old, fresh, endpoint, rotate };
  }

  it('a newer key from the bank retires older current keys in memory and in the shared cache; their re-read asks the bank', async () => {
    const { old, fresh, endpoint, rotate } = await rotation();
    const shared = fakeSharedKeys(entryOf(old));
    const { verifier } = containerWith(endpoint, shared);
    const oldToken = await sign(old);
    await verifier.verify(BODY, oldToken);
    rotate();

    await verifier.verify(BODY, await sign(fresh));
    const refused = await refusal(verifier.verify(BODY, oldToken));

    expect(refused.reason).toBe('key-expired');
    expect(endpoint.calls).toEqual(['kid-new', 'kid-old']);
    expect(shared.removes).toEqual([['kid-old']]);
    // What the bank now says about the old key is shared too: expired.
    expect(shared.entries.get('kid-old')).toMatchObject({ expiredAt: T0_SECONDS });
  });

  it('re-reads a retired key from the bank even when the shared cache still holds its current copy', async () => {
    const { old, fresh, endpoint, rotate } = await rotation();
    const shared = fakeSharedKeys(entryOf(old));
    shared.fail('remove');
    const { verifier, warnings } = containerWith(endpoint, shared);
    const oldToken = await sign(old);
    await verifier.verify(BODY, oldToken);
    rotate();

    await verifier.verify(BODY, await sign(fresh));
    const readsBefore = shared.reads();
    const refused = await refusal(verifier.verify(BODY, oldToken));

    expect(refused.reason).toBe('key-expired');
    expect(shared.reads()).toBe(readsBefore);
    expect(endpoint.calls).toEqual(['kid-new', 'kid-old']);
    expect(warnings).toEqual(['Shared webhook key cache: remove failed']);
  });

  it('removes every older current key the shared cache lists, also those this container did not trust', async () => {
    const { old, fresh, endpoint, rotate } = await rotation();
    const middle = await newKey('kid-middle', { createdAt: T0_SECONDS - 3_600 });
    const shared = fakeSharedKeys(entryOf(old), entryOf(middle));
    const { verifier } = containerWith(endpoint, shared);
    rotate();

    await verifier.verify(BODY, await sign(fresh));

    expect(shared.removes.map((kids) => kids.slice().sort())).toEqual([['kid-middle', 'kid-old']]);
    expect([...shared.entries.keys()]).toEqual(['kid-new']);
  });

  it.each([
    ['older first', false],
    ['newer first', true],
  ])('does not trust an older current key the shared cache lists next to a newer one (%s)', async (_order, newerFirst) => {
    const { old, fresh, endpoint, rotate } = await rotation();
    rotate();
    const listed = [entryOf(old), entryOf(fresh)];
    const { verifier } = containerWith(endpoint, fakeSharedKeys(...(newerFirst ? listed.reverse() : listed)));

    const refused = await refusal(verifier.verify(BODY, await sign(old)));
    await verifier.verify(BODY, await sign(fresh));

    expect(refused.reason).toBe('key-expired');
    expect(endpoint.calls).toEqual(['kid-old']);
  });

  it('learns of a rotation from a newer key in the shared cache: the old key’s next use asks the bank', async () => {
    const { old, fresh, endpoint, rotate } = await rotation();
    const shared = fakeSharedKeys();
    const { verifier } = containerWith(endpoint, shared);
    const oldToken = await sign(old);
    await verifier.verify(BODY, oldToken);
    // Another container fetched the new key first and shared it.
    rotate();
    shared.entries.set('kid-new', entryOf(fresh, T0_SECONDS));

    await verifier.verify(BODY, await sign(fresh));
    const refused = await refusal(verifier.verify(BODY, oldToken));

    expect(refused.reason).toBe('key-expired');
    expect(endpoint.calls).toEqual(['kid-old', 'kid-old']);
  });

  it('keeps an older key the bank still reports current after a re-read, alongside the newer one', async () => {
    const { old, fresh, endpoint } = await rotation();
    endpoint.publish(fresh.jwk);
    const shared = fakeSharedKeys(entryOf(old), entryOf(fresh));
    const { verifier } = containerWith(endpoint, shared);

    await verifier.verify(BODY, await sign(old));
    await verifier.verify(BODY, await sign(fresh));
    await verifier.verify(BODY, await sign(old));

    expect(endpoint.calls).toEqual(['kid-old']);
    expect(shared.removes).toEqual([]);
  });
});

describe('createWebhookVerifier: freshness (|now − iat| ≤ 300 s)', () => {
  it.each([
    ['299 s old', -299, true],
    ['exactly 300 s old', -300, true],
    ['301 s old', -301, false],
    ['an hour old', -3_600, false],
    ['issued now', 0, true],
    ['299 s ahead of our clock', 299, true],
    ['301 s ahead of our clock', 301, false],
    ['a day ahead of our clock', 86_400, false],
  ] as const)('with iat %s (offset %i s): accepted = %s', async (_label, offsetSeconds, accepted) => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));
    const verification = verifier.verify(BODY, await sign(key, BODY, { iat: T0_SECONDS + offsetSeconds }));

    if (accepted) await expect(verification).resolves.toBeUndefined();
    else expect((await refusal(verification)).reason).toBe(offsetSeconds < 0 ? 'too-old' : 'issued-in-future');
  });

  it('refuses a webhook 300.001 s old: the clock is read to the millisecond', async () => {
    const key = await newKey('kid-current');
    const { verifier, time } = verifierWith(fakeKeyEndpoint(key));
    time.set(new Date(T0.getTime() + 300_001));

    expect((await refusal(verifier.verify(BODY, await sign(key)))).reason).toBe('too-old');
  });

  it('applies a configured maximum age', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key), { maxAgeSeconds: 60 });

    expect((await refusal(verifier.verify(BODY, await sign(key, BODY, { iat: T0_SECONDS - 61 })))).reason).toBe('too-old');
  });

  it('refuses a token without iat', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));

    expect((await refusal(verifier.verify(BODY, await sign(key, BODY, { iat: null })))).reason).toBe('missing-iat');
  });

  it('refuses a token whose iat is not a number', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));
    const token = await new CompactSign(new TextEncoder().encode(JSON.stringify({ iat: String(T0_SECONDS), request_body_sha256: sha256Hex(BODY) })))
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey);

    // jose itself rejects a JWT whose iat is not a number, before our own check.
    expect((await refusal(verifier.verify(BODY, token))).reason).toBe('invalid-token');
  });

  it('refuses a token carrying an exp that has passed', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));
    const token = await new SignJWT({ iat: T0_SECONDS - 10, exp: T0_SECONDS - 5, request_body_sha256: sha256Hex(BODY) })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey);

    expect((await refusal(verifier.verify(BODY, token))).reason).toBe('invalid-token');
  });
});

describe('createWebhookVerifier: body hash', () => {
  it('refuses a body with one changed byte', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));
    const token = await sign(key);

    expect((await refusal(verifier.verify(flipByte(BODY, 40), token))).reason).toBe('body-mismatch');
  });

  it('refuses any single-byte change anywhere in the body (property)', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));
    const token = await sign(key);

    await fc.assert(
      fc.asyncProperty(fc.nat({ max: BODY.length - 1 }), fc.integer({ min: 1, max: 255 }), async (index, mask) => {
        const refused = await refusal(verifier.verify(flipByte(BODY, index, mask), token));
        expect(refused.reason).toBe('body-mismatch');
      }),
      { numRuns: 200 },
    );
  });

  it('refuses the re-serialised body: the hash covers the bytes Plaid sent', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(BODY.toString('utf8'))), 'utf8');

    expect((await refusal(verifier.verify(reserialised, await sign(key)))).reason).toBe('body-mismatch');
  });

  it.each([
    ['63 hex digits', sha256Hex(BODY).slice(0, 63)],
    ['65 hex digits', `${sha256Hex(BODY)}0`],
    ['an empty string', ''],
    ['the hash in upper case', sha256Hex(BODY).toUpperCase()],
    ['the hash in base64', createHash('sha256').update(BODY).digest('base64')],
    ['64 multi-byte characters', 'é'.repeat(64)],
    ['a number', 42],
    ['null', null],
    ['an object', { sha256: sha256Hex(BODY) }],
  ])('refuses request_body_sha256 given as %s, with nothing but WebhookUnverified', async (_what, hash) => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));

    expect((await refusal(verifier.verify(BODY, await sign(key, BODY, { hash })))).reason).toBe('body-mismatch');
  });

  it('accepts an empty body when the hash is that of the empty body', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));
    const empty = new Uint8Array(0);

    await expect(verifier.verify(empty, await sign(key, empty))).resolves.toBeUndefined();
  });
});

describe('createWebhookVerifier: hostile headers (property)', () => {
  it('refuses arbitrary strings with WebhookUnverified and nothing else', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));

    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (header) => {
        await refusal(verifier.verify(BODY, header));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses well-formed-looking tokens with arbitrary JSON header and payload', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));
    const segment = fc.oneof(fc.jsonValue().map(b64url), fc.base64String().map((s) => s.replace(/=+$/, '')), fc.string());
    const header = fc.oneof(
      fc.record({ alg: fc.constantFrom('ES256', 'HS256', 'none', 'RS256'), kid: fc.oneof(fc.constant(key.kid), fc.string(), fc.integer()), typ: fc.constant('JWT') }).map(b64url),
      segment,
    );

    await fc.assert(
      fc.asyncProperty(fc.tuple(header, segment, segment), async (parts) => {
        await refusal(verifier.verify(BODY, parts.join('.')));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a header far longer than any Plaid signature, without decoding it', async () => {
    const key = await newKey('kid-current');
    const endpoint = fakeKeyEndpoint(key);
    const { verifier } = verifierWith(endpoint);
    const padded = await sign(key, BODY, { header: { pad: 'x'.repeat(5_000) } });

    expect((await refusal(verifier.verify(BODY, padded))).reason).toBe('malformed-header');
    expect(endpoint.calls).toEqual([]);
  });

  it('refuses a token of another kind (JWE-shaped, five segments)', async () => {
    const key = await newKey('kid-current');
    const { verifier } = verifierWith(fakeKeyEndpoint(key));
    const [header, payload, signature] = (await sign(key)).split('.');

    await refusal(verifier.verify(BODY, `${header}.${payload}.${signature}.x.y`));
  });
});

// ---- parsePlaidWebhook ---------------------------------------------------------------------------

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2), 'utf8');

/** Plaid's own examples (x-examples of the 2020-09-14 spec), each valid against its schema. */
const EXAMPLES = {
  SyncUpdatesAvailableWebhook: {
    webhook_type: 'TRANSACTIONS',
    webhook_code: 'SYNC_UPDATES_AVAILABLE',
    item_id: 'wz666MBjYWTp2PDzzggYhM6oWWmBb',
    user_id: 'usr_9nSp2KuZ2x4JDw',
    initial_update_complete: true,
    historical_update_complete: false,
    environment: 'production',
  },
  ItemErrorWebhook: {
    webhook_type: 'ITEM',
    webhook_code: 'ERROR',
    item_id: 'wz666MBjYWTp2PDzzggYhM6oWWmBb',
    user_id: 'usr_9nSp2KuZ2x4JDw',
    error: {
      display_message: 'The user’s OAuth connection to this institution has been invalidated.',
      error_code: 'ITEM_LOGIN_REQUIRED',
      error_code_reason: 'OAUTH_INVALID_TOKEN',
      error_message: 'the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link’s update mode to restore the item to a good state',
      error_type: 'ITEM_ERROR',
      status: 400,
    },
    environment: 'production',
  },
  PendingExpirationWebhook: {
    webhook_type: 'ITEM',
    webhook_code: 'PENDING_EXPIRATION',
    item_id: 'wz666MBjYWTp2PDzzggYhM6oWWmBb',
    user_id: 'usr_9nSp2KuZ2x4JDw',
    consent_expiration_time: '2020-01-15T13:25:17.766Z',
    environment: 'production',
  },
  PendingDisconnectWebhook: {
    webhook_type: 'ITEM',
    webhook_code: 'PENDING_DISCONNECT',
    item_id: 'wz666MBjYWTp2PDzzggYhM6oWWmBb',
    user_id: 'usr_9nSp2KuZ2x4JDw',
    reason: 'INSTITUTION_MIGRATION',
    disconnect_time: '2020-01-15T13:25:17.766Z',
    environment: 'production',
  },
  UserPermissionRevokedWebhook: {
    webhook_type: 'ITEM',
    webhook_code: 'USER_PERMISSION_REVOKED',
    error: {
      error_code: 'USER_PERMISSION_REVOKED',
      error_message: 'the holder of this account has revoked their permission for your application to access it',
      display_message: null,
      error_type: 'ITEM_ERROR',
      status: 400,
    },
    item_id: 'gAXlMgVEw5uEGoQnnXZ6tn9E7Mn3LBc4PJVKZ',
    user_id: 'usr_9nSp2KuZ2x4JDw',
    environment: 'production',
  },
  UserAccountRevokedWebhook: {
    webhook_type: 'ITEM',
    webhook_code: 'USER_ACCOUNT_REVOKED',
    item_id: 'gAXlMgVEw5uEGoQnnXZ6tn9E7Mn3LBc4PJVKZ',
    account_id: 'BxBXxLj1m4HMXBm9WZJyUg9XLd4rKEhw8Pb1J',
    user_id: 'usr_9nSp2KuZ2x4JDw',
    environment: 'production',
  },
  ItemLoginRepairedWebhook: {
    webhook_type: 'ITEM',
    webhook_code: 'LOGIN_REPAIRED',
    item_id: 'wz666MBjYWTp2PDzzggYhM6oWWmBb',
    user_id: 'usr_9nSp2KuZ2x4JDw',
    environment: 'production',
  },
  NewAccountsAvailableWebhook: {
    webhook_type: 'ITEM',
    webhook_code: 'NEW_ACCOUNTS_AVAILABLE',
    item_id: 'gAXlMgVEw5uEGoQnnXZ6tn9E7Mn3LBc4PJVKZ',
    user_id: 'usr_9nSp2KuZ2x4JDw',
    error: null,
    environment: 'production',
  },
  DefaultUpdateWebhook: {
    webhook_type: 'TRANSACTIONS',
    webhook_code: 'DEFAULT_UPDATE',
    item_id: 'wz666MBjYWTp2PDzzggYhM6oWWmBb',
    error: null,
    new_transactions: 3,
    environment: 'production',
  },
  LinkSessionFinishedWebhook: {
    webhook_type: 'LINK',
    webhook_code: 'SESSION_FINISHED',
    status: 'SUCCESS',
    link_session_id: '356dbb28-7f98-44d1-8e6d-0cec580f3171',
    link_token: 'link-sandbox-af1a0311-da53-4636-b754-dd15cc058176',
    public_tokens: ['public-sandbox-b0e2c4ee-a763-4df5-bfe9-46a46bce993d'],
    environment: 'sandbox',
  },
} as const;

describe('parsePlaidWebhook: Plaid’s examples', () => {
  it.each(Object.keys(EXAMPLES) as (keyof typeof EXAMPLES)[])('uses an example that is valid against %s', (schema) => {
    expect(validateSchema(schema, EXAMPLES[schema], { strict: true })).toEqual([]);
  });

  it.each([
    ['SyncUpdatesAvailableWebhook', { kind: 'sync-updates-available', itemId: 'wz666MBjYWTp2PDzzggYhM6oWWmBb' }],
    ['ItemErrorWebhook', { kind: 'login-required', itemId: 'wz666MBjYWTp2PDzzggYhM6oWWmBb', errorCode: 'ITEM_LOGIN_REQUIRED' }],
    ['PendingExpirationWebhook', { kind: 'pending-expiration', itemId: 'wz666MBjYWTp2PDzzggYhM6oWWmBb', consentExpiresAt: new Date('2020-01-15T13:25:17.766Z') }],
    ['PendingDisconnectWebhook', { kind: 'pending-disconnect', itemId: 'wz666MBjYWTp2PDzzggYhM6oWWmBb', disconnectAt: new Date('2020-01-15T13:25:17.766Z'), reason: 'migration' }],
    ['UserPermissionRevokedWebhook', { kind: 'permission-revoked', itemId: 'gAXlMgVEw5uEGoQnnXZ6tn9E7Mn3LBc4PJVKZ' }],
    ['UserAccountRevokedWebhook', { kind: 'permission-revoked', itemId: 'gAXlMgVEw5uEGoQnnXZ6tn9E7Mn3LBc4PJVKZ', accountId: 'BxBXxLj1m4HMXBm9WZJyUg9XLd4rKEhw8Pb1J' }],
    ['ItemLoginRepairedWebhook', { kind: 'login-repaired', itemId: 'wz666MBjYWTp2PDzzggYhM6oWWmBb' }],
    ['NewAccountsAvailableWebhook', { kind: 'ignored', webhookType: 'ITEM', webhookCode: 'NEW_ACCOUNTS_AVAILABLE' }],
    ['DefaultUpdateWebhook', { kind: 'ignored', webhookType: 'TRANSACTIONS', webhookCode: 'DEFAULT_UPDATE' }],
    ['LinkSessionFinishedWebhook', { kind: 'ignored', webhookType: 'LINK', webhookCode: 'SESSION_FINISHED' }],
  ] as const)('maps %s', (schema, event) => {
    expect(parsePlaidWebhook(bytes(EXAMPLES[schema])).event).toStrictEqual(event);
  });
});

describe('parsePlaidWebhook: tolerated variations', () => {
  it('maps an ITEM ERROR other than ITEM_LOGIN_REQUIRED to a reconnect, keeping its code', () => {
    const body = { ...EXAMPLES.ItemErrorWebhook, error: { ...EXAMPLES.ItemErrorWebhook.error, error_code: 'INVALID_CREDENTIALS' } };

    expect(parsePlaidWebhook(bytes(body)).event).toStrictEqual({ kind: 'login-required', itemId: body.item_id, errorCode: 'INVALID_CREDENTIALS' });
  });

  it('maps an ITEM ERROR with a null error to a reconnect without a code', () => {
    const body = { ...EXAMPLES.ItemErrorWebhook, error: null };

    expect(parsePlaidWebhook(bytes(body)).event).toStrictEqual({ kind: 'login-required', itemId: body.item_id, errorCode: null });
  });

  it('keeps the PENDING_EXPIRATION warning when the expiry time is unreadable', () => {
    const body = { ...EXAMPLES.PendingExpirationWebhook, consent_expiration_time: 'next tuesday' };

    expect(parsePlaidWebhook(bytes(body)).event).toStrictEqual({ kind: 'pending-expiration', itemId: body.item_id });
  });

  it('reads PENDING_DISCONNECT for an expiring permission at the bank as such', () => {
    const body = { ...EXAMPLES.PendingDisconnectWebhook, reason: 'INSTITUTION_TOKEN_EXPIRATION' };

    expect(parsePlaidWebhook(bytes(body)).event).toStrictEqual({
      kind: 'pending-disconnect',
      itemId: body.item_id,
      disconnectAt: new Date(body.disconnect_time),
      reason: 'permission-ends',
    });
  });

  it.each([
    ['a reason Plaid may add later', 'INSTITUTION_CLOSING'],
    ['a reason that is not a string', 42],
    ['no reason', null],
  ])('keeps the PENDING_DISCONNECT warning and its date with %s, without a reason', (_name, reason) => {
    const body = { ...EXAMPLES.PendingDisconnectWebhook, reason };

    expect(parsePlaidWebhook(bytes(body)).event).toStrictEqual({ kind: 'pending-disconnect', itemId: body.item_id, disconnectAt: new Date(body.disconnect_time) });
  });

  it('keeps the PENDING_DISCONNECT warning and its reason when the time is unreadable', () => {
    const body = { ...EXAMPLES.PendingDisconnectWebhook, disconnect_time: '2020-13-45' };

    expect(parsePlaidWebhook(bytes(body)).event).toStrictEqual({ kind: 'pending-disconnect', itemId: body.item_id, reason: 'migration' });
  });

  it('ignores a TRANSACTIONS webhook it does not act on, even without item_id', () => {
    const body = { webhook_type: 'TRANSACTIONS', webhook_code: 'TRANSACTIONS_REMOVED', environment: 'production' };

    expect(parsePlaidWebhook(bytes(body)).event).toStrictEqual({ kind: 'ignored', webhookType: 'TRANSACTIONS', webhookCode: 'TRANSACTIONS_REMOVED' });
  });

  it('does not take an ITEM code sent under another webhook_type for the ITEM event', () => {
    const body = { ...EXAMPLES.UserPermissionRevokedWebhook, webhook_type: 'HOLDINGS' };

    expect(parsePlaidWebhook(bytes(body)).event.kind).toBe('ignored');
  });
});

describe('parsePlaidWebhook: dedupe id', () => {
  it('is the SHA-256 of the raw bytes, the same for a redelivery of the same bytes', () => {
    const raw = bytes(EXAMPLES.ItemErrorWebhook);

    const first = parsePlaidWebhook(raw);
    const redelivered = parsePlaidWebhook(Buffer.from(raw));

    expect(first.dedupeId).toBe(sha256Hex(raw));
    expect(redelivered.dedupeId).toBe(first.dedupeId);
  });

  it('differs for different webhooks about the same item', () => {
    const error = parsePlaidWebhook(bytes(EXAMPLES.ItemErrorWebhook));
    const repaired = parsePlaidWebhook(bytes(EXAMPLES.ItemLoginRepairedWebhook));

    expect(error.dedupeId).not.toBe(repaired.dedupeId);
  });
});

describe('parsePlaidWebhook: malformed bodies', () => {
  it.each([
    ['not JSON', Buffer.from('{"webhook_type": "ITEM",', 'utf8')],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
    ['an empty body', Buffer.alloc(0)],
    ['a JSON array', bytes([EXAMPLES.ItemErrorWebhook])],
    ['a JSON string', bytes('ITEM')],
    ['null', bytes(null)],
    ['no webhook_type', bytes({ webhook_code: 'ERROR', item_id: 'item-1' })],
    ['no webhook_code', bytes({ webhook_type: 'ITEM', item_id: 'item-1' })],
    ['a numeric webhook_code', bytes({ webhook_type: 'ITEM', webhook_code: 7, item_id: 'item-1' })],
    ['SYNC_UPDATES_AVAILABLE without item_id', bytes({ ...EXAMPLES.SyncUpdatesAvailableWebhook, item_id: undefined })],
    ['ITEM ERROR with an empty item_id', bytes({ ...EXAMPLES.ItemErrorWebhook, item_id: '' })],
    ['USER_PERMISSION_REVOKED with a numeric item_id', bytes({ ...EXAMPLES.UserPermissionRevokedWebhook, item_id: 12345 })],
    ['PENDING_EXPIRATION with a null item_id', bytes({ ...EXAMPLES.PendingExpirationWebhook, item_id: null })],
    ['LOGIN_REPAIRED without item_id', bytes({ webhook_type: 'ITEM', webhook_code: 'LOGIN_REPAIRED' })],
    ['ITEM ERROR whose error is a string', bytes({ ...EXAMPLES.ItemErrorWebhook, error: 'ITEM_LOGIN_REQUIRED' })],
  ])('refuses %s with InvalidInput', (_what, raw) => {
    expect(() => parsePlaidWebhook(raw)).toThrow(InvalidInput);
  });

  it('names the problem without echoing the value', () => {
    const secretLooking = 'access-sandbox-00000000-1111-2222-3333-444444444444';
    const raw = bytes({ webhook_type: 'ITEM', webhook_code: 'ERROR', item_id: { token: secretLooking } });

    expect(() => parsePlaidWebhook(raw)).toThrow(/item_id/);
    expect(() => parsePlaidWebhook(raw)).not.toThrow(new RegExp(secretLooking));
  });

  it('either parses or throws InvalidInput for any bytes (property)', () => {
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null', 'utf8')),
      fc
        .record({
          webhook_type: fc.oneof(fc.constantFrom('ITEM', 'TRANSACTIONS', 'LINK'), fc.string(), fc.integer()),
          webhook_code: fc.oneof(fc.constantFrom('ERROR', 'SYNC_UPDATES_AVAILABLE', 'PENDING_EXPIRATION', 'USER_ACCOUNT_REVOKED'), fc.string()),
          item_id: fc.oneof(fc.string(), fc.jsonValue()),
          error: fc.jsonValue(),
          consent_expiration_time: fc.oneof(fc.string(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
          account_id: fc.jsonValue(),
        }, { requiredKeys: [] })
        .map((v) => bytes(v)),
    );

    fc.assert(
      fc.property(body, (raw) => {
        try {
          const parsed = parsePlaidWebhook(raw);
          expect(parsed.dedupeId).toBe(sha256Hex(raw));
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInput);
        }
      }),
      { numRuns: 500 },
    );
  });
});
