import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';
import { seededRandom } from '../../../seeded-random';
import { intentNames, type IntentName } from '../intent-names';
import { accountTypes, categories, merchants as lexiconMerchants, months, spanishWords } from '../lexicon';
import { english } from './examples.en';
import { spanish } from './examples.es';
import { placeholders, type LanguageData, type Placeholder, type TrainedIntent } from './types';

/**
 * The corpus the intent classifier is trained on, at build time: every hand-written template of
 * examples.en.ts / examples.es.ts expanded with slot values (merchants, categories, account words
 * and months from the lexicon, so a new lexicon entry reaches the model without touching this
 * folder), then varied the way real messages vary (lower case, no accents, no punctuation, a typo,
 * an emoji or filler, a rambling start or end), plus the labelled tuning fixtures. Deterministic:
 * the same seed gives the same corpus, so a trained model can be rebuilt and compared.
 *
 * Never reads test/fixtures/nlu/: the held-out set must stay unseen by anything that shapes the model.
 */

export type Language = 'en' | 'es';

export interface TrainingExample {
  text: string;
  lang: Language;
  intent: IntentName;
}

const languages: Record<Language, LanguageData> = { en: english, es: spanish };

/** Labels the classifier does not learn apart, mapped to the one it learns (see TrainedIntent). */
const folded: Readonly<Record<string, TrainedIntent>> = { 'my-data': 'export' };
export const trainedIntents: readonly TrainedIntent[] = intentNames.filter((name): name is TrainedIntent => !(name in folded));

/**
 * Examples per intent and language. Money questions come in the most shapes (slots, periods,
 * regional words), bare replies in the fewest; every intent stays far below 12% of a language.
 */
const targets: Partial<Record<TrainedIntent, number>> = {
  balance: 260,
  transactions: 260,
  spending: 260,
  search: 260,
  largest: 240,
  subscriptions: 130,
  bills: 130,
  income: 130,
  'follow-up': 240,
  'what-shared': 200,
  'change-scopes': 200,
  'stop-sharing': 220,
  'data-policy': 220,
  export: 200,
  'link-bank': 200,
  'card-emergency': 240,
  'bank-only': 220,
  fallback: 240,
  help: 150,
  greeting: 110,
  thanks: 110,
  yes: 110,
  no: 110,
};
const DEFAULT_TARGET = 170;
/** Share of an intent's examples that are plain template expansions; variants of them make the rest. */
const BASE_SHARE = 0.5;
/** Bare replies and fragments: a rambling start or a leading word would change what they are. */
const shortIntents = new Set<TrainedIntent>(['greeting', 'thanks', 'yes', 'no', 'follow-up']);
const alertAnswers = new Set<TrainedIntent>(['it-was-me', 'not-me']);
/**
 * Texts per intent and language that may read alike (differ only in case, accents, punctuation or
 * emoji): a few teach that those do not matter, more would only weigh one phrasing over the rest.
 */
const SAME_READING = 2;
const SAME_READING_SHORT = 3;

export const DEFAULT_SEED = 15;

// ── randomness ───────────────────────────────────────────────────────────────────────────────────

type Random = () => number;


/**
 * FNV-1a, so each intent draws from its own stream: editing one intent's templates leaves the
 * other intents' examples as they were (but for a text the edited intent now claims first).
 */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const pick = <T>(random: Random, items: readonly T[]): T => {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(random() * items.length)]!;
};

// ── slot values from the lexicon ─────────────────────────────────────────────────────────────────

let englishDictionary: Set<string> | undefined;
/**
 * The lexicon lists English and Spanish phrases together; a maintained English word list (the
 * an-array-of-english-words devDependency, also behind real-words.ts) tells them apart. Words both
 * languages use ("taxi", "hotel") count as English; Spanish sentences still get them through
 * their share of English phrases, which is how Spanglish reads anyway.
 */
