import { storedLanguage } from './assistant/language';
import { reconnectLink } from './consent/flows';
import { noticeTemplatesOf, type HeldNoticeDeps, type NoticeDeps } from './consent/notices';
import type { Log } from './logger';
import type { SendApi } from './messenger/send-api';
import type { Runtime } from './runtime';

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
