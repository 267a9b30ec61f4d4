import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../dev/serverless-config';
import type { BankAccount, BankTransaction, RecurringStream } from '../../../lib/banking/bank-connector';
import { activateConsent, requestConsent, type Consent } from '../../../lib/consent/model/consent';
import { disclosure } from '../../../lib/consent/disclosure';
import { EXPORT_COVERAGE, exportPersonData, type PersonExport } from '../../../lib/consent/export';
import type { InboundEvent } from '../../../lib/messenger/events';
import type { FinancialGate, Store } from '../../../lib/store';
import * as keys from '../../../lib/store/keys';
import { createLocalKeyProvider } from '../../../lib/security/local-key-provider';
import { createTestTables, type TestTables } from '../../support/dynamodb';

/**
 * Consent rule 7, against DynamoDB Local: the export holds everything kept about the person. One
 * item of every kind the product stores under a person's keys is written with the store's own
 * functions; then every item type found under those keys must be in the export, or explained in
 * EXPORT_COVERAGE as left out. A new item type fails here until someone decides.
 */
const DAY = 86_400_000;
const NOW = new Date('2026-11-21T10:00:00.000Z');
const PSID = 'p-export';
const ITEM = 'item-export';
const ACCESS_TOKEN = 'access-sandbox-secret-token';
const CURSOR = 'cursor-opaque-42';

let tables: TestTables;
let now: Date;
let store: Store;
let financial: FinancialGate;
let consent: Consent;

const account: BankAccount = { accountId: 'acc-1', name: 'Everyday Checking', mask: '0042', type: 'depository', subtype: 'checking', balances: { available: 820.5, current: 900, limit: null, currency: 'USD' } };
const transaction: BankTransaction = {
  transactionId: 'txn-1',
  accountId: 'acc-1',
  amount: 4.5,
  currency: 'USD',
  date: '2026-11-20',
  name: 'BEAN THERE 123',
  merchantName: 'Bean There',
  category: { primary: 'FOOD_AND_DRINK', detailed: 'FOOD_AND_DRINK_COFFEE' },
  pending: false,
};
const stream: RecurringStream = {
  streamId: 'stream-1',
  accountId: 'acc-1',
  direction: 'outflow',
  description: 'BEAN THERE 123',
  merchantName: 'Bean There',
  category: { primary: 'FOOD_AND_DRINK', detailed: 'FOOD_AND_DRINK_COFFEE' },
  frequency: 'weekly',
  averageAmount: 4.5,
  lastAmount: 4.5,
  currency: 'USD',
  firstDate: '2026-11-06',
  lastDate: '2026-11-20',
  predictedNextDate: '2026-11-27',
  isActive: true,
  status: 'mature',
  transactionIds: ['txn-1'],
};
const message: InboundEvent = { id: 'm-1', pageId: 'page-1', psid: PSID, timestamp: NOW.getTime(), channel: 'messaging', kind: 'message', message: { mid: 'm-1', text: 'how much on coffee?' } };

/** One item of every kind a person's keys hold, each written the way the product writes it. */
async function everythingAPersonHas() {
  const requested = requestConsent({ consentId: 'c-1', psid: PSID, scopes: ['balances', 'transactions', 'alerts'], durationDays: 90, disclosure: disclosure({ recipient: 'Demo Bank' }), bankLinkToken: 'link-token-while-linking', now });
  await store.commitConsentTransition(requested);
  const institution = { id: 'ins_1', name: 'First Platypus Bank' };
  const activated = activateConsent(requested.consent, { itemId: ITEM, institution, now });
  await store.commitConsentTransition(activated, await financial.activationItems(activated.consent, { accessToken: ACCESS_TOKEN, accounts: [account], institution }));
  consent = activated.consent;
  await financial.applyTransactionsPage(consent, { added: [transaction], modified: [], removed: [], nextCursor: CURSOR, hasMore: false, accounts: [] });
  await financial.saveRecurringStreams(consent, [stream]);
  await store.scheduleNextSync({ psid: PSID, itemId: ITEM }, { at: new Date(now.getTime() + 6 * 3_600_000), status: 'ok', syncedAt: now, balancesSyncedAt: now });
  await financial.recordAlert(consent, { alertId: 'alert-1', dedupeKey: 'txn:txn-1:large-transaction', rule: 'large-transaction', kind: 'large-transaction', at: now.toISOString() });
  const inbox = store.alertInbox;
  await inbox.answer(PSID, (await inbox.find(PSID, 'alert-1'))!, 'yes');
  await financial.holdAlert(consent, { alertId: 'alert-2', message: { text: 'Low balance on Everyday Checking' } });
  await store.putAlertSettings(PSID, { fraudAlerts: false, largeTransactionThreshold: 250 });
  await store.putPresentation(PSID, 'private');
  await store.financialReads.keepPrivateAnswer(PSID, { answerId: 'a-1', content: { kind: 'balances', lang: 'en', lines: ['Checking: $10.00'] }, expiresAt: Math.floor(now.getTime() / 1000) + 600 });
  await store.recordInboundActivity(PSID, now.getTime());
  await store.markRecipientUnreachable(PSID, 'blocked');
  await store.putConversation(PSID, { lang: 'es', last: { intent: 'spending', slots: {}, text: 'how much on coffee?', at: now.toISOString() } });
  await store.putInboundEvent(message);
  await store.claimReply({ psid: PSID, eventId: 'm-1' });
  await store.markReplySent({ psid: PSID, eventId: 'm-1' }, ['mid.reply-1']);
  await store.holdNotice(PSID, { key: `consent:c-1:reminder-30:${consent.expiresAt}`, notice: { kind: 'expiry-reminder', consentId: 'c-1', expiresAt: consent.expiresAt! }, until: new Date(consent.expiresAt!) });
  await store.recordPurge(PSID, 'c-0', { accounts: 2, transactions: 40, connections: 1, removedAtBank: true, at: now.toISOString() }, { action: 'deleted', psid: PSID, consentId: 'c-0', at: now.toISOString(), actor: 'system' });
}

