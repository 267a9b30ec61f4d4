import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isConditionalCheckFailed } from './errors';
import { epochSeconds, ItemType, replySk, ttlAfterDays, userPk } from './keys';

/**
 * The reply ledger: one item per inbound event we answer, so a replayed stream batch never sends
 * the same reply twice. A claim is a lease: if the invocation that claimed it dies before sending,
 * the lease runs out and a retry may claim it again.
 */
export type ReplyClaim =
  | { outcome: 'claimed' }
  | { outcome: 'already-sent' }
  | { outcome: 'already-failed' }
  | { outcome: 'in-progress'; leaseExpiresAt: number };

export interface ReplyKey {
  psid: string;
  eventId: string;
}

export async function claimReply(
  db: DynamoDBDocumentClient,
  table: string,
  key: ReplyKey,
  options: { now: Date; leaseSeconds: number; ttlDays: number },
): Promise<ReplyClaim> {
  const now = epochSeconds(options.now);
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk: userPk(key.psid),
          sk: replySk(key.eventId),
          type: ItemType.reply,
          eventId: key.eventId,
          status: 'pending',
          leaseExpiresAt: now + options.leaseSeconds,
          claimedAt: options.now.toISOString(),
          expiresAt: ttlAfterDays(options.now, options.ttlDays),
        },
        ConditionExpression: 'attribute_not_exists(pk) OR (#status = :pending AND leaseExpiresAt < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'pending', ':now': now },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { outcome: 'claimed' };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    // The document client does not unmarshall items carried by exceptions.
    const old = error.Item ? unmarshall(error.Item) : {};
    const status = old.status;
    if (status === 'sent') return { outcome: 'already-sent' };
    if (status === 'failed') return { outcome: 'already-failed' };
    return { outcome: 'in-progress', leaseExpiresAt: Number(old.leaseExpiresAt ?? 0) };
  }
}

export async function markReplySent(
  db: DynamoDBDocumentClient,
  table: string,
  key: ReplyKey,
  result: { messageIds: string[]; at: Date },
): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: table,
      Key: { pk: userPk(key.psid), sk: replySk(key.eventId) },
      UpdateExpression: 'SET #status = :sent, messageIds = :ids, sentAt = :at REMOVE leaseExpiresAt',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sent': 'sent', ':ids': result.messageIds, ':at': result.at.toISOString() },
    }),
  );
}

/** A permanent failure (the person blocked the Page, a rejected request): never retried. */
export async function markReplyFailed(
  db: DynamoDBDocumentClient,
  table: string,
  key: ReplyKey,
  failure: { reason: string; at: Date },
): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: table,
      Key: { pk: userPk(key.psid), sk: replySk(key.eventId) },
      UpdateExpression: 'SET #status = :failed, failure = :reason, failedAt = :at REMOVE leaseExpiresAt',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':failed': 'failed', ':reason': failure.reason, ':at': failure.at.toISOString() },
    }),
  );
}

/** Gives a claim back after a transient failure so the retried record can send. */
export async function releaseReply(db: DynamoDBDocumentClient, table: string, key: ReplyKey): Promise<void> {
  await db.send(
    new DeleteCommand({
      TableName: table,
      Key: { pk: userPk(key.psid), sk: replySk(key.eventId) },
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pending': 'pending' },
    }),
  ).catch((error: unknown) => {
    if (!isConditionalCheckFailed(error)) throw error;
  });
}
