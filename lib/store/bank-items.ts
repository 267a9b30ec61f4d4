import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './errors';
import { bankItemPk, epochSeconds, webhookDeliveryPk } from './keys';
import type { TransactItem } from './transact-write';

/** The item pointer written with the connection: ids only, no financial data. */
export const bankItemPut = (table: string, item: { psid: string; itemId: string; consentId: string }): TransactItem => ({
  Put: {
    TableName: table,
    Item: { pk: bankItemPk(item.itemId), sk: bankItemPk(item.itemId), type: 'bank-item', psid: item.psid, itemId: item.itemId, consentId: item.consentId },
  },
});

/** Whose a bank item is: a bank webhook names only the item. */
export async function findBankItem(db: DynamoDBDocumentClient, table: string, itemId: string): Promise<{ psid: string; consentId: string } | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: { pk: bankItemPk(itemId), sk: bankItemPk(itemId) } }));
  return Item ? { psid: String(Item.psid), consentId: String(Item.consentId) } : undefined;
}

/**
 * Records a bank webhook delivery once (by the digest of its bytes) so a redelivery has no second
 * effect. Kept for an hour: identical webhooks an hour apart are separate events.
 */
export async function recordWebhookDelivery(db: DynamoDBDocumentClient, table: string, dedupeId: string, now: Date): Promise<'new' | 'duplicate'> {
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: { pk: webhookDeliveryPk(dedupeId), sk: webhookDeliveryPk(dedupeId), type: 'bank-webhook', at: now.toISOString(), expiresAt: epochSeconds(now) + 3_600 },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': epochSeconds(now) },
      }),
    );
    return 'new';
  } catch (error) {
    if (isConditionalCheckFailed(error)) return 'duplicate';
    throw error;
  }
}
