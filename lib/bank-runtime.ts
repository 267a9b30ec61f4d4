import { randomUUID } from 'node:crypto';
import type { BankConnector } from './banking/bank-connector';
import { createPlaidConnector } from './banking/plaid-connector';
import type { ConsentDeps } from './consent/flows';
import { createFinancialData, type FinancialData } from './financial';
import { logger } from './logger';
import { once, type Runtime } from './runtime';
import type { KeyProvider } from './security/envelope';
import { createKmsKeyProvider } from './security/kms-key-provider';
import { createLocalKeyProvider } from './security/local-key-provider';

/** The bank side of the wiring: only functions that call the bank or hold tokens import this. */
export interface BankRuntime {
  bank(): Promise<BankConnector>;
  keys(): Promise<KeyProvider>;
  financial(): Promise<FinancialData>;
  consentDeps(): Promise<ConsentDeps>;
}

export function createBankRuntime(runtime: Runtime): BankRuntime {
  const { config, secrets, store, clock } = runtime;
  const bank = once(async () =>
    createPlaidConnector({ baseUrl: config.PLAID_BASE_URL, clientId: await secrets('PLAID_CLIENT_ID'), secret: await secrets('PLAID_SECRET') }),
  );
  const keys = once(async () =>
    config.KEY_PROVIDER === 'kms'
      ? createKmsKeyProvider({ keyId: config.KMS_KEY_ID!, region: config.AWS_REGION })
      : createLocalKeyProvider(await secrets('LOCAL_MASTER_KEY')),
  );
  const financial = once(async () => createFinancialData({ db: store.db, table: store.table, keys: await keys(), clock }));
  const consentDeps = once(async () => ({
    store,
    financial: await financial(),
    bank: await bank(),
    settings: await runtime.consentSettings(),
    clock,
    newId: randomUUID,
    log: logger,
  }));
  return { bank, keys, financial, consentDeps };
}
