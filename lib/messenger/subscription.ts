import { timingSafeEqual } from 'node:crypto';

// Meta sends a numeric challenge; anything else is refused so the endpoint can never reflect markup.
const CHALLENGE = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Webhook subscription check (GET): with `hub.mode=subscribe` and the right verify token, the
 * challenge is the answer; otherwise null, and the caller answers 403 without echoing anything.
 */
export function verifySubscription(
  query: Record<string, string | undefined> | undefined,
  verifyToken: string,
): string | null {
  const mode = query?.['hub.mode'];
  const token = query?.['hub.verify_token'];
  const challenge = query?.['hub.challenge'];
  if (mode !== 'subscribe' || token === undefined || challenge === undefined) return null;
  if (!CHALLENGE.test(challenge)) return null;
  const given = Buffer.from(token, 'utf8');
  const expected = Buffer.from(verifyToken, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return challenge;
}
