import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BankTransaction, RecurringStream } from '../banking/bank-connector';
import { isInForce, requireScope, type Consent } from '../consent/model/consent';
import type { Scope } from '../consent/model/scopes';
import { InvalidConsentTransition } from '../errors';
import { listAccounts, type StoredAccount } from './accounts';
import { answerAlert, dropHeldAlert, findAlert, latestOpenFraudAlert, listConnectionAlerts, listHeldAlerts, type AlertRecord } from './alerts';
import { connectionSyncTimes, describeConnection, type ConnectionSummary } from './connections';
import { listRecurringStreams } from './recurring-streams';
import { countConnectionData, listTransactions, oldestRetainedDate } from './transactions';
import { putPrivateAnswer, takePrivateAnswer, type PrivateAnswer } from './private-answers';

/**
 * The half of the financial gate (consent rule 5) that needs no key provider: reads for the
 * person's own questions and export, each checking that the consent is in force and grants the
 * scope, and the person's alert inbox. lib/store/financial-gate.ts adds the writes and the bank
 * token; the store builds both (lib/store/index.ts).
 */
export interface GateDeps {
  db: DynamoDBDocumentClient;
  table: string;
  clock: () => Date;
}

/** The bank item a consent covers; a consent without one has nothing to read or write. */
export const itemOf = (consent: Consent): string => {
  if (!consent.itemId) throw new InvalidConsentTransition('The consent has no bank connection');
  return consent.itemId;
};

/** Reading financial data for the person's own questions and export: no key provider needed. */
export function createFinancialReads({ db, table, clock }: GateDeps) {
  const inForce = (consent: Consent, scope: Scope) => requireScope(consent, scope, clock());
  return {
    /**
     * An answer for the person's private page, made from what the gate gave for their own
     * question; kept minutes and read once (lib/store/private-answers.ts).
     */
    keepPrivateAnswer: (psid: string, answer: PrivateAnswer) => putPrivateAnswer(db, table, psid, answer, clock()),
    takePrivateAnswer: (psid: string, answerId: string) => takePrivateAnswer(db, table, psid, answerId, clock()),

    /** Accounts and balances, for the person's own question, as of the last sync that took them. */
    async balances(consent: Consent): Promise<StoredAccount[]> {
      inForce(consent, 'balances');
      const itemId = itemOf(consent);
      const [accounts, times] = await Promise.all([listAccounts(db, table, consent.psid, itemId), connectionSyncTimes(db, table, consent.psid, itemId)]);
      return asOfLastCheck(accounts, times.balancesSyncedAt);
    },

    /** The connection's transactions (the last 90 days), for the person's own questions. */
    async transactions(consent: Consent): Promise<BankTransaction[]> {
      inForce(consent, 'transactions');
      const items = await listTransactions(db, table, consent.psid, itemOf(consent), clock());
      return items.map(({ itemId: _itemId, expiresAt: _expiresAt, ...t }) => t as unknown as BankTransaction);
    },

    /**
     * The connection's recurring payments (bills, subscriptions, pay) as the bank last described
     * them, for the person's own questions and alerts, with when that was. A stream is kept while
     * its latest payment is inside the transactions' 90-day window.
     */
    async recurringStreams(consent: Consent): Promise<StoredRecurringStreams> {
      inForce(consent, 'transactions');
      const itemId = itemOf(consent);
      const [streams, times] = await Promise.all([
        listRecurringStreams(db, table, consent.psid, itemId, oldestRetainedDate(clock())),
        connectionSyncTimes(db, table, consent.psid, itemId),
      ]);
      return { streams, ...(times.streamsRefreshedAt ? { refreshedAt: times.streamsRefreshedAt } : {}) };
    },

    /** When the connection last synced with the bank (undefined: its first sync has not finished). */
    async syncedAt(consent: Consent): Promise<string | undefined> {
      if (!isInForce(consent, clock()) || !consent.itemId) return undefined;
      return (await connectionSyncTimes(db, table, consent.psid, consent.itemId)).lastSyncAt;
    },

    /** Account names and masks only: enough to tell the person what they linked. */
    async accountNames(consent: Consent): Promise<Pick<StoredAccount, 'accountId' | 'name' | 'mask' | 'type' | 'subtype'>[]> {
      if (!isInForce(consent, clock())) return [];
      const accounts = await listAccounts(db, table, consent.psid, itemOf(consent));
      return accounts.map(({ accountId, name, mask, type, subtype }) => ({ accountId, name, mask, type, subtype }));
    },

    /** What is held for a consent in force (counts only), for "what do you hold about me?". */
    async holdings(consent: Consent): Promise<{ accounts: number; transactions: number }> {
      if (!isInForce(consent, clock()) || !consent.itemId) return { accounts: 0, transactions: 0 };
      return countConnectionData(db, table, consent.psid, consent.itemId, clock());
    },

    /**
     * Everything held for a consent in force, for the person's own export (consent rule 7): the
     * connection, accounts and balances, transactions inside the retention window, the recurring
     * streams (while the consent grants transactions), the alerts raised (with the person's
     * answers) and those held for their next message. Never the access
     * token or the sync cursor: they are ours to call the bank with, not data about the person.
     */
    async exportData(consent: Consent): Promise<ConnectionExport> {
      const now = clock();
      if (!isInForce(consent, now) || !consent.itemId) return { connection: null, accounts: [], transactions: [], recurringStreams: [], alerts: [], heldAlerts: [] };
      const [connection, accounts, transactions, recurringStreams, alerts] = await Promise.all([
        describeConnection(db, table, consent.psid, consent.itemId),
        listAccounts(db, table, consent.psid, consent.itemId),
        listTransactions(db, table, consent.psid, consent.itemId, now),
        consent.scopes.includes('transactions') ? listRecurringStreams(db, table, consent.psid, consent.itemId, oldestRetainedDate(now)) : [],
        listConnectionAlerts(db, table, consent.psid, consent.itemId, now),
      ]);
      return {
        connection: connection ?? null,
        accounts: asOfLastCheck(accounts, connection?.balancesSyncedAt),
        transactions: transactions.map(({ itemId: _itemId, expiresAt: _expiresAt, ...t }) => t as unknown as BankTransaction),
        recurringStreams,
        alerts: alerts.alerts,
        heldAlerts: alerts.held,
      };
    },
  };
}

