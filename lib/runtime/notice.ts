import type { RaiseDeps } from '../alerts/deliver';
import { storedLanguage } from '../assistant/language';
import { reconnectLink } from '../consent/flows';
import { createPresenter, type Presenter } from '../consent/private-answers';
import { noticeTemplatesOf, sendNotice, type AccountNotice, type HeldNoticeDeps, type NoticeDeps } from '../consent/notices';
import type { Log } from '../logger';
import { deliverOnce, type DeliveryOutcome } from '../messenger/deliver';
import { notifyOnce, type NoticeOutcome } from '../messenger/notify';
import type { OutboundMessage, SendApi, UtilityMessage } from '../messenger/send-api';
import type { Runtime } from './index';

/**
 * The ports of the product's own notices (consent reminders, what was deleted, the bank's
 * warnings), bound to a function's runtime: sending them within Messenger's window rules, and
 * delivering the held ones with the person's next message.
 */
export function noticeDeps(runtime: Runtime, messenger: Pick<SendApi, 'send'>, log: Log): NoticeDeps & HeldNoticeDeps {
  const { store, clock, config } = runtime;
  return {
    store,
    messenger,
    language: async (psid) => storedLanguage(await store.getConversation(psid)) ?? config.ASSISTANT_LANGUAGE,
    // The link is made when the notice is composed: a held one gets a link valid from its delivery.
    reconnectLink: async (consent) => reconnectLink(consent.psid, consent.consentId, { settings: await runtime.consentSettings(), clock }),
    syncedAt: runtime.financialReads.syncedAt,
    templates: noticeTemplatesOf(config),
    clock,
    log,
  };
}

/** The messages the product starts, bound to one logger (one event, consent change or sync). */
export interface Notifier {
  /** A message sent at most once per key, as an update: a closed 24-hour window makes it undeliverable. */
  once(psid: string, key: string, messages: OutboundMessage[]): Promise<DeliveryOutcome>;
  /** A notice, composed when it is sent: now, as a utility message, or from the hold. */
  notice(psid: string, key: string, notice: AccountNotice, compose?: () => Promise<OutboundMessage[]>): Promise<NoticeOutcome>;
  /** These messages, as a notice when they describe themselves as one, else once. */
  send(psid: string, key: string, messages: OutboundMessage[], notice?: AccountNotice): Promise<DeliveryOutcome | NoticeOutcome>;
  /** A Page-owned utility message (a template), at most once per key. */
  utility(psid: string, key: string, message: UtilityMessage): Promise<DeliveryOutcome>;
  /** The language the person speaks with the assistant; the deployment's when not known. */
  language: NoticeDeps['language'];
  /** The notices' own ports, for the held ones. */
  notices: NoticeDeps & HeldNoticeDeps;
}

export function notifier(runtime: Runtime, messenger: Pick<SendApi, 'send'>, log: Log): Notifier {
  const notices = noticeDeps(runtime, messenger, log);
  const ledger = { store: runtime.store, messenger, log };
  const once: Notifier['once'] = (psid, key, messages) => notifyOnce(psid, key, messages, ledger);
  const notice: Notifier['notice'] = (psid, key, description, compose) => sendNotice(psid, key, description, notices, compose);
  return {
    once,
    notice,
    send: (psid, key, messages, description) => (description ? notice(psid, key, description, async () => messages) : once(psid, key, messages)),
    utility: (psid, key, message) => deliverOnce({ psid, key, messagingType: 'UTILITY', compose: async () => [message] }, ledger),
    language: notices.language,
    notices,
  };
}

/**
 * What raising an alert needs beside the financial gate: the person's window and language (read
 * only for an alert about to be sent), the deployment's languages and utility templates, and the
 * ways to send it, bound to one logger.
 */
export function alertDeps(runtime: Runtime, notify: Notifier): Omit<RaiseDeps, 'financial' | 'log' | 'count'> {
  const { store, config, clock } = runtime;
  const template = (name: string | undefined) => (name ? { name, language: config.ALERT_UTILITY_TEMPLATE_LANGUAGE } : undefined);
  const { defaultLanguage, locales, timeZone } = runtime.assistant;
  return {
    profile: store.getProfile,
    // The conversation is read only for an alert being sent: most syncs raise none.
    language: async (psid) => storedLanguage(await store.getConversation(psid)),
    languages: { default: defaultLanguage, locales, timeZone },
    templates: { fraud: template(config.ALERT_UTILITY_TEMPLATE_FRAUD), notice: template(config.ALERT_UTILITY_TEMPLATE_NOTICE) },
    notify: notify.once,
    notifyUtility: notify.utility,
    presenter: presenterOf(runtime),
    clock,
  };
}

/** Private mode's presenter, bound to a function's runtime (the store, the link secret). */
export function presenterOf(runtime: Runtime): Presenter {
  return createPresenter({ store: runtime.store, answers: runtime.financialReads, settings: runtime.consentSettings, clock: runtime.clock });
}
