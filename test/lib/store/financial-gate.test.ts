import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BankAccount } from '../../../lib/banking/bank-connector';
import { activateConsent, changeConsentScopes, requestConsent, revokeConsent, type Consent } from '../../../lib/consent/model/consent';
import { disclosure } from '../../../lib/consent/disclosure';
import { ConsentChanged, ConsentRequired, InvalidConsentTransition, ScopeNotGranted } from '../../../lib/errors';
import { createLocalKeyProvider } from '../../../lib/security/local-key-provider';
import type { FinancialGate, Store } from '../../../lib/store';
import { createTestTables, type TestTables } from '../../support/dynamodb';

/**
 * The financial gate as the store builds it (consent rule 5), against DynamoDB Local: every read
 * and write checks the consent first, the bank token is sealed at rest and released only to a
 * consent that allows it, and an ended consent's data is purged whole.
 */
const NOW = new Date('2026-05-04T09:00:00.000Z');
const TOKEN = 'access-sandbox-gate';

let tables: TestTables;
let store: Store;
let gate: FinancialGate;
let consent: Consent;

const account: BankAccount = { accountId: 'acc-1', name: 'Checking', mask: '0000', type: 'depository', subtype: 'checking', balances: { available: 100, current: 120, limit: null, currency: 'USD' } };

async function linked(scopes: Consent['scopes']): Promise<Consent> {
  const requested = requestConsent({ consentId: 'c-1', psid: 'p-1', scopes, durationDays: 90, disclosure: disclosure({ recipient: 'Demo Bank' }), bankLinkToken: 'link-x', now: NOW });
  await store.commitConsentTransition(requested);
  const activated = activateConsent(requested.consent, { itemId: 'item-1', now: NOW });
  await store.commitConsentTransition(activated, await gate.activationItems(activated.consent, { accessToken: TOKEN, accounts: [account] }));
  return activated.consent;
}

async function revoked(): Promise<Consent> {
  const transition = revokeConsent(consent, { now: NOW, by: 'person' });
  await store.commitConsentTransition(transition);
  return transition.consent;
}

beforeEach(async () => {
  tables = await createTestTables();
  store = tables.store(() => NOW);
  gate = store.financialGate(createLocalKeyProvider(Buffer.alloc(32, 5).toString('base64')));
});

afterEach(async () => {
  await tables.dispose();
});

describe('the financial gate', () => {
  it('stores the bank token sealed, and opens it for a consent in force', async () => {
    consent = await linked(['balances', 'transactions']);

    const stored = JSON.stringify(await tables.items());
    const opened = await gate.accessToken(consent, 'balances');

    expect({ plaintextStored: stored.includes(TOKEN), opened }).toEqual({ plaintextStored: false, opened: TOKEN });
  });

  it('refuses a read the consent does not grant', async () => {
    consent = await linked(['balances']);

    await expect(store.financialReads.transactions(consent)).rejects.toBeInstanceOf(ScopeNotGranted);
  });

  it('refuses every read once the consent has ended', async () => {
    consent = await linked(['balances', 'transactions']);
    const ended = await revoked();

    await expect(gate.balances(ended)).rejects.toBeInstanceOf(ConsentRequired);
  });

  it('writes no balances for a consent changed since it was read', async () => {
    consent = await linked(['balances', 'transactions']);
    await store.commitConsentTransition(changeConsentScopes(consent, { scopes: ['balances'], now: NOW }));

    const fresh = { ...account, balances: { ...account.balances, available: 5 } };

    await expect(gate.saveBalances(consent, [fresh])).rejects.toBeInstanceOf(ConsentChanged);
    expect((await tables.items()).find((item) => item.type === 'account')?.balances).toMatchObject({ available: 100 });
  });

  it('releases the token for removal at the bank only after the consent ended', async () => {
    consent = await linked(['balances']);

    await expect(gate.accessTokenForRemoval(consent)).rejects.toBeInstanceOf(InvalidConsentTransition);
    expect(await gate.accessTokenForRemoval(await revoked())).toBe(TOKEN);
  });

  it('purges an ended consent\'s connection, accounts, transactions, recurring streams, alerts and bank-item pointer', async () => {
    consent = await linked(['balances', 'transactions', 'alerts']);
    await gate.applyTransactionsPage(consent, {
      added: [{ transactionId: 't-1', accountId: 'acc-1', amount: 9, currency: 'USD', date: '2026-05-01', name: 'Cafe', category: { primary: 'FOOD_AND_DRINK', detailed: 'FOOD_AND_DRINK_COFFEE' }, pending: false }],
      modified: [],
      removed: [],
      nextCursor: 'cursor-1',
      hasMore: false,
      accounts: [],
    });
    await gate.saveRecurringStreams(consent, [
      { streamId: 's-1', accountId: 'acc-1', direction: 'outflow', description: 'CAFE', category: null, frequency: 'weekly', averageAmount: 9, lastAmount: 9, currency: 'USD', firstDate: '2026-04-17', lastDate: '2026-05-01', isActive: true, status: 'mature', transactionIds: ['t-1'] },
    ]);
    await gate.recordAlert(consent, { alertId: 'a-1', dedupeKey: 'txn:t-1:large', rule: 'large-transaction', kind: 'large-transaction', at: NOW.toISOString() });
    await expect(gate.purge(consent)).rejects.toBeInstanceOf(InvalidConsentTransition);

    const counts = await gate.purge(await revoked());

    const left = (await tables.items()).map((item) => String(item.type)).filter((type) => type !== 'consent').sort();
    expect({ counts, left, owner: await store.findBankItem('item-1') }).toEqual({ counts: { connections: 1, accounts: 1, transactions: 1, recurringStreams: 1 }, left: [], owner: undefined });
  });
});
