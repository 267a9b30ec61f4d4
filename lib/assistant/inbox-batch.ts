import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import type { Log } from '../logger';
import type { InboundEvent } from '../messenger/events';
import { ItemType } from '../store/keys';
import { processOrderedBatch, type ReadResult } from '../stream/ordered-batch';
import '../validation';

/**
 * Inbox items from the table's stream: each person's events in Messenger timestamp order, people
 * in parallel (see processOrderedBatch for failure handling).
 */
const storedEvent = z.looseObject({
  id: z.string().check(z.minLength(1)),
  kind: z.string().check(z.minLength(1)),
  psid: z.nullable(z.string()),
  pageId: z.string(),
  timestamp: z.number(),
  channel: z.enum(['messaging', 'standby']),
});
const inboxItem = z.object({ pk: z.string(), type: z.literal(ItemType.inbox), event: storedEvent });

export interface InboxEntry {
  sequenceNumber: string;
  partition: string;
  event: InboundEvent;
}

export type InboxRecord = { ok: true; entry: InboxEntry } | { ok: false; sequenceNumber: string; reason: string };

export function readInboxRecord(record: DynamoDBRecord): InboxRecord {
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
  return { ok: true, entry: { sequenceNumber, partition: parsed.data.pk, event: parsed.data.event as unknown as InboundEvent } };
}

const asStreamEntry = (record: DynamoDBRecord): ReadResult<InboundEvent> => {
  const read = readInboxRecord(record);
  if (!read.ok) return read;
  const { sequenceNumber, partition, event } = read.entry;
  return { ok: true, entry: { sequenceNumber, partition, order: event.timestamp, value: event, id: event.id } };
};

export function processInboxBatch(
  records: DynamoDBRecord[],
  handle: (event: InboundEvent) => Promise<unknown>,
  log: Log,
): Promise<DynamoDBBatchResponse> {
  return processOrderedBatch(records, asStreamEntry, handle, log);
}
