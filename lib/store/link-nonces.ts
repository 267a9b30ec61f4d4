import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LinkRefused } from '../errors';
import { isConditionalCheckFailed } from './errors';
import { linkNoncePk, LinkNonceItemType } from './keys';

/** The nonces of consent links already used: a link token works once. */
/** Burns a link token's nonce: the first use wins, every later use is refused. */
export async function consumeLinkNonce(db: DynamoDBDocumentClient, table: string, nonce: string, expiresAtSeconds: number): Promise<void> {
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: { pk: linkNoncePk(nonce), sk: linkNoncePk(nonce), type: LinkNonceItemType, expiresAt: expiresAtSeconds + 86_400 },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw new LinkRefused('This link was already used. Ask in the chat for a new one.');
    throw error;
  }
}

export async function isLinkNonceUsed(db: DynamoDBDocumentClient, table: string, nonce: string): Promise<boolean> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: { pk: linkNoncePk(nonce), sk: linkNoncePk(nonce) }, ConsistentRead: true }));
  return Item !== undefined;
}
