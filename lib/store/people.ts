import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './errors';
import { alertSettingsSk, ItemType, profileSk, userPk } from './keys';

/**
 * The person's messaging state. `lastInboundAt` opens the 24-hour window (alerts outside it are
 * held); a message from the person also proves they can be reached again after a block.
 */
export async function recordInboundActivity(
  db: DynamoDBDocumentClient,
  table: string,
  psid: string,
  at: number,
): Promise<void> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: userPk(psid), sk: profileSk() },
        UpdateExpression: 'SET #type = :type, lastInboundAt = :at REMOVE unreachableAt, unreachableReason',
        // Events can arrive out of order; the window is opened by the newest one.
        ConditionExpression: 'attribute_not_exists(lastInboundAt) OR lastInboundAt < :at',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': ItemType.profile, ':at': at },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

/** After Meta answers 551 (blocked, deactivated): stop sending until the person writes again. */
export async function markRecipientUnreachable(
  db: DynamoDBDocumentClient,
  table: string,
  psid: string,
  details: { at: Date; reason: string },
): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: table,
      Key: { pk: userPk(psid), sk: profileSk() },
      UpdateExpression: 'SET #type = :type, unreachableAt = :at, unreachableReason = :reason',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':type': ItemType.profile, ':at': details.at.toISOString(), ':reason': details.reason },
    }),
  );
}

/** The person's messaging state: when their 24-hour window opened, whether they can be reached. */
export async function getProfile(db: DynamoDBDocumentClient, table: string, psid: string): Promise<{ lastInboundAt?: number; unreachableAt?: string } | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: { pk: userPk(psid), sk: profileSk() } }));
  return Item ? { ...(typeof Item.lastInboundAt === 'number' ? { lastInboundAt: Item.lastInboundAt } : {}), ...(Item.unreachableAt ? { unreachableAt: String(Item.unreachableAt) } : {}) } : undefined;
}

/** A person's alert settings, as they chose them in the chat; undefined until they do. */
export async function getAlertSettings(db: DynamoDBDocumentClient, table: string, psid: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: { pk: userPk(psid), sk: alertSettingsSk() } }));
  return Item ? alertSettingsOfItem(Item) : undefined;
}

/** The settings an `ALERT_SETTINGS` item holds, without its keys. */
export function alertSettingsOfItem({ pk: _pk, sk: _sk, type: _type, ...settings }: Record<string, unknown>): Record<string, unknown> {
  return settings;
}

export async function putAlertSettings(db: DynamoDBDocumentClient, table: string, psid: string, settings: Record<string, unknown>, at: Date): Promise<void> {
  await db.send(new PutCommand({ TableName: table, Item: { pk: userPk(psid), sk: alertSettingsSk(), type: 'alert-settings', ...settings, updatedAt: at.toISOString() } }));
}
