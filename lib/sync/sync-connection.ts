import type { BankAccount, BankConnector, BankTransaction, RecurringStream, RecurringStreams, SyncPage } from '../banking/bank-connector';
import { isInForce, type Consent } from '../consent/model/consent';
import { BankAccessRevoked, BankError, BankLoginRequired, BankSyncMutated, ConsentChanged, isRetryable } from '../errors';
import type { FinancialGate } from '../store';
import type { Log } from '../logger';
import type { SyncRequest } from '../queue/sync-queue';

/**
 * One bank connection's sync: balances, then transactions from the stored cursor until the bank
 * has nothing more, restarting from the first cursor when the bank's data changed mid-pagination,
 * then the recurring streams when the transactions moved since their last refresh or it is a day old.
 * Every write goes through the financial gate, conditioned on the consent's version, so a
 * revocation that commits during the sync wins: the next write fails and nothing more is stored.
 */

/** A request as the worker took it off the queue. */
export interface ReceivedSyncRequest extends SyncRequest {
  /** When it was asked for (the queue's sent time): a sync that ended after it already answered it. */
  requestedAt?: Date;
}

export interface SyncResult {
  consent: Consent;
  /** Transactions added by this sync (a posted one replacing a pending one included). */
  newTransactions: BankTransaction[];
  /** The balances this sync stored, when the consent covers them (real-time or as the bank cached them). */
  accounts: BankAccount[];
  /** The connection's first sync: its whole history arrived as "new". */
  initialSync: boolean;
  /** The recurring streams, when this sync refreshed them (absent otherwise: unchanged since the last refresh). */
  streams?: RecurringStream[];
}

/**
 * `busy`: met a sync in flight and must run after it (kept for a retry). `waiting`: someone waits
 * for it and it met a sync in flight, which answers them when it ends (kept only as a fallback).
 * `already-synced`: a sync ended after it was asked for; whoever waited was told, nothing more to do.
 */
export type SyncOutcome = 'synced' | 'not-due' | 'busy' | 'waiting' | 'already-synced' | 'no-consent' | 'login-required' | 'access-revoked';

export interface SyncSettings {
  intervalHours: number;
  leaseSeconds: number;
  pageSize: number;
  /** Restarts after a mutation during pagination before giving up (the message is retried). */
  maxRestarts: number;
}

export interface SyncDeps {
  listConsents(psid: string): Promise<Consent[]>;
  schedule: {
    /**
     * `balancesSyncedAt`: the sync took the balances (stored them, or found them unchanged). With
     * `syncedAt` (a sync ended), it also takes off the requests that waited for it (their reasons).
     */
    scheduleNextSync(key: { psid: string; itemId: string }, next: { at: Date; status: string; syncedAt?: Date; balancesSyncedAt?: Date }): Promise<{ waiters: string[] }>;
    unscheduleSync(key: { psid: string; itemId: string }, status: string): Promise<void>;
    releaseSync(key: { psid: string; itemId: string }): Promise<void>;
    /** Records a waiting request on the connection while the lease `heldUntil` holds; false when it no longer does. */
    waitForSync(key: { psid: string; itemId: string }, waiter: { reason: string; heldUntil: string }): Promise<boolean>;
  };
  financial: Pick<FinancialGate, 'claimSync' | 'storedBalances' | 'saveBalances' | 'applyTransactionsPage' | 'saveRecurringStreams'>;
  bank: Pick<BankConnector, 'getBalances' | 'getAccounts' | 'syncTransactions' | 'recurringStreams'>;
  /** The person must log in at their bank again (a reconnect link). */
  onLoginRequired(consent: Consent): Promise<void>;
  /** The bank says access is gone: handled as a revocation by the bank. */
  onAccessRevoked(consent: Consent): Promise<void>;
  /** After a successful sync: what is new (alerts look at it). Not called when nothing may be read. */
  onSynced?(result: SyncResult): Promise<void>;
  /**
   * Fresh data is in for someone waiting (the refresh notice): the conversation sends the updated
   * answer. Named by the sync's end, `syncedAt`: telling twice about one sync is telling once.
   */
  dataRefreshed(key: { psid: string; itemId: string }, syncedAt: Date): Promise<void>;
  /** Keeps the request: it is delivered again after `seconds`. */
  retryLater(seconds: number): Promise<void>;
  settings: SyncSettings;
  clock: () => Date;
  random: () => number;
  log: Log;
}

