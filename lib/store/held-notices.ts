import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './errors';
import { epochSeconds, heldNoticePrefix, heldNoticeSk, HeldNoticeItemType, userPk } from './keys';
import { queryAll } from './query';

/** A notice waiting for the person's next message, as stored: what composes it, never its text. */
export interface HeldNoticeRecord {
  key: string;
  notice: unknown;
  heldAt: string;
}

/**
 * Holds a notice under its delivery key until `until` (TTL). Holding it again (a sweep's next hourly
 * run, a retried stream record) keeps the first: the notice and its key are the same, and the
 * first `heldAt` orders it among the others. One past its TTL that DynamoDB has not deleted yet is
 * replaced.
 */
export async function holdNotice(
  db: DynamoDBDocumentClient,
  table: string,
  psid: string,
  held: { key: string; notice: Record<string, unknown>; at: Date; until: Date },
): Promise<void> {
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk: userPk(psid),
          sk: heldNoticeSk(held.key),
          type: HeldNoticeItemType,
          key: held.key,
          notice: held.notice,
          heldAt: held.at.toISOString(),
          expiresAt: epochSeconds(held.until),
        },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
        ExpressionAttributeValues: { ':now': epochSeconds(held.at) },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

/** The person's held notices, oldest first, without those past their TTL (DynamoDB deletes lazily). */
export async function listHeldNotices(db: DynamoDBDocumentClient, table: string, psid: string, now: Date): Promise<HeldNoticeRecord[]> {
  const items = await queryAll(db, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    FilterExpression: 'expiresAt > :now',
    ExpressionAttributeValues: { ':pk': userPk(psid), ':prefix': heldNoticePrefix, ':now': epochSeconds(now) },
    ConsistentRead: true,
  });
  return items
    .map((item) => ({ key: String(item.key), notice: item.notice, heldAt: String(item.heldAt) }))
    .sort((a, b) => a.heldAt.localeCompare(b.heldAt) || a.key.localeCompare(b.key));
}

export async function dropHeldNotice(db: DynamoDBDocumentClient, table: string, psid: string, key: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table, Key: { pk: userPk(psid), sk: heldNoticeSk(key) } }));
}
