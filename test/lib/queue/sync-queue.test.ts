import type { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { createSyncQueue, type SyncRequest } from '../../../lib/queue/sync-queue';

/** The sync queue's sending, against an SQS client fake that answers SendMessageBatch. */
const due = (n: number): SyncRequest[] => Array.from({ length: n }, (_, i) => ({ psid: `p${i}`, itemId: `i${i}`, reason: 'schedule' }));

function fakeSqs(options: { failFirstTry?: Set<string> } = {}) {
  const received: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const tried = new Set<string>();
  const client = {
    async send(command: SendMessageBatchCommand) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      const entries = command.input.Entries ?? [];
      const failed = entries.filter((e) => {
        const body = e.MessageBody!;
        const fail = options.failFirstTry?.has(body) && !tried.has(body);
        tried.add(body);
        return fail;
      });
      for (const e of entries) if (!failed.includes(e)) received.push(JSON.parse(e.MessageBody!).psid);
      return { Successful: entries.filter((e) => !failed.includes(e)).map((e) => ({ Id: e.Id })), Failed: failed.map((e) => ({ Id: e.Id, SenderFault: false, Code: 'InternalError' })) };
    },
  };
  return { client: client as unknown as SQSClient, received, maxInFlight: () => maxInFlight };
}

describe('sending sync requests', () => {
  it('sends every request once, ten to a batch, several batches at a time', async () => {
    const sqs = fakeSqs();
    const queue = createSyncQueue({ queueUrl: 'q', region: 'eu-west-1', client: sqs.client, concurrency: 4 });

    const result = await queue.send(due(95));

    expect(result).toEqual({ sent: 95, requests: 10 });
    expect(sqs.received.sort()).toEqual(due(95).map((d) => d.psid).sort());
    expect(sqs.maxInFlight()).toBe(4);
  });

  it('sends again what SQS did not take, and counts the extra request', async () => {
    const requests = due(12);
    const sqs = fakeSqs({ failFirstTry: new Set([JSON.stringify(requests[3])]) });
    const queue = createSyncQueue({ queueUrl: 'q', region: 'eu-west-1', client: sqs.client });

    const result = await queue.send(requests);

    expect(result).toEqual({ sent: 12, requests: 3 });
    expect(sqs.received.filter((p) => p === 'p3')).toHaveLength(1);
  });
});
