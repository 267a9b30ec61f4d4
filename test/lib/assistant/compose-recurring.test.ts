import { describe, expect, it } from 'vitest';
import { composeReply, type ComposeDeps } from '../../../lib/assistant/compose';
import type { RecurringStream } from '../../../lib/banking/bank-connector';
import type { Consent } from '../../../lib/consent/model/consent';
import type { Scope } from '../../../lib/consent/model/scopes';
import type { Presentation } from '../../../lib/consent/model/presentation';
import type { PrivateContent } from '../../../lib/consent/private-answers';
import type { InboundEvent } from '../../../lib/messenger/events';
import { Payloads } from '../../../lib/messenger/payloads';
import type { OutboundMessage } from '../../../lib/messenger/send-api';
import type { StoredAccount } from '../../../lib/store';
import { memoryDeps, memoryPresenter } from './money-world';

/**
 * Subscriptions, upcoming bills and pay, asked in words or by a button, through composeReply with
 * the assistant's ports in memory: which consents they read, what is said when one is missing, and
 * the private form of each answer. Wednesday 10 June 2026, in UTC.
 */
const PSID = '6543210987654321';
const NOW = new Date('2026-06-10T15:00:00.000Z');

const consentWith = (scopes: Scope[], over: Partial<Consent> = {}): Consent => ({
  consentId: 'c-1',
  psid: PSID,
  status: 'active',
  scopes,
  durationDays: 90,
  disclosureVersion: '2026-11-21.1',
  disclosureHash: 'h',
  version: 2,
  createdAt: '2026-06-01T10:00:00.000Z',
  updatedAt: '2026-06-01T10:00:00.000Z',
  itemId: 'item-1',
  institution: { id: 'ins_1', name: 'First Platypus Bank' },
  authorizedAt: '2026-06-01T10:00:00.000Z',
  expiresAt: '2026-08-30T10:00:00.000Z',
  ...over,
});

const base = { accountId: 'acc-checking', currency: 'USD', firstDate: '2026-03-14', isActive: true, status: 'mature' as const, transactionIds: ['t-1', 't-2', 't-3'] };
const STREAMS: RecurringStream[] = [
  { ...base, streamId: 's-rent', direction: 'outflow', description: 'OAKWOOD APARTMENTS RENT WEB PMT', merchantName: 'Oakwood Apartments', category: { primary: 'RENT_AND_UTILITIES', detailed: 'RENT_AND_UTILITIES_RENT' }, frequency: 'monthly', averageAmount: 1450, lastAmount: 1450, lastDate: '2026-05-14', predictedNextDate: '2026-06-14' },
  { ...base, streamId: 's-netflix', accountId: 'acc-card', direction: 'outflow', description: 'NETFLIX.COM', merchantName: 'Netflix', category: { primary: 'ENTERTAINMENT', detailed: 'ENTERTAINMENT_TV_AND_MOVIES' }, frequency: 'monthly', averageAmount: 16.32, lastAmount: 17.99, lastDate: '2026-05-30', predictedNextDate: '2026-06-30' },
  { ...base, streamId: 's-pay', direction: 'inflow', description: 'ACME CORP PAYROLL PPD ID: 9876543210', category: { primary: 'INCOME', detailed: 'INCOME_WAGES' }, frequency: 'semi-monthly', averageAmount: -1900, lastAmount: -1900, lastDate: '2026-06-01', predictedNextDate: '2026-06-15' },
];
const checking: StoredAccount = {
  accountId: 'acc-checking',
  name: 'Everyday Checking',
  mask: '2468',
  type: 'depository',
  subtype: 'checking',
  balances: { available: 985.4, current: 985.4, limit: null, currency: 'USD' },
  itemId: 'item-1',
  balancesAsOf: NOW.toISOString(),
};

let seq = 0;
const text = (words: string): InboundEvent & { psid: string } => ({
  pageId: '106123456789012',
  psid: PSID,
  timestamp: NOW.getTime(),
  channel: 'messaging',
  id: `m_${++seq}`,
  kind: 'message',
  message: { mid: `m_${seq}`, text: words },
});
const tap = (title: string, payload: string): InboundEvent & { psid: string } => {
  const event = text(title);
  return { ...event, message: { ...(event.kind === 'message' ? event.message : { mid: 'x' }), quick_reply: { payload } } } as InboundEvent & { psid: string };
};

interface Options {
  consents?: Consent[];
  mode?: Presentation;
  syncedAt?: string;
  streams?: RecurringStream[];
}

/** The assistant's ports in memory; what was read and shown is recorded. */
function world(options: Options = {}) {
  const kept: PrivateContent[] = [];
  const read = { streams: 0, balances: 0, typing: 0 };
  const deps = memoryDeps(options.consents ?? [consentWith(['balances', 'transactions'])], NOW, {
    financial: {
      balances: async () => {
        read.balances++;
        return [checking];
      },
      transactions: async () => [],
      accountNames: async () => [],
      syncedAt: async () => ('syncedAt' in options ? options.syncedAt : NOW.toISOString()),
      recurringStreams: async () => {
        read.streams++;
        return { streams: options.streams ?? STREAMS, refreshedAt: NOW.toISOString() };
      },
    },
    typing: async () => void read.typing++,
    presenter: memoryPresenter(options.mode, NOW, (_answerId, content) => void kept.push(content)),
  });
  return { deps, kept, read };
}