function isEnglishPhrase(phrase: string): boolean {
  englishDictionary ??= new Set(createRequire(import.meta.url)('an-array-of-english-words') as string[]);
  const dictionary = englishDictionary;
  return phrase.split(' ').every((word) => dictionary.has(word) && !spanishWords.has(word) && word !== 'al');
}

/** Share of Spanish category and account slots filled with an English phrase ("cuánto gasté en groceries"). */
const SPANGLISH = 0.2;

interface Vocabulary {
  categories: { own: string[]; borrowed: string[] };
  accounts: { own: string[]; borrowed: string[] };
  periods: string[];
  months: string[];
  merchants: string[];
}

function monthNames(locale: string): string[] {
  const format = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
  return Array.from({ length: 12 }, (_, i) => format.format(new Date(Date.UTC(2024, i, 1))).toLowerCase());
}

function vocabularyOf(lang: Language, data: LanguageData): Vocabulary {
  const split = (phrases: readonly string[]) => {
    const englishOnes = phrases.filter(isEnglishPhrase);
    const others = phrases.filter((p) => !isEnglishPhrase(p));
    return lang === 'en' ? { own: englishOnes, borrowed: [] } : { own: others, borrowed: englishOnes };
  };
  const unique = (items: Iterable<string>) => [...new Set(items)];
  // "my card" and "la tarjeta" already carry the determiner the templates supply.
  const accountPhrases = Object.values(accountTypes)
    .flat()
    .filter((p) => !/^(?:my|the|la|el|mi|mis)\b/.test(p));
  const englishMonths = monthNames('en');
  const spanishMonths = monthNames('es');
  const monthKeys = Object.keys(months).filter((key) => {
    const name = (names: string[]) => names.some((n) => n.startsWith(key));
    const isEnglish = name(englishMonths);
    return lang === 'en' ? isEnglish : !isEnglish && (name(spanishMonths) || !name(englishMonths));
  });
  return {
    categories: split(unique(Object.values(categories).flatMap((c) => c.phrases))),
    accounts: split(unique(accountPhrases)),
    periods: [...data.periods],
    months: data.monthPhrases.flatMap((phrase) => monthKeys.map((m) => phrase.replace('#', m))),
    merchants: unique([...lexiconMerchants.flat(), ...data.merchants]),
  };
}

const titleCase = (text: string) => text.replace(/(^|\s)(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());

function amountOf(random: Random, lang: Language, data: LanguageData): string {
  if (random() < 0.35) return pick(random, data.amounts.phrases);
  const n = pick(random, data.amounts.numbers);
  const written = n >= 1000 && random() < 0.5 ? n.toLocaleString(lang === 'es' && random() < 0.5 ? 'es-ES' : 'en-US') : String(n);
  return pick(random, data.amounts.formats).replace('#', written);
}

function slotValue(name: Placeholder, random: Random, lang: Language, data: LanguageData, vocabulary: Vocabulary): string {
  const ownOrBorrowed = (pools: { own: string[]; borrowed: string[] }) =>
    pools.borrowed.length > 0 && random() < SPANGLISH ? pick(random, pools.borrowed) : pick(random, pools.own);
  switch (name) {
    case 'merchant': {
      const merchant = pick(random, vocabulary.merchants);
      return random() < 0.45 ? titleCase(merchant) : merchant;
    }
    case 'category':
      return ownOrBorrowed(vocabulary.categories);
    case 'account':
      return ownOrBorrowed(vocabulary.accounts);
    case 'period':
      return random() < 0.25 ? pick(random, vocabulary.months) : pick(random, vocabulary.periods);
    case 'count':
      return pick(random, data.counts);
    case 'amount':
      return amountOf(random, lang, data);
    case 'money-word':
      return pick(random, data.moneyWords);
    case 'bank':
      return pick(random, data.banks);
    case 'filler':
      return pick(random, data.fillers);
    case 'name':
      return pick(random, data.names);
    case 'day':
      return pick(random, data.days);
  }
}

// ── templates and variants ───────────────────────────────────────────────────────────────────────

const PLACEHOLDER = /\{([^}]*)\}/g;
const isPlaceholder = (name: string): name is Placeholder => (placeholders as readonly string[]).includes(name);