export type FinancialReads = ReturnType<typeof createFinancialReads>;

/** What the person's export holds for one connection. */
export interface ConnectionExport {
  connection: ConnectionSummary | null;
  accounts: StoredAccount[];
  transactions: BankTransaction[];
  recurringStreams: RecurringStream[];
  alerts: Record<string, unknown>[];
  heldAlerts: Record<string, unknown>[];
}

/**
 * A connection's recurring streams (type in lib/banking/bank-connector.ts; each keeps the ids of
 * its latest 16 payments at most) and when they were last refreshed from the bank; no
 * `refreshedAt` until a refresh succeeded.
 */
export interface StoredRecurringStreams {
  streams: RecurringStream[];
  refreshedAt?: string;
}

/**
 * The person's own alerts from the chat: alerts held while the 24-hour window was closed, and
 * answers to "Was this you?". They exist only while the consent does (purged with it).
 */
export function createAlertInbox({ db, table, clock }: GateDeps) {
  return {
    held: (psid: string) => listHeldAlerts(db, table, psid, clock()),
    dropHeld: (psid: string, sk: string) => dropHeldAlert(db, table, psid, sk),
    find: (psid: string, alertId: string) => findAlert(db, table, psid, alertId, clock()),
    latestOpen: (psid: string) => latestOpenFraudAlert(db, table, psid, clock()),
    answer: (psid: string, alert: AlertRecord, answer: 'yes' | 'no') => answerAlert(db, table, psid, alert, answer, clock()),
  };
}

export type AlertInbox = ReturnType<typeof createAlertInbox>;

/**
 * A sync that finds the balances unchanged does not rewrite them; it dates them on the connection
 * (`balancesSyncedAt`). So they are as of the later of the two. Blanked balances (the scope was
 * withdrawn) have no date and get none.
 */
function asOfLastCheck(accounts: StoredAccount[], balancesSyncedAt: string | undefined): StoredAccount[] {
  if (!balancesSyncedAt) return accounts;
  return accounts.map((a) => (a.balancesAsOf && Date.parse(balancesSyncedAt) > Date.parse(a.balancesAsOf) ? { ...a, balancesAsOf: balancesSyncedAt } : a));
}
