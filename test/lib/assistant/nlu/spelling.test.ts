import { describe, expect, it } from 'vitest';
import { readWords, understand } from '../../../../lib/assistant/nlu/understand';
import { deriveRealWords, realWordsSource } from '../../../../lib/assistant/nlu/real-words-build';
import { derivedFrom } from '../../../../lib/assistant/nlu/real-words';

describe('spelling correction', () => {
  it.each(['pending', 'expense', 'overdrawn', 'lock', 'alex', 'sees', 'else', 'wells'])('leaves the real word %j as typed', (word) => {
    expect(readWords(word).corrected).toBe(word);
  });

  it.each([
    ['balanse', 'balance'],
    ['transacions', 'transactions'],
    ['saldoo', 'saldo'],
    ['blance', 'balance'],
    ['trasnactions', 'transactions'],
  ])('still corrects the misspelling %j to %j', (typed, meant) => {
    expect(readWords(typed).corrected).toBe(meant);
  });

  it.each([
    ['hiii', 'hi'],
    ['yesss', 'yes'],
    ['movments', 'movements'],
  ])('reads a held or dropped letter in %j as %j', (typed, meant) => {
    expect(readWords(typed).corrected).toBe(meant);
  });

  it('reads "my pending transactions" as transactions, not spending, and "lock my card" as a card emergency', () => {
    expect(understand('my pending transactions').intent).toBe('transactions');
    expect(understand('lock my card').intent).toBe('card-emergency');
  });

  it('keeps the real-word list in step with the word lists and the lexicon (rebuild: npx tsx lib/assistant/nlu/real-words-build.ts)', () => {
    expect(derivedFrom).toBe(realWordsSource());
  });

  it('derives the list as the corrector needs it: real words it would change, accents as normalised', () => {
    expect(deriveRealWords(['Pending', 'pasteles', 'balance', 'salto', 'Cuánto', 'xqzv'])).toEqual(['pending', 'salto']);
  });
});
