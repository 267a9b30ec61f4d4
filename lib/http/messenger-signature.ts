import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { PayloadTooLarge, SignatureInvalid } from '../errors';
import { isValidSignature } from '../messenger/signature';
import { header, rawBodyBytes, rawBodySizeBound } from './raw-body';

export interface SignatureOptions {
  appSecret: () => Promise<string>;
  maxBodyBytes: number;
}

/**
 * Runs before anything reads the body: refuses oversized bodies, then checks X-Hub-Signature-256
 * over the raw bytes, and returns those bytes. Only a verified body reaches the parser.
 *
 * A plain function the route calls first, rather than a middleware: as a middleware it needed a
 * middy stack of its own inside the router, and that second stack (its timers and promise
 * chain) cost the webhook's acknowledgement more than the HMAC itself.
 */
export async function verifiedRawBody(event: APIGatewayProxyEventV2, options: SignatureOptions): Promise<Buffer> {
  // The bound is known before decoding; only a body that might be too large is measured exactly.
  const bytes = rawBodyBytes(event);
  if (rawBodySizeBound(event) > options.maxBodyBytes && bytes.length > options.maxBodyBytes) {
    throw new PayloadTooLarge('Body too large');
  }
  const valid = isValidSignature(bytes, header(event, 'x-hub-signature-256'), await options.appSecret());
  if (!valid) throw new SignatureInvalid('Missing or invalid X-Hub-Signature-256');
  return bytes;
}
