import { answerAlert, latestOpenAlert } from '../alerts/answer-alert';
import type { InboxEventDeps } from '../assistant/answer-inbox-event';
import type { ComposeDeps } from '../assistant/compose';
import { holdingsOf } from '../consent/export';
import { confirmAccountLink, consentLink, reconnectLink, renewOwnConsent, type ConsentSettings } from '../consent/flows';
import { revokeOwnConsent } from '../consent/revocation';
import { deliverHeldNotices, readHeldNotices } from '../consent/notices';
import type { Log } from '../logger';
import { countMetric } from '../metrics';
import type { SendApi } from '../messenger/send-api';
import { notifier, presenterOf } from './notice';
import { presentHeld } from '../alerts/deliver';
import { storedLanguage } from '../assistant/language';
import { spendingPictureRequests } from './picture-requests';
import { syncQueueOf } from './queue';
import { once, type Runtime } from './index';
import type { HeldNoticeRecord } from '../store/held-notices';

/**
 * The conversation's wiring: the assistant's ports bound to this container's adapters, built on
 * the first batch; then, per inbox event, bound to that event's logger.
 */
export function conversationDeps(runtime: Runtime): () => Promise<(log: Log) => InboxEventDeps<HeldNoticeRecord[]>> {
  const { store, clock, config } = runtime;
  // Without a sync queue (a deployment that has none) the assistant answers from what it holds.
  const queue = syncQueueOf(runtime, { optional: true });
  const requestSpendingPicture = spendingPictureRequests(runtime);
  const inbox = store.alertInbox;
  const presenter = presenterOf(runtime);
  const language = async (psid: string) => storedLanguage(await store.getConversation(psid)) ?? runtime.assistant.defaultLanguage;
  const assistant = (messenger: SendApi, settings: ConsentSettings, log: Log): ComposeDeps => ({
    listConsents: store.listConsents,
    revoke: (psid, consentId) => revokeOwnConsent(psid, consentId, 'person', { store, clock, log }),
    renew: (psid, consentId) => renewOwnConsent(psid, consentId, { store, clock, log, settings }),
    holdings: (psid) => holdingsOf(psid, { store, financial: runtime.financialReads, clock }),
    confirmAccountLink: (psid, code) => confirmAccountLink(psid, code, { store, clock, settings }),
    answerAlert: (psid, alertId, answer) => answerAlert(psid, alertId, answer, inbox),
    latestOpenAlert: (psid) => latestOpenAlert(psid, inbox),
    bankFraudSteps: { cardLockUrl: config.BANK_CARD_LOCK_URL, fraudPhone: config.BANK_FRAUD_PHONE },
    link: (psid, purpose) => consentLink(psid, purpose, { settings, clock }),
    reconnectLink: (psid, consentId) => reconnectLink(psid, consentId, { settings, clock }),
    clock,
    financial: runtime.financialReads,
    conversation: { get: store.getConversation, put: store.putConversation },
    alertSettings: { get: store.getAlertSettings, put: store.putAlertSettings },
    ...(queue ? { requestRefresh: (psid: string, itemId: string) => queue.request({ psid, itemId, reason: 'stale' }) } : {}),
    ...(requestSpendingPicture ? { requestSpendingPicture } : {}),
    // Metadata for the Page inbox that takes the thread, not a message to the person.
    handover: (psid) => messenger.passThreadControl(psid, config.HANDOVER_TARGET_APP_ID, 'The person asked for a person'),
    typing: async (psid) => void (await messenger.senderAction(psid, 'typing_on')),
    presenter,
    setPresentation: store.putPresentation,
    settings: runtime.assistant,
  });
  return once(async () => {
    const [messenger, settings] = await Promise.all([runtime.messenger(), runtime.consentSettings()]);
    return (log) => {
      const { notices, once: notifyOnce } = notifier(runtime, messenger, log);
      return {
        store,
        messenger,
        log,
        assistant: assistant(messenger, settings, log),
        heldAlerts: { inbox, notify: notifyOnce, present: (psid, message, alertId) => presentHeld(psid, message, alertId, { presenter, language }) },
        heldNotices: { read: (psid) => readHeldNotices(psid, notices), deliver: (psid, held) => deliverHeldNotices(psid, notices, held) },
        count: countMetric,
      };
    };
  });
}
