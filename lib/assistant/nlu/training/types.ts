import type { IntentName } from '../intent-names';

/**
 * The intents the classifier learns: those of intent-names.ts less "my-data". "What data do you
 * have on me" gets the very answer "export my data" gets (compose.ts answers both with the same
 * message), and the labelling guide files it under export, so training them apart would only teach
 * the model a distinction nobody sees and the held-out set does not make. The postback that names
 * "my-data" does not go through the classifier.
 */
export type TrainedIntent = Exclude<IntentName, 'my-data'>;

/** Slot placeholders a template may hold, each filled by the generator. */
export const placeholders = ['merchant', 'category', 'period', 'account', 'count', 'amount', 'money-word', 'bank', 'filler', 'name', 'day'] as const;
export type Placeholder = (typeof placeholders)[number];

/**
 * Everything one language contributes to the corpus. Merchants, categories, account words and
 * month names come from the lexicon (so a new lexicon entry reaches the corpus unasked); the lists
 * here are what the lexicon does not hold: how people say periods, amounts and money, whom they
 * send money to, and how they pad a message.
 */
export interface LanguageData {
  /** Messages as people write them, per intent, with {placeholder}s. */
  templates: Record<TrainedIntent, readonly string[]>;
  /** Periods as said, each complete with its preposition ("in the last 30 days", "la semana pasada"). */
  periods: readonly string[];
  /** How a month name from the lexicon is said as a period; "#" is the month. */
  monthPhrases: readonly string[];
  /** A number of transactions, as digits or words. */
  counts: readonly string[];
  /** A day of the month, as it follows "since the" / "desde el". */
  days: readonly string[];
  /** Amounts: a number written in one of `formats` ("#" is the number), or one of `phrases` as is. */
  amounts: { formats: readonly string[]; numbers: readonly number[]; phrases: readonly string[] };
  /** Words for money itself, regional slang included. */
  moneyWords: readonly string[];
  banks: readonly string[];
  /** Whom money is sent to. */
  names: readonly string[];
  /** Merchants the lexicon lacks but people of this language name (a shop, an app, a phone company). */
  merchants: readonly string[];
  /** Interjections a template may open with; '' leaves the message without one. */
  fillers: readonly string[];
  /** What a variant may put before or after a message: a word, an emoji, a rambling start or end. */
  heads: readonly string[];
  tails: readonly string[];
  emoji: readonly string[];
  rambleStarts: readonly string[];
  rambleEnds: readonly string[];
}
