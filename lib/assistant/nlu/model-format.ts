import type { NeuralNetworkJson } from '@nlpjs/neural';

/**
 * The trained model as stored, feature by feature. nlp.js's own JSON keeps one weight per feature
 * per intent (about 170,000 numbers here, ~2 MB), nearly all too small to change a decision, and
 * its runtime copies them all into typed arrays at load. Here each feature is one line, `<feature>
 * <intent>,<weight × 10> …` in base 36, holding only the weights that matter: the file is ~1/15 of
 * nlp.js's, and reading a message decodes only the lines of its own features.
 */
export interface CompactModel {
  /** sha256 of the training corpus the model was trained on, to tell a stale model. */
  trainedOn: string;
  /** nlp.js's output scaling: a perceptron's output is `alpha × sum` when the sum is positive, else 0. */
  alpha: number;
  intents: string[];
  bias: number[];
  /** One line per feature: the feature, then its `<intent index>,<weight × 10>` pairs, base 36, space-separated. */
  weights: string;
}

/**
 * Weights smaller than this (in nlp.js's units, before its output scaling) were measured to change
 * no answer on the development set; dropping them halves the file again.
 */
export const NEGLIGIBLE = 2;

export function compactModel(json: NeuralNetworkJson, trainedOn: string): CompactModel {
  const lines: string[] = [];
  json.features.forEach((feature, f) => {
    const pairs = json.perceptrons.flatMap((perceptron, intent) => {
      const w = perceptron[f]!;
      return Math.abs(w) >= NEGLIGIBLE ? [`${intent.toString(36)},${Math.round(w * 10).toString(36)}`] : [];
    });
    if (pairs.length) lines.push(`${feature} ${pairs.join(' ')}`);
  });
  return {
    trainedOn,
    alpha: Number(json.settings.alpha ?? 0.07),
    intents: json.intents,
    bias: json.perceptrons.map((p) => Math.round(p[json.features.length]! * 1000) / 1000),
    weights: lines.join('\n'),
  };
}

/** The model back in nlp.js's form, for its own NeuralNetwork (the tests compare the two readings). */
export function expandModel(model: CompactModel): NeuralNetworkJson {
  const lines = model.weights.split('\n');
  const features = lines.map((line) => line.slice(0, line.indexOf(' ')));
  const perceptrons = model.intents.map((_, intent) => {
    const dense = new Array<number>(features.length + 1).fill(0);
    dense[features.length] = model.bias[intent]!;
    return dense;
  });
  lines.forEach((line, f) => {
    for (const [intent, w] of pairsOf(line.slice(line.indexOf(' ') + 1))) perceptrons[intent]![f] = w;
  });
  return { settings: { alpha: model.alpha }, features, intents: model.intents, perceptrons };
}

/** "3,-1k 1,a" → [[3, -5.6], [1, 1]]. */
export function pairsOf(text: string): [number, number][] {
  return text.split(' ').map((pair) => {
    const comma = pair.indexOf(',');
    return [parseInt(pair.slice(0, comma), 36), parseInt(pair.slice(comma + 1), 36) / 10];
  });
}