/** Spaces and punctuation as a person would leave them once an empty filler is gone. */
const tidy = (text: string) =>
  text
    .replace(/\s+/g, ' ')
    .replace(/\s+([?!.,])/g, '$1')
    .replace(/([¿¡])\s+/g, '$1')
    .replace(/^[\s,]+/, '')
    .trim();

function expand(template: string, fill: (name: Placeholder) => string): string {
  return tidy(
    template.replace(PLACEHOLDER, (_, name: string) => {
      if (!isPlaceholder(name)) throw new Error(`Unknown placeholder {${name}} in training template "${template}"`);
      return fill(name);
    }),
  );
}

const lowerFirst = (text: string) => (/^\p{Lu}\p{Ll}/u.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text);
const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A typo in one word of five letters or more: a letter dropped, doubled or swapped with the next. */
function typo(text: string, random: Random): string {
  const words = text.split(' ');
  const candidates = words.flatMap((word, i) => (/^\p{L}{5,}/u.test(word) ? [i] : []));
  if (candidates.length === 0) return text;
  const at = pick(random, candidates);
  const word = words[at]!;
  const letters = word.match(/^\p{L}+/u)![0];
  const i = 1 + Math.floor(random() * (letters.length - 2));
  const kind = Math.floor(random() * 3);
  const changed =
    kind === 0
      ? letters.slice(0, i) + letters.slice(i + 1)
      : kind === 1
        ? letters.slice(0, i) + letters[i] + letters.slice(i)
        : letters.slice(0, i) + letters[i + 1] + letters[i] + letters.slice(i + 2);
  words[at] = changed + word.slice(letters.length);
  return words.join(' ');
}

