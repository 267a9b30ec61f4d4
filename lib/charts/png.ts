import { crc32 } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** The signature, then IHDR: length (4), type (4), 13 bytes of header, CRC (4). */
const AFTER_IHDR = SIGNATURE.length + 4 + 4 + 13 + 4;

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * The image with its text equivalent inside it: an iTXt chunk under PNG's registered keyword
 * "Description" (UTF-8, uncompressed), right after the header. Messenger has no alt text for an
 * image, so the figures also go to the person as text; this keeps them with the picture wherever
 * it is shown (the local simulator reads it as the image's alt text).
 */
export function withDescription(png: Uint8Array, description: string): Uint8Array {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (!bytes.subarray(0, SIGNATURE.length).equals(SIGNATURE) || bytes.toString('latin1', 12, 16) !== 'IHDR') throw new TypeError('not a PNG');
  // keyword NUL, compression flag 0, method 0, no language tag NUL, no translated keyword NUL, text.
  const data = Buffer.concat([Buffer.from('Description\0', 'latin1'), Buffer.from([0, 0, 0, 0]), Buffer.from(description, 'utf8')]);
  return Buffer.concat([bytes.subarray(0, AFTER_IHDR), chunk('iTXt', data), bytes.subarray(AFTER_IHDR)]);
}

/** The "Description" an image carries (withDescription above), if any. */
export function descriptionOf(png: Uint8Array): string | undefined {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  for (let at = SIGNATURE.length; at + 8 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'iTXt' && data.toString('latin1', 0, 12) === 'Description\0' && data[12] === 0) {
      // After the keyword: flag, method, then the (empty) language tag and translated keyword.
      const language = data.indexOf(0, 14);
      const translated = data.indexOf(0, language + 1);
      return data.subarray(translated + 1).toString('utf8');
    }
    if (type === 'IDAT' || type === 'IEND') return undefined;
    at += 12 + length;
  }
  return undefined;
}
