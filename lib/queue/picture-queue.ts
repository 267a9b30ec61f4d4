import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { PictureRequest } from './picture-request';
import { createSqsClient } from './sqs-client';

/**
 * Sending to the picture queue, for the conversation. Apart from the message's schema
 * (picture-request.ts), so that the function that only receives from it bundles no SQS client.
 */
export interface PictureQueue {
  send(request: PictureRequest): Promise<void>;
}

export function createPictureQueue(options: { queueUrl: string; region: string; endpoint?: string | undefined; client?: SQSClient }): PictureQueue {
  const sqs = options.client ?? createSqsClient(options);
  return {
    async send(request) {
      await sqs.send(new SendMessageCommand({ QueueUrl: options.queueUrl, MessageBody: JSON.stringify(request) }));
    },
  };
}
