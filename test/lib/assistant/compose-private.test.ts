import { describe, expect, it } from 'vitest';
import { composeRefreshed, composeReply, type ComposeDeps } from '../../../lib/assistant/compose';
import type { OutboundMessage } from '../../../lib/messenger/send-api';
import { PSID, NOW, checking, text, world } from './money-world';

/**
 * The assistant's money answers in each mode of where figures appear: in private mode the chat
 * gets only the "ready" line and the page's button, the figures going to the kept answer; in
 * Messenger mode (or with no presenter wired) the answer is as it always was.
 */

/** Every figure, name, mask and date of the person's data (./money-world.ts), as the chat would write them. */
const FIGURES = ['2,450.31', '0000', 'Everyday Checking', '84.12', '15.49', '129.99', '99.61', 'Whole Foods', 'Netflix', 'Amazon', 'Mar 5', 'Mar 2', 'Feb 14'];

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
