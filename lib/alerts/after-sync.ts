import type { BankAccount, BankTransaction, RecurringStream } from '../banking/bank-connector';
import type { Consent } from '../consent/model/consent';
import type { Log } from '../logger';
import type { FinancialGate } from '../store';
import { raiseAlert, type RaiseDeps } from './deliver';
import { evaluateCharges, evaluateStreams } from './insights';
import { evaluateBalances, evaluateTransactions, type AlertSettings } from './rules';

/** What a sync brought, as the rules read it (a sync's result, lib/sync, is one). */
export interface SyncedData {
  consent: Consent;
  newTransactions: BankTransaction[];
  accounts: BankAccount[];
  /** The connection's first sync: its whole history arrived as "new". */
  initialSync: boolean;
  /**
   * The recurring streams, when this sync refreshed them. The money insights about streams run on
   * these only: unrefreshed streams have not changed since they were last judged, so a quiet sync
   * reads nothing more (and a bill due soon is judged at each refresh, at least every 20 hours).
   */
  streams?: RecurringStream[];
}

/**
 * After a sync, under the `alerts` scope: run the rules on what is new against the stored history
 * and raise what they find. A first sync brings the whole history as "new": it raises no fraud
 * alerts about the past.
 */
export async function alertsAfterSync(
  result: SyncedData,
  deps: RaiseDeps & { financial: Pick<FinancialGate, 'alertHistory'>; settings(psid: string): Promise<AlertSettings>; log: Log },
): Promise<{ raised: number }> {
  const { consent } = result;
  if (!consent.scopes.includes('alerts')) return { raised: 0 };
  const now = deps.clock();
  const newIds = new Set(result.newTransactions.map((t) => t.transactionId));
  // The history is the largest read of a sync (90 days of transactions). The rules need it only
  // to judge new transactions after a first sync (a first sync raises no fraud alerts and judges
  // large ones by themselves), so most syncs, which bring nothing new, skip it.
  const needsHistory = consent.scopes.includes('transactions') && result.newTransactions.length > 0 && !result.initialSync;
  const [settings, stored] = await Promise.all([deps.settings(consent.psid), needsHistory ? deps.financial.alertHistory(consent) : []]);
  const history = stored.filter((t) => !newIds.has(t.transactionId));
  const charges = { newTransactions: result.newTransactions, history, settings, now, initialSync: result.initialSync, accounts: result.accounts };
  const alerts = [
    ...evaluateTransactions(charges),
    ...evaluateBalances({ accounts: result.accounts, settings, now }),
    ...evaluateCharges(charges),
    // The recurring streams this sync refreshed: a price rise, a new subscription, a bill due with too little to pay it.
    ...(result.streams && consent.scopes.includes('transactions') ? evaluateStreams({ streams: result.streams, accounts: result.accounts, settings, now }) : []),
  ];
  // One message per transaction (or account, for balances), however many rules it tripped; one per insight.
  const groups = new Map<string, typeof alerts>();
  for (const alert of alerts) {
    const subject = alert.kind === 'insight' ? alert.dedupeKey : alert.transactionId ? `txn:${alert.dedupeKey.split(':')[1]}` : `account:${alert.accountId}`;
    groups.set(subject, [...(groups.get(subject) ?? []), alert]);
  }
  let raised = 0;
  for (const group of groups.values()) if ((await raiseAlert(consent, group, deps)) !== 'duplicate') raised++;
  return { raised };
}
