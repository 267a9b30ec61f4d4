import { isDeepStrictEqual } from 'node:util';
import type { BankAccount, BankTransaction, RecurringStream, SyncPage } from '../banking/bank-connector';
import { isInForce, requireScope, type Consent, type Institution } from '../consent/model/consent';
import type { Scope } from '../consent/model/scopes';
import { InvalidConsentTransition } from '../errors';
import { open, seal, type EncryptionContext, type KeyProvider } from '../security/envelope';
import { accountPuts, listAccounts, saveBalances, clearBalances, type StoredAccount } from './accounts';
import { holdAlert, recordAlert, type AlertRecord } from './alerts';
import { bankItemPut } from './bank-items';
import { claimConnection, connectionPut, deleteConnectionData, getConnection, type Connection, type PurgeCounts } from './connections';
import { createFinancialReads, itemOf, type GateDeps } from './financial-reads';
import type { TransactItem } from './transact-write';
import { deleteRecurringStreams, replaceRecurringStreams } from './recurring-streams';
import { applyTransactionsPage, deleteTransactions, listTransactions, oldestRetainedDate, TRANSACTION_RETENTION_DAYS } from './transactions';
import { deletePrivateAnswers } from './private-answers';

const tokenContext = (psid: string, itemId: string): EncryptionContext => ({ psid, itemId, purpose: 'bank-access-token' });

/**
 * The one gate to financial data (consent rule 5). Every read and write checks that the consent is
 * in force and grants the scope; writes are also conditioned on the consent's version in the
 * store. Only the gate (this file and financial-reads.ts) may import the financial entity modules
 * (connections, accounts, transactions, alerts; test/architecture.test.ts fails if another module
 * does), so there is no path to bank data for ads, analytics or anything the person did not ask for.
 * The store builds it (`store.financialGate(keys)`); `keys` seals and opens the bank access tokens.
 */
