import type { BankRuntime } from './bank';
import { createWebhookVerifier } from '../banking/webhook-verification';
import { reconnectLink } from '../consent/flows';
import { logger } from '../logger';
import { countMetric } from '../metrics';
import { alertDeps, notifier } from './notice';
import { syncQueueOf } from './queue';
import { once, type Runtime } from './index';
import { bankEvents } from '../sync/bank-events';
import type { ReceiveDeps } from '../sync/bank-webhook';
import type { SyncMessageDeps } from '../sync/handle-sync-message';

/**
 * The sync flow's wiring, for the two functions that start it: the sync worker (one queue message
 * per connection) and the bank's webhook (what the bank says about a connection).
 */

/** The sync worker's ports: checked at init (the queue's URL), built on its first batch. */
export function syncMessageDeps(runtime: Runtime, bankRuntime: BankRuntime): () => Promise<SyncMessageDeps> {
  const { store, clock, config, logFor } = runtime;
  const queue = syncQueueOf(runtime);
  return once(async () => {
    const [financial, bank, messenger] = await Promise.all([bankRuntime.financial(), bankRuntime.bank(), runtime.messenger()]);
    return {
      store,
      financial,
      bank,
      queue,
      reach: (log) => {
        const notify = notifier(runtime, messenger, log);
        return { events: bankEvents({ notices: notify.notices, consents: { store, clock, log } }), alerts: alertDeps(runtime, notify) };
      },
      homeCountry: runtime.assistant.homeCountry,
      settings: { intervalHours: config.SYNC_INTERVAL_HOURS, leaseSeconds: 600, pageSize: 30, maxRestarts: 3 },
      clock,
      random: Math.random,
      log: logger,
      logFor,
      count: countMetric,
    };
  });
}

/** The bank webhook's ports: the verifier now; what an effect needs only for a delivery that has one. */
export function bankWebhookDeps(runtime: Runtime, bankRuntime: BankRuntime): ReceiveDeps {
  const { store, clock } = runtime;
  const queue = syncQueueOf(runtime);
  // Keys are cached per container and, across containers, in the table: a cold container reads them
  // there, and only a key no container has fetched yet loads the bank SDK and calls the bank.
  const verifier = createWebhookVerifier({
    fetchKey: async (kid) => (await bankRuntime.bank()).getWebhookVerificationKey(kid),
    sharedKeys: { list: store.listWebhookKeys, put: store.putWebhookKey, remove: store.deleteCurrentWebhookKeys },
    clock,
    log: logger,
  });
  return {
    verifier,
    recordDelivery: store.recordWebhookDelivery,
    effects: async () => {
      const [messenger, settings] = await Promise.all([runtime.messenger(), runtime.consentSettings()]);
      const notify = notifier(runtime, messenger, logger);
      return {
        findBankItem: store.findBankItem,
        getConsent: store.getConsent,
        requestSync: queue.request,
        unscheduleSync: store.unscheduleSync,
        events: bankEvents({ notices: notify.notices, consents: { store, clock, log: logger } }),
        notify: (psid, key, messages, notice) => notify.notice(psid, key, notice, async () => messages),
        reconnectLink: (consent) => reconnectLink(consent.psid, consent.consentId, { settings, clock }),
        language: notify.language,
        clock,
        log: logger,
      };
    },
    log: logger,
  };
}
