import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './errors';
import { consentSweepPk, ConsentSweepItemType } from './keys';

/**
 * The UTC day (YYYY-MM-DD) of the last consent sweep that completed, if any. An eventually
 * consistent read is enough: a stale answer is an earlier day, which only makes the sweep read
 * more buckets.
 */
export async function getConsentSweepWatermark(db: DynamoDBDocumentClient, table: string): Promise<string | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: { pk: consentSweepPk(), sk: consentSweepPk() }, ProjectionExpression: '#day', ExpressionAttributeNames: { '#day': 'day' } }));
  return typeof Item?.day === 'string' ? Item.day : undefined;
}

/**
 * Records that a sweep of `day` completed. The watermark only moves forward: an overlapping
 * sweep that recorded the same or a later day wins, and losing that race is not an error.
 */
export async function recordConsentSweep(db: DynamoDBDocumentClient, table: string, day: string, now: Date): Promise<'recorded' | 'superseded'> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: consentSweepPk(), sk: consentSweepPk() },
        UpdateExpression: 'SET #type = :type, #day = :day, sweptAt = :at',
        ConditionExpression: 'attribute_not_exists(pk) OR #day < :day',
        ExpressionAttributeNames: { '#type': 'type', '#day': 'day' },
        ExpressionAttributeValues: { ':type': ConsentSweepItemType, ':day': day, ':at': now.toISOString() },
      }),
    );
    return 'recorded';
  } catch (error) {
    if (isConditionalCheckFailed(error)) return 'superseded';
    throw error;
  }
}
