import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { intentNames } from '../../../../lib/assistant/nlu/intent-names';
import { english } from '../../../../lib/assistant/nlu/training/examples.en';
import { spanish } from '../../../../lib/assistant/nlu/training/examples.es';
import { readingKey, trainedIntents, trainingExamples, type Language } from '../../../../lib/assistant/nlu/training/generate';
import type { TrainedIntent } from '../../../../lib/assistant/nlu/training/types';

const languages = ['en', 'es'] as const satisfies readonly Language[];
const examples = trainingExamples({ seed: 7 });
const tuning = ['utterances.json', 'utterances-holdout.json'].flatMap(
  (file) => JSON.parse(readFileSync(new URL(`../../../fixtures/${file}`, import.meta.url), 'utf8')) as { text: string; lang: Language; intent: string }[],
);
const tuningTexts = new Set(tuning.map((f) => `${f.lang} ${f.text}`));
const inLanguage = (lang: Language) => examples.filter((e) => e.lang === lang);

describe('the training corpus of the intent classifier', () => {
  it('is the same for the same seed, and another seed draws other examples', () => {
    expect(trainingExamples({ seed: 7 })).toEqual(examples);
    const other = trainingExamples({ seed: 8 });
    expect(other).not.toEqual(examples);
    expect(other.length).toBeGreaterThan(0);
  });

  it.each(languages)('has at least 4,000 %s examples, at least 80 per intent and none above 12% of the language', (lang) => {
    const mine = inLanguage(lang);
    expect(mine.length).toBeGreaterThanOrEqual(4000);
    for (const intent of trainedIntents) {
      const count = mine.filter((e) => e.intent === intent).length;
      expect(count, `${lang} ${intent}`).toBeGreaterThanOrEqual(80);
      expect(count / mine.length, `${lang} ${intent}`).toBeLessThanOrEqual(0.12);
    }
  });

  it('labels every example with a known intent name, and every learned intent appears in both languages', () => {
    for (const example of examples) expect(intentNames).toContain(example.intent);
    for (const lang of languages) expect(new Set(inLanguage(lang).map((e) => e.intent))).toEqual(new Set(trainedIntents));
  });

  it('has no duplicate text within a language and no two intents for texts that read alike', () => {
    for (const lang of languages) {
      const texts = inLanguage(lang).map((e) => e.text);
      expect(new Set(texts).size).toBe(texts.length);
    }
    const labels = new Map<string, Set<string>>();
    for (const { text, intent } of examples) labels.set(readingKey(text), (labels.get(readingKey(text)) ?? new Set()).add(intent));
    const contradictions = [...labels].filter(([, intents]) => intents.size > 1).map(([key, intents]) => `${key}: ${[...intents].join(', ')}`);
    expect(contradictions).toEqual([]);
  });

  it('fills every placeholder and leaves no empty text', () => {
    expect(examples.filter((e) => e.text.includes('{') || e.text.includes('}')).map((e) => e.text)).toEqual([]);
    expect(examples.filter((e) => e.text.trim() === '')).toEqual([]);
  });

  it('includes every labelled tuning utterance, with "my-data" learned as export', () => {
    const labelled = new Map(examples.map((e) => [`${e.lang} ${e.text}`, e.intent]));
    for (const f of tuning) expect(labelled.get(`${f.lang} ${f.text}`), f.text).toBe(f.intent === 'my-data' ? 'export' : f.intent);
  });

  it('has the hand-written templates the corpus is built from: 30+ per money or consent intent, 20+ per other, 10+ per bare reply, none twice', () => {
    const atLeast = (intent: TrainedIntent) =>
      ['greeting', 'help', 'thanks', 'yes', 'no'].includes(intent)
        ? 10
        : ['balance', 'transactions', 'spending', 'search', 'largest', 'follow-up', 'what-shared', 'change-scopes', 'stop-sharing', 'data-policy', 'export', 'link-bank'].includes(intent)
          ? 30
          : 20;
    for (const data of [english, spanish]) {
      for (const intent of trainedIntents) {
        const templates = data.templates[intent];
        expect(templates.length, intent).toBeGreaterThanOrEqual(atLeast(intent));
        expect(new Set(templates).size, intent).toBe(templates.length);
      }
    }
  });

  // The held-out set is read here only, to guard against leakage, and never printed: a failure
  // says how many texts coincide, not which. Stock phrases of up to three words ("yes", "hola",
  // "no fui yo", "and last month?") are exempt: both sets must hold them, and nobody learns the
  // held-out set from them. The corpus checked is the one the build trains on (the default seed).
  const heldOut = new URL('../../../fixtures/nlu/held-out.json', import.meta.url);
  describe.runIf(existsSync(heldOut))('kept apart from the held-out set', () => {
    const heldOutTexts = new Set<string>();
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (value !== null && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          if (key === 'text' && typeof inner === 'string') heldOutTexts.add(inner);
          else collect(inner);
        }
      }
    };
    if (existsSync(heldOut)) collect(JSON.parse(readFileSync(heldOut, 'utf8')));
    const words = (text: string) => text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
    const coinciding = () => trainingExamples().filter((e) => words(e.text) >= 4 && heldOutTexts.has(e.text));

    it('generates no text of four words or more that is also a held-out text', () => {
      const generated = coinciding().filter((e) => !tuningTexts.has(`${e.lang} ${e.text}`));
      expect(generated.length, 'generated training texts equal to a held-out text').toBe(0);
    });

    it('finds no tuning utterance of four words or more repeated in the held-out set', () => {
      const repeated = coinciding().filter((e) => tuningTexts.has(`${e.lang} ${e.text}`));
      expect(repeated.length, 'tuning utterances (test/fixtures/utterances*.json) the held-out set repeats').toBe(0);
    });
  });
});