export function createFinancialGate({ db, table, clock, keys }: GateDeps & { keys: KeyProvider }) {
  const inForce = (consent: Consent, scope: Scope) => requireScope(consent, scope, clock());

  return {
    ...createFinancialReads({ db, table, clock }),

    /**
     * What activation writes together with the consent (one transaction): the connection with the
     * access token sealed under the person's and item's encryption context, and the accounts.
     */
    async activationItems(
      consent: Consent,
      bank: { accessToken: string; accounts: BankAccount[]; institution?: Institution },
    ): Promise<TransactItem[]> {
      if (!isInForce(consent, clock())) throw new InvalidConsentTransition('Only an active consent can hold bank data');
      const itemId = itemOf(consent);
      const sealed = await seal(bank.accessToken, tokenContext(consent.psid, itemId), keys);
      const now = clock().toISOString();
      const accounts = consent.scopes.includes('balances') ? bank.accounts : bank.accounts.map(withoutBalances);
      return [
        connectionPut(table, {
          psid: consent.psid,
          itemId,
          consentId: consent.consentId,
          ...(bank.institution ? { institution: bank.institution } : {}),
          accessToken: sealed,
          linkedAt: now,
          nextSyncAt: now,
        }),
        bankItemPut(table, { psid: consent.psid, itemId, consentId: consent.consentId }),
        ...accountPuts(table, consent.psid, itemId, accounts, now),
      ];
    },

    /** The bank access token, to call the bank on the person's behalf while the consent is in force. */
    async accessToken(consent: Consent, scope: Scope): Promise<string> {
      inForce(consent, scope);
      return openToken(consent.psid, itemOf(consent));
    },

    /**
     * Claims the connection for one sync (a lease; for a scheduled sync, only while it is still
     * due at `dueAt`; given `requestedAt`, only if no sync ended since) and reads what the sync
     * starts from in the same request. Refused, with why, when someone else has it or a sync
     * already answered the request. The claim is asked for alongside the consents, before the consent is
     * known, so what it read stays sealed in here: `start` opens it only for a consent in force
     * over this connection that covers the sync.
     */
    async claimSync(key: { psid: string; itemId: string; dueAt?: string; requestedAt?: string }, leaseSeconds: number): Promise<SyncClaim | SyncRefused> {
      const claim = await claimConnection(db, table, key, { now: clock(), leaseSeconds });
      if ('refused' in claim) return claim;
      return { start: (consent) => syncStart(claim.claimed, consent) };
    },

    /** The balances stored for the connection: what a sync compares the bank's answer with. */
    async storedBalances(consent: Consent): Promise<StoredAccount[]> {
      inForce(consent, 'balances');
      return listAccounts(db, table, consent.psid, itemOf(consent));
    },

    /**
     * Stores fresh balances, unless they are the ones already stored (most syncs: rewriting them
     * was 8 of a quiet sync's 12 write units); the sync's `balancesSyncedAt` then dates them.
     * Fails with ConsentChanged if the consent changed since it was read.
     */
    async saveBalances(consent: Consent, accounts: BankAccount[], stored?: StoredAccount[]): Promise<'saved' | 'unchanged'> {
      inForce(consent, 'balances');
      if (stored && sameAccounts(stored, accounts)) return 'unchanged';
      await saveBalances(db, table, { psid: consent.psid, consentId: consent.consentId, version: consent.version, itemId: itemOf(consent) }, accounts, clock());
      return 'saved';
    },

    /** What the alert rules compare new transactions with: the connection's stored history. */
    async alertHistory(consent: Consent): Promise<BankTransaction[]> {
      inForce(consent, 'alerts');
      return (await listTransactions(db, table, consent.psid, itemOf(consent), clock())) as unknown as BankTransaction[];
    },

    /** One alert per (transaction, rule), ever: 'duplicate' when it was already raised. */
    async recordAlert(consent: Consent, record: Omit<AlertRecord, 'itemId'>): Promise<'new' | 'duplicate'> {
      inForce(consent, 'alerts');
      return recordAlert(db, table, consent.psid, { ...record, itemId: itemOf(consent) });
    },

    /** Keeps an alert for the person's next message (their 24-hour window is closed). */
    async holdAlert(consent: Consent, held: { alertId: string; message: unknown }): Promise<void> {
      inForce(consent, 'alerts');
      await holdAlert(db, table, consent.psid, { ...held, itemId: itemOf(consent), at: clock().toISOString() });
    },

    /** Stores one sync page with its cursor; fails with ConsentChanged if the consent changed. */
    async applyTransactionsPage(consent: Consent, page: SyncPage): Promise<{ added: BankTransaction[] }> {
      inForce(consent, 'transactions');
      return applyTransactionsPage(db, table, { psid: consent.psid, consentId: consent.consentId, version: consent.version, itemId: itemOf(consent) }, page, clock());
    },

    /**
     * Replaces the connection's recurring streams with the bank's current ones (inflows and
     * outflows together) and dates the refresh; 'unchanged' when only the date moved. `at` is the
     * transactions cursor the streams go with (see `SyncStart.streams`). Fails with ConsentChanged
     * if the consent changed since it was read.
     */
    async saveRecurringStreams(consent: Consent, streams: RecurringStream[], at?: { cursor: string }): Promise<'saved' | 'unchanged'> {
      inForce(consent, 'transactions');
      const now = clock();
      const guard = { psid: consent.psid, consentId: consent.consentId, version: consent.version, itemId: itemOf(consent) };
      return replaceRecurringStreams(db, table, guard, streams, { now, ...(at ? { cursor: at.cursor } : {}) }, { oldest: oldestRetainedDate(now), days: TRANSACTION_RETENTION_DAYS });
    },

    /**
     * For the purge after a revocation or expiry only: the token is needed once more, to remove
     * the item at the bank. Refused while the consent is still in force.
     */
    async accessTokenForRemoval(consent: Consent): Promise<string | undefined> {
      if (consent.status !== 'revoked' && consent.status !== 'expired') {
        throw new InvalidConsentTransition('The token is released for removal only after a revocation or expiry');
      }
      if (!consent.itemId) return undefined;
      const connection = await getConnection(db, table, consent.psid, consent.itemId);
      return connection ? open(connection.accessToken, tokenContext(consent.psid, consent.itemId), keys) : undefined;
    },

    /** After a scope was withdrawn: delete what that scope covered and nothing else. */
    async scrubWithdrawnScopes(consent: Consent, withdrawn: Scope[]): Promise<{ transactions: number; recurringStreams: number; balances: number }> {
      if (consent.scopes.some((s) => withdrawn.includes(s))) throw new InvalidConsentTransition('Those scopes are still granted');
      if (!consent.itemId) return { transactions: 0, recurringStreams: 0, balances: 0 };
      const transactions = withdrawn.includes('transactions') ? await deleteTransactions(db, table, consent.psid, consent.itemId) : 0;
      // The streams are worked out from the transactions: they go with them.
      const recurringStreams = withdrawn.includes('transactions') ? await deleteRecurringStreams(db, table, consent.psid, consent.itemId) : 0;
      const balances = withdrawn.includes('balances') ? await clearBalances(db, table, consent.psid, consent.itemId) : 0;
      return { transactions, recurringStreams, balances };
    },

    /** Deletes the connection, token, cursor, accounts, balances, transactions and recurring streams of an ended consent. */
    async purge(consent: Consent): Promise<PurgeCounts> {
      if (consent.status !== 'revoked' && consent.status !== 'expired') {
        throw new InvalidConsentTransition('Data is purged only after a revocation or expiry');
      }
      // Answers waiting on the private page may hold this connection's figures: they go too (all of
      // the person's; they are minutes old and can be asked again).
      await deletePrivateAnswers(db, table, consent.psid);
      if (!consent.itemId) return { connections: 0, accounts: 0, transactions: 0, recurringStreams: 0 };
      return deleteConnectionData(db, table, consent.psid, consent.itemId);
    },
  };

  /**
   * What a sync starts from: the bank token and, under the `transactions` scope only, the cursor
   * and where the recurring streams were last refreshed.
   */
  async function syncStart(connection: Connection, consent: Consent): Promise<SyncStart> {
    const transactions = consent.scopes.includes('transactions');
    inForce(consent, transactions ? 'transactions' : 'balances');
    if (consent.psid !== connection.psid || consent.itemId !== connection.itemId) {
      throw new InvalidConsentTransition('The consent is not for the claimed connection');
    }
    const accessToken = await open(connection.accessToken, tokenContext(connection.psid, connection.itemId), keys);
    if (!transactions) return { accessToken, cursor: undefined };
    const streams = { ...(connection.streamsRefreshedAt ? { refreshedAt: connection.streamsRefreshedAt } : {}), ...(connection.streamsCursor !== undefined ? { cursor: connection.streamsCursor } : {}) };
    return { accessToken, cursor: connection.cursor, streams };
  }

  async function openToken(psid: string, itemId: string): Promise<string> {
    const connection = await getConnection(db, table, psid, itemId);
    if (!connection) throw new InvalidConsentTransition('No bank connection is stored for this consent');
    return open(connection.accessToken, tokenContext(psid, itemId), keys);
  }
}

