import type { IntentName } from './intent-names';
import model from './model.json';
import { networkInput } from './features';
import { pairsOf, type CompactModel } from './model-format';

/**
 * The intent of a message, from the classifier trained at build time (npm run train: nlp.js's
 * neural network over the examples in training/, written to model.json): a build artefact, never
 * trained in Lambda.
 *
 * How sure it is decides what the person sees: a clear winner is answered; two close readings are
 * offered back as a question ("Did you mean…?") rather than guessed; a message that resembles
 * nothing it learnt is the fallback. The two limits were chosen on the development set (see
 * test/lib/assistant/nlu/corpus.test.ts), never on the held-out one.
 */
export const CONFIDENCE = {
  /** A best score under this: nothing learnt matches, the fallback answer. */
  none: 0.05,
  /** A runner-up scoring at least this share of the best: too close to call, the person is asked. */
  close: 0.85,
  /**
   * A data answer whose runner-up is a reading that must never get one (an emergency, a request
   * only the bank can do, an answer to a fraud alert, something out of scope) is asked about
   * sooner: with the runner-up at this share of the best. Showing balances to someone reporting a
   * stolen card costs far more than one question.
   */
  cautious: 0.5,
} as const;

/** Answers that show the person's figures, and readings that must never get one. */
const DATA_ANSWERS = new Set<IntentName>(['balance', 'transactions', 'spending', 'search', 'largest', 'subscriptions', 'bills', 'income', 'follow-up']);
const NEVER_DATA = new Set<IntentName>(['card-emergency', 'bank-only', 'it-was-me', 'not-me', 'fallback']);

const trained: CompactModel = model;
/**
 * Each feature's line of weights, indexed by the first message read (~5 ms, kept out of init) and
 * decoded only when a message has that feature. nlp.js's own runtime would copy every weight into
 * dense arrays first (~15 ms); what it computes is this sparse sum, so it is written here (the
 * corpus test checks that the two agree).
 */
let rows: Map<string, string> | undefined;
function indexed(): Map<string, string> {
  if (rows) return rows;
  rows = new Map();
  for (const line of trained.weights.split('\n')) {
    const space = line.indexOf(' ');
    rows.set(line.slice(0, space), line.slice(space + 1));
  }
  return rows;
}

export interface Choice {
  intent: IntentName;
  /** Two readings the person is asked to choose between, likeliest first. */
  unsure?: [IntentName, IntentName];
}

/**
 * Every intent's score, best first, as nlp.js's network computes it: the known features, each
 * weighted 1/√n (see networkInput), summed with the bias, scaled by alpha, and 0 when not positive.
 */
export function scores(features: Record<string, number>): { intent: IntentName; score: number }[] {
  const rows = indexed();
  const input = networkInput(Object.keys(features).filter((f) => rows.has(f)));
  const sums = [...trained.bias];
  for (const [feature, value] of Object.entries(input)) for (const [intent, w] of pairsOf(rows.get(feature)!)) sums[intent]! += value * w;
  return sums
    .map((sum, i) => ({ intent: trained.intents[i] as IntentName, score: sum <= 0 ? 0 : trained.alpha * sum }))
    .sort((a, b) => b.score - a.score);
}

/**
 * The intent of a message from one or more readings of it (the whole message, and each of its
 * sentences when it has several): the reading whose best intent scores highest wins.
 */
const PLEASANTRIES: ReadonlySet<IntentName> = new Set(['greeting', 'thanks']);

export function classify(readings: readonly Record<string, number>[]): Choice {
  const ranked = readings.map(scores).filter((s) => s[0] && s[0].score >= CONFIDENCE.none);
  // A sentence of small talk in a story does not make the message out of scope: another sentence
  // that asks for something wins over it; the fallback is for messages where none does.
  const asking = ranked.filter((s) => s[0]!.intent !== 'fallback');
  // Likewise a greeting or a thank-you around a request ("Good afternoon. I would like my balance,
  // please. Thank you kindly."): the request wins; the pleasantries are the answer only when
  // nothing else is asked.
  const substantive = readings.length > 1 ? asking.filter((s) => !PLEASANTRIES.has(s[0]!.intent)) : [];
  const best = (substantive.length ? substantive : asking).sort((a, b) => b[0]!.score - a[0]!.score)[0];
  if (!best) return { intent: 'fallback' };
  const [first, second] = best as [{ intent: IntentName; score: number }, ...{ intent: IntentName; score: number }[]];
  if (second && second.score >= CONFIDENCE.close * first.score && second.intent !== 'fallback') {
    return { intent: first.intent, unsure: [first.intent, second.intent] };
  }
  const risky = best.slice(1).find((c) => NEVER_DATA.has(c.intent) && c.score >= CONFIDENCE.cautious * first.score);
  if (DATA_ANSWERS.has(first.intent) && risky) return { intent: first.intent, unsure: [first.intent, risky.intent] };
  return { intent: first.intent };
}
