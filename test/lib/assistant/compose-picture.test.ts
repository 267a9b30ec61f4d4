import { describe, expect, it } from 'vitest';
import { composeReply, type ComposeDeps } from '../../../lib/assistant/compose';
import type { BankTransaction } from '../../../lib/banking/bank-connector';
import type { Consent } from '../../../lib/consent/model/consent';
import type { Presentation } from '../../../lib/consent/model/presentation';
import { createPresenter, type PrivateContent } from '../../../lib/consent/private-answers';
import type { InboundEvent } from '../../../lib/messenger/events';
import type { StoredAccount } from '../../../lib/store';

/**
 * "Show my spending": the whole picture by category goes to the picture worker (a chart and its
 * summary), asked once per message; a question in words, about one category, in private mode, or
 * with no picture queue, is answered in words as before.
 */
const PSID = '6543210987654321';
const NOW = new Date('2026-03-10T12:00:00.000Z');

const consent: Consent = {
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
const checking: StoredAccount = {
  accountId: 'acc-1',
  name: 'Everyday Checking',
  mask: '0000',
  type: 'depository',
  subtype: 'checking',
  balances: { available: 2450.31, current: 2450.31, limit: null, currency: 'USD' },
  itemId: 'item-1',
  balancesAsOf: NOW.toISOString(),
};
const spent = (transactionId: string, date: string, amount: number, merchantName: string, detailed: string): BankTransaction => ({
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
const TRANSACTIONS = [
  spent('t-1', '2026-03-05', 84.12, 'Whole Foods Market', 'FOOD_AND_DRINK_GROCERIES'),
  spent('t-2', '2026-03-02', 15.49, 'Netflix', 'ENTERTAINMENT_TV_AND_MOVIES'),
  spent('t-3', '2026-02-14', 129.99, 'Amazon', 'GENERAL_MERCHANDISE_ONLINE_MARKETPLACES'),
];

const text = (words: string): InboundEvent & { psid: string } => ({
  pageId: '106123456789012',
  psid: PSID,
  timestamp: NOW.getTime(),
  channel: 'messaging',
  id: `m_${words.length}`,
  kind: 'message',
  message: { mid: `m_${words.length}`, text: words },
});

/** The assistant's ports in memory, with a real presenter over an in-memory store of choices and kept answers. */
function world(mode: Presentation | undefined, options: { presenter?: boolean } = {}) {
  const kept = new Map<string, PrivateContent>();
  const conversations = new Map<string, Record<string, unknown>>();
  const presenter = createPresenter({
    store: { getPresentation: async () => mode },
    answers: { keepPrivateAnswer: async (_psid, answer) => void kept.set(answer.answerId, answer.content as unknown as PrivateContent) },
    settings: async () => ({ publicBaseUrl: 'https://assistant.test', linkSecret: 'compose-secret' }),
    clock: () => NOW,
  });
  const deps: ComposeDeps = {
    listConsents: async () => [consent],
    revoke: async () => consent,
    renew: async () => ({ kind: 'renewed', consent }),
    holdings: async () => ({ consents: [consent], inForce: [], auditEntries: 0 }),
    confirmAccountLink: async () => 'confirmed',
    answerAlert: async () => 'recorded',
    latestOpenAlert: async () => undefined,
    bankFraudSteps: {},
    link: (psid, purpose) => `https://assistant.test/${purpose}?t=token-for-${psid}`,
    reconnectLink: (psid) => `https://assistant.test/link/reconnect?t=token-for-${psid}`,
    clock: () => NOW,
    financial: {
      balances: async () => [checking],
      transactions: async () => TRANSACTIONS,
      accountNames: async () => [{ accountId: 'acc-1', name: 'Everyday Checking', mask: '0000', type: 'depository', subtype: 'checking' }],
      syncedAt: async () => NOW.toISOString(),
      recurringStreams: async () => ({ streams: [] }),
    },
    conversation: {
      get: async (psid) => ({ greeted: true, ...conversations.get(psid) }),
      put: async (psid, state) => void conversations.set(psid, state),
    },
    alertSettings: { get: async () => undefined, put: async () => undefined },
    handover: async () => undefined,
    typing: async () => undefined,
    ...(options.presenter === false ? {} : { presenter }),
    settings: { locales: { en: 'en-US', es: 'es-US' }, timeZone: 'UTC', defaultLanguage: 'en', freshnessMinutes: 60, currency: 'USD', homeCountry: 'US', brand: 'Demo Bank' },
  };
  return { deps, kept };
}


type Asked = Parameters<NonNullable<ComposeDeps['requestSpendingPicture']>>[0];
function withPictures(mode: Presentation | undefined, fail = false) {
  const { deps, kept } = world(mode);
  const asked: Asked[] = [];
  deps.requestSpendingPicture = async (ask) => {
    if (fail) throw new Error('queue unavailable');
    asked.push(ask);
  };
  return { deps, kept, asked };
}

describe('the spending picture', () => {
  it.each([
    ['show my spending this month', 'this-month', 'en'],
    ['chart of my spending last month', 'last-month', 'en'],
  ])('"%s" asks the picture worker once, keyed by the message, and answers nothing itself', async (words, period, language) => {
    const { deps, asked } = withPictures('messenger');
    const { messages } = await composeReply(text(words), deps);
    expect(messages).toEqual([]);
    expect(asked).toEqual([{ psid: PSID, period, language, key: text(words).id }]);
  });

  it('answers "how much did I spend this month?" and one category in words, without a picture', async () => {
    const { deps, asked } = withPictures('messenger');
    for (const words of ['how much did I spend this month?', 'show my spending on groceries this month']) {
      const { messages } = await composeReply(text(words), deps);
      expect(JSON.stringify(messages)).toContain('$');
    }
    expect(asked).toEqual([]);
  });

  it('in private mode keeps the figures for the private page and asks for no picture (an image would pass through Meta)', async () => {
    const { deps, asked, kept } = withPictures('private');
    const { messages } = await composeReply(text('show my spending this month'), deps);
    expect(JSON.stringify(messages)).toContain('Your spending is ready.');
    expect(asked).toEqual([]);
    expect(kept.size).toBe(1);
  });

  it('answers in words when the picture cannot be asked for', async () => {
    const { deps } = withPictures('messenger', true);
    const { messages } = await composeReply(text('show my spending this month'), deps);
    expect(JSON.stringify(messages)).toContain('$99.61');
  });
});
