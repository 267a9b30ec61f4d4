import { distance } from 'fastest-levenshtein';
import type { IntentName } from './intent-names';
import {
  accountTypes,
  categories,
  categoryKeys,
  commonWords,
  englishWords,
  merchants,
  months,
  multiplierWords,
  numberWords,
  shorthands,
  spanishWords,
  type AccountType,
  type CategoryKey,
} from './lexicon';
import { SLOT_WORDS } from './features';
import { isRealWord } from './real-words';
import type { Language } from '../../text/language';

/**
 * A message as the understanding reads it, before its intent is decided: deterministic and
 * table-driven. Text is normalised, each word that is neither in the lexicon nor a real English
 * word is corrected to the nearest lexicon word within a small edit distance (so "balnce" and
 * "cuanto gaste" read as meant, while "pending" stays pending), and slots (periods, counts,
 * merchants, categories, accounts, amounts) are read by patterns and replaced by placeholder words
 * for the classifier. Hand-written because no library reads bilingual banking slots (periods such
 * as "la quincena pasada", "2k", "a grand"); the corpus under test/fixtures measures it.
 */
// The names live in a module of their own (see there); they are part of this module's interface.
export { intentNames, type IntentName } from './intent-names';

/**
 * A period as asked, before it is resolved against a clock: today | yesterday | this-week |
 * last-week | this-month | last-month | this-year | last-year | last-<N>-days | month-<1..12> |
 * since-<day of month>.
 */
export type PeriodSpec = string;

export interface Slots {
  period?: PeriodSpec;
  category?: CategoryKey;
  merchant?: string;
  accountType?: AccountType;
  count?: number;
  minAmount?: number;
  maxAmount?: number;
  amount?: number;
  enabled?: boolean;
}

export type { Language };

/** One reading of a message: an intent with the slots it uses. */
export interface Meaning {
  intent: IntentName;
  slots: Slots;
}

export interface Understanding {
  intent: IntentName;
  slots: Slots;
  /** The language the words are in, when they say (a bare "ok" or "Netflix" does not). */
  lang: Language | undefined;
  /** When the classifier could not tell, the two likeliest readings, likeliest first: the person is asked. */
  unsure?: [Meaning, Meaning];
}

export interface UnderstandContext {
  /** The person's own merchants (names as their bank reports them), recognised like the built-in ones. */
  merchants?: readonly string[];
}

// ── normalising and correcting ───────────────────────────────────────────────────────────────────

