import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';
const HEX_LENGTH = 64;

/**
 * Checks `X-Hub-Signature-256` against the HMAC-SHA256 of the raw request bytes. Meta signs the
 * bytes it sent (with non-ASCII escaped as \uXXXX), so the body must never be re-serialised before
 * this check. Comparison is constant-time; the length guard keeps timingSafeEqual from throwing.
 */
export function isValidSignature(rawBody: Uint8Array, header: string | undefined, appSecret: string): boolean {
  if (!header || !header.startsWith(PREFIX)) return false;
  const hex = header.slice(PREFIX.length);
  if (hex.length !== HEX_LENGTH || !/^[0-9a-fA-F]+$/.test(hex)) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}

/** Signs a body the way Meta does; used by the local tools and tests. */
export function signBody(rawBody: string | Uint8Array, appSecret: string): string {
  return PREFIX + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}
