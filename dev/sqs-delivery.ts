import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSMessageAttribute, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Local stand-in for a Lambda SQS event source mapping (the SQS twin of stream-delivery.ts):
 * long-polls the queue, hands batches of up to `batchSize` messages to the handler as the `SQSEvent`
 * Lambda builds, with at most `maximumConcurrency` invocations in flight, and then does what the
 * mapping does with the result:
 *
 * - success → every message of the batch is deleted;
 * - `batchItemFailures` (with `ReportBatchItemFailures`) → all but the reported messages are deleted;
 *   an empty, missing or unknown `itemIdentifier` fails the whole batch, as in Lambda;
 * - the handler throws → nothing is deleted.
 *
 * What is not deleted becomes visible again after the queue's VisibilityTimeout and is delivered
 * again, with a higher ApproximateReceiveCount; once that exceeds the queue's RedrivePolicy
 * maxReceiveCount, SQS itself (fauxqs implements the redrive on receive, as AWS does) moves the
 * message to the dead-letter queue. With `retryImmediately`, failed messages are made visible at
 * once (ChangeMessageVisibility 0) instead, so tests and a local loop need not wait for the timeout;
 * the receive count, and so the redrive, are the same.
 */
export interface SqsDeliveryOptions {
  client: SQSClient;
  queueUrl: string;
  queueArn: string;
  invoke: (event: SQSEvent) => Promise<SQSBatchResponse | void | null | undefined>;
  /** Messages per invocation (1–10000; more than 10 takes several receives). */
  batchSize: number;
  /** Batches in flight at once. Default 5 (Lambda starts with five concurrent batches). */
  maximumConcurrency?: number;
  /** How long start()'s poller keeps gathering a batch that is not full yet. Default 0. drain() never waits for it. */
  maximumBatchingWindowSeconds?: number;
  /** `functionResponseType: ReportBatchItemFailures`; without it a returned response is ignored. Default true. */
  reportBatchItemFailures?: boolean;
  /** Make failed messages visible again at once instead of after the queue's VisibilityTimeout. Default false. */
  retryImmediately?: boolean;
  /**
   * Long-poll wait of start()'s poller (0–20 s). Default 1: stop() lets the current receive finish
   * rather than abort it, because a long poll abandoned by its client is still served by the
   * emulator, which would then hide the messages it takes until their visibility timeout.
   */
  pollWaitSeconds?: number;
  /** Failed invocations and SQS errors. Default: logged to stderr. */
  onError?: (error: unknown) => void;
}

export interface DrainOptions {
  /**
   * Also wait for messages that are in flight in SQS terms (failed and waiting for their visibility
   * timeout) or delayed, until the queue holds nothing. Default false: drain ends as soon as a receive
   * finds nothing and no invocation is running, so messages only come back within a drain if they
   * become visible while it is still working.
   */
  untilEmpty?: boolean;
  /** Rejects when the drain has not finished by then. Default 30 s. */
  timeoutMs?: number;
}

export interface SqsDelivery {
  /** Polls in the background until stopped. */
  start(): void;
  /** Receives and delivers until the queue is empty and nothing is in flight; resolves with the number of messages handed to the handler (redeliveries included). */
  drain(options?: DrainOptions): Promise<number>;
  /** Stops polling after the current receive (at most pollWaitSeconds) and waits for the invocations in flight and their deletes. */
  stop(): Promise<void>;
}

/** The response named something that is not a message of the batch: Lambda fails the whole batch. */
export class InvalidBatchResponseError extends Error {
  override name = 'InvalidBatchResponseError';
}

