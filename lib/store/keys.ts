/**
 * Key builders for every entity of the main table, in one place. Items of one person share a
 * partition (`USER#<psid>`) so their stream records stay in order; events that concern no person
 * (e.g. a policy-enforcement notice to the Page) live under the Page.
 */
export const userPk = (psid: string) => `USER#${psid}`;
export const pagePk = (pageId: string) => `PAGE#${pageId}`;
export const inboxSk = (eventId: string) => `INBOX#${eventId}`;
export const replySk = (eventId: string) => `REPLY#${eventId}`;
export const inboxPrefix = inboxSk('');
export const replyPrefix = replySk('');
/** What a purge deleted, one record per ended consent (written in lib/store/purge-records.ts). */
export const purgePrefix = 'PURGE#';
export const profileSk = () => 'PROFILE';
export const conversationSk = () => 'CONVERSATION';
/** A person's alert settings. Sorts just before their consents (see `consentsAndAlertSettingsRange`). */
export const alertSettingsSk = () => 'ALERT_SETTINGS';
/** A person's standing choices (where their figures appear). */
export const preferencesSk = () => 'PREFERENCES';
/** An answer kept for the person's private page (see lib/store/private-answers.ts). */
export const privateAnswerSk = (answerId: string) => `PRIVATE#${answerId}`;
export const privateAnswerPrefix = privateAnswerSk('');

/** Item types, also matched by the stream's event filter in serverless.yml. */
export const ItemType = {
  inbox: 'inbox',
  reply: 'reply',
  profile: 'profile',
  conversation: 'conversation',
} as const;

export const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);
export const ttlAfterDays = (now: Date, days: number) => epochSeconds(now) + days * 86_400;

export const consentPrefix = 'CONSENT#';
export const consentSk = (consentId: string) => `${consentPrefix}${consentId}`;
/**
 * The sort-key range holding a person's alert settings and every consent, and nothing else: no
 * other key sorts between `ALERT_SETTINGS` and `CONSENT#…` ('$' is the character after '#'). A
 * sync needs both, so one Query reads them. A key added in between would only cost read units:
 * the reader keeps the settings item and the consents and ignores the rest.
 */
export const consentsAndAlertSettingsRange = { from: alertSettingsSk(), to: 'CONSENT$' } as const;
export const connectionSk = (itemId: string) => `ITEM#${itemId}`;
export const accountSk = (itemId: string, accountId: string) => `ACCOUNT#${itemId}#${accountId}`;
export const accountPrefix = (itemId: string) => `ACCOUNT#${itemId}#`;
export const transactionPrefix = (itemId: string) => `TXN#${itemId}#`;
/** A connection's recurring payments (the bank's streams), one item per stream, replaced on each refresh. */
export const recurringStreamSk = (itemId: string, streamId: string) => `RECURRING#${itemId}#${streamId}`;
export const recurringStreamPrefix = (itemId: string) => `RECURRING#${itemId}#`;
export const linkNoncePk = (nonce: string) => `LINKNONCE#${nonce}`;
/** Overloaded GSI: active consents by the day they end, for reminders and expiry. */
export const consentExpiryGsi = (expiresAt: string) => ({
  gsi1pk: `CONSENT_EXPIRES#${expiresAt.slice(0, 10)}`,
  gsi1sk: expiresAt,
});
export const auditPk = (psid: string) => `USER#${psid}`;
/** The consent sweep's watermark: one item, the UTC day of its last run that completed. */
export const consentSweepPk = () => 'SWEEP#consent-expiry';

export const FinancialItemType = {
  connection: 'connection',
  account: 'account',
  transaction: 'transaction',
  recurringStream: 'recurring-stream',
} as const;
export const ConsentItemType = 'consent' as const;
export const LinkNonceItemType = 'link-nonce' as const;
export const ConsentSweepItemType = 'consent-sweep' as const;

/** Due bank syncs in the overloaded GSI: a bucket per 5 minutes of due time. */
export const SYNC_BUCKET_MINUTES = 5;
export const syncBucket = (dueAt: Date) => {
  const ms = SYNC_BUCKET_MINUTES * 60_000;
  return new Date(Math.floor(dueAt.getTime() / ms) * ms).toISOString().slice(0, 16);
};
export const syncDueGsi = (dueAt: Date, psid: string, itemId: string) => ({
  gsi1pk: `SYNC_DUE#${syncBucket(dueAt)}`,
  gsi1sk: `${dueAt.toISOString()}#${psid}#${itemId}`,
});
/** Bank item → person: how a bank webhook (which names only the item) finds whose it is. */
export const bankItemPk = (itemId: string) => `BANKITEM#${itemId}`;
export const webhookDeliveryPk = (dedupeId: string) => `BANKHOOK#${dedupeId}`;
/**
 * The bank's public webhook verification keys, shared by every bankWebhook container: one small
 * partition, read whole in one Query. Bank-wide, not a person's data.
 */
export const webhookKeysPk = () => 'WEBHOOKKEYS';
export const webhookKeySk = (kid: string) => `KEY#${kid}`;
export const WebhookKeyItemType = 'webhook-key' as const;
/** Alerts (and alerts held for a closed window) belong to a connection and are purged with it. */
export const alertSk = (itemId: string, alertId: string) => `ALERT#${itemId}#${alertId}`;
export const alertPrefix = (itemId?: string) => (itemId ? `ALERT#${itemId}#` : 'ALERT#');
export const heldSk = (itemId: string, at: string, alertId: string) => `HELD#${itemId}#${at}#${alertId}`;
export const heldPrefix = (itemId?: string) => (itemId ? `HELD#${itemId}#` : 'HELD#');
export const transactionSk = (itemId: string, transactionId: string) => `TXN#${itemId}#${transactionId}`;
/**
 * Notices the product started (a consent reminder, what was deleted, the bank's warnings) held
 * for the person's next message while their 24-hour window was closed. They describe the notice,
 * not its text, and hold no financial data; one per delivery key.
 */
export const heldNoticePrefix = 'NOTICE#';
export const heldNoticeSk = (key: string) => `${heldNoticePrefix}${key}`;
export const HeldNoticeItemType = 'held-notice' as const;
