import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamApiRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { matchesAnyFilter } from './event-filter';

/**
 * Local stand-in for a Lambda DynamoDB Stream event source mapping: reads the table's stream
 * (DynamoDB Local), applies the same filter patterns, hands batches to the handler, honours
 * partial batch failures (resumes from the lowest failed record) and, after the configured number of
 * retries, hands what still fails to `onDeadLetter`. AWS also bisects failing batches; locally the
 * retries go straight to the failed record, which gives the same end state.
 */
export interface StreamDeliveryOptions {
  endpoint: string;
  streamArn: string;
  invoke: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void | null | undefined>;
  batchSize: number;
  maximumRetryAttempts: number;
  filterPatterns?: Record<string, unknown>[];
  onDeadLetter?: (records: DynamoDBRecord[], reason: string) => void;
  startingPosition?: 'TRIM_HORIZON' | 'LATEST';
}

export interface StreamDelivery {
  /** Reads and delivers everything currently in the stream; resolves with the number of records. */
  drain(): Promise<number>;
  /** Polls in the background until stopped. */
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

export function createStreamDelivery(options: StreamDeliveryOptions): StreamDelivery {
  const client = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const iterators = new Map<string, string | null>(); // shardId → iterator (null: closed and read)
  let running = false;
  let loop: Promise<void> | undefined;

  async function refreshShards() {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: options.streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
      const { ShardIterator } = await client.send(
        new GetShardIteratorCommand({
          StreamArn: options.streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: options.startingPosition ?? 'TRIM_HORIZON',
        }),
      );
      iterators.set(shard.ShardId, ShardIterator ?? null);
    }
  }

  const toLambdaRecord = (record: StreamApiRecord): DynamoDBRecord =>
    ({
      ...record,
      eventSourceARN: options.streamArn,
      dynamodb: {
        ...record.dynamodb,
        ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
          ? Math.floor(new Date(record.dynamodb.ApproximateCreationDateTime).getTime() / 1000)
          : undefined,
      },
    }) as DynamoDBRecord;

  async function deliver(records: DynamoDBRecord[]) {
    for (let start = 0; start < records.length; start += options.batchSize) {
      let batch = records.slice(start, start + options.batchSize);
      for (let attempt = 0; batch.length > 0; attempt++) {
        let failedFrom: number;
        let reason: string;
        try {
          const response = await options.invoke({ Records: batch });
          const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
          if (failed.size === 0) break;
          failedFrom = batch.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
          if (failedFrom < 0) failedFrom = 0; // an identifier we do not know: retry the whole batch, as Lambda does
          reason = 'reported batch item failures';
        } catch (error) {
          failedFrom = 0;
          reason = error instanceof Error ? error.message : String(error);
        }
        if (attempt >= options.maximumRetryAttempts) {
          options.onDeadLetter?.(batch.slice(failedFrom), reason);
          break;
        }
        batch = batch.slice(failedFrom);
      }
    }
  }

  async function drain(): Promise<number> {
    await refreshShards();
    let delivered = 0;
    for (const [shardId, iterator] of iterators) {
      let next = iterator;
      while (next) {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: next, Limit: 1000 }));
        const records = (page.Records ?? []).map(toLambdaRecord).filter((r) => matchesAnyFilter(options.filterPatterns as never, r));
        await deliver(records);
        delivered += records.length;
        next = page.NextShardIterator ?? null;
        iterators.set(shardId, next);
        if ((page.Records ?? []).length === 0) break; // caught up with an open shard
      }
    }
    return delivered;
  }

  return {
    drain,
    start(intervalMs = 250) {
      running = true;
      loop = (async () => {
        while (running) {
          try {
            await drain();
          } catch (error) {
            console.error('stream delivery:', error instanceof Error ? error.message : error);
          }
          await new Promise((resolve) => setTimeout(resolve, intervalMs));
        }
      })();
    },
    async stop() {
      running = false;
      await loop;
      client.destroy();
    },
  };
}
