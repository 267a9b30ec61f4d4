import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { PayloadTooLarge, SignatureInvalid } from '../errors';
import { isValidSignature } from '../messenger/signature';
import { header, rawBodyBytes, rawBodySizeBound } from './raw-body';

export type SignedRequest = APIGatewayProxyEventV2 & { rawBody: Buffer };

/**
 * Runs before anything reads the body: refuses oversized bodies, then checks X-Hub-Signature-256
 * over the raw bytes. Only a verified request reaches the handler, with `rawBody` attached.
 */
export function verifyMessengerSignature(options: {
  appSecret: () => Promise<string>;
  maxBodyBytes: number;
}): MiddlewareObj<SignedRequest> {
  return {
    before: async (request) => {
      const event = request.event;
      // The bound is known before decoding; only a body that might be too large is measured exactly.
      const bytes = rawBodyBytes(event);
      if (rawBodySizeBound(event) > options.maxBodyBytes && bytes.length > options.maxBodyBytes) {
        throw new PayloadTooLarge('Body too large');
      }
      const valid = isValidSignature(bytes, header(event, 'x-hub-signature-256'), await options.appSecret());
      if (!valid) throw new SignatureInvalid('Missing or invalid X-Hub-Signature-256');
      event.rawBody = bytes;
    },
  };
}
