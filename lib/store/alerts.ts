import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { alertPrefix, alertSk, epochSeconds, heldPrefix, heldSk, userPk } from './keys';
import { queryAll } from './query';

/**
 * Alerts raised on a connection's transactions (with the person's "it was me / not me" answers),
 * and alerts held for the person's next message while their 24-hour window was closed. Financial
 * data: ONLY the financial gate may import this module (consent rule 5; see
 * lib/store/connections.ts).
 */
export interface AlertRecord {
  alertId: string;
  itemId: string;
  dedupeKey: string;
  rule: string;
  kind: string;
  at: string;
  answer?: 'yes' | 'no';
}

/**
 * One alert per (transaction, rule), ever: the first record wins. Kept 120 days from the alert,
 * longer than the transaction it is about can be held (90 days from its date), so a bank that
 * reports the transaction again never raises the alert twice; purged with the connection.
 */
export async function recordAlert(db: DynamoDBDocumentClient, table: string, psid: string, record: AlertRecord): Promise<'new' | 'duplicate'> {
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: { pk: userPk(psid), sk: alertSk(record.itemId, record.alertId), type: 'alert', ...record, expiresAt: epochSeconds(new Date(record.at)) + 120 * 86_400 },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return 'new';
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return 'duplicate';
    throw error;
  }
}

/**
 * A person's items of one sort-key prefix, without those TTL should have deleted by `now`: DynamoDB
 * deletes lazily, and an expired alert is neither answered, delivered nor exported (consent rule 6).
 */
const queryLive = (db: DynamoDBDocumentClient, table: string, psid: string, prefix: string, now: Date) =>
  queryAll(db, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    FilterExpression: 'attribute_not_exists(expiresAt) OR expiresAt > :now',
    ExpressionAttributeValues: { ':pk': userPk(psid), ':prefix': prefix, ':now': epochSeconds(now) },
    ConsistentRead: true,
  });

export async function findAlert(db: DynamoDBDocumentClient, table: string, psid: string, alertId: string, now: Date): Promise<AlertRecord | undefined> {
  const found = (await queryLive(db, table, psid, alertPrefix(), now)).find((item) => item.alertId === alertId);
  return found as unknown as AlertRecord | undefined;
}

/** The most recent fraud alert ("Was this you?") the person has not answered yet, if any. */
export async function latestOpenFraudAlert(db: DynamoDBDocumentClient, table: string, psid: string, now: Date): Promise<AlertRecord | undefined> {
  const open = (await queryLive(db, table, psid, alertPrefix(), now)).filter((item) => item.kind === 'fraud' && item.answer === undefined) as unknown as AlertRecord[];
  return open.reduce<AlertRecord | undefined>((latest, alert) => (latest === undefined || alert.at > latest.at ? alert : latest), undefined);
}

export async function answerAlert(db: DynamoDBDocumentClient, table: string, psid: string, alert: AlertRecord, answer: 'yes' | 'no', at: Date): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: userPk(psid), sk: alertSk(alert.itemId, alert.alertId) },
        UpdateExpression: 'SET answer = :answer, answeredAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(answer)',
        ExpressionAttributeValues: { ':answer': answer, ':at': at.toISOString() },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** An alert that could not be sent (the 24-hour window was closed), kept for the next message. */
export async function holdAlert(db: DynamoDBDocumentClient, table: string, psid: string, held: { itemId: string; alertId: string; at: string; message: unknown }): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: table,
      Item: { pk: userPk(psid), sk: heldSk(held.itemId, held.at, held.alertId), type: 'held-alert', ...held, expiresAt: epochSeconds(new Date(held.at)) + 30 * 86_400 },
    }),
  );
}

export async function listHeldAlerts(db: DynamoDBDocumentClient, table: string, psid: string, now: Date): Promise<{ sk: string; alertId: string; message: unknown }[]> {
  return (await queryLive(db, table, psid, heldPrefix(), now)).map((item) => ({ sk: String(item.sk), alertId: String(item.alertId), message: item.message }));
}

export async function dropHeldAlert(db: DynamoDBDocumentClient, table: string, psid: string, sk: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table, Key: { pk: userPk(psid), sk } }));
}

/**
 * A connection's alerts (with the person's "it was me / not me" answers) and the alerts held for
 * their next message, for their export; what TTL should have deleted by `now` left out.
 */
export async function listConnectionAlerts(
  db: DynamoDBDocumentClient,
  table: string,
  psid: string,
  itemId: string,
  now: Date,
): Promise<{ alerts: Record<string, unknown>[]; held: Record<string, unknown>[] }> {
  const live = async (prefix: string) =>
    (await queryLive(db, table, psid, prefix, now)).map(({ pk: _pk, sk: _sk, type: _type, expiresAt: _expiresAt, ...record }) => record);
  const [alerts, held] = await Promise.all([live(alertPrefix(itemId)), live(heldPrefix(itemId))]);
  return { alerts, held };
}