/** Every item under the person's keys: their partition, their bank items' pointers, their audit records. */
async function itemsUnderThePersonsKeys(): Promise<Record<string, unknown>[]> {
  const query = async (TableName: string, pk: string) =>
    (await tables.db.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }))).Items ?? [];
  const partition = await query(tables.names.main, keys.userPk(PSID));
  const itemIds = [...new Set(partition.map((item) => item.itemId).filter((id): id is string => typeof id === 'string'))];
  const pointers = (await Promise.all(itemIds.map((id) => query(tables.names.main, keys.bankItemPk(id))))).flat();
  const audit = (await query(tables.names.audit, keys.auditPk(PSID))).map((item) => ({ ...item, type: 'audit' }));
  return [...partition, ...pointers, ...audit];
}

/** The values at a coverage path such as `financialData[].alerts` (arrays are flattened). */
function at(data: PersonExport, path: string): unknown[] {
  let values: unknown[] = [data];
  for (const part of path.split('.')) {
    const [name, each] = part.endsWith('[]') ? [part.slice(0, -2), true] : [part, false];
    values = values.flatMap((value) => {
      const inner = (value as Record<string, unknown> | null)?.[name];
      return each && Array.isArray(inner) ? inner : [inner];
    });
  }
  return values.flatMap((value) => (Array.isArray(value) ? value : [value])).filter((value) => value !== null && value !== undefined);
}

const exportNow = () =>
  exportPersonData(PSID, { store, financial: store.financialReads, settings: { linkSecret: 'test-link-secret', recipient: 'Demo Bank', countryCodes: ['US'] }, clock: () => now });

beforeEach(async () => {
  tables = await createTestTables();
  now = NOW;
  store = tables.store(() => now);
  financial = store.financialGate(createLocalKeyProvider(Buffer.alloc(32, 9).toString('base64')));
  await everythingAPersonHas();
});

afterEach(async () => {
  await tables.dispose();
});

