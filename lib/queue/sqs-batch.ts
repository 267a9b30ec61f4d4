import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import pLimit from 'p-limit';

/**
 * What a message's handler decided: `done` (SQS deletes it) or `keep` (it is reported as failed and
 * comes back when its visibility timeout ends, which the handler may have changed to retry later).
 */
export type MessageOutcome = 'done' | 'keep';

export interface SqsBatchOptions {
  /** Messages handled at once. Powertools runs a batch all in parallel or all in sequence; this bounds it. */
  concurrency: number;
}

/** Powertools reports a message as failed when its handler throws: a kept message throws this. */
class MessageKept extends Error {
  override readonly name = 'MessageKept';
}

/**
 * The SQS batch loop of every queue consumer, through Powertools' Batch utility: each message is
 * handled on its own and only the ones that failed or are kept are reported (partial batch
 * response), so SQS deletes the rest. A batch in which every message failed is reported the same
 * way, message by message, rather than thrown: each message keeps the visibility timeout its
 * handler set, and the function's error count stays for real failures.
 */
export async function processSqsBatch(event: SQSEvent, handle: (record: SQSRecord) => Promise<MessageOutcome>, options: SqsBatchOptions): Promise<SQSBatchResponse> {
  const limit = pLimit(options.concurrency);
  // One processor per batch: it holds the batch's results, and a local stack hands one container
  // several batches at once.
  const processor = new BatchProcessor(EventType.SQS);
  const handleOne = (record: SQSRecord) =>
    limit(async () => {
      if ((await handle(record)) === 'keep') throw new MessageKept(record.messageId);
    });
  return processPartialResponse(event, handleOne, processor, { throwOnFullBatchFailure: false });
}
