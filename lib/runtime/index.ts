import type { AssistantSettings } from '../assistant/compose';
import { createSecretLoader, getConfig, type Config, type SecretLoader } from '../config';
import type { ConsentSettings } from '../consent/flows';
import { logger, type Log } from '../logger';
import { createSendApi, type SendApi } from '../messenger/send-api';
import { createStoreFromConfig, type FinancialReads, type Store } from '../store';
import { once } from '../once';

/**
 * Production wiring, built once per container and on first use. Split in parts so that a function
 * bundles only the adapters it touches: this part (store, secrets, Send API, consent-link and
 * assistant settings) is light and every handler but the Messenger webhook uses it;
 * `bank.ts` adds the bank client, key provider and financial gate (the functions that call
 * the bank), `queue.ts` the sync queue, `notice.ts` the messages the product
 * starts (notices, alerts), and `sync.ts` / `assistant.ts` bind the sync flow's
 * and the conversation's ports. Domain code receives all of these as plain arguments.
 */
export interface Runtime {
  config: Config;
  secrets: SecretLoader;
  store: Store;
  clock: () => Date;
  messenger(): Promise<SendApi>;
  consentSettings(): Promise<ConsentSettings>;
  /** Read-only access to financial data, through the consent-checking gate. */
  financialReads: FinancialReads;
  /** How the assistant speaks, in its answers and in the alerts: languages, money, time zone, brand. */
  assistant: AssistantSettings;
  /** A logger whose lines carry the id of what is being handled (an event, a consent change, a sync). */
  logFor(correlationId: string): Log;
}

export { once };

export function createRuntime(config: Config = getConfig()): Runtime {
  const secrets = createSecretLoader(config);
  const store = createStoreFromConfig(config);
  const clock = () => new Date();
  return {
    config,
    secrets,
    store,
    clock,
    financialReads: store.financialReads,
    messenger: once(async () =>
      createSendApi({ graphApiUrl: config.GRAPH_API_URL, pageAccessToken: await secrets('MESSENGER_PAGE_ACCESS_TOKEN') }),
    ),
    consentSettings: once(async () => ({
      publicBaseUrl: config.PUBLIC_BASE_URL,
      linkSecret: await secrets('CONSENT_LINK_SECRET'),
      recipient: config.BRAND_NAME,
      ...(config.PRIVACY_CONTACT ? { privacyContact: config.PRIVACY_CONTACT } : {}),
      countryCodes: config.BANK_COUNTRY_CODES.split(','),
      ...(config.PUBLIC_BASE_URL ? { bankWebhookUrl: `${config.PUBLIC_BASE_URL}/bank/webhook` } : {}),
    })),
    assistant: {
      locales: { en: config.ASSISTANT_LOCALE_EN, es: config.ASSISTANT_LOCALE_ES },
      timeZone: config.ASSISTANT_TIME_ZONE,
      defaultLanguage: config.ASSISTANT_LANGUAGE,
      freshnessMinutes: config.DATA_FRESHNESS_MINUTES,
      currency: config.ASSISTANT_CURRENCY,
      // The first country the bank link offers is the person's home, for foreign-transaction alerts.
      homeCountry: config.BANK_COUNTRY_CODES.split(',')[0]!,
      brand: config.BRAND_NAME,
      fraudPhone: config.BANK_FRAUD_PHONE,
    },
    logFor: (correlationId) => logger.createChild({ persistentKeys: { correlationId } }),
  };
}
