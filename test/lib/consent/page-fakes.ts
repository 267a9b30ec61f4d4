import type { BankConnector } from '../../../lib/banking/bank-connector';
import { activateConsent, requestConsent, type AuditEntry, type Consent, type DisclosureRef, type Transition } from '../../../lib/consent/model/consent';
import type { ConsentDeps, ConsentSettings } from '../../../lib/consent/flows';
import { issueLinkToken, type LinkPurpose } from '../../../lib/consent/link-token';
import type { ConsentPageDeps } from '../../../lib/consent/page-deps';
import { LinkRefused } from '../../../lib/errors';
import type { PageRequest } from '../../../lib/http/page';
import type { Log } from '../../../lib/logger';
import type { TransactItem } from '../../../lib/store';

/** The consent pages' ports in memory: consents, used links, the audit, a bank that links at once. */
export const NOW = new Date('2026-11-21T10:00:00.000Z');
export const PSID = 'p-1';
export const SECRET = 'test-link-secret';
export const BANK_LINK = 'https://hosted.bank.test/link/abc';
const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Log;

/** An active consent; by default given under a disclosure older than the one in force. */
export const activeConsent = (consentId = 'c-1', psid = PSID, disclosure: DisclosureRef = { version: 'v', hash: 'h' }): Consent =>
  activateConsent(
    requestConsent({ consentId, psid, scopes: ['balances', 'transactions'], durationDays: 90, disclosure, bankLinkToken: 'l', now: NOW }).consent,
    { itemId: 'item-1', institution: { id: 'ins_1', name: 'First Platypus Bank' }, now: NOW },
  ).consent;

type FinancialFake = Awaited<ReturnType<ConsentPageDeps['financial']>>;

/** `bank` and `financial` replace single calls of the defaults (a failing bank, a recording one). */
export function consentWorld(
  options: { consents?: Consent[]; accountLinkHolder?: string; bank?: Partial<ConsentDeps['bank']>; financial?: Partial<FinancialFake> } = {},
) {
  const consents = new Map((options.consents ?? []).map((c) => [c.consentId, c]));
  const usedNonces = new Set<string>();
  const presentations = new Map<string, string>();
  const audit: AuditEntry[] = [];
  /** Every committed transition, with the items written in the same transaction. */
  const committed: { transition: Transition; items: TransactItem[] }[] = [];
  const rescheduled: string[] = [];
  const bankCalls: string[] = [];
  const settings: ConsentSettings = { publicBaseUrl: 'https://assistant.test', linkSecret: SECRET, recipient: 'Demo Bank', countryCodes: ['US'] };
  const store: ConsentPageDeps['store'] = {
    async commitConsentTransition(transition: Transition, items?: TransactItem[]) {
      committed.push({ transition, items: items ?? [] });
      consents.set(transition.consent.consentId, transition.consent);
    },
    getConsent: async (psid, consentId) => {
      const consent = consents.get(consentId);
      return consent?.psid === psid ? consent : undefined;
    },
    listConsents: async (psid) => [...consents.values()].filter((c) => c.psid === psid),
    async consumeLinkNonce(nonce) {
      if (usedNonces.has(nonce)) throw new LinkRefused('This link was already used. Ask in the chat for a new one.');
      usedNonces.add(nonce);
    },
    isLinkNonceUsed: async (nonce) => usedNonces.has(nonce),
    appendAudit: async (entry) => void audit.push(entry),
    putPresentation: async (psid, presentation) => void presentations.set(psid, presentation),
    scheduleNextSync: async (key) => void rescheduled.push(key.itemId),
    listAudit: async (psid) => audit.filter((a) => a.psid === psid),
    listPersonRecords: async () => ({ messagesReceived: [], replies: [], heldNotices: [], profile: undefined, conversation: { lang: 'es' }, alertSettings: undefined, preferences: undefined, purges: [] }),
  };
  const bank = {
    createLinkToken: async () => {
      bankCalls.push('createLinkToken');
      return { linkToken: 'link-token-1', expiration: NOW, hostedLinkUrl: BANK_LINK };
    },
    getLinkSession: async () => ({ status: 'completed', publicTokens: ['public-1'] }),
    exchangePublicToken: async () => ({ accessToken: 'access-1', itemId: 'item-1' }),
    getItem: async () => ({ itemId: 'item-1', institution: { id: 'ins_1', name: 'First Platypus Bank' } }),
    getAccounts: async () => {
      bankCalls.push('getAccounts');
      return [];
    },
    removeItem: async () => undefined,
    ...options.bank,
  } as unknown as ConsentDeps['bank'] & Pick<BankConnector, 'getAccounts'>;
  const financial = {
    activationItems: async () => [],
    accessToken: async () => 'access-1',
    accountNames: async () => [{ name: 'Plaid Checking', mask: '0000' }],
    ...options.financial,
  } as unknown as FinancialFake;
  let loadedBank = 0;
  const deps: ConsentPageDeps = {
    store,
    settings: async () => settings,
    linking: async () => {
      loadedBank++;
      return { store, financial, bank, settings, clock: () => NOW, newId: () => 'c-new', log };
    },
    financial: async () => financial,
    reads: { exportData: async () => ({ connection: null, accounts: [], transactions: [], recurringStreams: [], alerts: [], heldAlerts: [] }) } as unknown as ConsentPageDeps['reads'],
    answers: { takePrivateAnswer: async () => undefined },
    inbox: { find: async () => undefined, answer: async () => true },
    bankFraudSteps: {},
    messenger: async () => ({ accountLinkingPsid: async () => options.accountLinkHolder ?? PSID }),
    bankLinkOrigin: 'https://sandbox.plaid.com',
    exportFormat: { locales: { en: 'en-US', es: 'es-ES' }, timeZone: 'UTC' },
    clock: () => NOW,
    log,
  };
  return { deps, consents, audit, committed, usedNonces, rescheduled, bankCalls, presentations, loadedBank: () => loadedBank };
}

/** A token as the chat's links carry them. */
export const linkToken = (purpose: LinkPurpose, options: { psid?: string; consentId?: string } = {}) =>
  issueLinkToken({ purpose, psid: options.psid ?? PSID, ...(options.consentId ? { consentId: options.consentId } : {}), ttlSeconds: 600, now: NOW }, SECRET).token;

/** A request as the pages read it: a query, a posted form. */
export function request(input: { query?: Record<string, string>; form?: Record<string, string | string[]>; acceptLanguage?: string } = {}): PageRequest {
  return {
    query: (name) => input.query?.[name],
    form: () => {
      const form = new URLSearchParams();
      for (const [name, value] of Object.entries(input.form ?? {})) for (const v of [value].flat()) form.append(name, v);
      return form;
    },
    acceptLanguage: input.acceptLanguage,
  };
}
