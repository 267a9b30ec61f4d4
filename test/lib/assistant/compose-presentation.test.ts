import { describe, expect, it } from 'vitest';
import { composeReply, type ComposeDeps } from '../../../lib/assistant/compose';
import type { Presentation } from '../../../lib/consent/model/presentation';
import { text, world } from './money-world';

/**
 * Choosing where figures appear, in the chat: the words are restated with what the choice means
 * and applied only after a yes (a tap or a typed yes); a no, or another question, changes nothing.
 */
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
