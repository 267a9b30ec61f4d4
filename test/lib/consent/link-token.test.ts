import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bankUserId, issueLinkToken, readLinkToken, type LinkPurpose } from '../../../lib/consent/link-token';
import { LinkRefused } from '../../../lib/errors';

const SECRET = 'link-secret-for-tests-0123456789abcdef';
const OTHER_SECRET = 'another-link-secret-9876543210fedcba';
const PSID = '6543210987654321';
const NOW = new Date('2026-03-01T10:00:00.000Z');
const TTL = 1800;
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

const issue = (purpose: LinkPurpose = 'consent', psid = PSID, secret = SECRET) =>
  issueLinkToken({ purpose, psid, ttlSeconds: TTL, now: NOW }, secret).token;

/** What readLinkToken threw, or 'accepted' when it returned claims. */
function outcomeOf(token: string | undefined, purpose: LinkPurpose = 'consent', now = at(1)): unknown {
  try {
    readLinkToken(token, purpose, SECRET, now);
    return 'accepted';
  } catch (error) {
    return error;
  }
}

const SAMPLE = issue();
const flip = (char: string) => (char === 'A' ? 'B' : 'A');
const replaceAt = (text: string, index: number, char: string) => text.slice(0, index) + char + text.slice(index + 1);
const partsOf = (token: string) => token.split('.') as [string, string, string];

