import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { alertSettingsSk, preferencesSk, conversationSk, epochSeconds, heldNoticePrefix, inboxPrefix, profileSk, purgePrefix, replyPrefix, userPk } from './keys';
import { queryAll } from './query';

/**
 * What a person's partition holds besides their consents and financial data, for their own export
 * (consent rule 7): the messages they sent (kept days, for exactly-once handling), the ledger of
 * our replies, the notices held for their next message, their messaging profile, the conversation's
 * memory, their alert settings and the records of what past purges deleted. Financial items are never read here: they are reached only
 * through the financial gate (lib/store/financial-gate.ts).
 */
export interface PersonRecords {
  messagesReceived: Record<string, unknown>[];
  replies: Record<string, unknown>[];
  heldNotices: Record<string, unknown>[];
  profile: Record<string, unknown> | undefined;
  conversation: Record<string, unknown> | undefined;
  alertSettings: Record<string, unknown> | undefined;
  /** Standing choices: where the person's figures appear (private mode). */
  preferences: Record<string, unknown> | undefined;
  purges: Record<string, unknown>[];
}

const withoutKeys = ({ pk: _pk, sk: _sk, type: _type, expiresAt: _expiresAt, gsi1pk: _g1, gsi1sk: _g2, ...rest }: Record<string, unknown>) => rest;

/**
 * The person's records of one sort key (exact) or prefix, leaving out what TTL should have deleted
 * by `now` and has not yet: DynamoDB deletes lazily, and an expired item is no longer held for the
 * person's purposes.
 */
const live = (db: DynamoDBDocumentClient, table: string, psid: string, now: Date, sk: { equals: string } | { prefix: string }) =>
  queryAll(db, {
    TableName: table,
    KeyConditionExpression: 'equals' in sk ? 'pk = :pk AND sk = :sk' : 'pk = :pk AND begins_with(sk, :sk)',
    FilterExpression: 'attribute_not_exists(expiresAt) OR expiresAt > :now',
    ExpressionAttributeValues: { ':pk': userPk(psid), ':sk': 'equals' in sk ? sk.equals : sk.prefix, ':now': epochSeconds(now) },
    ConsistentRead: true,
  }).then((items) => items.map(withoutKeys));

export async function listPersonRecords(db: DynamoDBDocumentClient, table: string, psid: string, now: Date): Promise<PersonRecords> {
  const [messagesReceived, replies, heldNotices, profile, conversation, alertSettings, preferences, purges] = await Promise.all([
    live(db, table, psid, now, { prefix: inboxPrefix }),
    live(db, table, psid, now, { prefix: replyPrefix }),
    live(db, table, psid, now, { prefix: heldNoticePrefix }),
    live(db, table, psid, now, { equals: profileSk() }),
    live(db, table, psid, now, { equals: conversationSk() }),
    live(db, table, psid, now, { equals: alertSettingsSk() }),
    live(db, table, psid, now, { equals: preferencesSk() }),
    live(db, table, psid, now, { prefix: purgePrefix }),
  ]);
  return { messagesReceived, replies, heldNotices, profile: profile[0], conversation: conversation[0], alertSettings: alertSettings[0], preferences: preferences[0], purges };
}
