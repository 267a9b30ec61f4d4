import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { Log } from '../logger';
import type { InboundEvent } from '../messenger/events';
import { decodeInboxInsert } from '../store/stream-records';
import { processOrderedBatch, type ReadResult } from '../stream/ordered-batch';

/**
 * Inbox items from the table's stream: each person's events in Messenger timestamp order, people
 * in parallel (see processOrderedBatch for failure handling).
 */
const asStreamEntry = (record: DynamoDBRecord): ReadResult<InboundEvent> => {
  const read = decodeInboxInsert(record);
  if (!read.ok) return read;
  const { sequenceNumber, partition, value: event } = read;
  return { ok: true, entry: { sequenceNumber, partition, order: event.timestamp, value: event, id: event.id } };
};

export function processInboxBatch(
  records: DynamoDBRecord[],
  handle: (event: InboundEvent) => Promise<unknown>,
  log: Log,
): Promise<DynamoDBBatchResponse> {
  return processOrderedBatch(records, asStreamEntry, handle, log);
}
