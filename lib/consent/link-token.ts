import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { LinkRefused } from '../errors';

/**
 * Links we send a person (to the consent page, to manage or export what they share) carry a token:
 * signed with a server secret (not forgeable), short-lived, bound to the person's PSID and to one
 * purpose, with a random nonce the store burns on first use (not reusable). Whose data a page acts
 * on comes from the token only, never from an id in the URL or form.
 */
export type LinkPurpose = 'consent' | 'manage' | 'export' | 'complete' | 'account-link' | 'reconnect' | 'renew' | 'answer' | 'alert-answer';

export interface LinkClaims {
  purpose: LinkPurpose;
  psid: string;
  nonce: string;
  /** Expiry, epoch seconds. */
  exp: number;
  /** On the links about one consent (complete, reconnect, account-link, renew): which. */
  consentId?: string;
  /** On a private page's links: the answer it shows ('answer') or the alert it answers ('alert-answer'). */
  ref?: string;
}

const VERSION = 'v1';
const b64 = (value: Buffer | string) => Buffer.from(value).toString('base64url');
const mac = (secret: string, body: string) => createHmac('sha256', secret).update(`${VERSION}.${body}`).digest();

export function issueLinkToken(
  input: { purpose: LinkPurpose; psid: string; consentId?: string; ref?: string; ttlSeconds: number; now: Date },
  secret: string,
): { token: string; claims: LinkClaims } {
  const claims: LinkClaims = {
    purpose: input.purpose,
    psid: input.psid,
    nonce: randomBytes(16).toString('base64url'),
    exp: Math.floor(input.now.getTime() / 1000) + input.ttlSeconds,
    ...(input.consentId ? { consentId: input.consentId } : {}),
    ...(input.ref ? { ref: input.ref } : {}),
  };
  const body = b64(JSON.stringify(claims));
  return { token: `${VERSION}.${body}.${b64(mac(secret, body))}`, claims };
}

/** Verifies signature, purpose and expiry. Single use is the store's job (it burns the nonce). */
export function readLinkToken(token: string | undefined, purpose: LinkPurpose, secret: string, now: Date): LinkClaims {
  const parts = (token ?? '').split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || !parts[1] || !parts[2]) throw new LinkRefused('This link is not valid');
  const [, body, signature] = parts as [string, string, string];
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new LinkRefused('This link is not valid');

  let claims: LinkClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as LinkClaims;
  } catch {
    throw new LinkRefused('This link is not valid');
  }
  if (typeof claims !== 'object' || claims === null || claims.purpose !== purpose || typeof claims.psid !== 'string' || typeof claims.nonce !== 'string' || typeof claims.exp !== 'number' || (claims.ref !== undefined && typeof claims.ref !== 'string')) {
    throw new LinkRefused('This link is not valid here');
  }
  if (claims.exp * 1000 <= now.getTime()) throw new LinkRefused('This link has expired. Ask in the chat for a new one.');
  return claims;
}

/**
 * The id the bank knows the person by: a keyed hash of the PSID, so the bank never learns the
 * Messenger identity and the same person keeps the same id.
 */
export const bankUserId = (psid: string, secret: string): string =>
  createHmac('sha256', secret).update(`bank-user:${psid}`).digest('hex').slice(0, 32);
