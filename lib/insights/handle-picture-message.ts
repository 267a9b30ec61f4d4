import type { SQSRecord } from 'aws-lambda';
import type { Log } from '../logger';
import { pictureRequestSchema } from '../queue/picture-request';
import type { MessageOutcome } from '../queue/sqs-batch';
import { sendSpendingPicture, type SpendingPictureDeps } from './spending-picture';

/**
 * One message of the picture queue. A malformed one cannot succeed on retry but must not vanish:
 * it is kept until the queue moves it to its dead-letter queue. A failure worth retrying (the Send
 * API or DynamoDB unavailable) throws, and the message comes back after its visibility timeout;
 * the reply ledger keeps a picture that did go out from going out twice.
 */
export async function handlePictureMessage(message: Pick<SQSRecord, 'messageId' | 'body'>, deps: { log: Log; forMessage(correlationId: string): SpendingPictureDeps }): Promise<MessageOutcome> {
  const parsed = pictureRequestSchema.safeParse(safeJson(message.body));
  if (!parsed.success) {
    deps.log.error('Invalid picture message', { messageId: message.messageId });
    return 'keep';
  }
  await sendSpendingPicture(parsed.data, deps.forMessage(`picture:${parsed.data.key}`));
  return 'done';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
