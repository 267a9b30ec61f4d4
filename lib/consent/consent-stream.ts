import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { ConsentItemType } from '../store/keys';
import type { ReadResult } from '../stream/ordered-batch';
import type { Consent } from './consent';
import '../validation';

/** A consent change from the table's stream: the consent before and after. */
export interface ConsentChange {
  before: Consent | undefined;
  after: Consent;
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

const read = (image: Record<string, AttributeValue> | undefined) => {
  if (!image) return undefined;
  try {
    const parsed = consentImage.safeParse(unmarshall(image));
    return parsed.success ? (parsed.data as unknown as Consent & { pk: string }) : undefined;
  } catch {
    return undefined;
  }
};

export function readConsentChange(record: DynamoDBRecord): ReadResult<ConsentChange> {
  const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
  const after = read(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined);
  if (!after) return { ok: false, sequenceNumber, reason: 'not a consent image' };
  const before = read(record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined);
  return {
    ok: true,
    entry: { sequenceNumber, partition: after.pk, order: after.version, value: { before, after }, id: `${after.consentId}:v${after.version}` },
  };
}