export type FinancialGate = ReturnType<typeof createFinancialGate>;
export type { PurgeCounts, StoredAccount };

/** A connection claimed for one sync; see `claimSync`. */
export interface SyncClaim {
  start(consent: Consent): Promise<SyncStart>;
}

export interface SyncStart {
  accessToken: string;
  cursor: string | undefined;
  /**
   * Under `transactions`: when the recurring streams were last refreshed and the transactions
   * cursor they went with (both absent until a refresh succeeded).
   */
  streams?: { refreshedAt?: string; cursor?: string };
}

/**
 * A claim refused (see `claimConnection`): another sync holds the connection until `heldUntil`, or
 * a sync ended at `syncedAt`, after the request was made; neither when it is not due or gone.
 * Times only: nothing the gate guards.
 */
export interface SyncRefused {
  refused: { heldUntil?: string; syncedAt?: string };
}

/** The same accounts with the same names, masks, types and balances as stored (order aside). */
function sameAccounts(stored: StoredAccount[], fresh: BankAccount[]): boolean {
  if (stored.length !== fresh.length) return false;
  const byId = new Map(stored.map(({ itemId: _itemId, balancesAsOf: _asOf, ...account }) => [account.accountId, account]));
  // Through JSON both sides drop absent optional fields alike (an undefined one is not stored).
  return fresh.every((account) => byId.has(account.accountId) && isDeepStrictEqual(JSON.parse(JSON.stringify(account)), byId.get(account.accountId)));
}

function withoutBalances(account: BankAccount): BankAccount {
  return { ...account, balances: { available: null, current: null, limit: null, currency: account.balances.currency } };
}
