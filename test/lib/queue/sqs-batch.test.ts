import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { processSqsBatch } from '../../../lib/queue/sqs-batch';

/** The SQS batch loop every queue consumer uses: partial batch responses, a bounded concurrency. */
const record = (messageId: string): SQSRecord => ({
  messageId,
  receiptHandle: `r-${messageId}`,
  body: messageId,
  attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:sync',
  awsRegion: 'eu-west-1',
});
const batch = (...ids: string[]): SQSEvent => ({ Records: ids.map(record) });
const failed = (response: { batchItemFailures: { itemIdentifier: string }[] }) => response.batchItemFailures.map((f) => f.itemIdentifier).sort();

describe('an SQS batch', () => {
  it('reports exactly the messages kept or failed; SQS deletes the others', async () => {
    const response = await processSqsBatch(
      batch('a', 'b', 'c', 'd'),
      async (r) => {
        if (r.body === 'b') return 'keep';
        if (r.body === 'c') throw new Error('boom');
        return 'done';
      },
      { concurrency: 10 },
    );

    expect(failed(response)).toEqual(['b', 'c']);
  });

  it('reports a batch in which every message failed message by message, rather than failing the invocation', async () => {
    const response = await processSqsBatch(batch('a', 'b'), async () => 'keep', { concurrency: 10 });

    expect(failed(response)).toEqual(['a', 'b']);
  });

  it('reports nothing when every message is done', async () => {
    expect(await processSqsBatch(batch('a', 'b'), async () => 'done', { concurrency: 10 })).toEqual({ batchItemFailures: [] });
  });

  it('handles at most `concurrency` messages at once, and all of them in the end', async () => {
    let inFlight = 0;
    let most = 0;
    const handled: string[] = [];
    const ids = Array.from({ length: 25 }, (_, i) => `m${i}`);

    await processSqsBatch(
      batch(...ids),
      async (r) => {
        inFlight++;
        most = Math.max(most, inFlight);
        // Let every other message that may start, start, before this one ends.
        for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        handled.push(r.messageId);
        return 'done';
      },
      { concurrency: 10 },
    );

    expect(most).toBe(10);
    expect(handled.sort()).toEqual([...ids].sort());
  });

  it('keeps two batches handled at once apart (a local stack hands one container several)', async () => {
    const [first, second] = await Promise.all([
      processSqsBatch(batch('a1', 'a2'), async (r) => (r.body === 'a1' ? 'keep' : 'done'), { concurrency: 10 }),
      processSqsBatch(batch('b1', 'b2'), async (r) => (r.body === 'b2' ? 'keep' : 'done'), { concurrency: 10 }),
    ]);

    expect([failed(first), failed(second)]).toEqual([['a1'], ['b2']]);
  });
});
