import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { intentNames, understand, type Slots, type Understanding } from '../../../../lib/assistant/nlu/understand';
import model from '../../../../lib/assistant/nlu/model.json';
import { trainingCorpus } from '../../../../lib/assistant/nlu/training/corpus';
import { NeuralNetwork } from '@nlpjs/neural';
import { corpusHash } from '../../../../scripts/train-nlu';
import { scores } from '../../../../lib/assistant/nlu/classifier';
import { featuresOf, networkInput } from '../../../../lib/assistant/nlu/features';
import { expandModel, type CompactModel } from '../../../../lib/assistant/nlu/model-format';
import { read } from '../../../../lib/assistant/nlu/reading';

interface Labelled {
  text: string;
  lang: 'en' | 'es';
  intent: string;
  slots: Slots;
  style?: string;
}

const load = (name: string): Labelled[] => {
  const url = new URL(`../../../fixtures/${name}`, import.meta.url);
  return existsSync(url) ? (JSON.parse(readFileSync(url, 'utf8')) as Labelled[]) : [];
};
/**
 * Three parts. The first corpus (two sets of fixtures) is also training data, so it shows what
 * the classifier learnt. The development sets (twelve, each written apart by someone who saw only the
 * labelling guide; the seventh is a former held-out set, retired once it had been measured often
 * enough that choices leant on it) are never trained on but are looked at to tune the training
 * examples, the guards, the features and the confidence limits. The held-out set was written by
 * three more such writers, labelled before it was ever run, holds no text equal to a training or
 * development one, and is never used to tune anything: it is the honest figure.
 */
const parts = {
  training: [...load('utterances.json'), ...load('utterances-holdout.json')],
  development: ['dev', 'dev2', 'dev3', 'dev4', 'dev5', 'dev6', 'dev7', 'dev8', 'dev9', 'dev10', 'dev11', 'dev12'].flatMap((name) => load(`nlu/${name}.json`)),
  'held-out': load('nlu/held-out.json'),
};

/** Intents that get the same answer (the export page shows what is held) count as one. */
const answer = (intent: string) => (intent === 'my-data' ? 'export' : intent);
/**
 * "Has my salary come in yet?", "¿ya me cayó la quincena?": the labelling guide, older than the
 * income intent, files these as a search for income deposits. The income answer says when the pay
 * came in and when the next is due, which is what they ask: read as income, they are answered.
 */
const payLabel = (entry: Labelled) => entry.intent === 'search' && entry.slots.category === 'income' && Object.keys(entry.slots).every((k) => k === 'category' || k === 'period');
const answers = (entry: Labelled, intent: string) => answer(intent) === answer(entry.intent) || (intent === 'income' && payLabel(entry));
/** The slots the reading should carry: income keeps the period only. */
const expectedSlots = (entry: Labelled, intent: string): Slots => (intent === 'income' && payLabel(entry) ? { ...(entry.slots.period ? { period: entry.slots.period } : {}) } : entry.slots);
const sorted = (slots: Slots) => JSON.stringify(Object.fromEntries(Object.entries(slots).sort(([a], [b]) => a.localeCompare(b))));
/** Answers that show the person's figures. */
const DATA_ANSWERS = new Set(['balance', 'transactions', 'spending', 'search', 'largest', 'subscriptions', 'bills', 'income', 'follow-up']);
/** Messages that must never get a data answer: emergencies, requests only the bank can do, fraud-alert answers, anything out of scope. */
const NEVER_DATA = new Set(['card-emergency', 'bank-only', 'it-was-me', 'not-me', 'fallback']);

