import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isPresentation, type Presentation } from '../consent/model/presentation';
import { preferencesSk, userPk } from './keys';

/**
 * The person's standing choices that outlive a conversation (for now, where their figures appear):
 * one small item, read by every answer that carries figures and by every alert.
 */
export async function getPresentation(db: DynamoDBDocumentClient, table: string, psid: string): Promise<Presentation | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: { pk: userPk(psid), sk: preferencesSk() }, ProjectionExpression: 'presentation' }));
  return isPresentation(Item?.presentation) ? Item.presentation : undefined;
}

export async function putPresentation(db: DynamoDBDocumentClient, table: string, psid: string, presentation: Presentation, at: Date): Promise<void> {
  await db.send(new PutCommand({ TableName: table, Item: { pk: userPk(psid), sk: preferencesSk(), type: 'preferences', presentation, updatedAt: at.toISOString() } }));
}