/** Lower case, no accents or apostrophes, digits joined ("1,500" → 1500, "2k" → 2000), "$" apart. */
export function normalise(text: string): string {
  let t = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’`´]/g, '');
  // Thousands written with a comma ("1,500") or, as Spanish writes them, a dot ("50.000"): a dot
  // before exactly three digits is never a price's cents.
  for (let i = 0; i < 2; i++) t = t.replace(/(\d)[,.](\d{3})(?!\d)/g, '$1$2');
  const ascii = t
    .replace(/(\d+(?:\.\d+)?)\s?k\b/g, (_, n: string) => String(Math.round(parseFloat(n) * 1000)))
    // A "luca" is a thousand pesos in Chile and Argentina: "20 lucas" is 20,000.
    .replace(/\b(\d+(?:\.\d+)?)\s?lucas?\b/g, (_, n: string) => `${Math.round(parseFloat(n) * 1000)} pesos`)
    .replace(/\b(\d{1,2})(st|nd|rd|th|ro|ero|do|to|vo|no)\b/g, '$1')
    .replace(/([a-z])\1{2,}/g, '$1$1')
    // Pounds and euros read as the money sign does: an amount, in whatever currency the account has.
    .replace(/[$£€]+/g, ' $ ')
    .replace(/(?<!\d)\.|\.(?!\d)/g, ' ')
    .replace(/[^a-z0-9$. ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // V8 stores a text with accents or emoji two bytes a character, and what is cut or made from it
  // (or from a larger text that had any) too, ASCII or not; every pattern the understanding runs
  // would then be compiled a second time, for two-byte text (~5 ms on a container's first such
  // message). Rebuilt from its characters (~1 µs), what is left here, ASCII, is one byte each.
  return ascii.split('').join('');
}

/**
 * Where a phrase first stands as whole words in normalised text (single spaces, trimmed), as
 * `(?:^| )phrase(?= |$)` would match it: the leading space belongs to the match. A plain scan rather
 * than a pattern per phrase: the lexicon has hundreds of phrases, and compiling a pattern for each
 * would cost ~1 ms of every cold start and more than the scan does per message.
 */
function wholePhraseAt(text: string, phrase: string): { index: number; length: number } | undefined {
  for (let at = text.indexOf(phrase); at !== -1; at = text.indexOf(phrase, at + 1)) {
    const end = at + phrase.length;
    if ((at === 0 || text[at - 1] === ' ') && (end === text.length || text[end] === ' ')) {
      return at === 0 ? { index: 0, length: phrase.length } : { index: at - 1, length: phrase.length + 1 };
    }
  }
  return undefined;
}

/** Words the intents hinge on, so that a misspelling of one is corrected to it. */
const ruleWords =
  'balance balances saldo saldos transactions transaction purchases purchase charges charge payments movimientos movements ' +
  'transacciones compras cargos pagos spend spent spending gaste gastado gastos gasto pague pagado biggest largest ' +
  'expensive grande grandes alerts alert notify notifications avisame alertas fraud fraude suspicious sospechoso ' +
  'sharing share compartir compartiendo unlink disconnect revoke desvincular desconectar revocar export download ' +
  'exportar descargar privacy privacidad advertising anuncios publicidad human humano agent agente asesor ' +
  'representative representante person persona link connect vincular conectar agregar help ayuda thanks gracias ' +
  'hello hola greetings saludos permissions permisos change cambiar owe debo available disponible activity history ' +
  'historial recent recientes latest ultimos ultimas show muestrame search busca anything algo over under above below ' +
  'less more menos mayor yesterday today ayer hoy week semana month mes year ano since desde last past pasado pasada';

const merchantIndex = (extra: readonly string[]) => {
  const entries: { phrase: string; canonical: string }[] = [];
  for (const [canonical, ...aliases] of merchants) for (const phrase of [canonical, ...aliases]) entries.push({ phrase, canonical });
  for (const name of extra) {
    const phrase = normalise(name).replace(/\s*\d+$/, '');
    if (phrase.length >= 3 && !entries.some((e) => e.phrase === phrase)) entries.push({ phrase, canonical: phrase });
  }
  return entries.sort((a, b) => b.phrase.length - a.phrase.length);
};
const builtInMerchants = merchantIndex([]);

/**
 * A person's merchants change only when a sync brings new ones, so the index of the last list seen
 * is kept rather than normalised and sorted again for every message.
 */
let lastMerchants: { key: string; index: ReturnType<typeof merchantIndex>; known: Set<string> } | undefined;
function personalMerchants(names: readonly string[] | undefined) {
  const key = names?.length ? names.join('\u0000') : '';
  if (lastMerchants?.key !== key) {
    const index = key ? merchantIndex(names!) : builtInMerchants;
    lastMerchants = { key, index, known: new Set(index.flatMap((m) => m.phrase.split(' '))) };
  }
  return lastMerchants;
}

const vocabulary = (() => {
  const words = new Set<string>(commonWords);
  const add = (phrase: string) => phrase.split(' ').forEach((w) => w && words.add(w));
  ruleWords.split(' ').forEach(add);
  Object.values(categories).forEach((c) => c.phrases.forEach(add));
  Object.values(accountTypes).forEach((phrases) => phrases.forEach(add));
  builtInMerchants.forEach((m) => add(m.phrase));
  [...Object.keys(months), ...Object.keys(numberWords), ...Object.keys(multiplierWords), ...spanishWords, ...englishWords].forEach(add);
  return words;
})();
/** The words the corrector corrects towards, sorted: what the real-word list is derived against. */
export const correctionVocabulary = () => [...vocabulary].sort();
const byLength = new Map<number, string[]>();
for (const word of vocabulary) {
  const same = byLength.get(word.length);
  if (same) same.push(word);
  else byLength.set(word.length, [word]);
}

/**
 * A word as corrected: unchanged when it is known (a lexicon word, one of the person's merchants,
 * or a real English word the lexicon lacks: "pending" is not a misspelt "spending"), else the
 * nearest lexicon word.
 */
function correct(word: string, known: Set<string>): string {
  if (known.has(word) || vocabulary.has(word) || /[\d$]/.test(word)) return word;
  // A letter held for emphasis ("hiii", "yesss", "pleasee"): normalise leaves two, one may be right.
  const single = word.replace(/([a-z])\1/g, '$1');
  if (single !== word && (vocabulary.has(single) || known.has(single)) && !isRealWord(word)) return single;
  if (word.length < 4 || isRealWord(word)) return word;
  let nearest = corrected.get(word);
  if (nearest === undefined) {
    // Bounded: a container lives for hours and people write any word at all.
    if (corrected.size >= 5_000) corrected.clear();
    nearest = nearestKeyword(word);
    corrected.set(word, nearest);
  }
  return nearest;
}
/**
 * Corrections already worked out. Finding the nearest keyword compares the word with every lexicon
 * word of about its length (~0.1 ms); a long message is read whole and sentence by sentence, and
 * people repeat their words, so each is worked out once.
 */
const corrected = new Map<string, string>();

/**
 * The nearest lexicon word within 1 edit (2 for words of 7+ letters); a word with none stays as it
 * is. Exported for the build of the real-word list, which keeps the words this would wrongly change.
 */
export function nearestKeyword(word: string): string {
  if (vocabulary.has(word)) return word;
  const allowed = word.length >= 7 ? 2 : 1;
  let best: string | undefined;
  let bestScore = Infinity;
  for (let length = word.length - allowed; length <= word.length + allowed; length++) {
    // In a four-letter word one changed letter is a quarter of it: "alex" is a name, not "amex",
    // "lock" is not "look". Only a letter dropped, added or swapped reads as a typo there.
    const substitutionOnly = word.length === 4 && length === 4;
    for (const candidate of byLength.get(length) ?? []) {
      const swapped = transposed(word, candidate);
      if (substitutionOnly && !swapped) continue;
      const d = swapped ? 1 : distance(word, candidate);
      if (d > allowed) continue;
      // A typo rarely changes the first letter: such candidates need to be strictly closer. A
      // dropped letter ("acount", "mony") is likelier than a changed one ("amount", "many").
      const score = d + (candidate[0] === word[0] ? 0 : 0.5) - (isSubsequence(word, candidate) ? 0.25 : 0);
      if (score < bestScore) [best, bestScore] = [candidate, score];
    }
  }
  return best !== undefined && (bestScore <= allowed || bestScore < 1) ? best : word;
}

/** Two neighbouring letters swapped ("slado", "waht"): one typo, though Levenshtein counts two. */
function transposed(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const c of long) if (c === short[i]) i++;
  return i === short.length;
}

/** Number words to digits: "five" → 5, "two hundred" → 200, "dos mil" → 2000, "a hundred" → 100. */
function numbersToDigits(tokens: string[]): string[] {
  const out: string[] = [];
  let value: number | undefined;
  const flush = () => {
    if (value !== undefined) out.push(String(value));
    value = undefined;
  };
  for (const [i, token] of tokens.entries()) {
    const digits = /^\d+(\.\d+)?$/.test(token) ? Number(token) : undefined;
    if (numberWords[token] !== undefined) {
      value = (value ?? 0) + numberWords[token]!;
    } else if (multiplierWords[token] !== undefined && (value !== undefined || ['a', 'one', 'un'].includes(out.at(-1) ?? '') || token === 'mil')) {
      if (value === undefined && ['a', 'one', 'un'].includes(out.at(-1) ?? '')) out.pop();
      value = (value ?? 1) * multiplierWords[token]!;
    } else if (digits !== undefined && multiplierWords[tokens[i + 1] ?? ''] !== undefined) {
      flush();
      value = digits;
    } else {
      flush();
      out.push(token);
    }
  }
  flush();
  return out;
}

// ── slots ────────────────────────────────────────────────────────────────────────────────────────

const monthPattern = Object.keys(months).sort((a, b) => b.length - a.length).join('|');
const UNIT_DAYS: Record<string, number> = { day: 1, days: 1, dia: 1, dias: 1, week: 7, weeks: 7, semana: 7, semanas: 7 };

/** Period patterns, most specific first; each returns the PeriodSpec of its match. */
const periodRules: [RegExp, (m: RegExpExecArray) => PeriodSpec | undefined][] = [
  [/\b(?:last|past|previous|the last|the past|in the last|in the past|(?:en )?(?:los|las) ultim[oa]s|ultim[oa]s|(?:en )?(?:los|las) pasad[oa]s)\s+(\d{1,3})\s+(days?|dias?|weeks?|semanas?)\b/, (m) => `last-${Number(m[1]) * UNIT_DAYS[m[2]!]!}-days`],
  [/\b(\d{1,3})\s+(days?|dias?)\s+(?:ago|back|atras)?\b/, (m) => (Number(m[1]) > 1 ? `last-${m[1]}-days` : undefined)],
  [/\b(?:since|from|starting|desde|a partir del?)\s+(?:the\s+|el\s+|el dia\s+|day\s+)?(\d{1,2})\b(?!\s*(?:\$|usd|dollars|dolares|days|dias))/, (m) => (Number(m[1]) >= 1 && Number(m[1]) <= 31 ? `since-${Number(m[1])}` : undefined)],
  [/\b(?:today|todays|hoy|so far today|de hoy)\b/, () => 'today'],
  [/\b(?:yesterday|yesterdays|ayer|de ayer|anoche|last night)\b/, () => 'yesterday'],
  [/\b(?:last|past|previous|prior) week\b|\b(?:la )?semana pasada\b|\b(?:la )?semana anterior\b/, () => 'last-week'],
  [/\b(?:this|current|so far this) week\b|\besta semana\b|\bla semana\b|\bthis wk\b/, () => 'this-week'],
  [/\b(?:last|past|previous|prior) month\b|\b(?:el )?mes pasado\b|\b(?:el )?mes anterior\b/, () => 'last-month'],
  // "el mes de abril" names a month: the rule for named months reads it.
  [new RegExp(`\\b(?:this|current|so far this) month\\b|\\beste mes\\b|\\b(?:el|del) mes\\b(?! de (?:${monthPattern})\\b)|\\bthis mo\\b|\\bmonth to date\\b`), () => 'this-month'],
  [/\b(?:last|past|previous|prior) year\b|\b(?:el )?ano pasado\b|\b(?:el )?ano anterior\b/, () => 'last-year'],
  [/\b(?:this|current|so far this) year\b|\beste ano\b|\bel ano\b|\bdel ano\b|\bytd\b|\byear to date\b|\bthis yr\b|\ben lo que va del ano\b/, () => 'this-year'],
  [new RegExp(`\\b(?:in|for|during|of|on|en|de|durante|del mes de|el mes de|para|same for)\\s+(${monthPattern})\\b`), (m) => `month-${months[m[1]!]}`],
  [new RegExp(`\\b(${Object.keys(months).filter((k) => k.length >= 5 && k !== 'march').join('|')})\\b`), (m) => `month-${months[m[1]!]}`],
];

const countRules: RegExp[] = [
  /\b(?:last|latest|recent|top|first|past|my last|my|the last|the|ultim[oa]s|mis ultim[oa]s|l[oa]s ultim[oa]s|mis|l[oa]s|primer[oa]s|(?:l[oa]s )?\d+ mas)\s+(\d{1,3})\b(?!\s*(?:\$|usd|dollars?|dolares?|bucks|pesos|days?|dias?|weeks?|semanas?|months?|meses|k\b))/,
  /\b(\d{1,3})\s+(?:most recent |latest |recent |biggest |largest |last |top |ultim[oa]s |mayores |principales )?(?:transactions?|purchases?|charges?|payments?|expenses?|movimientos?|compras?|cargos?|pagos?|transacciones?|gastos?|operaciones|biggest|largest|mas grandes|mas caras|mas caros)\b/,
];

/** Money named after the number, in the currencies people here write: "20 bucks", "500 quetzales". */
const CURRENCY_WORDS = 'usd|dollars?|dolares?|dlls?|bucks|pesos|pounds?|quid|euros?|eur|mxn|libras?|soles|pavos|quetzal(?:es)?|colones|lempiras?|cordobas?|bolivares|guaranies|reales|balboas?';
const CURRENCY = `(?:\\$\\s*)?(\\d+(?:\\.\\d{1,2})?)(?:\\s*(?:${CURRENCY_WORDS}))?`;
const MIN_WORDS = '(?:over|bigger|larger|above|more than|greater than|bigger than|larger than|higher than|at least|exceeding|exceeds|mas de|mas que|mayor(?:es)? (?:a|de|que)|arriba de|por encima de|superior(?:es)? a|encima de|minimo|min)';
const MAX_WORDS = '(?:under|below|less than|smaller than|lower than|at most|cheaper than|menos de|menos que|menor(?:es)? (?:a|de|que)|debajo de|por debajo de|inferior(?:es)? a|maximo|max)';

/**
 * A number read as money on its own, without "over" or "under": "$20", "20 bucks", "USD 20",
 * "20.50", or the value a setting is put at ("set it to 2k", "en 500"). A day of the month ("el
 * 15"), a count ("last 5") or a year is not money, so it never becomes an alert threshold.
 */
const MONEY = new RegExp(
  [
    '\\$\\s*(\\d+(?:\\.\\d{1,2})?)',
    '\\b(?:usd|us\\$|mxn|eur)\\s*(\\d+(?:\\.\\d{1,2})?)\\b',
    `\\b(\\d+(?:\\.\\d{1,2})?)\\s*(?:${CURRENCY_WORDS})\\b`,
    '\\b(\\d+\\.\\d{2})\\b',
    '\\b(?:to|at|en|a)\\s+(\\d+(?:\\.\\d{1,2})?)\\b(?!\\s*(?:days?|dias?|weeks?|semanas?|months?|meses|years?|anos?|am|pm|de (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)))',
  ].join('|'),
);

const MIN_AMOUNT = new RegExp(`\\b${MIN_WORDS}\\s+${CURRENCY}`);
const MIN_AMOUNT_AFTER = new RegExp(`${CURRENCY}\\s*(?:or more|and up|and above|\\+|y mas|o mas|(?:pa|para|hacia)? ?arriba|en adelante)\\b`);
const MAX_AMOUNT = new RegExp(`\\b${MAX_WORDS}\\s+${CURRENCY}`);

/** "between $50 and $200", "entre 100 y 300": both bounds at once. */
const RANGE = new RegExp(`\\b(?:between|entre)\\s+${CURRENCY}\\s+(?:and|y|to|a|-)\\s+${CURRENCY}`);

function amountsOf(text: string): { min?: number; max?: number; any?: number } {
  const range = RANGE.exec(text);
  if (range && Number(range[1]) < Number(range[2])) return { min: Number(range[1]), max: Number(range[2]), any: Number(range[1]) };
  const min = MIN_AMOUNT.exec(text) ?? MIN_AMOUNT_AFTER.exec(text);
  const max = MAX_AMOUNT.exec(text);
  const any = MONEY.exec(text);
  const number = (m: RegExpExecArray | null, group = 1) => (m && m[group] !== undefined ? Number(m[group]) : undefined);
  return {
    ...(min ? { min: number(min)! } : {}),
    ...(max ? { max: number(max)! } : {}),
    ...(any ? { any: Number(any.slice(1).find((g) => g !== undefined)) } : {}),
  };
}

/** The longest phrase (of any key) found in the text, with where it is; tables are longest first. */
function findPhrase<K extends string>(text: string, table: readonly (readonly [K, string])[]): { key: K; index: number; length: number } | undefined {
  for (const [key, phrase] of table) {
    const at = wholePhraseAt(text, phrase);
    if (at) return { key, ...at };
  }
  return undefined;
}
const longestFirst = <K extends string>(entries: [K, string][]) => entries.sort((a, b) => b[1].length - a[1].length);
const categoryTable = longestFirst(categoryKeys.flatMap((key) => categories[key].phrases.map((p) => [key, p] as [CategoryKey, string])));
const accountTable = longestFirst((Object.keys(accountTypes) as AccountType[]).flatMap((key) => accountTypes[key].map((p) => [key, p] as [AccountType, string])));

/** The words as read: normalised as typed, and spelling-corrected. */
export function readWords(text: string, context: UnderstandContext = {}): { typed: string; corrected: string } {
  const { known } = personalMerchants(context.merchants);
  const words = normalise(text)
    .split(' ')
    .filter(Boolean)
    .flatMap((w) => (shorthands[w] ?? w).split(' '));
  return { typed: numbersToDigits(words).join(' '), corrected: numbersToDigits(words.map((w) => correct(w, known))).join(' ') };
}

/** A message as read before its intent is decided: the words, the slots found in them, and what is left. */
export interface Reading {
  /** Normalised words as typed, and spelling-corrected. */
  typed: string;
  corrected: string;
  slots: Slots;
  amounts: { min?: number; max?: number; any?: number };
  /** The corrected words with each slot replaced by its placeholder word (see features.ts). */
  masked: string;
  lang: Language | undefined;
}

const mask = (text: string, at: { index: number; length: number }, word: string) =>
  `${text.slice(0, at.index)} ${word} ${text.slice(at.index + at.length)}`.replace(/\s+/g, ' ').trim();

/** The words, slots and placeholders of a message: everything but its intent. */
export function read(text: string, context: UnderstandContext = {}): Reading {
  const { index: merchantTable } = personalMerchants(context.merchants);
  const { typed, corrected } = readWords(text, context);
  const lang = languageOf(corrected.split(' '));
  let rest = corrected;
  const slots: Slots = {};
  for (const [pattern, spec] of periodRules) {
    const m = pattern.exec(rest);
    const period = m ? spec(m) : undefined;
    if (m && period) {
      slots.period = period;
      rest = mask(rest, { index: m.index, length: m[0].length }, SLOT_WORDS.period);
      break;
    }
  }
  for (const pattern of countRules) {
    const m = pattern.exec(rest);
    if (m) {
      slots.count = Number(m[1]);
      rest = mask(rest, { index: m.index + m[0].indexOf(m[1]!), length: m[1]!.length }, SLOT_WORDS.count);
      break;
    }
  }
  const merchant = findPhrase(rest, merchantTable.map((m) => [m.canonical, m.phrase] as const));
  if (merchant) {
    slots.merchant = merchant.key;
    rest = mask(rest, merchant, SLOT_WORDS.merchant);
  }
  // A merchant says it all: "my uber rides" are Uber's, not the transport category's.
  const category = merchant ? undefined : findPhrase(rest, categoryTable);
  if (category) {
    slots.category = category.key;
    rest = mask(rest, category, SLOT_WORDS.category);
  }
  const account = findPhrase(rest, accountTable);
  if (account && !(account.key === 'credit' && /\b(?:credit score|card lock|lock my card)\b/.test(corrected))) {
    slots.accountType = account.key;
    rest = mask(rest, account, SLOT_WORDS.account);
  }
  return { typed, corrected, slots, amounts: amountsOf(rest), masked: rest, lang };
}

function languageOf(tokens: string[]): Language | undefined {
  let es = 0;
  let en = 0;
  for (const token of tokens) {
    if (spanishWords.has(token)) es++;
    if (englishWords.has(token)) en++;
  }
  return es > en ? 'es' : en > es ? 'en' : undefined;
}
