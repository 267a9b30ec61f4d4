import {
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLocalSqs, type LocalSqs } from '../../dev/local-sqs';
import { createSqsDelivery, InvalidBatchResponseError, type SqsDelivery, type SqsDeliveryOptions } from '../../dev/sqs-delivery';

// WorkQueue: VisibilityTimeout 1 s, RedrivePolicy → WorkDLQ after 3 receives. OrdersQueue: FIFO.
// EventsQueue: VisibilityTimeout 30 s (a batching window must stay below the visibility timeout).
const fixture = fileURLToPath(new URL('./fixtures/sqs-serverless.yml', import.meta.url));

let sqs: LocalSqs;
const deliveries: SqsDelivery[] = [];

beforeAll(async () => {
  sqs = await startLocalSqs({ serverlessFile: fixture, stage: 'delivery' });
});
afterEach(async () => {
  await Promise.all(deliveries.splice(0).map((d) => d.stop()));
});
beforeEach(async () => {
  for (const queue of Object.keys(sqs.queues)) await sqs.client.send(new PurgeQueueCommand({ QueueUrl: sqs.queueUrl(queue) }));
});
afterAll(async () => {
  await sqs?.stop();
});

type Options = Partial<SqsDeliveryOptions> & Pick<SqsDeliveryOptions, 'invoke' | 'batchSize'>;
function delivery(options: Options, queue = 'WorkQueue'): SqsDelivery {
  const created = createSqsDelivery({
    client: sqs.client,
    queueUrl: sqs.queueUrl(queue),
    queueArn: sqs.queueArn(queue),
    onError: () => undefined,
    ...options,
  });
  deliveries.push(created);
  return created;
}

/** Sends n messages (bodies "from".."from+n-1") with SendMessageBatch, ten at a time; resolves with their ids by body. */
async function send(n: number, queue = 'WorkQueue', from = 0): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let start = 0; start < n; start += 10) {
    const bodies = Array.from({ length: Math.min(10, n - start) }, (_, i) => String(from + start + i));
    const { Successful, Failed } = await sqs.client.send(
      new SendMessageBatchCommand({ QueueUrl: sqs.queueUrl(queue), Entries: bodies.map((body) => ({ Id: `e${body}`, MessageBody: body })) }),
    );
    expect(Failed ?? []).toEqual([]);
    for (const entry of Successful ?? []) ids.set(entry.Id!.slice(1), entry.MessageId!);
  }
  return ids;
}

