import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { epochSeconds, privateAnswerPrefix, privateAnswerSk, userPk } from './keys';
import { batchDelete } from './batch-delete';
import { queryByPrefix } from './query';

/**
 * Answers kept for the person's private page (lib/consent/private-answers.ts): what the chat would
 * have said, held minutes, under the person's partition. Reading one deletes it in the same
 * request, so a page shows it once; TTL removes the ones never opened, and a read refuses one past
 * its time even before TTL gets to it (DynamoDB deletes lazily).
 */
export interface PrivateAnswer {
  answerId: string;
  /** What the page shows: a heading and the answer's own lines, in the person's language. */
  content: Record<string, unknown>;
  /** Epoch seconds after which the answer is gone. */
  expiresAt: number;
}

export async function putPrivateAnswer(db: DynamoDBDocumentClient, table: string, psid: string, answer: PrivateAnswer, at: Date): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: table,
      Item: { pk: userPk(psid), sk: privateAnswerSk(answer.answerId), type: 'private-answer', content: answer.content, expiresAt: answer.expiresAt, at: at.toISOString() },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/** The answer, deleted as it is read; undefined when it was read already, expired or never existed. */
export async function takePrivateAnswer(db: DynamoDBDocumentClient, table: string, psid: string, answerId: string, now: Date): Promise<PrivateAnswer | undefined> {
  const { Attributes } = await db.send(new DeleteCommand({ TableName: table, Key: { pk: userPk(psid), sk: privateAnswerSk(answerId) }, ReturnValues: 'ALL_OLD' }));
  if (!Attributes || typeof Attributes.expiresAt !== 'number' || Attributes.expiresAt <= epochSeconds(now)) return undefined;
  return { answerId, content: Attributes.content as Record<string, unknown>, expiresAt: Attributes.expiresAt };
}

/** Every answer kept for the person: deleted with their bank data when a consent ends. */
export async function deletePrivateAnswers(db: DynamoDBDocumentClient, table: string, psid: string): Promise<number> {
  const keys = await queryByPrefix(db, table, userPk(psid), privateAnswerPrefix, true);
  await batchDelete(db, table, keys.map(({ pk, sk }) => ({ pk, sk })));
  return keys.length;
}