/**
 * Reasons a person is waiting on (a refresh a question asked for, a new link's first sync): the
 * only syncs that pay for real-time balances, and the only requests a sync in flight answers.
 */
const WAITING_REASONS: ReadonlySet<SyncRequest['reason']> = new Set(['stale', 'new-consent']);
type BalanceSource = 'none' | 'realtime' | 'first-page' | 'cached';
/** Claims a waiting request tries when the sync in flight keeps ending just before it can wait for it. */
const MAX_CLAIMS = 3;
/**
 * Recurring streams follow the transactions they come from: while the transactions have not moved
 * since their last refresh, they are refreshed only once they are this old. A day less the
 * schedule's jitter (a daily sync comes 21.6 to 26.4 hours after the last), so that daily syncs
 * refresh them daily, not every other day.
 */
const STREAMS_MAX_AGE_MS = 20 * 3_600_000;

export async function syncConnection(request: ReceivedSyncRequest, deps: SyncDeps): Promise<SyncOutcome> {
  const key = { psid: request.psid, itemId: request.itemId };
  const claimKey = {
    ...key,
    ...(request.dueAt ? { dueAt: request.dueAt } : {}),
    // A request someone waits for is answered by any sync that ends after it was made.
    ...(WAITING_REASONS.has(request.reason) && request.requestedAt ? { requestedAt: request.requestedAt.toISOString() } : {}),
  };
  // The claim is asked for while the consents are read, and brings back the sealed token and the
  // cursor (opened only below, under the consent in force): one round trip before the bank.
  // Without a consent in force the connection leaves the schedule whatever the claim found
  // (unscheduling drops the lease).
  const claim = deps.financial.claimSync(claimKey, deps.settings.leaseSeconds);
  void claim.catch(() => undefined);
  const consent = (await deps.listConsents(request.psid)).find((c) => c.itemId === request.itemId && isInForce(c, deps.clock()));
  const wants = { balances: !!consent?.scopes.includes('balances'), transactions: !!consent?.scopes.includes('transactions') };
  if (!consent || (!wants.balances && !wants.transactions)) {
    // Nothing may be collected: drop the request and take the connection off the schedule.
    await claim.catch(() => false);
    await deps.schedule.unscheduleSync(key, consent ? 'nothing-to-sync' : 'no-consent');
    return 'no-consent';
  }
  let claimed = await claim;
  for (let claims = 1; 'refused' in claimed; claims++) {
    const refused = await whenRefused(request, claimed.refused, deps, claims < MAX_CLAIMS);
    if (refused !== 'claim-again') return refused;
    claimed = await deps.financial.claimSync(claimKey, deps.settings.leaseSeconds);
  }

  let result: SyncResult = { consent, newTransactions: [], accounts: [], initialSync: false };
  // The stored balances are read while the bank answers: unchanged ones are not written again.
  const stored = wants.balances ? deps.financial.storedBalances(consent) : undefined;
  void stored?.catch(() => undefined);
  try {
    const { accessToken: token, cursor, streams: held } = await claimed.start(consent);
    // Where the balances come from. Real-time balances are billed per call and Plaid allows few of
    // them (1,200 a minute per client): they are asked for only when someone waits for them (a
    // stale answer's refresh, a new link). Otherwise the balances the bank last cached come with
    // the first transactions page at no extra call, or from the cheap accounts call when only
    // balances are shared. The bank reads do not depend on each other and are asked for together,
    // so a sync waits one bank round trip; what is stored, and in which order, does not change.
    const source: BalanceSource = !wants.balances ? 'none' : WAITING_REASONS.has(request.reason) ? 'realtime' : wants.transactions ? 'first-page' : 'cached';
    const firstPage = wants.transactions ? deps.bank.syncTransactions(token, cursor, deps.settings.pageSize) : undefined;
    const balances = source === 'realtime' ? deps.bank.getBalances(token) : source === 'cached' ? deps.bank.getAccounts(token) : undefined;
    // Streams due by age are asked for with the rest; otherwise only once the pages show a change.
    const streamsDue = wants.transactions && (!held?.refreshedAt || deps.clock().getTime() - Date.parse(held.refreshedAt) >= STREAMS_MAX_AGE_MS);
    const streams = streamsDue ? deps.bank.recurringStreams(token) : undefined;
    // Whatever fails first is rethrown below; the others must not surface as unhandled rejections.
    void firstPage?.catch(() => undefined);
    void balances?.catch(() => undefined);
    void streams?.catch(() => undefined);
    if (source !== 'none') {
      let accounts = balances ? await balances : (await firstPage!).accounts;
      // An answer without accounts (older API versions): ask for the cached ones.
      if (!accounts.length && source === 'first-page') accounts = await deps.bank.getAccounts(token);
      // Unknown stored balances (the read failed) are written anyway.
      await deps.financial.saveBalances(consent, accounts, await stored?.catch(() => undefined));
      result = { ...result, accounts };
    }
    if (firstPage) {
      const { cursor: reached, changed, ...synced } = await syncTransactions(consent, token, deps, { cursor, page: firstPage });
      result = { ...result, ...synced };
      // The streams go with the transactions up to `reached`. A refresh that failed left them with
      // an older position than the one this sync started from: the next sync tries again.
      const moved = changed || cursor !== held?.cursor;
      if (streams || moved) {
        const refreshed = await refreshStreams(consent, streams ?? deps.bank.recurringStreams(token), reached, deps);
        if (refreshed) result = { ...result, streams: refreshed };
      }
    }
  } catch (error) {
    if (error instanceof ConsentChanged) {
      deps.log.info('Consent changed during the sync; stopped', { consentId: consent.consentId });
      return 'no-consent'; // the revocation's purge takes it from here
    }
    if (error instanceof BankLoginRequired) {
      await deps.schedule.unscheduleSync(key, 'login-required');
      await deps.onLoginRequired(consent);
      return 'login-required';
    }
    if (error instanceof BankAccessRevoked) {
      await deps.schedule.unscheduleSync(key, 'access-revoked');
      await deps.onAccessRevoked(consent);
      return 'access-revoked';
    }
    // Transient (rate limited, institution down, unavailable): let the queue retry this message.
    await deps.schedule.releaseSync(key);
    throw error;
  }

  const now = deps.clock();
  // The data is stored: scheduling the next sync and the after-sync step (alerts) do not depend on
  // each other and run together. A failed after-sync step must not redo the sync (alerts are
  // deduplicated anyway); a failed scheduling does fail the message, which is then retried.
  const afterSync = deps.onSynced?.(result).catch((error: unknown) => {
    deps.log.error('After-sync step failed', { consentId: consent.consentId, error: (error as Error).name, detail: (error as Error).message });
  });
  let waiters: string[];
  try {
    ({ waiters } = await deps.schedule.scheduleNextSync(key, {
      at: nextSyncTime(now, deps.settings.intervalHours, deps.random),
      status: 'ok',
      syncedAt: now,
      ...(wants.balances ? { balancesSyncedAt: now } : {}),
    }));
  } finally {
    await afterSync;
  }
  // Someone waits for this data: this sync was asked for by them, or their request met it in
  // flight and waited on the connection (the release above took it off). If telling them fails,
  // the waiting request's own message, kept as a fallback, tells them when it comes back.
  if (WAITING_REASONS.has(request.reason) || waiters.length) await deps.dataRefreshed(key, now);
  return 'synced';
}

