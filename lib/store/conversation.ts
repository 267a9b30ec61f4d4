import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conversationSk, ItemType, ttlAfterDays, userPk } from './keys';

/**
 * The assistant's memory of one conversation: the language, the last question (for "and last
 * month?"), a confirmation it is waiting for and a refresh it promised. One item per person with a
 * TTL; what it holds is validated by the assistant when read, never trusted as stored.
 */
export async function getConversation(db: DynamoDBDocumentClient, table: string, psid: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: { pk: userPk(psid), sk: conversationSk() } }));
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, type: _type, expiresAt: _expiresAt, ...state } = Item;
  return state;
}

export async function putConversation(
  db: DynamoDBDocumentClient,
  table: string,
  psid: string,
  state: Record<string, unknown>,
  options: { now: Date; ttlDays: number },
): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: table,
      Item: { ...state, pk: userPk(psid), sk: conversationSk(), type: ItemType.conversation, updatedAt: options.now.toISOString(), expiresAt: ttlAfterDays(options.now, options.ttlDays) },
    }),
  );
}
