import { describe, expect, it } from 'vitest';
import { composeReply, type ComposeDeps } from '../../../lib/assistant/compose';
import type { BankTransaction } from '../../../lib/banking/bank-connector';
import type { Consent } from '../../../lib/consent/model/consent';
import type { Presentation } from '../../../lib/consent/model/presentation';
import { createPresenter, type PrivateContent } from '../../../lib/consent/private-answers';
import type { InboundEvent } from '../../../lib/messenger/events';
import type { StoredAccount } from '../../../lib/store';

/**
 * Choosing where figures appear, in the chat: the words are restated with what the choice means
 * and applied only after a yes (a tap or a typed yes); a no, or another question, changes nothing.
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



function choosing(start: Presentation | undefined) {
  const { deps } = world(start);
  let stored = start;
  const writes: Presentation[] = [];
  deps.presenter = { ...deps.presenter!, presentation: async () => stored ?? 'messenger' };
  deps.setPresentation = async (_psid, mode) => {
    writes.push(mode);
    stored = mode;
  };
  return { deps, writes, now: () => stored };
}
let n = 0;
const say = async (words: string, deps: ComposeDeps) => (await composeReply({ ...text(words), id: `m_${++n}` }, deps)).messages;

describe('choosing where figures appear, in the chat', () => {
  it.each([
    ['keep my figures private', 'messenger', 'private', 'Keep your figures private?'],
    ['show my figures here in the chat', 'private', 'messenger', 'Show your figures here in the chat?'],
    ['desactiva el modo privado', 'private', 'messenger', '¿Mostrar tus cifras aquí en el chat?'],
  ] as const)('"%s" is restated, and applied only after the yes', async (words, from, to, question) => {
    const { deps, writes, now } = choosing(from);
    const asked = await say(words, deps);
    expect(JSON.stringify(asked)).toContain(question);
    expect(JSON.stringify(asked)).toContain(`CONFIRM:private:${to === 'private' ? 'on' : 'off'}`);
    expect(writes).toEqual([]);
    await say(words.startsWith('desactiva') ? 'sí' : 'yes', deps);
    expect(writes).toEqual([to]);
    expect(now()).toBe(to);
  });

  it('changes nothing on a no, or when another question follows', async () => {
    const { deps, writes } = choosing('messenger');
    await say('keep my figures private', deps);
    await say('no', deps);
    await say('keep my figures private', deps);
    await say("what's my balance?", deps);
    await say('yes', deps);
    expect(writes).toEqual([]);
  });

  it('says so when it already is that way, and asks which way when the words do not say', async () => {
    const { deps, writes } = choosing('private');
    expect(JSON.stringify(await say('keep my figures private', deps))).toContain('Your figures are already private.');
    expect(JSON.stringify(await say('change where my figures show up', deps))).toContain('Where should your figures appear?');
    expect(writes).toEqual([]);
  });
});
