import { createSecretLoader, getConfig, type Config, type SecretLoader } from './config';
import type { ConsentSettings } from './consent/flows';
import { createFinancialReads, type FinancialReads } from './financial';
import { createSendApi, type SendApi } from './messenger/send-api';
import { createStoreFromConfig, type Store } from './store';
import { once } from './once';

/**
 * Production wiring, built once per container and on first use. Split in two so that a function
 * bundles only the adapters it touches: this part (store, secrets, Send API, consent-link settings)
 * is light; `bank-runtime.ts` adds the bank client, key provider and financial data, which only
 * the functions that call the bank import. Domain code receives all of these as plain arguments.
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
    financialReads: createFinancialReads({ db: store.db, table: store.table, clock }),
    messenger: once(async () =>
      createSendApi({ graphApiUrl: config.GRAPH_API_URL, pageAccessToken: await secrets('MESSENGER_PAGE_ACCESS_TOKEN') }),
    ),
    consentSettings: once(async () => ({
      publicBaseUrl: config.PUBLIC_BASE_URL,
      linkSecret: await secrets('CONSENT_LINK_SECRET'),
      recipient: config.BRAND_NAME,
      countryCodes: config.BANK_COUNTRY_CODES.split(','),
      ...(config.PUBLIC_BASE_URL ? { bankWebhookUrl: `${config.PUBLIC_BASE_URL}/bank/webhook` } : {}),
    })),
  };
}
