import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { PayloadTooLarge } from '../errors';

/**
 * The exact bytes the client sent. API Gateway hands the body over as a string, base64-encoded
 * when it judges the content binary; signatures must be checked over these bytes, never over a
 * re-serialised parse.
 */
export function rawBodyBytes(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

/** An upper bound of the decoded size, known before decoding anything. */
export function rawBodySizeBound(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): number {
  const length = event.body?.length ?? 0;
  // A UTF-16 code unit encodes to at most 3 UTF-8 bytes; base64 decodes 4 chars to 3 bytes.
  return event.isBase64Encoded ? Math.ceil((length * 3) / 4) : length * 3;
}

/** The exact bytes, refused with `refusal` (413) past `maxBytes`. */
export function boundedRawBody(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>, maxBytes: number, refusal: string): Buffer {
  const raw = rawBodyBytes(event);
  if (rawBodySizeBound(event) > maxBytes && raw.length > maxBytes) throw new PayloadTooLarge(refusal);
  return raw;
}

export const header = (event: Pick<APIGatewayProxyEventV2, 'headers'>, name: string): string | undefined => {
  const headers = event.headers ?? {};
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
};

export const textResponse = (statusCode: number, body: string) => ({
  statusCode,
  headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  body,
});
