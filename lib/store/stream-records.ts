import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import type { Consent } from '../consent/model/consent';
import type { InboundEvent } from '../messenger/events';
import { ConsentItemType, ItemType } from './keys';
import '../validation';

/**
 * Records of the table's stream, decoded into the values they carry, validated: the stream
 * consumers see events and consents, never DynamoDB JSON or item types. A record that carries
 * none of ours says why, with its sequence number, so the consumer can skip it loudly.
 */
export type DecodedRecord<T> =
  | { ok: true; sequenceNumber: string; /** The item's partition: one person's records, in order. */ partition: string; value: T }
  | { ok: false; sequenceNumber: string; reason: string };

const storedEvent = z.looseObject({
  id: z.string().check(z.minLength(1)),
  kind: z.string().check(z.minLength(1)),
  psid: z.nullable(z.string()),
  pageId: z.string(),
  timestamp: z.number(),
  channel: z.enum(['messaging', 'standby']),
});
const inboxItem = z.object({ pk: z.string(), type: z.literal(ItemType.inbox), event: storedEvent });

/** An inbox insert (lib/store/inbox.ts): the event it holds. Anything else is refused. */
export function decodeInboxInsert(record: DynamoDBRecord): DecodedRecord<InboundEvent> {
  const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return { ok: false, sequenceNumber, reason: 'not an inbox insert' };
  let item: unknown;
  try {
    item = unmarshall(image as Record<string, AttributeValue>);
  } catch {
    return { ok: false, sequenceNumber, reason: 'image is not DynamoDB JSON' };
  }
  const parsed = inboxItem.safeParse(item);
  if (!parsed.success) return { ok: false, sequenceNumber, reason: 'not an inbox item' };
  // The event was validated at the webhook before it was written; this checks it is still ours.
  return { ok: true, sequenceNumber, partition: parsed.data.pk, value: parsed.data.event as unknown as InboundEvent };
}

const consentImage = z.looseObject({
  pk: z.string(),
  type: z.literal(ConsentItemType),
  consentId: z.string(),
  psid: z.string(),
  status: z.enum(['pending', 'active', 'revoked', 'expired']),
  version: z.number(),
  scopes: z.array(z.string()),
});

const consentOf = (image: Record<string, AttributeValue> | undefined) => {
  if (!image) return undefined;
  try {
    const parsed = consentImage.safeParse(unmarshall(image));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

/** The consent as lib/store/consents.ts reads it back: without the item's keys and index keys. */
const withoutKeys = ({ pk: _pk, sk: _sk, type: _type, gsi1pk: _g1, gsi1sk: _g2, ...consent }: Record<string, unknown>) => consent as unknown as Consent;

/** A consent written (lib/store/consents.ts): the consent before, if it existed, and after. */
export function decodeConsentChange(record: DynamoDBRecord): DecodedRecord<{ before: Consent | undefined; after: Consent }> {
  const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
  const after = consentOf(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined);
  if (!after) return { ok: false, sequenceNumber, reason: 'not a consent image' };
  const before = consentOf(record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined);
  return { ok: true, sequenceNumber, partition: after.pk, value: { before: before && withoutKeys(before), after: withoutKeys(after) } };
}
