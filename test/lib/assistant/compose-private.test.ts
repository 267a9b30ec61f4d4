import { describe, expect, it } from 'vitest';
import { composeRefreshed, composeReply, type ComposeDeps } from '../../../lib/assistant/compose';
import type { BankTransaction } from '../../../lib/banking/bank-connector';
import type { Consent } from '../../../lib/consent/model/consent';
import type { Presentation } from '../../../lib/consent/model/presentation';
import { createPresenter, type PrivateContent } from '../../../lib/consent/private-answers';
import type { InboundEvent } from '../../../lib/messenger/events';
import type { OutboundMessage } from '../../../lib/messenger/send-api';
import type { StoredAccount } from '../../../lib/store';

/**
 * The assistant's money answers in each mode of where figures appear: in private mode the chat
 * gets only the "ready" line and the page's button, the figures going to the kept answer; in
 * Messenger mode (or with no presenter wired) the answer is as it always was.
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
/** Every figure, name, mask and date of the person's data above, as the chat would write them. */
const FIGURES = ['2,450.31', '0000', 'Everyday Checking', '84.12', '15.49', '129.99', '99.61', 'Whole Foods', 'Netflix', 'Amazon', 'Mar 5', 'Mar 2', 'Feb 14'];

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

const ask = async (words: string, deps: ComposeDeps) => {
  const { messages } = await composeReply(text(words), deps);
  expect(messages).toHaveLength(1);
  return messages[0]!;
};
const textOf = (message: OutboundMessage) => ('text' in message ? message.text : message.attachment.type === 'template' ? message.attachment.payload.text : '');
const urlOf = (message: OutboundMessage) => {
  const button = 'attachment' in message && message.attachment.type === 'template' ? message.attachment.payload.buttons[0] : undefined;
  return button && 'url' in button ? button.url : undefined;
};
const figuresIn = (message: OutboundMessage) => FIGURES.filter((figure) => JSON.stringify(message).includes(figure));

describe('money answers in private mode', () => {
  it.each([
    ["what's my balance?", 'Your balances are ready.', 'balances', '$2,450.31'],
    ['how much did I spend this month?', 'Your spending is ready.', 'spending', '$99.61'],
    ['show my recent transactions', 'Your transactions are ready.', 'transactions', 'Whole Foods Market'],
    ['show my Netflix purchases', 'What I found is ready.', 'search', '$15.49'],
    ['what were my biggest purchases this month?', 'Your largest purchases are ready.', 'largest', '$84.12'],
  ])('answers "%s" with the ready line and the page’s button, keeping the figures for the page', async (question, ready, kind, figure) => {
    const { deps, kept } = world('private');

    const message = await ask(question, deps);

    expect(textOf(message)).toBe(ready);
    expect(urlOf(message)).toMatch(/^https:\/\/assistant\.test\/private\/answer\?t=v1\./);
    expect(figuresIn(message)).toEqual([]);
    const [content] = [...kept.values()];
    expect(content).toMatchObject({ kind, lang: 'en' });
    expect(content!.lines.join('\n')).toContain(figure);
  });

  it('answers a follow-up ("and last month?") privately too', async () => {
    const { deps, kept } = world('private');
    await ask('how much did I spend this month?', deps);

    const message = await ask('and last month?', deps);

    expect(textOf(message)).toBe('Your spending is ready.');
    expect(figuresIn(message)).toEqual([]);
    expect([...kept.values()][1]!.lines.join('\n')).toContain('$129.99');
  });

  it('keeps the answer’s follow-up questions as quick replies, none with a figure', async () => {
    const messenger = await ask('how much did I spend this month?', world('messenger').deps);

    const privately = await ask('how much did I spend this month?', world('private').deps);

    expect(privately.quick_replies).toEqual(messenger.quick_replies);
    expect(privately.quick_replies?.length).toBeGreaterThan(0);
  });

  it('answers a promised refresh with the "updated" ready line', async () => {
    const { deps, kept } = world('private');
    const stale = { ...checking, balancesAsOf: new Date(NOW.getTime() - 3 * 3_600_000).toISOString() };
    deps.financial = { ...deps.financial, balances: async () => [stale] };
    deps.requestRefresh = async () => undefined;
    await ask("what's my balance?", deps);
    deps.financial = { ...deps.financial, balances: async () => [checking] };

    const refreshed = await composeRefreshed(PSID, 'item-1', deps);

    expect(refreshed?.messages.map(textOf)).toEqual(['Your updated answer is ready.']);
    expect([...kept.values()].at(-1)).toMatchObject({ kind: 'updated' });
    expect([...kept.values()].at(-1)!.lines.join('\n')).toContain('$2,450.31');
  });
});

describe('money answers in Messenger mode', () => {
  it.each([
    ['a person who chose Messenger', world('messenger')],
    ['a person with no choice on record', world(undefined)],
    ['a deployment without a presenter', world('private', { presenter: false })],
  ])('gives the figures in the chat, as before, to %s', async (_who, { deps, kept }) => {
    const balance = await ask("what's my balance?", deps);
    const spending = await ask('how much did I spend this month?', deps);

    expect(textOf(balance)).toContain('Everyday Checking ••0000: $2,450.31');
    expect(textOf(spending)).toMatch(/^You spent \$99\.61 this month/);
    expect(kept.size).toBe(0);
  });
});
