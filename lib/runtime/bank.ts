import { randomUUID } from 'node:crypto';
import type { BankConnector } from '../banking/bank-connector';
import { createPlaidConnector } from '../banking/plaid-connector';
import type { ConsentDeps } from '../consent/flows';
import type { ConsentPageDeps } from '../consent/page-deps';
import { logger } from '../logger';
import { once, type Runtime } from './index';
import type { KeyProvider } from '../security/envelope';
import { createKmsKeyProvider } from '../security/kms-key-provider';
import { createLocalKeyProvider } from '../security/local-key-provider';
import type { FinancialGate } from '../store';

/** The bank side of the wiring: only functions that call the bank or hold tokens import this. */
export interface BankRuntime {
  bank(): Promise<BankConnector>;
  keys(): Promise<KeyProvider>;
  financial(): Promise<FinancialGate>;
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
  const financial = once(async () => store.financialGate(await keys()));
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

/** The consent pages' ports: the bank side loads only for the pages that call the bank. */
export function consentPageDeps(runtime: Runtime, bankRuntime: BankRuntime): ConsentPageDeps {
  const { config, store, clock } = runtime;
  return {
    store,
    settings: runtime.consentSettings,
    linking: bankRuntime.consentDeps,
    financial: bankRuntime.financial,
    reads: runtime.financialReads,
    answers: runtime.financialReads,
    inbox: store.alertInbox,
    bankFraudSteps: { cardLockUrl: config.BANK_CARD_LOCK_URL, fraudPhone: config.BANK_FRAUD_PHONE },
    messenger: runtime.messenger,
    bankLinkOrigin: new URL(config.PLAID_BASE_URL).origin,
    exportFormat: { locales: { en: config.ASSISTANT_LOCALE_EN, es: config.ASSISTANT_LOCALE_ES }, timeZone: config.ASSISTANT_TIME_ZONE },
    clock,
    log: logger,
  };
}
