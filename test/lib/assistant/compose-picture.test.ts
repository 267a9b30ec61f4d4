import { describe, expect, it } from 'vitest';
import { composeReply, type ComposeDeps } from '../../../lib/assistant/compose';
import type { Presentation } from '../../../lib/consent/model/presentation';
import { PSID, text, world } from './money-world';

/**
 * "Show my spending": the whole picture by category goes to the picture worker (a chart and its
 * summary), asked once per message; a question in words, about one category, in private mode, or
 * with no picture queue, is answered in words as before.
 */
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

  it('in private mode asks for the picture for the private page (an image in the chat would pass through Meta), and sends nothing itself', async () => {
    const { deps, asked, kept } = withPictures('private');
    const { messages } = await composeReply(text('show my spending this month'), deps);
    expect(messages).toEqual([]);
    expect(asked).toEqual([{ psid: PSID, period: 'this-month', language: 'en', key: text('show my spending this month').id, private: true }]);
    expect(kept.size).toBe(0);
  });

  it('in private mode without a picture queue, keeps the figures for the private page in words', async () => {
    const { deps, kept } = world('private');
    const { messages } = await composeReply(text('show my spending this month'), deps);
    expect(JSON.stringify(messages)).toContain('Your spending is ready.');
    expect(kept.size).toBe(1);
  });

  it('answers in words when the picture cannot be asked for', async () => {
    const { deps } = withPictures('messenger', true);
    const { messages } = await composeReply(text('show my spending this month'), deps);
    expect(JSON.stringify(messages)).toContain('$99.61');
  });
});
