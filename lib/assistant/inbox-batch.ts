import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { Log } from '../logger';
import type { InboundEvent } from '../messenger/events';
import { ItemType } from '../store/keys';
import * as z from 'zod/mini';
import '../validation';

/**
 * Runs a DynamoDB Stream batch of inbox items: in timestamp order per person, people in parallel,
 * with partial batch failure reporting. Written here rather than with Powertools' BatchProcessor
 * because that processes a batch either all in order or all in parallel, while Messenger needs
 * both: order within a person's thread, parallelism across people.
 *
 * When a person's event fails, their later events in the batch are not attempted and are reported
 * too; Lambda resumes the shard from the lowest reported sequence number, and the reply ledger makes
 * the re-run of anything already answered a no-op.
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

const compareSequence = (a: string, b: string) => (a.length - b.length) || (a < b ? -1 : a > b ? 1 : 0);

export async function processInboxBatch(
  records: DynamoDBRecord[],
  handle: (event: InboundEvent) => Promise<unknown>,
  log: Log,
): Promise<DynamoDBBatchResponse> {
  const byPerson = new Map<string, InboxEntry[]>();
  for (const record of records) {
    const read = readInboxRecord(record);
    if (!read.ok) {
      // Retrying cannot fix a record that is not ours: skip it, loudly.
      log.warn('Skipping stream record', { sequenceNumber: read.sequenceNumber, reason: read.reason });
      continue;
    }
    const list = byPerson.get(read.entry.partition) ?? [];
    list.push(read.entry);
    byPerson.set(read.entry.partition, list);
  }

  const failed: string[] = [];
  await Promise.all(
    [...byPerson.values()].map(async (entries) => {
      entries.sort((a, b) => a.event.timestamp - b.event.timestamp || compareSequence(a.sequenceNumber, b.sequenceNumber));
      for (const [index, entry] of entries.entries()) {
        try {
          await handle(entry.event);
        } catch (error) {
          log.error('Inbound event failed; it and the person’s later events will be retried', {
            eventId: entry.event.id,
            error: error instanceof Error ? error.name : 'unknown',
            detail: error instanceof Error ? error.message : undefined,
          });
          failed.push(...entries.slice(index).map((e) => e.sequenceNumber));
          return;
        }
      }
    }),
  );
  failed.sort(compareSequence);
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}