async function counts(queue: string) {
  const { Attributes = {} } = await sqs.client.send(
    new GetQueueAttributesCommand({
      QueueUrl: sqs.queueUrl(queue),
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    invisible: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed),
  };
}
const empty = { visible: 0, invisible: 0, delayed: 0 };

/** A handler that records each batch and answers with `answer` (default: success). */
function recorder(answer: (event: SQSEvent, call: number) => Promise<SQSBatchResponse | void> | SQSBatchResponse | void = () => undefined) {
  const batches: SQSRecord[][] = [];
  const invoke = async (event: SQSEvent) => {
    batches.push(event.Records);
    return answer(event, batches.length);
  };
  const deliveriesOf = () => {
    const times = new Map<string, number>();
    for (const record of batches.flat()) times.set(record.body, (times.get(record.body) ?? 0) + 1);
    return times;
  };
  return { batches, invoke, deliveriesOf };
}

const failuresFor = (event: SQSEvent, bodies: string[]): SQSBatchResponse => ({
  batchItemFailures: event.Records.filter((r) => bodies.includes(r.body)).map((r) => ({ itemIdentifier: r.messageId })),
});

describe('createSqsDelivery', () => {
  it('delivers 25 messages sent in batches of 10 in batches of at most batchSize, each exactly once', async () => {
    await send(25);
    const handler = recorder();
    const delivered = await delivery({ invoke: handler.invoke, batchSize: 4 }).drain();

    expect(delivered).toBe(25);
    expect(handler.batches.every((batch) => batch.length >= 1 && batch.length <= 4)).toBe(true);
    expect(handler.batches.length).toBeGreaterThanOrEqual(7);
    expect([...handler.deliveriesOf()].sort(([a], [b]) => Number(a) - Number(b))).toEqual(Array.from({ length: 25 }, (_, i) => [String(i), 1]));
    expect(await counts('WorkQueue')).toEqual(empty);
  });

  it('does the same in the background (start/stop), as npm start runs it', async () => {
    const handler = recorder();
    const background = delivery({ invoke: handler.invoke, batchSize: 10 });
    background.start();
    await send(25);
    await vi.waitFor(() => expect(handler.batches.flat()).toHaveLength(25), { timeout: 5_000, interval: 20 });
    await background.stop();

    expect(handler.batches.every((batch) => batch.length <= 10)).toBe(true);
    expect([...handler.deliveriesOf().values()]).toEqual(Array(25).fill(1));
    expect(await counts('WorkQueue')).toEqual(empty);
  });

  it('keeps gathering a batch for the batching window before invoking', async () => {
    const handler = recorder();
    const background = delivery({ invoke: handler.invoke, batchSize: 10, maximumBatchingWindowSeconds: 1 }, 'EventsQueue');
    background.start();
    await send(3, 'EventsQueue');
    await delay(300);
    expect(handler.batches).toHaveLength(0);
    await send(3, 'EventsQueue', 3);
    await vi.waitFor(() => expect(handler.batches.flat()).toHaveLength(6), { timeout: 3_000, interval: 20 });
    await background.stop();
    expect(handler.batches.map((b) => b.map((r) => r.body).sort())).toEqual([['0', '1', '2', '3', '4', '5']]);
  });

  it('gathers batches larger than one receive (batchSize above 10)', async () => {
    await send(25);
    const handler = recorder();
    expect(await delivery({ invoke: handler.invoke, batchSize: 25 }).drain()).toBe(25);
    expect(handler.batches.map((b) => b.length)).toEqual([25]);
  });

  for (const mode of ['drain', 'start'] as const) {
    it(`never has more than maximumConcurrency (2) invocations in flight (${mode})`, async () => {
      await send(12);
      let inFlight = 0;
      let most = 0;
      const handler = recorder(async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await delay(40);
        inFlight--;
      });
      const d = delivery({ invoke: handler.invoke, batchSize: 1, maximumConcurrency: 2 });
      if (mode === 'drain') {
        expect(await d.drain()).toBe(12);
      } else {
        d.start();
        await vi.waitFor(() => expect(handler.batches).toHaveLength(12), { timeout: 5_000, interval: 20 });
        await d.stop();
      }
      expect(most).toBe(2);
      expect(inFlight).toBe(0);
      expect(await counts('WorkQueue')).toEqual(empty);
    });
  }

  it('deletes all but the reported batch item failures; exactly those come back after the visibility timeout', async () => {
    const ids = await send(10);
    const handler = recorder((event, call) => (call === 1 ? failuresFor(event, ['3', '7']) : undefined));
    const d = delivery({ invoke: handler.invoke, batchSize: 10 });

    expect(await d.drain()).toBe(10); // the two failures are invisible for 1 s: not part of this drain
    expect(await counts('WorkQueue')).toEqual({ visible: 0, invisible: 2, delayed: 0 });

    const started = Date.now();
    expect(await d.drain({ untilEmpty: true })).toBe(2);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(handler.batches).toHaveLength(2);
    const redelivered = handler.batches[1]!;
    expect(redelivered.map((r) => r.body).sort()).toEqual(['3', '7']);
    expect(redelivered.map((r) => r.messageId).sort()).toEqual([ids.get('3'), ids.get('7')].sort());
    expect(redelivered.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['2', '2']);
    expect(await counts('WorkQueue')).toEqual(empty);
    expect(await counts('WorkDLQ')).toEqual(empty);
  });

  it('moves a poison message to the DLQ after maxReceiveCount receives and stops delivering it', async () => {
    await send(4);
    const handler = recorder((event) => failuresFor(event, ['2']));
    const delivered = await delivery({ invoke: handler.invoke, batchSize: 10, retryImmediately: true }).drain();

    const poison = handler.batches.flat().filter((r) => r.body === '2');
    expect(poison.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3']); // maxReceiveCount: 3
    expect(delivered).toBe(4 + 2);
    expect([...handler.deliveriesOf()].filter(([body]) => body !== '2').every(([, times]) => times === 1)).toBe(true);
    expect(await counts('WorkQueue')).toEqual(empty);

    const { Messages } = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: sqs.queueUrl('WorkDLQ'), MaxNumberOfMessages: 10 }));
    expect(Messages?.map((m) => [m.MessageId, m.Body])).toEqual([[poison[0]!.messageId, '2']]);
  });

  it('reaches the DLQ through the visibility timeout too (no retryImmediately)', async () => {
    await send(1);
    const handler = recorder((event) => failuresFor(event, ['0']));
    const d = delivery({ invoke: handler.invoke, batchSize: 10 });
    expect(await d.drain({ untilEmpty: true, timeoutMs: 10_000 })).toBe(3);
    expect(await counts('WorkDLQ')).toMatchObject({ visible: 1 });
    expect(await d.drain()).toBe(0);
  });

  it('redelivers the whole batch when the handler throws, and reports the error', async () => {
    await send(5);
    const errors: unknown[] = [];
    const handler = recorder((_event, call) => {
      if (call === 1) throw new Error('handler crashed');
    });
    const delivered = await delivery({ invoke: handler.invoke, batchSize: 10, retryImmediately: true, onError: (e) => errors.push(e) }).drain();

    expect(delivered).toBe(10);
    expect(handler.batches.map((b) => b.length)).toEqual([5, 5]);
    expect(handler.batches[1]!.every((r) => r.attributes.ApproximateReceiveCount === '2')).toBe(true);
    expect(errors).toEqual([new Error('handler crashed')]);
    expect(await counts('WorkQueue')).toEqual(empty);
  });

  for (const [what, identifier] of [
    ['an empty itemIdentifier', ''],
    ['an unknown itemIdentifier', 'not-a-message-id'],
  ] as const) {
    it(`treats ${what} as a failure of the whole batch, like Lambda`, async () => {
      await send(3);
      const errors: unknown[] = [];
      const handler = recorder((_event, call) => (call === 1 ? { batchItemFailures: [{ itemIdentifier: identifier }] } : undefined));
      const delivered = await delivery({ invoke: handler.invoke, batchSize: 10, retryImmediately: true, onError: (e) => errors.push(e) }).drain();

      expect(delivered).toBe(6);
      expect(handler.batches.map((b) => b.length)).toEqual([3, 3]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(InvalidBatchResponseError);
    });
  }

  it('ignores the response when the mapping does not report batch item failures', async () => {
    await send(3);
    const handler = recorder((event) => failuresFor(event, ['1']));
    expect(await delivery({ invoke: handler.invoke, batchSize: 10, reportBatchItemFailures: false, retryImmediately: true }).drain()).toBe(3);
    expect(await counts('WorkQueue')).toEqual(empty);
  });

  it('builds the SQSEvent Lambda sends, and ApproximateReceiveCount counts the receives', async () => {
    const body = JSON.stringify({ psid: '5500000000000001', kind: 'sync' });
    const { MessageId } = await sqs.client.send(
      new SendMessageCommand({
        QueueUrl: sqs.queueUrl('WorkQueue'),
        MessageBody: body,
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'sync' },
          attempt: { DataType: 'Number', StringValue: '1' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from('bytes') },
        },
      }),
    );
    const handler = recorder((_event, call) => {
      if (call === 1) throw new Error('first try fails');
    });
    const before = Date.now();
    await delivery({ invoke: handler.invoke, batchSize: 10, retryImmediately: true }).drain();

    expect(handler.batches).toHaveLength(2);
    const [first, second] = handler.batches.map((b) => b[0]!);
    const expected: SQSRecord = {
      messageId: MessageId!,
      receiptHandle: expect.any(String) as string,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/) as string,
        SenderId: expect.any(String) as string,
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/) as string,
      },
      messageAttributes: {
        kind: { stringValue: 'sync', stringListValues: [], binaryListValues: [], dataType: 'String' },
        attempt: { stringValue: '1', stringListValues: [], binaryListValues: [], dataType: 'Number' },
        blob: { binaryValue: Buffer.from('bytes').toString('base64'), stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
      md5OfBody: createHash('md5').update(body).digest('hex'),
      md5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
      eventSource: 'aws:sqs',
      eventSourceARN: sqs.queueArn('WorkQueue'),
      awsRegion: 'eu-west-1',
    };
    expect(first).toEqual(expected);
    expect(Object.keys(first!.attributes)).toEqual(['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp']);
    expect(Number(first!.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(before);

    expect(second).toEqual({ ...expected, attributes: { ...expected.attributes, ApproximateReceiveCount: '2' } });
    expect(second!.receiptHandle).not.toBe(first!.receiptHandle);
    expect(second!.attributes.ApproximateFirstReceiveTimestamp).toBe(first!.attributes.ApproximateFirstReceiveTimestamp);
    expect(second!.attributes.SentTimestamp).toBe(first!.attributes.SentTimestamp);
  });

  it('omits md5OfMessageAttributes when a message has none', async () => {
    await send(1);
    const handler = recorder();
    await delivery({ invoke: handler.invoke, batchSize: 1 }).drain();
    expect(handler.batches[0]![0]).not.toHaveProperty('md5OfMessageAttributes');
    expect(handler.batches[0]![0]!.messageAttributes).toEqual({});
  });

  it('carries the FIFO attributes of a FIFO queue', async () => {
    await sqs.client.send(new SendMessageCommand({ QueueUrl: sqs.queueUrl('OrdersQueue'), MessageBody: 'order-1', MessageGroupId: 'psid-1' }));
    const handler = recorder();
    await delivery({ invoke: handler.invoke, batchSize: 10 }, 'OrdersQueue').drain();
    expect(handler.batches[0]![0]!.attributes).toMatchObject({
      MessageGroupId: 'psid-1',
      MessageDeduplicationId: createHash('sha256').update('order-1').digest('hex'),
      SequenceNumber: expect.stringMatching(/^\d+$/) as string,
    });
  });

  it('stop() waits for the current poll and the invocations in flight, and leaves no message hidden', async () => {
    let finished = false;
    const handler = recorder(async () => {
      await delay(150);
      finished = true;
    });
    const d = delivery({ invoke: handler.invoke, batchSize: 1 });
    d.start();
    await send(1);
    await vi.waitFor(() => expect(handler.batches).toHaveLength(1), { timeout: 3_000, interval: 10 });
    const stopping = Date.now();
    await d.stop();
    expect(finished).toBe(true);
    expect(Date.now() - stopping).toBeLessThan(1_500); // the default poll waits 1 s
    expect(await counts('WorkQueue')).toEqual(empty);

    await send(1, 'WorkQueue', 1); // no poll of the stopped delivery may take it
    await delay(50);
    expect(await counts('WorkQueue')).toEqual({ visible: 1, invisible: 0, delayed: 0 });
    expect(handler.batches).toHaveLength(1);
  });

  it('rejects a drain that cannot finish in time', async () => {
    await send(1);
    const handler = recorder((event) => failuresFor(event, ['0']));
    await expect(delivery({ invoke: handler.invoke, batchSize: 1 }).drain({ untilEmpty: true, timeoutMs: 300 })).rejects.toThrow(/did not finish within 300 ms/);
  });
});
