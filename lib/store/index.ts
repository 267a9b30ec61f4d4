import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config';
import { createDocumentClient } from './client';
import type { InboundEvent } from '../messenger/events';
import { putInboundEvent } from './inbox';
import { markRecipientUnreachable, recordInboundActivity } from './people';
import { claimReply, markReplyFailed, markReplySent, releaseReply, type ReplyKey } from './replies';

export interface StoreOptions {
  db: DynamoDBDocumentClient;
  tableName: string;
  inboxTtlDays: number;
  clock?: () => Date;
}

const REPLY_LEASE_SECONDS = 60;

/**
 * The access patterns bound to one table and clock: the ports the use-cases receive. Each method
 * is one access pattern with its own conditional write; nothing here is generic.
 */
export function createStore({ db, tableName: table, inboxTtlDays, clock = () => new Date() }: StoreOptions) {
  return {
    putInboundEvent: (event: InboundEvent) => putInboundEvent(db, table, event, { now: clock(), ttlDays: inboxTtlDays }),
    claimReply: (key: ReplyKey) =>
      claimReply(db, table, key, { now: clock(), leaseSeconds: REPLY_LEASE_SECONDS, ttlDays: inboxTtlDays }),
    markReplySent: (key: ReplyKey, messageIds: string[]) => markReplySent(db, table, key, { messageIds, at: clock() }),
    markReplyFailed: (key: ReplyKey, reason: string) => markReplyFailed(db, table, key, { reason, at: clock() }),
    releaseReply: (key: ReplyKey) => releaseReply(db, table, key),
    recordInboundActivity: (psid: string, at: number) => recordInboundActivity(db, table, psid, at),
    markRecipientUnreachable: (psid: string, reason: string) =>
      markRecipientUnreachable(db, table, psid, { at: clock(), reason }),
  };
}

export type Store = ReturnType<typeof createStore>;

/** The store a function wires once per container from its configuration. */
export function createStoreFromConfig(config: Config): Store {
  return createStore({
    db: createDocumentClient({
      region: config.AWS_REGION,
      endpoint: config.DYNAMODB_ENDPOINT,
      connectTimeoutMs: config.DYNAMODB_CONNECT_TIMEOUT_MS,
      requestTimeoutMs: config.DYNAMODB_REQUEST_TIMEOUT_MS,
    }),
    tableName: config.TABLE_NAME,
    inboxTtlDays: config.INBOX_TTL_DAYS,
  });
}
