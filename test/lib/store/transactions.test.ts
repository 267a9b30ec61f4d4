import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BankAccount, BankTransaction, SyncPage } from '../../../lib/banking/bank-connector';
import { activateConsent, requestConsent, type Consent } from '../../../lib/consent/model/consent';
import { disclosure } from '../../../lib/consent/disclosure';
import type { FinancialGate } from '../../../lib/store';
import { connectionSk, epochSeconds, transactionSk, userPk } from '../../../lib/store/keys';
import { createLocalKeyProvider } from '../../../lib/security/local-key-provider';
import { createTestTables, type TestTables } from '../../support/dynamodb';

/**
 * Consent rule 6 against DynamoDB Local: 90 days of transactions, on write and on read, and alerts
 * only until their own TTL. TTL deletes lazily (DynamoDB Local never), so a transaction past the
 * window must be neither written by a sync nor answered, counted, exported or used as history
 * while it still lies there.
 */
const DAY = 86_400_000;
const NOW = new Date('2026-11-21T10:00:00.000Z');
const daysBefore = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString().slice(0, 10);

let tables: TestTables;
let now: Date;
let financial: FinancialGate;
let consent: Consent;

const account: BankAccount = { accountId: 'acc-1', name: 'Checking', mask: '0000', type: 'depository', subtype: 'checking', balances: { available: 100, current: 100, limit: null, currency: 'USD' } };
const txn = (transactionId: string, date: string, amount = 12.5): BankTransaction => ({
  transactionId,
  accountId: 'acc-1',
  amount,
  currency: 'USD',
  date,
  name: `Shop ${transactionId}`,
  category: { primary: 'GENERAL_MERCHANDISE', detailed: 'GENERAL_MERCHANDISE_OTHER' },
  pending: false,
});
const page = (changes: Partial<Pick<SyncPage, 'added' | 'modified' | 'removed'>>, nextCursor: string): SyncPage => ({
  added: [],
  modified: [],
  removed: [],
  ...changes,
  nextCursor,
  hasMore: false,
  accounts: [],
});

const storedIds = async () =>
  (await tables.items())
    .filter((item) => item.pk === userPk('p-1') && String(item.sk).startsWith('TXN#'))
    .map((item) => item.transactionId)
    .sort();
const cursor = async () => (await tables.db.send(new GetCommand({ TableName: tables.names.main, Key: { pk: userPk('p-1'), sk: connectionSk('item-1') } }))).Item?.cursor;
/** What TTL would have deleted by now but has not yet: written straight into the table. */
const leftByTtl = async (transaction: BankTransaction) =>
  tables.db.send(
    new PutCommand({
      TableName: tables.names.main,
      Item: {
        pk: userPk('p-1'),
        sk: transactionSk('item-1', transaction.transactionId),
        type: 'transaction',
        itemId: 'item-1',
        ...transaction,
        expiresAt: epochSeconds(new Date(`${transaction.date}T00:00:00Z`)) + 90 * 86_400,
      },
    }),
  );

beforeEach(async () => {
  tables = await createTestTables();
  now = NOW;
  const clock = () => now;
  const store = tables.store(clock);
  financial = store.financialGate(createLocalKeyProvider(Buffer.alloc(32, 7).toString('base64')));
  const requested = requestConsent({
    consentId: 'c-1',
    psid: 'p-1',
    scopes: ['balances', 'transactions', 'alerts'],
    durationDays: 365,
    disclosure: disclosure({ recipient: 'Demo Bank' }),
    bankLinkToken: 'link-x',
    now: new Date(NOW.getTime() - 200 * DAY),
  });
  await store.commitConsentTransition(requested);
  const activated = activateConsent(requested.consent, { itemId: 'item-1', now: new Date(NOW.getTime() - 200 * DAY) });
  await store.commitConsentTransition(activated, await financial.activationItems(activated.consent, { accessToken: 'access-x', accounts: [account] }));
  consent = activated.consent;
});

afterEach(async () => {
  await tables.dispose();
});

