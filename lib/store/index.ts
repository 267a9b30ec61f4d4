import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config';
import { createDocumentClient } from './client';
import type { InboundEvent } from '../messenger/events';
import type { AuditEntry, Transition } from '../consent/model/consent';
import { appendAudit, commitConsentTransition, getConsent, listAudit, listConsents, listConsentsEndingOn, listConsentsWithAlertSettings } from './consents';
import { getConsentSweepWatermark, recordConsentSweep } from './consent-sweep';
import { consumeLinkNonce, isLinkNonceUsed } from './link-nonces';
import { getPurgeRecord, recordPurge, type PurgeRecord } from './purge-records';
import { findBankItem, recordWebhookDelivery } from './bank-items';
import { dropHeldNotice, holdNotice, listHeldNotices } from './held-notices';
import { getConversation, putConversation } from './conversation';
import { putInboundEvent, type InternalEvent } from './inbox';
import { listDueConnections, releaseSync, scheduleNextSync, unscheduleSync, waitForSync, type DueConnection } from './sync-schedule';
import type { TransactItem } from './transact-write';
import { createFinancialGate } from './financial-gate';
import { createAlertInbox, createFinancialReads } from './financial-reads';
import type { KeyProvider } from '../security/envelope';
import { getAlertSettings, getProfile, markRecipientUnreachable, putAlertSettings, recordInboundActivity } from './people';
import { listPersonRecords } from './person-records';
import { getPresentation, putPresentation } from './preferences';
import type { Presentation } from '../consent/model/presentation';
import { claimReply, markReplyFailed, markReplySent, releaseReply, type ReplyKey } from './replies';
import { deleteCurrentWebhookKeys, listWebhookKeys, putWebhookKey, type StoredWebhookKey } from './webhook-keys';

export interface StoreOptions {
  db: DynamoDBDocumentClient;
  tableName: string;
  auditTableName: string;
  inboxTtlDays: number;
  clock?: () => Date;
}

const REPLY_LEASE_SECONDS = 60;
/** Conversation state outlives a chat by a month: enough to keep the language, never the person's history. */
const CONVERSATION_TTL_DAYS = 30;

/**
 * The access patterns bound to one table and clock: the ports the use-cases receive. Each method
 * is one access pattern with its own conditional write; nothing here is generic. Bank data is not
 * among them: it is reached only through the financial gate built here, which checks the consent
 * first (consent rule 5). The DynamoDB client and table names stay inside.
 */