/** Punctuation gone, but not the point or comma inside an amount ("$20.00", "1,500"). */
const withoutPunctuation = (t: string) => tidy(t.replace(/[-–]/g, ' ').replace(/[¿¡?!;:'’"…()]|(?<!\d)[.,]|[.,](?!\d)/g, ''));

type Variant = (text: string, random: Random, data: LanguageData) => string;

const variants: Record<string, Variant> = {
  lower: (t) => t.toLowerCase(),
  // People drop accents far more often than the ñ; sometimes that too, and the opening ¿ ¡.
  noAccents: (t, random) =>
    t
      .normalize('NFD')
      // The tilde of ñ is U+0303 after an n: kept unless this variant drops the ñ as well.
      .replace(random() < 0.7 ? /[\u0300-\u0302\u0304-\u036f]|(?<![nN])\u0303/g : /[\u0300-\u036f]/g, '')
      .normalize('NFC')
      .replace(/[¿¡]/g, ''),
  noPunctuation: (t) => withoutPunctuation(t),
  typo: (t, random) => typo(t, random),
  emoji: (t, random, data) => `${t}${random() < 0.3 ? '' : ' '}${pick(random, data.emoji)}`,
  // Voice-to-text: no punctuation, a capital at the start, nothing else.
  voice: (t) => upperFirst(withoutPunctuation(t).toLowerCase()),
  tail: (t, random, data) => `${t} ${pick(random, data.tails)}`,
  head: (t, random, data) => `${pick(random, data.heads)} ${lowerFirst(t)}`,
  rambleStart: (t, random, data) => `${pick(random, data.rambleStarts)} ${lowerFirst(t)}`,
  rambleEnd: (t, random, data) => `${t}${/[\p{L}\p{N}]$/u.test(t) ? ',' : ''} ${pick(random, data.rambleEnds)}`,
};

const replyVariants = ['lower', 'noAccents', 'noPunctuation', 'typo', 'emoji', 'voice'];
// Weighted by repetition: lower case and missing punctuation are everywhere.
const messageVariants = [...replyVariants, 'lower', 'noPunctuation', 'noAccents', 'typo', 'tail', 'head', 'rambleStart', 'rambleEnd'];
// An answer to a fraud alert opens with the answer: a rambling start would not be one.
const answerVariants = messageVariants.filter((v) => v !== 'rambleStart');
const SHOUTING = 0.04;

function vary(text: string, random: Random, data: LanguageData, intent: TrainedIntent): string {
  const choices = shortIntents.has(intent) ? replyVariants : alertAnswers.has(intent) ? answerVariants : messageVariants;
  const count = 1 + Math.floor(random() * 3);
  const chosen = new Set<string>();
  for (let i = 0; i < count; i++) chosen.add(pick(random, choices));
  let varied = text;
  for (const name of chosen) varied = variants[name]!(varied, random, data);
  return tidy(random() < SHOUTING ? varied.toUpperCase() : varied);
}

/** What the classifier sees of a text (case, accents, punctuation and emoji gone): two labels for one of these contradict each other. */
export function readingKey(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’`´]/g, '')
    .replace(/[^\p{L}\p{N}$£ ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// ── fixtures ─────────────────────────────────────────────────────────────────────────────────────

const Fixtures = z.array(z.object({ text: z.string(), lang: z.enum(['en', 'es']), intent: z.string() }));
const fixtureFiles = ['utterances.json', 'utterances-holdout.json'];

/**
 * The labelled tuning utterances (test/fixtures), written by people, so they join the corpus as
 * they are. Read from the repository at build time; this module is never bundled into a function.
 * Whether a fixture text may be varied is decided in generateCorpus (it may not).
 */
function tuningFixtures(): TrainingExample[] {
  const trained = new Set<string>(trainedIntents);
  return fixtureFiles.flatMap((file) => {
    const entries = Fixtures.parse(JSON.parse(readFileSync(new URL(`../../../../test/fixtures/${file}`, import.meta.url), 'utf8')));
    return entries.map((entry) => {
      const intent = folded[entry.intent] ?? entry.intent;
      if (!trained.has(intent)) throw new Error(`test/fixtures/${file}: "${entry.text}" is labelled with an unknown intent "${entry.intent}"`);
      return { text: entry.text, lang: entry.lang, intent: intent as TrainedIntent };
    });
  });
}

// ── the corpus ───────────────────────────────────────────────────────────────────────────────────

export interface Corpus {
  examples: TrainingExample[];
  /** Generated texts dropped because another intent produced the same reading (fixtures always win). */
  dropped: number;
}

export function generateCorpus(options: { seed?: number } = {}): Corpus {
  const seed = options.seed ?? DEFAULT_SEED;
  const fixtures = tuningFixtures();
  // Who owns each reading, across both languages; fixtures first, so a template never outvotes a person.
  const owner = new Map<string, TrainedIntent>();
  const fromFixture = new Set<string>();
  const contested = new Set<string>();
  for (const f of fixtures) {
    owner.set(readingKey(f.text), f.intent as TrainedIntent);
    fromFixture.add(`${f.lang}\u0000${f.text}`);
  }

  const pools = new Map<string, { lang: Language; intent: TrainedIntent; texts: Set<string> }>();
  for (const lang of Object.keys(languages) as Language[]) {
    const data = languages[lang];
    const vocabulary = vocabularyOf(lang, data);
    const seen = new Set<string>();
    for (const intent of trainedIntents) {
      const random = seededRandom(hash(`${seed}:${lang}:${intent}`));
      const target = targets[intent] ?? DEFAULT_TARGET;
      const texts = new Set<string>();
      const readings = new Map<string, number>();
      const sameReading = shortIntents.has(intent) ? SAME_READING_SHORT : SAME_READING;
      const add = (text: string, fixture = false): boolean => {
        if (text === '' || seen.has(text)) return false;
        const key = readingKey(text);
        const current = owner.get(key);
        if (current !== undefined && current !== intent) {
          if (!fixture) contested.add(key);
          return false;
        }
        if (!fixture && (readings.get(key) ?? 0) >= sameReading) return false;
        owner.set(key, intent);
        readings.set(key, (readings.get(key) ?? 0) + 1);
        seen.add(text);
        texts.add(text);
        return true;
      };
      // Fixtures join as written and are not varied: the templates are the corpus's own writing,
      // and a variant of a tuning utterance is the likeliest text to coincide with a held-out one.
      for (const f of fixtures) if (f.lang === lang && f.intent === intent) add(f.text, true);
      const base: string[] = [];
      const templates = data.templates[intent];
      const perTemplate = Math.max(1, Math.ceil((target * BASE_SHARE) / templates.length));
      for (const template of templates) {
        let made = 0;
        for (let attempt = 0; attempt < perTemplate * 4 && made < perTemplate; attempt++) {
          const text = expand(template, (name) => slotValue(name, random, lang, data, vocabulary));
          if (add(text)) {
            base.push(text);
            made++;
          }
        }
      }
      for (let attempt = 0; texts.size < target && attempt < target * 40; attempt++) add(vary(pick(random, base), random, data, intent));
      pools.set(`${lang}:${intent}`, { lang, intent, texts });
    }
  }

  // A reading two intents produced teaches nothing but confusion: keep it only where a person labelled it.
  let dropped = 0;
  const examples: TrainingExample[] = [];
  for (const { lang, intent, texts } of pools.values()) {
    for (const text of texts) {
      if (contested.has(readingKey(text)) && !fromFixture.has(`${lang}\u0000${text}`)) {
        dropped++;
        continue;
      }
      examples.push({ text, lang, intent });
    }
  }
  return { examples, dropped };
}

/** The training corpus: labelled examples in English and Spanish, the same for the same seed. */
export function trainingExamples(options: { seed?: number } = {}): TrainingExample[] {
  return generateCorpus(options).examples;
}

/** Templates per intent and language, as written. */
export function templateCounts(): Record<Language, Record<TrainedIntent, number>> {
  const count = (data: LanguageData) => Object.fromEntries(trainedIntents.map((intent) => [intent, data.templates[intent].length])) as Record<TrainedIntent, number>;
  return { en: count(english), es: count(spanish) };
}

// ── command line ─────────────────────────────────────────────────────────────────────────────────

function printStats(): void {
  const started = performance.now();
  const { examples, dropped } = generateCorpus();
  const ms = performance.now() - started;
  const templates = templateCounts();
  const counts = (lang: Language, intent: TrainedIntent) => examples.filter((e) => e.lang === lang && e.intent === intent).length;
  const total = (lang: Language) => examples.filter((e) => e.lang === lang).length;
  const rows = trainedIntents.map((intent) =>
    [intent.padEnd(20), String(templates.en[intent]).padStart(6), String(counts('en', intent)).padStart(8), String(templates.es[intent]).padStart(6), String(counts('es', intent)).padStart(8)].join(' '),
  );
  console.log(['intent'.padEnd(20), 'en tpl'.padStart(6), 'en ex'.padStart(8), 'es tpl'.padStart(6), 'es ex'.padStart(8)].join(' '));
  console.log(rows.join('\n'));
  const sum = (lang: Language) => Object.values(templates[lang]).reduce((a, b) => a + b, 0);
  console.log(['total'.padEnd(20), String(sum('en')).padStart(6), String(total('en')).padStart(8), String(sum('es')).padStart(6), String(total('es')).padStart(8)].join(' '));
  console.log(`${examples.length} examples in ${ms.toFixed(0)} ms (seed ${DEFAULT_SEED}); ${dropped} generated texts dropped for reading like another intent's`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--stats')) printStats();
  else console.log('usage: npx tsx lib/assistant/nlu/training/generate.ts --stats');
}
