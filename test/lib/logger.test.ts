import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactLogValue, redactText, REDACTED } from '../../lib/logger';

/**
 * redactText skips the six scrubbing patterns for strings that hold none of their markers. These
 * check that the shortcut never lets a secret or an amount through, wherever it sits in the text.
 */
const secrets = [
  'access-sandbox-5e2b9c41-7d0f-4b6e-9a51-2f1d0c3b8e77',
  'public-production-0a1b2c3d',
  'link-development-77aa',
  'access_token=EAAdummy123',
  'client_secret=s3cr3t',
  'appsecret_proof=abc123',
  'SECRET=xyz',
  'Bearer eyJhbGciOi.payload.sig',
  'OAuth abc.def',
  'EAAGm0PX4ZCpsBAOZCkq2tR7xLr9ZBZCdummy',
  '$912.40',
  '€ 15',
  '£-3,000',
  '¥1200',
  '1,234.56 USD',
  '-45.00 EUR',
  '99GBP',
  '7 MXN',
];
const secretPart = (s: string) => s.replace(/^(access_token|client_secret|appsecret_proof|SECRET)=|^(Bearer|OAuth) /, '').replace(/^(access|public|link)-(sandbox|development|production)-/, '');
const text = fc.string({ unit: fc.constantFrom(' ', 'a', 'Z', '0', '9', '-', '_', '.', ':', '/', '?', '&', '(', ')', 'é') , maxLength: 30 });

describe('redactText', () => {
  it.each(secrets)('scrubs %s wherever it sits in a text', (secret) => {
    fc.assert(
      fc.property(text, text, (before, after) => {
        // Spaced off: a word character next to it would make it part of a longer word, not a token.
        const out = redactText(`${before} ${secret} ${after}`);
        expect(out).not.toContain(secretPart(secret));
      }),
      { numRuns: 50 },
    );
  });

  it('leaves ids, ARNs, times and plain words as they are', () => {
    for (const value of ['m_7Yc1qTtYl0mKbHfnBw5Ipw', 'h_Qk1Xz-_a', 'arn:aws:lambda:eu-west-1:000000000000:function:messengerWebhook', '2026-11-21T16:58:20.000Z', 'Webhook received']) {
      expect(redactText(value)).toBe(value);
    }
  });
});

describe('redactLogValue', () => {
  it('replaces values under sensitive keys, each time it meets the key', () => {
    for (let i = 0; i < 3; i++) {
      expect(redactLogValue('accessToken', 'anything')).toBe(REDACTED);
      expect(redactLogValue('eventId', 'm_1')).toBe('m_1');
    }
  });
});