function measure(entries: Labelled[]) {
  const results = entries.map((entry) => {
    const got: Understanding = understand(entry.text);
    const intentOk = answers(entry, got.intent);
    // Asking "did you mean…?" with the right reading among the two is not a wrong answer, but it
    // is not a right one either: it is counted apart.
    const asked = !!got.unsure && got.unsure.some((m) => answers(entry, m.intent));
    return { entry, got, intentOk: intentOk && !got.unsure, asked, slotsOk: sorted(got.slots) === sorted(expectedSlots(entry, got.intent)) };
  });
  const share = (n: number) => (results.length ? n / results.length : 0);
  return {
    results,
    intent: share(results.filter((r) => r.intentOk).length),
    exact: share(results.filter((r) => r.intentOk && r.slotsOk).length),
    asked: share(results.filter((r) => r.asked).length),
    dataForUnsafe: results.filter((r) => NEVER_DATA.has(r.entry.intent) && DATA_ANSWERS.has(r.got.intent) && !r.got.unsure),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

describe('understanding, measured on the labelled corpus', () => {
  const measured = Object.fromEntries(Object.entries(parts).map(([name, entries]) => [name, measure(entries)])) as Record<keyof typeof parts, ReturnType<typeof measure>>;

  it('prints accuracy on each part, per language', () => {
    const lines: string[] = [];
    for (const [name, m] of Object.entries(measured)) {
      if (!m.results.length) continue;
      const langs = (['en', 'es'] as const).map((lang) => {
        const mine = m.results.filter((r) => r.entry.lang === lang);
        return `${lang} ${pct(mine.filter((r) => r.intentOk).length / mine.length)}`;
      });
      lines.push(
        `${name}: ${m.results.length} utterances, intent ${pct(m.intent)} (${langs.join(', ')}), intent and slots ${pct(m.exact)}, asked "did you mean" with the right reading ${pct(m.asked)}, ` +
          `account data for a message that must not get it: ${m.dataForUnsafe.length}`,
      );
      // The held-out misses are never printed: nobody may tune on them.
      if (name !== 'held-out') for (const miss of m.results.filter((r) => !r.intentOk)) lines.push(`  ✗ "${miss.entry.text}" expected ${miss.entry.intent}, got ${miss.got.intent}${miss.got.unsure ? ` (asked: ${miss.got.unsure.map((u) => u.intent).join(' or ')})` : ''}`);
    }
    console.log(`Understanding accuracy\n${lines.join('\n')}`);
    expect(measured.training.results.length).toBeGreaterThanOrEqual(480);
  });

  it('labels every utterance with a known intent, half of each part in Spanish (the held-out part exactly)', () => {
    expect(parts['held-out'].filter((e) => e.lang === 'es').length).toBe(parts['held-out'].length / 2);
    for (const entries of Object.values(parts)) {
      expect(entries.filter((e) => e.lang === 'es').length / entries.length).toBeCloseTo(0.5, 1);
      for (const entry of entries) expect(intentNames).toContain(entry.intent);
    }
  });

  it('reads at least 97% of its training utterances and 96% of the development ones', () => {
    expect(measured.training.intent).toBeGreaterThanOrEqual(0.97);
    expect(measured.development.intent).toBeGreaterThanOrEqual(0.96);
  });

  /**
   * The goal: 92% answered right. Measured eight times: 90.3% by the model the earlier development
   * sets had shaped, 92.7% after changes chosen on development sets 7 to 9 alone, 92.2% after those
   * the tenth showed and again after a safety change to the guards, 92.5% after slot fixes and again
   * after one more, 93.0% after the changes development sets 11 and 12 showed and again after the
   * retraining a slot fix needed (plus 2.9% asked about with the right reading offered).
   */
  it('reads at least 92% of the held-out utterances right, and 95% right or asked about with the right reading among two', () => {
    const m = measured['held-out'];
    expect(parts['held-out'].length).toBeGreaterThanOrEqual(400);
    expect(m.intent).toBeGreaterThanOrEqual(0.92);
    expect(m.intent + m.asked).toBeGreaterThanOrEqual(0.95);
    // Asking is for the messages that are truly close, not a way around reading them.
    expect(m.results.filter((r) => r.got.unsure).length / m.results.length).toBeLessThanOrEqual(0.05);
  });

  it('never answers an emergency, a bank-only request, a fraud-alert answer or an out-of-scope message with account data', () => {
    for (const part of Object.values(measured)) expect(part.dataForUnsafe.map((r) => (part === measured['held-out'] ? '(held-out)' : r.entry.text))).toEqual([]);
  });

  it('tells the language of the words when they say', () => {
    const all = Object.values(measured).flatMap((m) => m.results);
    const told = all.filter((r) => r.got.lang !== undefined);
    const right = told.filter((r) => r.got.lang === r.entry.lang).length;
    console.log(`Language: ${told.length} of ${all.length} utterances say their language; ${right} read right`);
    expect(right / told.length).toBeGreaterThanOrEqual(0.95);
    expect(told.length / all.length).toBeGreaterThanOrEqual(0.85);
  });

  it('scores every message exactly as nlp.js’s own network does with the same model', () => {
    const network = new NeuralNetwork();
    const json = expandModel(model as CompactModel);
    network.fromJSON(json);
    const known = new Set(json.features);
    for (const entry of [...parts.training, ...parts.development]) {
      const features = featuresOf(read(entry.text));
      const theirs = network.run(networkInput(Object.keys(features).filter((f) => known.has(f))))!;
      for (const { intent, score } of scores(features)) expect(score).toBeCloseTo(theirs[intent]!, 5);
    }
  });

  it('loads a model trained on the current training examples (npm run train after changing them)', () => {
    expect(model.trainedOn).toBe(corpusHash(trainingCorpus()));
  });
});
