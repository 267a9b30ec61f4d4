import type { ComposeDeps } from '../../../lib/assistant/compose';
import type { BankTransaction } from '../../../lib/banking/bank-connector';
import type { Consent } from '../../../lib/consent/model/consent';
import type { Presentation } from '../../../lib/consent/model/presentation';
import { createPresenter, type PrivateContent } from '../../../lib/consent/private-answers';
import type { InboundEvent } from '../../../lib/messenger/events';
import type { StoredAccount } from '../../../lib/store';

/**
 * One linked person with a checking account and three payments, and the assistant's ports in
 * memory around them, with a real presenter over an in-memory store of choices and kept answers:
 * the world of the tests on private mode, the spending picture and the choice of mode.
 */
export const PSID = '6543210987654321';
export const NOW = new Date('2026-03-10T12:00:00.000Z');

export const consent: Consent = {
  consentId: 'c-1',
  psid: PSID,
  status: 'active',
  scopes: ['balances', 'transactions'],
  durationDays: 90,
  disclosureVersion: '2026-11-21.1',
  disclosureHash: 'h',
  version: 2,
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  itemId: 'item-1',
  institution: { id: 'ins_1', name: 'First Platypus Bank' },
  authorizedAt: '2026-03-01T10:00:00.000Z',
  expiresAt: '2026-05-30T10:00:00.000Z',
};
export const checking: StoredAccount = {
  accountId: 'acc-1',
  name: 'Everyday Checking',
  mask: '0000',
  type: 'depository',
  subtype: 'checking',
  balances: { available: 2450.31, current: 2450.31, limit: null, currency: 'USD' },
  itemId: 'item-1',
  balancesAsOf: NOW.toISOString(),
};
export const spent = (transactionId: string, date: string, amount: number, merchantName: string, detailed: string): BankTransaction => ({
  transactionId,
  accountId: 'acc-1',
  amount,
  currency: 'USD',
  date,
  name: merchantName.toUpperCase(),
  merchantName,
  category: { primary: detailed.split('_').slice(0, -1).join('_'), detailed },
  pending: false,
});
export const TRANSACTIONS = [
  spent('t-1', '2026-03-05', 84.12, 'Whole Foods Market', 'FOOD_AND_DRINK_GROCERIES'),
  spent('t-2', '2026-03-02', 15.49, 'Netflix', 'ENTERTAINMENT_TV_AND_MOVIES'),
  spent('t-3', '2026-02-14', 129.99, 'Amazon', 'GENERAL_MERCHANDISE_ONLINE_MARKETPLACES'),
];

export const text = (words: string): InboundEvent & { psid: string } => ({
  pageId: '106123456789012',
  psid: PSID,
  timestamp: NOW.getTime(),
  channel: 'messaging',
  id: `m_${words.length}`,
  kind: 'message',
  message: { mid: `m_${words.length}`, text: words },
});

/** A real presenter over an in-memory store of choices: each answer it keeps is handed to `keep`. */
export function memoryPresenter(mode: Presentation | undefined, now: Date, keep: (answerId: string, content: PrivateContent) => void) {
  return createPresenter({
    store: { getPresentation: async () => mode },
    answers: { keepPrivateAnswer: async (_psid, answer) => keep(answer.answerId, answer.content as unknown as PrivateContent) },
    settings: async () => ({ publicBaseUrl: 'https://assistant.test', linkSecret: 'compose-secret' }),
    clock: () => now,
  });
}

/** The assistant's ports in memory for people with `consents` and no figures; `over` replaces the ports a test gives data or watches. */
export function memoryDeps(consents: Consent[], now: Date, over: Partial<ComposeDeps> = {}): ComposeDeps {
  const conversations = new Map<string, Record<string, unknown>>();
  return {
    listConsents: async () => consents,
    revoke: async () => consents[0]!,
    renew: async () => ({ kind: 'renewed', consent: consents[0]! }),
    holdings: async () => ({ consents, inForce: [], auditEntries: 0 }),
    confirmAccountLink: async () => 'confirmed',
    answerAlert: async () => 'recorded',
    latestOpenAlert: async () => undefined,
    bankFraudSteps: {},
    link: (psid, purpose) => `https://assistant.test/${purpose}?t=token-for-${psid}`,
    reconnectLink: (psid) => `https://assistant.test/link/reconnect?t=token-for-${psid}`,
    clock: () => now,
    financial: { balances: async () => [], transactions: async () => [], accountNames: async () => [], syncedAt: async () => now.toISOString(), recurringStreams: async () => ({ streams: [] }) },
    conversation: {
      get: async (psid) => ({ greeted: true, ...conversations.get(psid) }),
      put: async (psid, state) => void conversations.set(psid, state),
    },
    alertSettings: { get: async () => undefined, put: async () => undefined },
    handover: async () => undefined,
    typing: async () => undefined,
    settings: { locales: { en: 'en-US', es: 'es-US' }, timeZone: 'UTC', defaultLanguage: 'en', freshnessMinutes: 60, currency: 'USD', homeCountry: 'US', brand: 'Demo Bank' },
    ...over,
  };
}

/** The linked person's world, with a real presenter over an in-memory store of choices and kept answers. */
export function world(mode: Presentation | undefined, options: { presenter?: boolean } = {}) {
  const kept = new Map<string, PrivateContent>();
  const presenter = memoryPresenter(mode, NOW, (answerId, content) => void kept.set(answerId, content));
  const deps = memoryDeps([consent], NOW, {
    financial: {
      balances: async () => [checking],
      transactions: async () => TRANSACTIONS,
      accountNames: async () => [{ accountId: 'acc-1', name: 'Everyday Checking', mask: '0000', type: 'depository', subtype: 'checking' }],
      syncedAt: async () => NOW.toISOString(),
      recurringStreams: async () => ({ streams: [] }),
    },
    ...(options.presenter === false ? {} : { presenter }),
  });
  return { deps, kept };
}
