import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InboundEvent } from '../messenger/events';
import { isConditionalCheckFailed } from './errors';
import { inboxSk, ItemType, pagePk, ttlAfterDays, userPk } from './keys';

/** Internal events that travel the inbox beside Messenger's (see lib/assistant/refresh-notice.ts). */
export interface InternalEvent {
  id: string;
  kind: string;
  psid: string;
  pageId: string;
  timestamp: number;
  channel: 'messaging';
}

export interface InboxItem {
  pk: string;
  sk: string;
  type: typeof ItemType.inbox;
  eventId: string;
  receivedAt: string;
  expiresAt: number;
  event: InboundEvent | InternalEvent;
}

export type PutInboundResult = 'stored' | 'duplicate';

export const inboxPartition = (event: Pick<InboundEvent, 'psid' | 'pageId'>) => (event.psid ? userPk(event.psid) : pagePk(event.pageId));

/**
 * Records one webhook event, exactly once: a single conditional put keyed by the event id. A
 * redelivery (or a concurrent duplicate) fails the condition and is reported as a duplicate.
 */
export async function putInboundEvent(
  db: DynamoDBDocumentClient,
  table: string,
  event: InboundEvent | InternalEvent,
  options: { now: Date; ttlDays: number },
): Promise<PutInboundResult> {
  const item: InboxItem = {
    pk: inboxPartition(event),
    sk: inboxSk(event.id),
    type: ItemType.inbox,
    eventId: event.id,
    receivedAt: options.now.toISOString(),
    expiresAt: ttlAfterDays(options.now, options.ttlDays),
    event,
  };
  try {
    await db.send(
      new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    return 'stored';
  } catch (error) {
    if (isConditionalCheckFailed(error)) return 'duplicate';
    throw error;
  }
}
