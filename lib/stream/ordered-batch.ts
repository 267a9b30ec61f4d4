import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { Log } from '../logger';

/**
 * Runs a DynamoDB Stream batch in order per partition (per person), partitions in parallel, with
 * partial batch failure reporting. Written here rather than with Powertools' BatchProcessor,
 * which processes a batch either all in order or all in parallel, while we need both: order within
 * a person's thread, parallelism across people.
 *
 * When a record fails, the partition's later records are not attempted and are reported too;
 * Lambda resumes the shard from the lowest reported sequence number, and the consumers' own
 * idempotency (the reply ledger, purge records) makes re-running anything already done a no-op.
 */
export interface StreamEntry<T> {
  sequenceNumber: string;
  partition: string;
  /** Order within the partition (e.g. the Messenger timestamp); ties keep stream order. */
  order: number;
  value: T;
  /** For logs: which event this is. */
  id: string;
}

export type ReadResult<T> = { ok: true; entry: StreamEntry<T> } | { ok: false; sequenceNumber: string; reason: string };

const compareSequence = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

export async function processOrderedBatch<T>(
  records: DynamoDBRecord[],
  read: (record: DynamoDBRecord) => ReadResult<T>,
  handle: (value: T) => Promise<unknown>,
  log: Log,
): Promise<DynamoDBBatchResponse> {
  const byPartition = new Map<string, StreamEntry<T>[]>();
  for (const record of records) {
    const result = read(record);
    if (!result.ok) {
      // Retrying cannot fix a record that is not ours: skip it, loudly.
      log.warn('Skipping stream record', { sequenceNumber: result.sequenceNumber, reason: result.reason });
      continue;
    }
    const list = byPartition.get(result.entry.partition) ?? [];
    list.push(result.entry);
    byPartition.set(result.entry.partition, list);
  }

  const failed: string[] = [];
  await Promise.all(
    [...byPartition.values()].map(async (entries) => {
      entries.sort((a, b) => a.order - b.order || compareSequence(a.sequenceNumber, b.sequenceNumber));
      for (const [index, entry] of entries.entries()) {
        try {
          await handle(entry.value);
        } catch (error) {
          log.error('Stream record failed; it and the later records of the same person will be retried', {
            id: entry.id,
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
