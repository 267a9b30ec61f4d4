/**
 * The shared cache of the bank's webhook verification keys: what one bankWebhook container fetched
 * from the bank, every other container reads in one Query instead of loading the bank SDK and
 * calling the bank (lib/banking/webhook-verification.ts decides what to trust). Public keys only:
 * nothing here is secret or about a person.
 */
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WebhookVerificationKey } from '../banking/bank-connector';
import { isConditionalCheckFailed } from './errors';
import { WebhookKeyItemType, webhookKeySk, webhookKeysPk } from './keys';
import { queryAll } from './query';

/** A key as the bank returned it, and when it was fetched (epoch seconds). */
export interface StoredWebhookKey extends WebhookVerificationKey {
  fetchedAt: number;
}

/**
 * Every cached key, as stored and unvalidated: the verifier parses each entry before trusting it.
 * Eventually consistent (half the read units): a key put a moment ago and missed here is fetched
 * from the bank, as without the cache.
 */
export async function listWebhookKeys(db: DynamoDBDocumentClient, table: string): Promise<Record<string, unknown>[]> {
  const items = await queryAll(db, { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': webhookKeysPk() } });
  return items.map(({ pk: _pk, sk: _sk, type: _type, expiresAt: _expiresAt, ...entry }) => entry);
}

/**
 * Caches one key until `fetchedAt + keepSeconds` (the table's TTL then deletes it; readers ignore
 * it from that instant even if TTL is late). Only the public JWK fields are written. Expiry is
 * final at the bank, so a current copy never replaces an expired one: a container that fetched the
 * key just before a rotation cannot undo what a later fetch learnt.
 */
export async function putWebhookKey(db: DynamoDBDocumentClient, table: string, key: StoredWebhookKey, keepSeconds: number): Promise<void> {
  const { kid, kty, crv, alg, x, y, createdAt, expiredAt, fetchedAt } = key;
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: { pk: webhookKeysPk(), sk: webhookKeySk(kid), type: WebhookKeyItemType, kid, kty, crv, alg, x, y, createdAt, expiredAt, fetchedAt, expiresAt: fetchedAt + keepSeconds },
        ...(expiredAt === null ? { ConditionExpression: 'NOT attribute_type(expiredAt, :number)', ExpressionAttributeValues: { ':number': 'N' } } : {}),
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

/**
 * Drops the current copies of these keys, so the next container to need one asks the bank (which
 * may have expired it). An expired copy stays: it is what the bank would answer.
 */
export async function deleteCurrentWebhookKeys(db: DynamoDBDocumentClient, table: string, kids: readonly string[]): Promise<void> {
  await Promise.all(
    kids.map(async (kid) => {
      try {
        await db.send(
          new DeleteCommand({
            TableName: table,
            Key: { pk: webhookKeysPk(), sk: webhookKeySk(kid) },
            ConditionExpression: 'attribute_type(expiredAt, :null)',
            ExpressionAttributeValues: { ':null': 'NULL' },
          }),
        );
      } catch (error) {
        // Gone already, or expired meanwhile: either way no current copy is left.
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }),
  );
}