describe('the export', () => {
  it('finds every item type under the person’s keys decided: exported or explained', async () => {
    const types = [...new Set((await itemsUnderThePersonsKeys()).map((item) => String(item.type)))].sort();

    expect(types.filter((type) => !(type in EXPORT_COVERAGE))).toEqual([]);
    // The other way round: every decision is about something this test really writes.
    expect(Object.keys(EXPORT_COVERAGE).sort()).toEqual(types);
  });

  it('holds something for every exported item type, where EXPORT_COVERAGE says', async () => {
    const types = new Set((await itemsUnderThePersonsKeys()).map((item) => String(item.type)));

    const data = await exportNow();

    const missing = Object.entries(EXPORT_COVERAGE)
      .filter(([type, decision]) => types.has(type) && 'exportedAs' in decision && at(data, decision.exportedAs).length === 0)
      .map(([type]) => type);
    expect(missing).toEqual([]);
  });

  it('holds the alerts sent with the person’s answer, the held alert, the settings, the chat, the held notices, the recurring streams and what was deleted', async () => {
    const data = await exportNow();

    expect({
      alerts: data.financialData[0]?.alerts.map((a) => [a.alertId, a.rule, a.answer]),
      held: data.financialData[0]?.heldAlerts.map((h) => h.message),
      settings: data.alertSettings,
      said: data.messaging.messagesReceived.map((m) => (m.event as { message?: { text?: string } }).message?.text),
      replies: data.messaging.replies.map((r) => [r.eventId, r.status]),
      heldNotices: data.messaging.heldNotices?.map((n) => n.notice),
      recurringStreams: data.financialData[0]?.recurringStreams,
      language: data.messaging.conversation?.lang,
      unreachable: data.messaging.profile?.unreachableReason,
      deleted: data.deletions.map((d) => [d.transactions, d.removedAtBank]),
      connection: data.financialData[0]?.connection,
    }).toEqual({
      alerts: [['alert-1', 'large-transaction', 'yes']],
      held: [{ text: 'Low balance on Everyday Checking' }],
      settings: { fraudAlerts: false, largeTransactionThreshold: 250, updatedAt: NOW.toISOString() },
      said: ['how much on coffee?'],
      replies: [['m-1', 'sent']],
      heldNotices: [{ kind: 'expiry-reminder', consentId: 'c-1', expiresAt: new Date(NOW.getTime() + 90 * DAY).toISOString() }],
      recurringStreams: [stream],
      language: 'es',
      unreachable: 'blocked',
      deleted: [[40, true]],
      connection: {
        itemId: ITEM,
        institution: { id: 'ins_1', name: 'First Platypus Bank' },
        linkedAt: NOW.toISOString(),
        lastSyncAt: NOW.toISOString(),
        balancesSyncedAt: NOW.toISOString(),
        streamsRefreshedAt: NOW.toISOString(),
        nextSyncAt: new Date(NOW.getTime() + 6 * 3_600_000).toISOString(),
        syncStatus: 'ok',
      },
    });
  });

  it('holds every audit record once: as an event in its consent’s record, else in the other history', async () => {
    const audit = (await itemsUnderThePersonsKeys()).filter((item) => item.type === 'audit');

    const data = await exportNow();

    expect({
      records: data.consentHistory.map((record) => [record.recordId, record.events.map((event) => event.type)]),
      other: data.otherHistory.map((entry) => [entry.consentId, entry.action]),
      count: data.consentHistory.flatMap((record) => record.events).length + data.otherHistory.length,
    }).toEqual({ records: [['c-1', ['requested', 'given']]], other: [['c-0', 'deleted']], count: audit.length });
  });

  it('never holds the bank token, the link token or the bank’s sync cursor', async () => {
    const text = JSON.stringify(await exportNow());

    expect([ACCESS_TOKEN, 'link-token-while-linking', CURSOR, '"edk"', 'accessToken'].filter((secret) => text.includes(secret))).toEqual([]);
  });

  it('explains in the file what it leaves out', async () => {
    const data = await exportNow();

    const leftOut = Object.values(EXPORT_COVERAGE).flatMap((decision) => ('leftOut' in decision ? [decision.leftOut] : []));
    expect(leftOut.length).toBeGreaterThan(0);
    expect(leftOut.filter((decision) => !data.notIncluded.some((entry) => entry.what === decision.what && entry.why === decision.why))).toEqual([]);
  });

  it('leaves out what TTL should have deleted by now but has not yet', async () => {
    // Eight days on: the inbox and reply ledger (7 days) are past their TTL; DynamoDB Local never deletes.
    now = new Date(NOW.getTime() + 8 * DAY);

    const data = await exportNow();

    expect({ messages: data.messaging.messagesReceived.length, replies: data.messaging.replies.length, conversation: data.messaging.conversation?.lang }).toEqual({
      messages: 0,
      replies: 0,
      conversation: 'es',
    });
  });
});

describe('the item types the store writes', () => {
  /** Types of items that belong to no person: keyed by a nonce, the sweep, the bank's keys or a webhook delivery. */
  const NOT_A_PERSONS = new Set([keys.LinkNonceItemType, keys.ConsentSweepItemType, keys.WebhookKeyItemType, 'bank-webhook']);
  const constants: Record<string, unknown> = { ...keys };
  const resolve = (expression: string): string | undefined => {
    if (expression.startsWith("'")) return expression.slice(1, -1);
    const value = expression.split('.').reduce<unknown>((object, name) => (object as Record<string, unknown> | undefined)?.[name], constants);
    return typeof value === 'string' ? value : undefined;
  };

  it('are each decided for the export, or belong to no person', () => {
    const dir = join(projectRoot, 'lib/store');
    const written = readdirSync(dir)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => [...readFileSync(join(dir, file), 'utf8').matchAll(/(?:\btype|':type'):\s*('[a-z-]+'|[A-Z]\w*(?:\.\w+)?)/g)].map((m) => ({ file, expression: m[1]! })))
      .filter(({ expression }) => expression.startsWith("'") || /ItemType/.test(expression));
    const unresolved = written.filter(({ expression }) => resolve(expression) === undefined);
    const types = [...new Set(written.map(({ expression }) => resolve(expression)).filter((type): type is string => type !== undefined))];

    expect(unresolved).toEqual([]);
    expect(types.length).toBeGreaterThan(10);
    expect(types.filter((type) => !(type in EXPORT_COVERAGE) && !NOT_A_PERSONS.has(type))).toEqual([]);
  });
});