describe('a sync', () => {
  it('stores nothing for a transaction dated 100 days ago, and still moves the cursor on', async () => {
    await financial.applyTransactionsPage(consent, page({ added: [txn('recent', daysBefore(3)), txn('old', daysBefore(100))] }, 'cursor-2'));

    expect([await storedIds(), await cursor()]).toEqual([['recent'], 'cursor-2']);
  });

  it('moves the cursor on past a page that holds only transactions past the window', async () => {
    await financial.applyTransactionsPage(consent, page({ added: [txn('old-1', daysBefore(100)), txn('old-2', daysBefore(120))] }, 'cursor-3'));

    expect([await storedIds(), await cursor()]).toEqual([[], 'cursor-3']);
  });

  it('hands back as new only what it kept, so a transaction past the window raises no alert', async () => {
    const { added } = await financial.applyTransactionsPage(consent, page({ added: [txn('recent', daysBefore(3)), txn('old', daysBefore(100))] }, 'cursor-2'));

    expect(added.map((t) => t.transactionId)).toEqual(['recent']);
  });

  it('deletes the stored copy of a transaction the bank modified once it is past the window, rather than rewriting it', async () => {
    await leftByTtl(txn('aged', daysBefore(95)));

    await financial.applyTransactionsPage(consent, page({ modified: [txn('aged', daysBefore(95), 99)] }, 'cursor-4'));

    expect([await storedIds(), await cursor()]).toEqual([[], 'cursor-4']);
  });
});

describe('reads', () => {
  it('do not answer, count, export or judge alerts by a transaction past the window that TTL has not deleted yet', async () => {
    await financial.applyTransactionsPage(consent, page({ added: [txn('recent', daysBefore(3))] }, 'cursor-2'));
    await leftByTtl(txn('old', daysBefore(100)));
    expect(await storedIds()).toEqual(['old', 'recent']);

    const answered = await financial.transactions(consent);
    const counted = await financial.holdings(consent);
    const exported = await financial.exportData(consent);
    const history = await financial.alertHistory(consent);

    expect({
      answered: answered.map((t) => t.transactionId),
      counted: counted.transactions,
      exported: exported.transactions.map((t) => t.transactionId),
      history: history.map((t) => t.transactionId),
    }).toEqual({ answered: ['recent'], counted: 1, exported: ['recent'], history: ['recent'] });
  });
});

describe('the window edge', () => {
  const DATE = '2026-08-23';
  const edge = new Date(`${DATE}T00:00:00.000Z`).getTime() + 90 * DAY;

  it('answers a transaction until 90 days after its date, and not from that instant on', async () => {
    await leftByTtl(txn('edge', DATE));

    now = new Date(edge - 1);
    const before = (await financial.transactions(consent)).map((t) => t.transactionId);
    now = new Date(edge);
    const at = (await financial.transactions(consent)).map((t) => t.transactionId);

    expect({ before, at }).toEqual({ before: ['edge'], at: [] });
  });

  it('writes a transaction a sync brings just inside the window with the TTL falling due at the same edge', async () => {
    now = new Date(edge - 1);

    await financial.applyTransactionsPage(consent, page({ added: [txn('edge', DATE)] }, 'cursor-5'));

    const stored = (await tables.items()).find((item) => item.transactionId === 'edge');
    expect(stored?.expiresAt).toBe(edge / 1000);
  });

  it('does not write a transaction a sync brings at the edge itself', async () => {
    now = new Date(edge);

    await financial.applyTransactionsPage(consent, page({ added: [txn('edge', DATE)] }, 'cursor-6'));

    expect([await storedIds(), await cursor()]).toEqual([[], 'cursor-6']);
  });
});

describe('alerts past their TTL that DynamoDB has not deleted yet', () => {
  it('are not delivered when held (30 days), nor found to be answered (120 days)', async () => {
    const inbox = tables.store(() => now).alertInbox;
    now = new Date(NOW.getTime() - 121 * DAY);
    await financial.recordAlert(consent, { alertId: 'old-alert', dedupeKey: 'txn:t:large-transaction', rule: 'large-transaction', kind: 'large-transaction', at: now.toISOString() });
    now = new Date(NOW.getTime() - 31 * DAY);
    await financial.holdAlert(consent, { alertId: 'old-held', message: { text: 'old' } });
    now = new Date(NOW.getTime() - 1 * DAY);
    await financial.holdAlert(consent, { alertId: 'new-held', message: { text: 'new' } });
    now = NOW;

    expect({ held: (await inbox.held('p-1')).map((h) => h.alertId), found: await inbox.find('p-1', 'old-alert') }).toEqual({ held: ['new-held'], found: undefined });
  });
});
