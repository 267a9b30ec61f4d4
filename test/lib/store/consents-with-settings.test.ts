import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { requestConsent } from '../../../lib/consent/model/consent';
import { disclosure } from '../../../lib/consent/disclosure';
import type { Store } from '../../../lib/store';
import {
  accountSk,
  alertSk,
  connectionSk,
  consentsAndAlertSettingsRange,
  conversationSk,
  heldSk,
  inboxSk,
  profileSk,
  replySk,
  transactionSk,
  userPk,
} from '../../../lib/store/keys';
import { createTestTables, type TestTables } from '../../support/dynamodb';

/**
 * The sync's one read before the bank, against DynamoDB Local: a person's consents and alert
 * settings come from one Query over a sort-key range, so it must hold those and nothing else of
 * everything a person's partition keeps.
 */
const NOW = new Date('2026-11-21T10:00:00.000Z');
let tables: TestTables;
let store: Store;

beforeEach(async () => {
  tables = await createTestTables();
  store = tables.store(() => NOW);
});

afterEach(async () => {
  await tables.dispose();
});

async function consent(psid: string, consentId: string) {
  const transition = requestConsent({
    consentId,
    psid,
    scopes: ['balances', 'alerts'],
    durationDays: 90,
    disclosure: disclosure({ recipient: 'Demo Bank' }),
    bankLinkToken: 'link-x',
    now: NOW,
  });
  await store.commitConsentTransition(transition);
  return transition.consent;
}

/** One item under every other sort key a person's partition holds, with the store's own key builders. */
async function everythingElse(psid: string) {
  const sks = [
    accountSk('item-1', 'acc-1'),
    alertSk('item-1', 'alert-1'),
    connectionSk('item-1'),
    conversationSk(),
    heldSk('item-1', NOW.toISOString(), 'alert-2'),
    inboxSk('m-1'),
    profileSk(),
    replySk('m-1'),
    transactionSk('item-1', 'txn-1'),
    'PURGE#c-0',
  ];
  for (const sk of sks) await tables.db.send(new PutCommand({ TableName: tables.names.main, Item: { pk: userPk(psid), sk, type: 'other' } }));
}

it('reads the consents and the alert settings in one Query, and nothing else of the partition', async () => {
  const first = await consent('p-1', 'c-1');
  const second = await consent('p-1', 'c-2');
  await store.putAlertSettings('p-1', { fraudAlerts: false, largeTransactionThreshold: 2_000 });
  await everythingElse('p-1');
  // Someone else's consent and settings stay theirs.
  await consent('p-2', 'c-3');
  await store.putAlertSettings('p-2', { fraudAlerts: true });

  const read = await store.listConsentsWithAlertSettings('p-1');

  expect(read.alertSettings).toEqual({ fraudAlerts: false, largeTransactionThreshold: 2_000, updatedAt: NOW.toISOString() });
  expect(read.consents.map((c) => c.consentId).sort()).toEqual(['c-1', 'c-2']);
  // The same consents as the consents-only read, item for item.
  expect(read.consents.sort((a, b) => a.consentId.localeCompare(b.consentId))).toEqual([first, second]);
  expect((await store.listConsents('p-1')).sort((a, b) => a.consentId.localeCompare(b.consentId))).toEqual([first, second]);
  expect(await store.getAlertSettings('p-1')).toEqual(read.alertSettings);
  // The range itself holds nothing else (the reader would drop it, but pay read units for it).
  const { Items } = await tables.db.send(
    new QueryCommand({
      TableName: tables.names.main,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': userPk('p-1'), ':from': consentsAndAlertSettingsRange.from, ':to': consentsAndAlertSettingsRange.to },
    }),
  );
  expect(Items!.map((item) => item.sk)).toEqual(['ALERT_SETTINGS', 'CONSENT#c-1', 'CONSENT#c-2']);
});

it('gives no alert settings until the person chooses some, and no consents before any is asked for', async () => {
  await consent('p-1', 'c-1');
  await everythingElse('p-1');
  await everythingElse('p-3');

  expect((await store.listConsentsWithAlertSettings('p-1')).alertSettings).toBeUndefined();
  expect(await store.listConsentsWithAlertSettings('p-3')).toEqual({ consents: [], alertSettings: undefined });
});
