import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { setTimeout as delay } from 'node:timers/promises';
import pLimit from 'p-limit';
import * as z from 'zod/mini';
import '../validation';
import { createSqsClient } from './sqs-client';

/**
 * The sync queue: scheduled and on-demand syncs travel as one message per bank connection. The
 * message carries only ids and the due time, never financial data.
 */
export interface SyncRequest {
  psid: string;
  itemId: string;
  /** Set by the scheduler: the due time this sync is for (a second delivery finds it done). */
  dueAt?: string;
  reason: 'schedule' | 'webhook' | 'stale' | 'new-consent';
}

export interface SyncQueue {
  send(requests: SyncRequest[]): Promise<{ sent: number; requests: number }>;
  /** Backs a failed message off: it becomes visible again after `seconds`. */
  delay(receiptHandle: string, seconds: number): Promise<void>;
}

export const syncRequestSchema = z.object({
  psid: z.string().check(z.minLength(1), z.maxLength(64)),
  itemId: z.string().check(z.minLength(1), z.maxLength(128)),
  dueAt: z.optional(z.iso.datetime()),
  reason: z.enum(['schedule', 'webhook', 'stale', 'new-consent']),
});

export function createSyncQueue(options: { queueUrl: string; region: string; endpoint?: string | undefined; client?: SQSClient; concurrency?: number }): SyncQueue {
  const sqs = options.client ?? createSqsClient(options);
  // Batches go out a few at a time: one due bucket can hold tens of thousands of connections, and
  // one request after the other would make the scheduler's run as long as their sum.
  const limit = pLimit(options.concurrency ?? 8);
  return {
    async send(requests) {
      let sent = 0;
      let calls = 0;
      const sendBatch = async (batch: SyncRequest[]) => {
        let entries = batch.map((request, j) => ({ Id: String(j), MessageBody: JSON.stringify(request) }));
        // Entries SQS did not take are sent again, a bounded number of times.
        for (let attempt = 0; entries.length > 0; attempt++) {
          if (attempt > 4) throw new Error(`SQS refused ${entries.length} sync messages after ${attempt} attempts`);
          if (attempt > 0) await delay(Math.random() * Math.min(2_000, 100 * 2 ** attempt));
          const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: entries }));
          calls++;
          sent += out.Successful?.length ?? 0;
          const failed = new Set((out.Failed ?? []).filter((f) => !f.SenderFault).map((f) => f.Id));
          const senderFaults = (out.Failed ?? []).filter((f) => f.SenderFault);
          if (senderFaults.length) throw new Error(`SQS rejected sync messages: ${senderFaults.map((f) => f.Code).join(', ')}`);
          entries = entries.filter((e) => failed.has(e.Id));
        }
      };
      const batches: SyncRequest[][] = [];
      for (let i = 0; i < requests.length; i += 10) batches.push(requests.slice(i, i + 10));
      await Promise.all(batches.map((batch) => limit(() => sendBatch(batch))));
      return { sent, requests: calls };
    },
    async delay(receiptHandle, seconds) {
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: options.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: Math.round(seconds) }));
    },
  };
}