export function createStore({ db, tableName: table, auditTableName: auditTable, inboxTtlDays, clock = () => new Date() }: StoreOptions) {
  const tables = { table, auditTable };
  const gate = { db, table, clock };
  return {
    putInboundEvent: (event: InboundEvent) => putInboundEvent(db, table, event, { now: clock(), ttlDays: inboxTtlDays }),
    /** An internal event for the conversation (e.g. fresh data is in), in the person's inbox, once. */
    putInternalEvent: (event: InternalEvent) => putInboundEvent(db, table, event, { now: clock(), ttlDays: inboxTtlDays }),
    claimReply: (key: ReplyKey) =>
      claimReply(db, table, key, { now: clock(), leaseSeconds: REPLY_LEASE_SECONDS, ttlDays: inboxTtlDays }),
    markReplySent: (key: ReplyKey, messageIds: string[]) => markReplySent(db, table, key, { messageIds, at: clock() }),
    markReplyFailed: (key: ReplyKey, reason: string) => markReplyFailed(db, table, key, { reason, at: clock() }),
    releaseReply: (key: ReplyKey) => releaseReply(db, table, key),
    recordInboundActivity: (psid: string, at: number) => recordInboundActivity(db, table, psid, at),
    getProfile: (psid: string) => getProfile(db, table, psid),
    getConversation: (psid: string) => getConversation(db, table, psid),
    putConversation: (psid: string, state: Record<string, unknown>) => putConversation(db, table, psid, state, { now: clock(), ttlDays: CONVERSATION_TTL_DAYS }),
    getAlertSettings: (psid: string) => getAlertSettings(db, table, psid),
    /** Where the person's figures appear; undefined until they chose (see lib/consent/model/presentation.ts). */
    getPresentation: (psid: string) => getPresentation(db, table, psid),
    putPresentation: (psid: string, presentation: Presentation) => putPresentation(db, table, psid, presentation, clock()),
    /** For the person's export: their non-financial records, without what TTL should have deleted by now. */
    listPersonRecords: (psid: string) => listPersonRecords(db, table, psid, clock()),
    putAlertSettings: (psid: string, settings: Record<string, unknown>) => putAlertSettings(db, table, psid, settings, clock()),
    markRecipientUnreachable: (psid: string, reason: string) =>
      markRecipientUnreachable(db, table, psid, { at: clock(), reason }),
    commitConsentTransition: (transition: Transition, with_?: TransactItem[]) => commitConsentTransition(db, tables, transition, with_),
    getConsent: (psid: string, consentId: string) => getConsent(db, table, psid, consentId),
    listConsents: (psid: string) => listConsents(db, table, psid),
    listConsentsWithAlertSettings: (psid: string) => listConsentsWithAlertSettings(db, table, psid),
    consumeLinkNonce: (nonce: string, expiresAtSeconds: number) => consumeLinkNonce(db, table, nonce, expiresAtSeconds),
    isLinkNonceUsed: (nonce: string) => isLinkNonceUsed(db, table, nonce),
    appendAudit: (entry: AuditEntry) => appendAudit(db, auditTable, entry),
    listAudit: (psid: string) => listAudit(db, auditTable, psid),
    listConsentsEndingOn: (day: string) => listConsentsEndingOn(db, table, day),
    consentSweepWatermark: () => getConsentSweepWatermark(db, table),
    recordConsentSweep: (day: string) => recordConsentSweep(db, table, day, clock()),
    listDueConnections: (now: Date, lookbackMinutes: number, onPage: (due: DueConnection[]) => Promise<void>) =>
      listDueConnections(db, table, now, lookbackMinutes, onPage),
    /** Puts a connection back on the schedule (a reconnect); a sync's own release is `syncSchedule().scheduleNextSync`. */
    scheduleNextSync: async (key: { psid: string; itemId: string }, next: { at: Date; status: string; syncedAt?: Date; balancesSyncedAt?: Date }): Promise<void> =>
      void (await scheduleNextSync(db, table, key, next)),
    unscheduleSync: (key: { psid: string; itemId: string }, status: string) => unscheduleSync(db, table, key, status),
    releaseSync: (key: { psid: string; itemId: string }) => releaseSync(db, table, key),
    /** The schedule port of a sync (the claim is the financial gate's: it reads the token). */
    syncSchedule: () => ({
      scheduleNextSync: (key: { psid: string; itemId: string }, next: { at: Date; status: string; syncedAt?: Date; balancesSyncedAt?: Date }) => scheduleNextSync(db, table, key, next),
      unscheduleSync: (key: { psid: string; itemId: string }, status: string) => unscheduleSync(db, table, key, status),
      releaseSync: (key: { psid: string; itemId: string }) => releaseSync(db, table, key),
      waitForSync: (key: { psid: string; itemId: string }, waiter: { reason: string; heldUntil: string }) => waitForSync(db, table, key, waiter),
    }),
    findBankItem: (itemId: string) => findBankItem(db, table, itemId),
    recordWebhookDelivery: (dedupeId: string) => recordWebhookDelivery(db, table, dedupeId, clock()),
    listWebhookKeys: () => listWebhookKeys(db, table),
    putWebhookKey: (key: StoredWebhookKey, keepSeconds: number) => putWebhookKey(db, table, key, keepSeconds),
    deleteCurrentWebhookKeys: (kids: readonly string[]) => deleteCurrentWebhookKeys(db, table, kids),
    getPurgeRecord: (psid: string, consentId: string) => getPurgeRecord(db, table, psid, consentId),
    /** A notice kept for the person's next message (their window was closed), until `until`. */
    holdNotice: (psid: string, held: { key: string; notice: Record<string, unknown>; until: Date }) => holdNotice(db, table, psid, { ...held, at: clock() }),
    listHeldNotices: (psid: string) => listHeldNotices(db, table, psid, clock()),
    dropHeldNotice: (psid: string, key: string) => dropHeldNotice(db, table, psid, key),
    recordPurge: (psid: string, consentId: string, record: PurgeRecord, audit: AuditEntry) => recordPurge(db, tables, psid, consentId, record, audit),
    /** Financial data for the person's own questions and export, through the consent-checking gate. */
    financialReads: createFinancialReads(gate),
    /** The person's alerts held for their next message, and their answers to "Was this you?". */
    alertInbox: createAlertInbox(gate),
    /**
     * The whole financial gate: the reads, and the writes and bank-token use that need `keys`
     * (envelope encryption). Only functions that call the bank or write its data hold a key provider.
     */
    financialGate: (keys: KeyProvider) => createFinancialGate({ ...gate, keys }),
  };
}

export type Store = ReturnType<typeof createStore>;

export type { TransactItem } from './transact-write';
export type { FinancialGate, PurgeCounts, StoredAccount, SyncClaim, SyncRefused } from './financial-gate';
export type { AlertInbox, ConnectionExport, FinancialReads, StoredRecurringStreams } from './financial-reads';

const clientOf = (config: Config) =>
  createDocumentClient({
    region: config.AWS_REGION,
    endpoint: config.DYNAMODB_ENDPOINT,
    connectTimeoutMs: config.DYNAMODB_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: config.DYNAMODB_REQUEST_TIMEOUT_MS,
  });

/** The store a function wires once per container from its configuration. */
export function createStoreFromConfig(config: Config): Store {
  return createStore({ db: clientOf(config), tableName: config.TABLE_NAME, auditTableName: config.AUDIT_TABLE_NAME, inboxTtlDays: config.INBOX_TTL_DAYS });
}

/**
 * The Messenger webhook's whole need: record each inbound event once. Apart from `createStore` so
 * that the function on Meta's acknowledgement path neither bundles nor builds the rest (the
 * financial gate among it) at its cold start.
 */
export function createInboxStoreFromConfig(config: Config) {
  const db = clientOf(config);
  return { putInboundEvent: (event: InboundEvent) => putInboundEvent(db, config.TABLE_NAME, event, { now: new Date(), ttlDays: config.INBOX_TTL_DAYS }) };
}