describe('issueLinkToken / readLinkToken', () => {
  it('reads back the claims it issued', () => {
    const { token, claims } = issueLinkToken({ purpose: 'consent', psid: PSID, ttlSeconds: TTL, now: NOW }, SECRET);

    expect(readLinkToken(token, 'consent', SECRET, at(1))).toEqual({ ...claims, purpose: 'consent', psid: PSID, exp: NOW.getTime() / 1000 + TTL });
  });

  it('carries the consent id of a completion link', () => {
    const { token } = issueLinkToken({ purpose: 'complete', psid: PSID, consentId: 'consent-42', ttlSeconds: TTL, now: NOW }, SECRET);

    expect(readLinkToken(token, 'complete', SECRET, at(1)).consentId).toBe('consent-42');
  });

  it('accepts a link one second before it expires', () => {
    expect(outcomeOf(issue(), 'consent', at(TTL - 1))).toBe('accepted');
  });

  it('refuses a link exactly when it expires', () => {
    expect(outcomeOf(issue(), 'consent', at(TTL))).toBeInstanceOf(LinkRefused);
  });

  it('refuses a link after it expired', () => {
    expect(outcomeOf(issue(), 'consent', at(TTL + 3600))).toBeInstanceOf(LinkRefused);
  });

  it('refuses a link whose payload had one character changed', () => {
    const [version, body, signature] = partsOf(issue());
    const tampered = `${version}.${replaceAt(body, 10, flip(body[10]!))}.${signature}`;

    expect(outcomeOf(tampered)).toBeInstanceOf(LinkRefused);
  });

  it('refuses a link whose payload was re-encoded for another person', () => {
    const [version, body, signature] = partsOf(issue());
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, psid: '1111111111111111' })).toString('base64url');

    expect(outcomeOf(`${version}.${forged}.${signature}`)).toBeInstanceOf(LinkRefused);
  });

  it('refuses a link whose signature had one character changed', () => {
    const [version, body, signature] = partsOf(issue());

    expect(outcomeOf(`${version}.${body}.${replaceAt(signature, 0, flip(signature[0]!))}`)).toBeInstanceOf(LinkRefused);
  });

  it('refuses a link signed with another secret', () => {
    expect(outcomeOf(issue('consent', PSID, OTHER_SECRET))).toBeInstanceOf(LinkRefused);
  });

  it('refuses a manage link presented as a consent link', () => {
    expect(outcomeOf(issue('manage'), 'consent')).toBeInstanceOf(LinkRefused);
  });

  it('refuses a consent link presented as a completion link', () => {
    expect(outcomeOf(issue('consent'), 'complete')).toBeInstanceOf(LinkRefused);
  });

  it.each([
    ['empty', ''],
    ['undefined', undefined],
    ['a word', 'hello'],
    ['dots only', '..'],
    ['empty parts', 'v1..'],
    ['another version', SAMPLE.replace(/^v1\./, 'v2.')],
    ['four parts', `${SAMPLE}.extra`],
    ['a truncated signature', SAMPLE.slice(0, -5)],
    ['non-base64 signature', `v1.${partsOf(SAMPLE)[1]}.!!!!`],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
  ])('refuses %s', (_name, token) => {
    expect(outcomeOf(token)).toBeInstanceOf(LinkRefused);
  });

  describe('correctly signed but malformed claims', () => {
    /** Signs any body the way issueLinkToken does, as a bug or an older release holding the secret could. */
    const signed = (body: string) => {
      const encoded = Buffer.from(body).toString('base64url');
      return `v1.${encoded}.${createHmac('sha256', SECRET).update(`v1.${encoded}`).digest('base64url')}`;
    };
    const exp = NOW.getTime() / 1000 + TTL;

    it('accepts a body signed this way, so the cases below are refused for their claims only', () => {
      expect(outcomeOf(signed(JSON.stringify({ purpose: 'consent', psid: PSID, nonce: 'n', exp })))).toBe('accepted');
    });

    it.each([
      ['not JSON', 'not json'],
      ['a number', '42'],
      ['a string', '"consent"'],
      ['an array', '[]'],
      ['an empty object', '{}'],
      ['a numeric psid', JSON.stringify({ purpose: 'consent', psid: 42, nonce: 'n', exp })],
      ['no nonce', JSON.stringify({ purpose: 'consent', psid: PSID, exp })],
      ['a string expiry', JSON.stringify({ purpose: 'consent', psid: PSID, nonce: 'n', exp: String(exp) })],
    ])('refuses %s', (_name, body) => {
      expect(outcomeOf(signed(body))).toBeInstanceOf(LinkRefused);
    });

    // BUG (lib/consent/link-token.ts, readLinkToken): JSON.parse('null') succeeds and the next line
    // reads `claims.purpose` of null, throwing a TypeError instead of LinkRefused (a 500 instead
    // of a 403). Only reachable with a correctly signed token, so low severity.
    it('refuses a body of null', () => {
      expect(outcomeOf(signed('null'))).toBeInstanceOf(LinkRefused);
    });
  });

  it('refuses any arbitrary string with LinkRefused and nothing else (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string().map((s) => `v1.${s}`), fc.tuple(fc.base64String(), fc.base64String()).map(([b, s]) => `v1.${b}.${s}`)), (token) => {
        expect(outcomeOf(token)).toBeInstanceOf(LinkRefused);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a valid link with any one character of its payload or signature changed (property)', () => {
    const token = issue();
    const [, body, signature] = partsOf(token);
    // The signature's last base64url character carries 4 bits and 2 unused padding bits, so some
    // changes to it decode to the same bytes; the property covers every other position.
    const lastMutable = 3 + body.length + 1 + signature.length - 2;
    fc.assert(
      fc.property(fc.integer({ min: 3, max: lastMutable }), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), (index, char) => {
        fc.pre(token[index] !== char && token[index] !== '.');
        expect(outcomeOf(replaceAt(token, index, char))).toBeInstanceOf(LinkRefused);
      }),
      { numRuns: 1000 },
    );
  });

  it('never issues the same nonce twice in 10,000 links', () => {
    const nonces = new Set(Array.from({ length: 10_000 }, () => issueLinkToken({ purpose: 'consent', psid: PSID, ttlSeconds: TTL, now: NOW }, SECRET).claims.nonce));

    expect(nonces.size).toBe(10_000);
  });
});

describe('bankUserId', () => {
  it('is the same for the same person', () => {
    expect(bankUserId(PSID, SECRET)).toBe(bankUserId(PSID, SECRET));
  });

  it('differs between people', () => {
    expect(bankUserId(PSID, SECRET)).not.toBe(bankUserId('6543210987654322', SECRET));
  });

  it('differs between secrets', () => {
    expect(bankUserId(PSID, SECRET)).not.toBe(bankUserId(PSID, OTHER_SECRET));
  });

  it('never contains the PSID (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9][0-9]{14,16}$/), (psid) => {
        expect(bankUserId(psid, SECRET)).not.toContain(psid);
      }),
    );
  });
});
