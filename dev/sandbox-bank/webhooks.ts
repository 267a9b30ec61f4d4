/**
 * Webhook signing and delivery, as Plaid does it: the body is POSTed as JSON with a
 * `Plaid-Verification` header holding a compact JWS (ES256, `kid` in the header, `typ: JWT`) whose
 * payload is `{ iat, request_body_sha256 }`. Receivers fetch the public key by `kid` from
 * `/webhook_verification_key/get`, verify the JWT, check `iat` is recent and compare the hash with
 * the raw bytes they received.
 *
 * Bodies are sent pretty-printed, as Plaid sends them: a receiver that hashes a re-serialised
 * object instead of the raw bytes then fails here too, instead of only in production.
 */
import { createHash, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { WebhookVerificationKey } from './types';

// ── signing keys ───────────────────────────────────────────────────────────────────────────

interface SigningKey {
  publicJwk: WebhookVerificationKey;
  privateKey: CryptoKey;
}

export class WebhookKeys {
  private readonly keys: SigningKey[] = [];

  private constructor(private readonly now: () => Date) {}

  static async create(now: () => Date): Promise<WebhookKeys> {
    const keys = new WebhookKeys(now);
    await keys.rotate();
    return keys;
  }

  private get current(): SigningKey {
    return this.keys[this.keys.length - 1]!;
  }

  get currentKeyId(): string {
    return this.current.publicJwk.kid;
  }

  /** A key by id, expired ones included: webhooks signed before a rotation must still verify. */
  find(kid: string): WebhookVerificationKey | undefined {
    return this.keys.find((k) => k.publicJwk.kid === kid)?.publicJwk;
  }

  /** Starts signing with a new key; the previous one gets `expired_at` but stays retrievable. */
  async rotate(): Promise<WebhookVerificationKey> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const previous = this.keys[this.keys.length - 1];
    if (previous) previous.publicJwk = { ...previous.publicJwk, expired_at: nowSeconds };
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') throw new Error('EC key export without coordinates');
    const publicJwk: WebhookVerificationKey = {
      alg: 'ES256',
      crv: 'P-256',
      kid: randomUUID(),
      kty: 'EC',
      use: 'sig',
      x: jwk.x,
      y: jwk.y,
      created_at: nowSeconds,
      expired_at: null,
    };
    this.keys.push({ publicJwk, privateKey });
    return publicJwk;
  }

  /** The `Plaid-Verification` header value for these exact body bytes. */
  async sign(body: string): Promise<string> {
    const key = this.current;
    return new SignJWT({ request_body_sha256: createHash('sha256').update(body, 'utf8').digest('hex') })
      .setProtectedHeader({ alg: 'ES256', kid: key.publicJwk.kid, typ: 'JWT' })
      .setIssuedAt(Math.floor(this.now().getTime() / 1000))
      .sign(key.privateKey);
  }
}

// ── bodies ─────────────────────────────────────────────────────────────────────────────────

/** Codes the bank can send for an item (controls), with the `webhook_type` each belongs to. */
export const ITEM_WEBHOOK_TYPES = {
  SYNC_UPDATES_AVAILABLE: 'TRANSACTIONS',
  DEFAULT_UPDATE: 'TRANSACTIONS',
  ERROR: 'ITEM',
  LOGIN_REPAIRED: 'ITEM',
  PENDING_EXPIRATION: 'ITEM',
  PENDING_DISCONNECT: 'ITEM',
  USER_PERMISSION_REVOKED: 'ITEM',
  USER_ACCOUNT_REVOKED: 'ITEM',
  NEW_ACCOUNTS_AVAILABLE: 'ITEM',
} as const;

export type ItemWebhookCode = keyof typeof ITEM_WEBHOOK_TYPES;

export function isItemWebhookCode(code: unknown): code is ItemWebhookCode {
  return typeof code === 'string' && Object.hasOwn(ITEM_WEBHOOK_TYPES, code);
}

export type WebhookBody = { webhook_type: string; webhook_code: string; environment: 'sandbox' } & Record<string, unknown>;

// ── delivery ───────────────────────────────────────────────────────────────────────────────

export interface WebhookDelivery {
  id: string;
  item_id: string | null;
  link_token: string | null;
  url: string;
  webhook_type: string;
  webhook_code: string;
  body: WebhookBody;
  sent_at: string;
  /** HTTP status the receiver answered, or null when it could not be reached in time. */
  status: number | null;
  error: string | null;
  duration_ms: number;
}

export interface WebhookSenderOptions {
  keys: WebhookKeys;
  now: () => Date;
  timeoutMs: number;
}

/**
 * Sends webhooks in the background and records every attempt. A receiver that is down, slow or
 * answers 500 is recorded, never an error for the bank: Plaid's own delivery is best-effort too.
 */
export class WebhookSender {
  private readonly deliveries: WebhookDelivery[] = [];
  private readonly inFlight = new Set<Promise<WebhookDelivery>>();

  constructor(private readonly options: WebhookSenderOptions) {}

  send(target: { url: string; itemId: string | null; linkToken?: string | null }, body: WebhookBody): Promise<WebhookDelivery> {
    const delivery = this.deliver(target, body);
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
    return delivery;
  }

  list(filter: { itemId?: string } = {}): WebhookDelivery[] {
    return this.deliveries.filter((d) => filter.itemId === undefined || d.item_id === filter.itemId);
  }

  /** Resolves once every delivery started so far (and any they triggered) has finished. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(target: { url: string; itemId: string | null; linkToken?: string | null }, body: WebhookBody): Promise<WebhookDelivery> {
    const raw = JSON.stringify(body, null, 2);
    const started = Date.now();
    const delivery: WebhookDelivery = {
      id: randomUUID(),
      item_id: target.itemId,
      link_token: target.linkToken ?? null,
      url: target.url,
      webhook_type: body.webhook_type,
      webhook_code: body.webhook_code,
      body,
      sent_at: this.options.now().toISOString(),
      status: null,
      error: null,
      duration_ms: 0,
    };
    try {
      const signature = await this.options.keys.sign(raw);
      delivery.status = await post(target.url, raw, signature, this.options.timeoutMs);
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    delivery.duration_ms = Date.now() - started;
    this.deliveries.push(delivery);
    return delivery;
  }
}

/**
 * One POST on its own connection (no keep-alive agent), so a closed bank leaves no pooled
 * sockets behind and a slow receiver cannot hold up later deliveries.
 */
function post(url: string, body: string, signature: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : target.protocol === 'http:' ? httpRequest : undefined;
    if (!send) return reject(new Error(`unsupported webhook URL scheme ${target.protocol}`));
    const req = send(
      target,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'plaid-verification': signature,
          'user-agent': 'Plaid Verifier (sandbox bank)',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