const reply = async (event: InboundEvent & { psid: string }, deps: ComposeDeps) => {
  const { messages } = await composeReply(event, deps);
  expect(messages).toHaveLength(1);
  return messages[0]!;
};
const ask = (words: string, deps: ComposeDeps) => reply(text(words), deps);
const textOf = (message: OutboundMessage) => ('text' in message ? message.text : message.attachment.type === 'template' ? message.attachment.payload.text : '');

describe('recurring payments in the chat', () => {
  it('lists the subscriptions asked for in words, with the typing indicator while the streams are read', async () => {
    const { deps, read } = world();

    const message = await ask('what subscriptions do I have?', deps);

    expect(textOf(message)).toBe('You have 1 subscription, $17.99 a month:\n• Netflix: $17.99 a month, next Jun 30');
    expect(read.typing).toBe(1);
  });

  it('answers the "Upcoming bills" button with the bills of the next 7 days and the account short of one', async () => {
    const { deps } = world();

    const message = await reply(tap('Upcoming bills', Payloads.upcomingBills), deps);

    expect(textOf(message)).toBe('1 bill due in the next 7 days:\n• Jun 14 Oakwood Apartments: $1,450.00\n  Everyday Checking ••2468 has $985.40, less than this.');
  });

  it('answers "¿cuándo vence la renta?" in Spanish', async () => {
    const { deps } = world();

    const message = await ask('¿cuándo vence la renta?', deps);

    expect(textOf(message)).toBe('Oakwood Apartments: $1,450.00, vence el 14 jun (en 4 días).\n  Everyday Checking ••2468 tiene $985.40, menos que esto.');
  });

  it('answers "did my paycheck come in?" with the last pay and the next', async () => {
    const { deps } = world();

    const message = await ask('did my paycheck come in?', deps);

    expect(textOf(message)).toBe('Your last pay, $1,900.00 from ACME CORP PAYROLL, came in on Jun 1.\nThe next is expected on Jun 15 (in 5 days).');
  });

  it('follows "what bills are due this week?" with "and this month?"', async () => {
    const { deps } = world();
    expect(textOf(await ask('what bills are due this week?', deps))).toMatch(/^1 bill due this week:/);

    const message = await ask('and this month?', deps);

    expect(textOf(message)).toMatch(/^2 bills due by the end of the month, \$1,467\.99 in all:/);
  });

  it('shows no balance, and reads none, when the person shares transactions only', async () => {
    const { deps, read } = world({ consents: [consentWith(['transactions'])] });

    const message = await ask('what bills are coming up this week?', deps);

    expect(textOf(message)).toBe('1 bill due this week:\n• Jun 14 Oakwood Apartments: $1,450.00');
    expect(read.balances).toBe(0);
  });

  it('says what is missing, reading nothing, when transactions are not shared', async () => {
    const { deps, read } = world({ consents: [consentWith(['balances'])] });

    const message = await ask('what subscriptions do I have?', deps);

    expect(textOf(message)).toBe("You share only balances of First Platypus Bank with me, so I can't see your transactions. You can add them (or change anything else you share) here:");
    expect(read.streams).toBe(0);
  });

  it('offers the consent link to someone who has linked no bank', async () => {
    const { deps, read } = world({ consents: [] });

    const message = await ask('when do I get paid?', deps);

    expect(textOf(message)).toMatch(/^To answer that I need to read your bank data, and only with your permission/);
    expect(read.streams).toBe(0);
  });

  it('waits for the first sync rather than saying there are no subscriptions', async () => {
    const { deps } = world({ syncedAt: undefined, streams: [] });

    const message = await ask('what subscriptions do I have?', deps);

    expect(textOf(message)).toBe('I am still fetching your transactions from your bank; I will answer as soon as they arrive.');
  });

  it.each([
    ['what subscriptions do I have?', 'Your subscriptions are ready.', 'subscriptions', '$17.99'],
    ['what bills are coming up this week?', 'Your upcoming bills are ready.', 'bills', '$1,450.00'],
    ['did my paycheck come in?', 'What I see of your pay is ready.', 'income', '$1,900.00'],
    ['¿cuándo vence la renta?', 'Tus próximos pagos están listos.', 'bills', '$985.40'],
  ])('in private mode answers "%s" with the ready line, keeping the figures for the page', async (question, ready, kind, figure) => {
    const { deps, kept } = world({ mode: 'private' });

    const message = await ask(question, deps);

    expect(textOf(message)).toBe(ready);
    for (const shown of ['Netflix', 'Oakwood', 'ACME', '$', 'Jun', 'jun', '2468']) expect(JSON.stringify(message)).not.toContain(shown);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ kind });
    expect(kept[0]!.lines.join('\n')).toContain(figure);
  });

  it('in private mode keeps the quick replies to the next questions', async () => {
    const { deps } = world({ mode: 'private' });

    const message = await ask('what subscriptions do I have?', deps);

    expect(message.quick_replies?.map((q) => q.payload)).toEqual([Payloads.upcomingBills, Payloads.balance, Payloads.spendingThisMonth, Payloads.recentTransactions, Payloads.alertSettings]);
  });
});