export function createSqsDelivery(options: SqsDeliveryOptions): SqsDelivery {
  const { client, queueUrl, queueArn, batchSize } = options;
  const maximumConcurrency = options.maximumConcurrency ?? 5;
  const windowMs = (options.maximumBatchingWindowSeconds ?? 0) * 1000;
  const pollWaitSeconds = options.pollWaitSeconds ?? 1;
  const reportBatchItemFailures = options.reportBatchItemFailures ?? true;
  const onError = options.onError ?? ((error: unknown) => console.error('sqs delivery:', error instanceof Error ? error.message : error));
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new Error(`batchSize must be 1–10000 (got ${batchSize})`);
  if (!Number.isInteger(maximumConcurrency) || maximumConcurrency < 1) throw new Error(`maximumConcurrency must be a positive integer (got ${maximumConcurrency})`);
  if (!(windowMs >= 0 && windowMs <= 300_000)) throw new Error('maximumBatchingWindowSeconds must be 0–300');
  if (!Number.isInteger(pollWaitSeconds) || pollWaitSeconds < 0 || pollWaitSeconds > 20) throw new Error('pollWaitSeconds must be 0–20');
  const awsRegion = queueArn.split(':')[3] ?? '';

  const inflight = new Set<Promise<void>>();
  let running = false;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let backoff: AbortController | undefined; // cuts short the pause after a failed receive

  async function receive(max: number, waitSeconds: number): Promise<Message[]> {
    const { Messages } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return Messages ?? [];
  }

  /**
   * One batch: the first receive waits up to `firstWaitSeconds`; then, as Lambda does, more receives
   * fill the batch for up to the batching window (with no window: while the queue answers full receives).
   */
  async function collectBatch(firstWaitSeconds: number, batchWindowMs: number): Promise<Message[]> {
    const firstWant = Math.min(10, batchSize);
    const batch = await receive(firstWant, firstWaitSeconds);
    if (batch.length === 0) return batch;
    const deadline = Date.now() + batchWindowMs;
    let lastFull = batch.length === firstWant;
    while (batch.length < batchSize) {
      const remainingMs = deadline - Date.now();
      if ((remainingMs <= 0 || stopping) && !lastFull) break;
      const want = Math.min(10, batchSize - batch.length);
      const wait = remainingMs >= 1000 ? Math.min(20, Math.floor(remainingMs / 1000)) : 0;
      let more: Message[];
      try {
        more = await receive(want, wait);
      } catch (error) {
        // Never drop what is already received: deliver the partial batch.
        onError(error);
        break;
      }
      batch.push(...more);
      lastFull = more.length === want;
      if (more.length === 0 && wait === 0 && remainingMs > 0) await delay(Math.min(remainingMs, 50));
    }
    return batch;
  }

  const toRecord = (message: Message): SQSRecord => {
    const a = message.Attributes ?? {};
    const attributes: SQSRecordAttributes = {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? '',
      SenderId: a.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? '',
      ...(a.AWSTraceHeader ? { AWSTraceHeader: a.AWSTraceHeader } : {}),
      ...(a.SequenceNumber ? { SequenceNumber: a.SequenceNumber } : {}),
      ...(a.MessageGroupId ? { MessageGroupId: a.MessageGroupId } : {}),
      ...(a.MessageDeduplicationId ? { MessageDeduplicationId: a.MessageDeduplicationId } : {}),
      ...(a.DeadLetterQueueSourceArn ? { DeadLetterQueueSourceArn: a.DeadLetterQueueSourceArn } : {}),
    };
    return {
      messageId: message.MessageId ?? '',
      receiptHandle: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      attributes,
      messageAttributes: Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, toLambdaAttribute(value)])),
      md5OfBody: message.MD5OfBody ?? '',
      ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion,
    };
  };

  /** The messages the handler's response reports as failed; throws when Lambda would fail the whole batch. */
  function reportedFailures(response: unknown, batch: Message[]): Message[] {
    if (!reportBatchItemFailures || response === undefined || response === null) return [];
    if (typeof response !== 'object' || Array.isArray(response)) throw new InvalidBatchResponseError(`invalid batch response ${JSON.stringify(response)}`);
    const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
    if (failures === undefined || failures === null) return [];
    if (!Array.isArray(failures)) throw new InvalidBatchResponseError(`batchItemFailures is not a list: ${JSON.stringify(failures)}`);
    const ids = new Set<string>();
    for (const failure of failures as unknown[]) {
      const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
      if (typeof id !== 'string' || id === '' || !batch.some((m) => m.MessageId === id)) {
        throw new InvalidBatchResponseError(`batchItemFailures names ${JSON.stringify(id)}, not a message of the batch: the whole batch fails`);
      }
      ids.add(id);
    }
    return batch.filter((m) => ids.has(m.MessageId ?? ''));
  }

  async function deliver(batch: Message[]): Promise<void> {
    let failed: Message[];
    try {
      failed = reportedFailures(await options.invoke({ Records: batch.map(toRecord) }), batch);
    } catch (error) {
      onError(error);
      failed = batch;
    }
    await deleteMessages(batch.filter((m) => !failed.includes(m)));
    if (options.retryImmediately && failed.length > 0) await makeVisible(failed);
  }

  async function deleteMessages(messages: Message[]) {
    for (let start = 0; start < messages.length; start += 10) {
      const chunk = messages.slice(start, start + 10);
      const { Failed } = await client.send(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })) }),
      );
      for (const failure of Failed ?? []) onError(new Error(`could not delete message ${failure.Id}: ${failure.Code} ${failure.Message ?? ''}`));
    }
  }

  async function makeVisible(messages: Message[]) {
    for (let start = 0; start < messages.length; start += 10) {
      const chunk = messages.slice(start, start + 10);
      await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
        }),
      );
    }
  }

  function dispatch(batch: Message[]) {
    const done: Promise<void> = deliver(batch)
      .catch(onError)
      .finally(() => inflight.delete(done));
    inflight.add(done);
  }

  async function waitForSlot() {
    while (inflight.size >= maximumConcurrency) await Promise.race(inflight);
  }

  async function queueIsEmpty(): Promise<boolean> {
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    return Object.values(Attributes ?? {}).every((count) => count === '0');
  }

  async function drain({ untilEmpty = false, timeoutMs = 30_000 }: DrainOptions = {}): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let delivered = 0;
    let waitSeconds = 0;
    for (;;) {
      if (Date.now() >= deadline) throw new Error(`drain did not finish within ${timeoutMs} ms (${delivered} messages delivered)`);
      await waitForSlot();
      const batch = await collectBatch(waitSeconds, 0);
      if (batch.length > 0) {
        delivered += batch.length;
        dispatch(batch);
        waitSeconds = 0;
        continue;
      }
      if (inflight.size > 0) {
        await Promise.race(inflight);
        continue;
      }
      if (!untilEmpty || (await queueIsEmpty())) return delivered;
      // Messages are invisible or delayed: a short long-poll returns as soon as one is back
      // (near the deadline, short pauses instead, so the timeout is kept).
      const remainingMs = deadline - Date.now();
      waitSeconds = remainingMs >= 1000 ? 1 : 0;
      if (waitSeconds === 0) await delay(Math.max(0, Math.min(remainingMs, 50)));
    }
  }

  return {
    drain,
    start() {
      if (running) return;
      running = true;
      stopping = false;
      backoff = new AbortController();
      const signal = backoff.signal;
      loop = (async () => {
        while (running) {
          await waitForSlot();
          if (!running) break;
          try {
            // Delivered even when stop() was called meanwhile: nothing received is left hidden.
            const batch = await collectBatch(pollWaitSeconds, windowMs);
            if (batch.length > 0) dispatch(batch);
            else if (pollWaitSeconds === 0) await delay(100); // short polling: do not spin
          } catch (error) {
            if (!running) break;
            onError(error);
            await delay(1_000, undefined, { signal }).catch(() => undefined);
          }
        }
      })();
    },
    async stop() {
      running = false;
      stopping = true;
      backoff?.abort();
      await loop;
      loop = undefined;
      while (inflight.size > 0) await Promise.all(inflight);
    },
  };
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** SQS API message attribute → the camel-cased shape Lambda puts in the event. */
function toLambdaAttribute(value: MessageAttributeValue): SQSMessageAttribute {
  return {
    ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
    ...(value.BinaryValue !== undefined ? { binaryValue: base64(value.BinaryValue) } : {}),
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map(base64),
    dataType: value.DataType ?? 'String',
  };
}
