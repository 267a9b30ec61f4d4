import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metaJson } from '../../../dev/messenger-payloads';
import { isValidSignature, signBody } from '../../../lib/messenger/signature';

const SECRET = 'app-secret-3f9c1e2d4b5a6978';
const OTHER_SECRET = 'another-app-secret-0000';

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const reserialise = (raw: string) => JSON.stringify(JSON.parse(raw));

/** Flips one hex digit to a different hex digit (not merely a different case). */
const flipHexDigit = (hex: string, index: number) => {
  const digit = parseInt(hex[index] ?? '0', 16);
  return hex.slice(0, index) + ((digit ^ 0x1) & 0xf).toString(16) + hex.slice(index + 1);
};

const hexOf = (signature: string) => signature.slice('sha256='.length);

describe('signature over the exact bytes Meta sent (golden set)', () => {
  const golden: { name: string; raw: string; contains: string; reserialisingChangesBytes: boolean }[] = [
    {
      name: 'é as raw UTF-8',
      raw: JSON.stringify({ message: { text: 'Café crème' } }),
      contains: 'é',
      reserialisingChangesBytes: false,
    },
    {
      name: 'é pre-escaped as \\u00e9',
      raw: metaJson({ message: { text: 'Café crème' } }),
      contains: '\\u00e9',
      reserialisingChangesBytes: true,
    },
    {
      name: 'an emoji (surrogate pair) as raw UTF-8',
      raw: JSON.stringify({ message: { text: 'Paid 💸' } }),
      contains: '💸',
      reserialisingChangesBytes: false,
    },
    {
      name: 'an emoji escaped as \\ud83d\\udcb8',
      raw: metaJson({ message: { text: 'Paid 💸' } }),
      contains: '\\ud83d\\udcb8',
      reserialisingChangesBytes: true,
    },
    {
      name: 'U+2028 escaped as \\u2028',
      raw: metaJson({ message: { text: 'line\u2028separator' } }),
      contains: '\\u2028',
      reserialisingChangesBytes: true,
    },
    {
      name: 'U+2028 as raw UTF-8',
      raw: JSON.stringify({ message: { text: 'line\u2028separator' } }),
      contains: '\u2028',
      reserialisingChangesBytes: false,
    },
    {
      name: 'a slash escaped as \\/',
      raw: metaJson({ message: { attachments: [{ type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/v/t1/img.jpg' } }] } }),
      contains: '\\/',
      reserialisingChangesBytes: true,
    },
  ];

  describe.each(golden)('$name', ({ raw, contains, reserialisingChangesBytes }) => {
    it('holds the byte sequence under test', () => {
      expect(raw).toContain(contains);
    });

    it('is valid when signed over its exact bytes', () => {
      const bytes = utf8(raw);

      const valid = isValidSignature(bytes, signBody(bytes, SECRET), SECRET);

      expect(valid).toBe(true);
    });

    if (reserialisingChangesBytes) {
      it('is not valid once re-serialised with JSON.stringify(JSON.parse(raw))', () => {
        const signature = signBody(utf8(raw), SECRET);
        const reserialised = reserialise(raw);

        const valid = isValidSignature(utf8(reserialised), signature, SECRET);

        expect(reserialised).not.toBe(raw);
        expect(valid).toBe(false);
      });
    }
  });

  it('signs a string over its UTF-8 bytes', () => {
    const raw = metaJson({ message: { text: 'Café 💸' } }) + 'é';

    expect(signBody(raw, SECRET)).toBe(signBody(utf8(raw), SECRET));
  });

  it('produces the sha256=<64 lowercase hex> form Meta sends', () => {
    const signature = signBody(utf8('{"object":"page","entry":[]}'), SECRET);

    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});

describe('signatures that must be refused', () => {
  const body = utf8(metaJson({ object: 'page', entry: [{ id: '106123456789012', time: 1712345678901, messaging: [] }] }));
  const good = signBody(body, SECRET);
  const goodHex = hexOf(good);
  const sha1 = createHmac('sha1', SECRET).update(body).digest('hex');
  const flippedBody = Buffer.from(body);
  flippedBody[10] = (flippedBody[10] ?? 0) ^ 0x01;

  const cases: { name: string; body: Uint8Array; header: string | undefined }[] = [
    { name: 'no header', body, header: undefined },
    { name: 'an empty header', body, header: '' },
    { name: 'only the old sha1=<hex> header value', body, header: `sha1=${sha1}` },
    { name: 'the right hex without the sha256= prefix', body, header: goodHex },
    { name: 'sha256= with 63 hex digits', body, header: `sha256=${goodHex.slice(0, 63)}` },
    { name: 'sha256= with 65 hex digits', body, header: `sha256=${goodHex}0` },
    { name: 'sha256= with nothing after it', body, header: 'sha256=' },
    { name: 'a non-hex character in 64 characters', body, header: `sha256=${goodHex.slice(0, 63)}g` },
    { name: 'whitespace inside the 64 characters', body, header: `sha256=${goodHex.slice(0, 63)} ` },
    { name: 'one flipped bit in the body', body: flippedBody, header: good },
    { name: 'one flipped hex digit in the signature', body, header: `sha256=${flipHexDigit(goodHex, 17)}` },
    { name: 'an empty body with the signature of a non-empty body', body: new Uint8Array(0), header: good },
    { name: 'a signature made with another secret', body, header: signBody(body, OTHER_SECRET) },
    { name: 'an uppercase SHA256= prefix', body, header: `SHA256=${goodHex}` },
  ];

  it('accepts the untouched body and signature (control)', () => {
    expect(isValidSignature(body, good, SECRET)).toBe(true);
  });

  it.each(cases)('refuses $name without throwing', ({ body: candidate, header }) => {
    let valid: boolean | undefined;
    expect(() => {
      valid = isValidSignature(candidate, header, SECRET);
    }).not.toThrow();
    expect(valid).toBe(false);
  });
});

describe('signature properties', () => {
  const secret = fc.string({ unit: 'binary', minLength: 0, maxLength: 64 });

  it('accepts the signature signBody makes, for any bytes and secret', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), secret, (bytes, appSecret) => {
        expect(isValidSignature(bytes, signBody(bytes, appSecret), appSecret)).toBe(true);
      }),
    );
  });

  it('refuses the signature of one byte array for any different byte array', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 512 }),
        fc.uint8Array({ maxLength: 512 }),
        secret,
        (a, b, appSecret) => {
          fc.pre(!Buffer.from(a).equals(Buffer.from(b)));
          expect(isValidSignature(b, signBody(a, appSecret), appSecret)).toBe(false);
        },
      ),
    );
  });

  it('never throws, whatever the header string', () => {
    const header = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'binary' }).map((rest) => `sha256=${rest}`),
      fc.string({ unit: 'binary', minLength: 64, maxLength: 64 }).map((rest) => `sha256=${rest}`),
      fc.stringMatching(/^sha256=[0-9a-fA-Fg-z ]{62,66}$/),
    );
    const body = utf8('{"object":"page","entry":[]}');

    fc.assert(
      fc.property(header, (candidate) => {
        expect(() => isValidSignature(body, candidate, SECRET)).not.toThrow();
      }),
    );
  });
});