/**
 * A claim refused. A scheduled sync whose due time passed is done. A request someone waits for
 * that met a sync in flight waits on the connection for that sync to end, which answers them at
 * once; its message comes back only once the lease has run out, in case that sync died (a crash,
 * a timeout), and then finds the sync done (nothing more) or the connection free (it syncs itself).
 * Any other on-demand request (the bank's webhook) must run after the sync in flight: the change
 * it announces may have come too late for that one.
 *
 * Whatever sync is in flight answers the waiting, real-time balances or not. Its data is what the
 * freshness rule calls fresh: a question asked just after it ends is answered from it without a
 * refresh. The sync met most often, the bank's webhook, follows a refresh at the bank (right after
 * a link, or new transactions), and the balances it takes are the ones the bank cached in that
 * refresh, minutes old. Asking the bank again in real time would double the bank calls (billed,
 * rate-limited) and keep the person waiting for a difference of minutes. A new link's first sync
 * met in flight is that same first sync: the history, and balances fetched at the link.
 */
async function whenRefused(
  request: ReceivedSyncRequest,
  refused: { heldUntil?: string; syncedAt?: string },
  deps: SyncDeps,
  mayClaimAgain: boolean,
): Promise<SyncOutcome | 'claim-again'> {
  if (request.dueAt) return 'not-due';
  const key = { psid: request.psid, itemId: request.itemId };
  if (WAITING_REASONS.has(request.reason)) {
    if (refused.syncedAt) {
      // The sync that ended told them if it knew of this request; if it did not, this does. The
      // notice is named by that sync, so they hear about it once either way.
      await deps.dataRefreshed(key, new Date(refused.syncedAt));
      return 'already-synced';
    }
    if (refused.heldUntil && mayClaimAgain) {
      // The sync in flight ended (or gave up) just now: claim again.
      if (!(await deps.schedule.waitForSync(key, { reason: request.reason, heldUntil: refused.heldUntil }))) return 'claim-again';
      const leaseLeft = Math.max(0, Date.parse(refused.heldUntil) - deps.clock().getTime()) / 1000;
      await deps.retryLater(Math.ceil(leaseLeft + LEASE_GRACE_SECONDS * (1 + deps.random())));
      return 'waiting';
    }
  }
  await deps.retryLater(20 + deps.random() * 20);
  return 'busy';
}

