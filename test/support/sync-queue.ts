import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { LocalSqs } from '../../dev/local-sqs';
import { createSqsDelivery, type SqsDelivery } from '../../dev/sqs-delivery';
import { lambdaContext, type QueueHandler } from './functions';

/**
 * The local sync queue delivered to a handler as the syncWorker's event source mapping would,
 * except that failed messages come back at once (the receive counts and the redrive are the same).
 */
export function syncQueueTo(sqs: LocalSqs, invoke: (event: SQSEvent) => Promise<SQSBatchResponse>): SqsDelivery {
  return createSqsDelivery({
    client: sqs.client,
    queueUrl: sqs.queueUrl('SyncQueue'),
    queueArn: sqs.queueArn('SyncQueue'),
    batchSize: 10,
    retryImmediately: true,
    onError: () => undefined,
    invoke,
  });
}

/** One sync request as the syncWorker's event source hands it over, sent now and received once. */
export function syncRecord(sqs: LocalSqs, messageId: string, request: { psid: string; itemId: string; reason: string }): SQSRecord {
  const now = String(Date.now());
  return {
    messageId,
    receiptHandle: 'r',
    body: JSON.stringify(request),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: now, SenderId: 'x', ApproximateFirstReceiveTimestamp: now },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: sqs.queueArn('SyncQueue'),
    awsRegion: 'eu-west-1',
  };
}

/** Runs the syncWorker on one sync request, as the sync queue's event source would hand it over. */
export function runSync(worker: QueueHandler, sqs: LocalSqs, messageId: string, request: { psid: string; itemId: string; reason: string }): Promise<SQSBatchResponse> {
  return worker({ Records: [syncRecord(sqs, messageId, request)] }, lambdaContext('syncWorker'));
}
