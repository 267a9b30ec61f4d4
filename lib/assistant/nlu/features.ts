import StemmerEs from '@nlpjs/lang-es/src/stemmer-es.js';

/**
 * What the classifier sees of a message: its words reduced to their stems by nlp.js's Spanish
 * stemmer (on English words too: it strips plurals and leaves the rest, which measured better on
 * the development set than adding the English stemmer's stems), the first four letters of longer
 * words, pairs of neighbouring words (so "not me" is not "me"), and the slots already read, as
 * placeholders ("how much at zmerchant zperiod"), so that what is learnt of one merchant or month
 * holds for all of them. The same function builds the training corpus and reads live messages; a
 * Reading (reading.ts) is its input as it is.
 */
/** Made by the first message read rather than at load: its constructor is a measurable part of a cold start. */
let es: StemmerEs | undefined;

/** The placeholder words slots are replaced by before classifying. */
export const SLOT_WORDS = {
  period: 'zperiod',
  count: 'zcount',
  merchant: 'zmerchant',
  category: 'zcategory',
  account: 'zaccount',
  number: 'znumber',
} as const;
const placeholders = new Set<string>(Object.values(SLOT_WORDS));

export interface FeatureInput {
  /** The normalised, spelling-corrected words with slots replaced by placeholders. */
  masked: string;
  /** The normalised words as typed (a corrector's mistake must not hide a word the person wrote). */
  typed: string;
  /** The money amounts read: over (a minimum), under (a maximum), a bare amount; only which were read counts. */
  amounts: { min?: number; max?: number; any?: number };
}

/**
 * The input the network takes: the features it knows, each weighted 1/√n. nlp.js feeds every
 * feature in at 1, so a long message adds up the small negative weights of dozens of words until
 * every intent scores zero; scaled, a rambling message with one clear question in it reads like
 * the question.
 */
export function networkInput(features: readonly string[]): Record<string, number> {
  const value = features.length ? 1 / Math.sqrt(features.length) : 0;
  return Object.fromEntries(features.map((f) => [f, value]));
}

export function featuresOf(input: FeatureInput): Record<string, number> {
  const features: Record<string, number> = {};
  const words = input.masked.split(' ').filter(Boolean);
  const addWord = (word: string) => {
    if (placeholders.has(word) || /\d/.test(word)) {
      features[placeholders.has(word) ? word : SLOT_WORDS.number] = 1;
      return;
    }
    features[(es ??= new StemmerEs()).stemWord(word)] = 1;
    // The first letters carry a word's sense across its endings and slang spellings ("transfers",
    // "transferencias", "transfe"), where a stemmer of one language misses.
    if (word.length >= 5) features[`${word.slice(0, 4)}-`] = 1;
  };
  words.forEach(addWord);
  for (const word of input.typed.split(' ')) if (word && !/\d/.test(word)) addWord(word);
  for (let i = 1; i < words.length; i++) features[`${words[i - 1]}_${words[i]}`] = 1;
  if (input.amounts.min !== undefined) features['@over'] = 1;
  if (input.amounts.max !== undefined) features['@under'] = 1;
  if (input.amounts.any !== undefined) features['@money'] = 1;
  // How long a message is tells a bare "and yesterday?" from a question, and a greeting from a story.
  features[words.length <= 2 ? '@short' : words.length <= 8 ? '@medium' : '@long'] = 1;
  return features;
}
