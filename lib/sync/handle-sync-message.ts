import type { SQSRecord } from 'aws-lambda';
import { alertsAfterSync } from '../alerts/after-sync';
import type { RaiseDeps } from '../alerts/deliver';
import { alertSettingsOf } from '../alerts/settings';
import { isRetryable } from '../errors';
import type { Log } from '../logger';
import type { CountMetric } from '../metrics';
import { once } from '../once';
import type { MessageOutcome } from '../queue/sqs-batch';
import { syncRequestSchema, type SyncQueue } from '../queue/sync-queue';
import type { Store } from '../store';
import type { BankEvents } from './bank-events';
import { refreshNotice } from './refresh-notice';
import { syncConnection, type SyncDeps, type SyncSettings } from './sync-connection';

/**
 * One message of the sync queue, handled whole: the connection's sync, then what follows from it —
 * the alerts on what is new, the refresh notice for whoever waits for the data, and what the bank
 * says instead of data (log in again, access revoked). The worker only hands messages over.
 */
export interface SyncMessageDeps {
  store: Pick<Store, 'listConsentsWithAlertSettings' | 'syncSchedule' | 'putInternalEvent'>;
  financial: SyncDeps['financial'] & Parameters<typeof alertsAfterSync>[1]['financial'];
  bank: SyncDeps['bank'];
  queue: Pick<SyncQueue, 'delay'>;
  /**
   * The ways to reach the person, bound to one message's logger: the bank's events, and what an
   * alert needs (the person's window and language, the deployment's languages and templates).
   */
  reach(log: Log): { events: BankEvents; alerts: Omit<RaiseDeps, 'financial' | 'log' | 'count'> };
  /** The country foreign-transaction alerts compare with, unless the person chose theirs. */
  homeCountry: string;
  settings: SyncSettings;
  clock: () => Date;
  random: () => number;
  log: Log;
  /** A logger whose lines carry this correlation id. */
  logFor(correlationId: string): Log;
  count: CountMetric;
}

export type SyncMessage = Pick<SQSRecord, 'messageId' | 'body' | 'receiptHandle'> & { attributes: Partial<SQSRecord['attributes']> };

/** Retry later, longer each time (30 s, 1, 2, 4… minutes, at most 15), with jitter. */
export const backoffSeconds = (receiveCount: number, random = Math.random) => Math.min(900, 30 * 2 ** Math.max(0, receiveCount - 1)) * (0.5 + random() / 2);

/**
 * `keep`: the message comes back — after the delay set here (a sync in flight it must follow, a
 * transient failure backed off), or at once for a failure retrying cannot cure, until the queue
 * moves it to its dead-letter queue.
 */
export async function handleSyncMessage(message: SyncMessage, deps: SyncMessageDeps): Promise<MessageOutcome> {
  const parsed = syncRequestSchema.safeParse(safeJson(message.body));
  if (!parsed.success) {
    // Cannot succeed on retry, but must not vanish: it fails until the queue moves it to the DLQ.
    deps.log.error('Invalid sync message', { messageId: message.messageId });
    deps.count('SyncsFailed');
    return 'keep';
  }
  const request = { ...parsed.data, ...sentAt(message) };
  const log = deps.logFor(`${request.itemId}:${request.dueAt ?? request.reason}`);
  const { events, alerts } = deps.reach(log);
  // The consents and the person's alert settings come in one read before the bank: the sync
  // needs the consents, its alerts (after the bank) the settings.
  const read = once(() => deps.store.listConsentsWithAlertSettings(request.psid));
  const alertSettings = once(async () => alertSettingsOf((await read()).alertSettings, deps.homeCountry));
  let kept = false;
  try {
    const outcome = await syncConnection(request, {
      listConsents: async () => (await read()).consents,
      schedule: deps.store.syncSchedule(),
      financial: deps.financial,
      bank: deps.bank,
      onLoginRequired: (consent) => events.loginRequired(consent),
      onAccessRevoked: (consent) => events.accessRevoked(consent),
      onSynced: async (result) => {
        await alertsAfterSync(result, { ...alerts, financial: deps.financial, settings: alertSettings, clock: deps.clock, log, count: deps.count });
      },
      dataRefreshed: async (key, syncedAt) => void (await deps.store.putInternalEvent(refreshNotice(key.psid, key.itemId, syncedAt))),
      retryLater: async (seconds) => {
        await deps.queue.delay(message.receiptHandle, seconds).catch(() => undefined);
        kept = true;
      },
      settings: deps.settings,
      clock: deps.clock,
      random: deps.random,
      log,
    });
    log.info('Sync done', { outcome, reason: request.reason });
    if (outcome === 'synced') deps.count('SyncsSucceeded');
    return kept ? 'keep' : 'done';
  } catch (error) {
    const receiveCount = Number(message.attributes.ApproximateReceiveCount ?? 1);
    log.error('Sync failed', { error: (error as Error).name, retryable: isRetryable(error), receiveCount, detail: (error as Error).message });
    deps.count('SyncsFailed');
    if (isRetryable(error)) await deps.queue.delay(message.receiptHandle, backoffSeconds(receiveCount, deps.random)).catch(() => undefined);
    return 'keep';
  }
}

/** When the request was sent (SQS's own stamp), if the message says. */
function sentAt(message: SyncMessage): { requestedAt?: Date } {
  const at = Number(message.attributes.SentTimestamp);
  return Number.isFinite(at) && at > 0 ? { requestedAt: new Date(at) } : {};
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