/** After the lease runs out, before a waiting request's fallback comes back (clocks differ a little). */
const LEASE_GRACE_SECONDS = 5;

/**
 * Stores the bank's recurring streams. The balances and transactions are stored already: no
 * failure here (the bank not ready with them, a timeout, a store error) may undo that sync or keep
 * its alerts back, so it is logged and the previous streams stay until a later sync refreshes them.
 * Only a changed consent stops the sync, as anywhere else.
 */
async function refreshStreams(consent: Consent, answer: Promise<RecurringStreams>, cursor: string, deps: SyncDeps): Promise<RecurringStream[] | undefined> {
  try {
    const { inflows, outflows } = await answer;
    const streams = [...inflows, ...outflows];
    await deps.financial.saveRecurringStreams(consent, streams, { cursor });
    return streams;
  } catch (error) {
    if (error instanceof ConsentChanged) throw error;
    const retryable = isRetryable(error);
    // A refusal no retry cures (e.g. the product is not enabled for this client) is for an operator.
    const level = error instanceof BankError && retryable ? 'warn' : 'error';
    deps.log[level]('Recurring streams not refreshed; the previous ones are kept', {
      consentId: consent.consentId,
      error: (error as Error).name,
      retryable,
      detail: (error as Error).message,
    });
    return undefined;
  }
}

async function syncTransactions(
  consent: Consent,
  token: string,
  deps: SyncDeps,
  start: { cursor: string | undefined; page: Promise<SyncPage> },
): Promise<{ newTransactions: BankTransaction[]; initialSync: boolean; cursor: string; changed: boolean }> {
  const first = start.cursor;
  let prefetched: Promise<SyncPage> | undefined = start.page;
  // Whether any page added, modified or removed a transaction (pages applied again after a restart included).
  let changed = false;
  for (let restart = 0; ; restart++) {
    let cursor = first;
    const added = new Map<string, BankTransaction>();
    try {
      for (;;) {
        const page = await (prefetched ?? deps.bank.syncTransactions(token, cursor, deps.settings.pageSize));
        prefetched = undefined;
        // Nothing new and the same cursor back: there is nothing to write (the most common sync).
        const unchanged = cursor !== undefined && page.nextCursor === cursor && !page.added.length && !page.modified.length && !page.removed.length;
        // Only what was stored is new: a transaction past the retention window raises no alert.
        const kept = unchanged ? [] : (await deps.financial.applyTransactionsPage(consent, page)).added;
        changed ||= page.added.length + page.modified.length + page.removed.length > 0;
        for (const transaction of kept) added.set(transaction.transactionId, transaction);
        for (const removed of page.removed) added.delete(removed.transactionId);
        cursor = page.nextCursor;
        if (!page.hasMore) return { newTransactions: [...added.values()], initialSync: first === undefined, cursor, changed };
      }
    } catch (error) {
      // The bank's data changed while we paged: start again from where this sync began. Pages
      // applied meanwhile are applied again, which is harmless (writes by transaction id).
      if (!(error instanceof BankSyncMutated) || restart >= deps.settings.maxRestarts) throw error;
      deps.log.info('Transactions changed during pagination; restarting the sync', { consentId: consent.consentId, restart: restart + 1 });
    }
  }
}

/** The next sync, one interval ahead with ±10% jitter, so a day's syncs spread out evenly. */
export function nextSyncTime(now: Date, intervalHours: number, random: () => number): Date {
  const interval = intervalHours * 3_600_000;
  return new Date(now.getTime() + interval * (0.9 + 0.2 * random()));
}
