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
import { guard, r } from './guards';
import { isRealWord } from './real-words';

/**
 * What a person's words ask for, in English or Spanish: deterministic and table-driven (no network
 * model). Text is normalised, each word that is neither in the lexicon nor a real English word is
 * corrected to the nearest lexicon word within a small edit distance (so "balnce" and "cuanto gaste"
 * read as meant, while "pending" stays pending), slots are read by
 * patterns and removed, and the first intent rule that holds wins. The rules are ordered from the
 * most specific (a handover, stopping sharing) to the most general (a data question), so a message
 * that mentions several things is read as its most consequential one. Hand-written because no
 * library does deterministic bilingual intent and slot reading for banking; the corpus under
 * test/fixtures measures it.
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

export type Language = 'en' | 'es';

export interface Understanding {
  intent: IntentName;
  slots: Slots;
  /** The language the words are in, when they say (a bare "ok" or "Netflix" does not). */
  lang: Language | undefined;
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
  for (let i = 0; i < 2; i++) t = t.replace(/(\d),(\d{3})(?!\d)/g, '$1$2');
  return t
    .replace(/(\d+(?:\.\d+)?)\s?k\b/g, (_, n: string) => String(Math.round(parseFloat(n) * 1000)))
    .replace(/\b(\d{1,2})(st|nd|rd|th|ro|ero|do|to|vo|no)\b/g, '$1')
    .replace(/([a-z])\1{2,}/g, '$1$1')
    .replace(/\$+/g, ' $ ')
    .replace(/(?<!\d)\.|\.(?!\d)/g, ' ')
    .replace(/[^a-z0-9$. ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A phrase as whole words; compiled once per phrase at module init, never per message. */
function phrasePattern(phrase: string): RegExp {
  return new RegExp(`(?:^| )${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?= |$)`);
}

/** Words the intent rules below look for, so that a misspelling of one is corrected to it. */
const ruleWords =
  'balance balances saldo saldos transactions transaction purchases purchase charges charge payments movimientos ' +
  'transacciones compras cargos pagos spend spent spending gaste gastado gastos gasto pague pagado biggest largest ' +
  'expensive grande grandes alerts alert notify notifications avisame alertas fraud fraude suspicious sospechoso ' +
  'sharing share compartir compartiendo unlink disconnect revoke desvincular desconectar revocar export download ' +
  'exportar descargar privacy privacidad advertising anuncios publicidad human humano agent agente asesor ' +
  'representative representante person persona link connect vincular conectar agregar help ayuda thanks gracias ' +
  'hello hola greetings saludos permissions permisos change cambiar owe debo available disponible activity history ' +
  'historial recent recientes latest ultimos ultimas show muestrame search busca anything algo over under above below ' +
  'less more menos mayor yesterday today ayer hoy week semana month mes year ano since desde last past pasado pasada';

const merchantIndex = (extra: readonly string[]) => {
  const entries: { phrase: string; canonical: string; pattern: RegExp }[] = [];
  for (const [canonical, ...aliases] of merchants) for (const phrase of [canonical, ...aliases]) entries.push({ phrase, canonical, pattern: phrasePattern(phrase) });
  for (const name of extra) {
    const phrase = normalise(name).replace(/\s*\d+$/, '');
    if (phrase.length >= 3 && !entries.some((e) => e.phrase === phrase)) entries.push({ phrase, canonical: phrase, pattern: phrasePattern(phrase) });
  }
  return entries.sort((a, b) => b.phrase.length - a.phrase.length);
};
const builtInMerchants = merchantIndex([]);

/**
 * A person's merchants change only when a sync brings new ones, so the index of the last list seen
 * is kept: building one compiles a pattern per merchant, several times the cost of reading a message.
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
  if (word.length < 4 || known.has(word) || vocabulary.has(word) || /[\d$]/.test(word) || isRealWord(word)) return word;
  return nearestKeyword(word);
}

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
  [/\b(?:this|current|so far this) month\b|\beste mes\b|\bel mes\b|\bdel mes\b|\bthis mo\b|\bmonth to date\b/, () => 'this-month'],
  [/\b(?:last|past|previous|prior) year\b|\b(?:el )?ano pasado\b|\b(?:el )?ano anterior\b/, () => 'last-year'],
  [/\b(?:this|current|so far this) year\b|\beste ano\b|\bel ano\b|\bdel ano\b|\bytd\b|\byear to date\b|\bthis yr\b|\ben lo que va del ano\b/, () => 'this-year'],
  [new RegExp(`\\b(?:in|for|during|of|on|en|de|durante|del mes de|el mes de|para|same for)\\s+(${monthPattern})\\b`), (m) => `month-${months[m[1]!]}`],
  [new RegExp(`\\b(${Object.keys(months).filter((k) => k.length >= 5 && k !== 'march').join('|')})\\b`), (m) => `month-${months[m[1]!]}`],
];

const countRules: RegExp[] = [
  /\b(?:last|latest|recent|top|first|past|my last|my|the last|the|ultim[oa]s|mis ultim[oa]s|l[oa]s ultim[oa]s|mis|l[oa]s|primer[oa]s|(?:l[oa]s )?\d+ mas)\s+(\d{1,3})\b(?!\s*(?:\$|usd|dollars?|dolares?|bucks|pesos|days?|dias?|weeks?|semanas?|months?|meses|k\b))/,
  /\b(\d{1,3})\s+(?:most recent |latest |recent |biggest |largest |last |top |ultim[oa]s |mayores |principales )?(?:transactions?|purchases?|charges?|payments?|expenses?|movimientos?|compras?|cargos?|pagos?|transacciones?|gastos?|operaciones|biggest|largest|mas grandes|mas caras|mas caros)\b/,
];

const CURRENCY = '(?:\\$\\s*)?(\\d+(?:\\.\\d{1,2})?)(?:\\s*(?:usd|dollars?|dolares?|dlls?|bucks|pesos))?';
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
    '\\b(\\d+(?:\\.\\d{1,2})?)\\s*(?:usd|dollars?|dolares?|dlls?|bucks|pesos|euros?|eur|mxn)\\b',
    '\\b(\\d+\\.\\d{2})\\b',
    '\\b(?:to|at|en|a)\\s+(\\d+(?:\\.\\d{1,2})?)\\b(?!\\s*(?:days?|dias?|weeks?|semanas?|months?|meses|years?|anos?|am|pm|de (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)))',
  ].join('|'),
);

const MIN_AMOUNT = new RegExp(`\\b${MIN_WORDS}\\s+${CURRENCY}`);
const MIN_AMOUNT_AFTER = new RegExp(`${CURRENCY}\\s*(?:or more|and up|and above|\\+|y mas|o mas|(?:pa|para|hacia)? ?arriba|en adelante)\\b`);
const MAX_AMOUNT = new RegExp(`\\b${MAX_WORDS}\\s+${CURRENCY}`);

function amountsOf(text: string): { min?: number; max?: number; any?: number } {
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
function findPhrase<K extends string>(text: string, table: readonly (readonly [K, RegExp])[]): { key: K; index: number; length: number } | undefined {
  for (const [key, pattern] of table) {
    const m = pattern.exec(text);
    if (m) return { key, index: m.index, length: m[0].length };
  }
  return undefined;
}
const compiled = <K extends string>(entries: [K, string][]) => entries.sort((a, b) => b[1].length - a[1].length).map(([key, phrase]) => [key, phrasePattern(phrase)] as const);
const categoryTable = compiled(categoryKeys.flatMap((key) => categories[key].phrases.map((p) => [key, p] as [CategoryKey, string])));
const accountTable = compiled((Object.keys(accountTypes) as AccountType[]).flatMap((key) => accountTypes[key].map((p) => [key, p] as [AccountType, string])));

const cut = (text: string, at: { index: number; length: number }) => `${text.slice(0, at.index)} ${text.slice(at.index + at.length)}`.replace(/\s+/g, ' ').trim();

// ── intent rules ─────────────────────────────────────────────────────────────────────────────────


const YES = /^(?:yes|yeah|yea|yep|yup|ya|sure|ok|okay|k|kk|do it|go ahead|please do|confirm|confirmed|yes please|yes do it|ok do it|absolutely|of course|si|sip|claro|dale|va|sale|ok dale|de acuerdo|correcto|afirmativo|si por favor|hazlo|confirmo|adelante|por supuesto|simon|si claro|claro que si|si hazlo|yes stop|si dale)$/;
const NO = /^(?:no|nope|nah|cancel|never mind|nevermind|dont|no thanks|no thank you|not now|no dont|keep it|no keep it|mejor no|cancela|cancelar|olvidalo|dejalo|no no|ahora no|no lo hagas|no gracias|nel|para nada|no mejor no|no cancel|cancel that|no wait|no espera)$/;
const YES_WORDS = new Set('yes yeah yea yep yup sure ok okay do it go ahead please confirm absolutely si sip claro dale va vale sale de acuerdo correcto hazlo adelante por favor simon'.split(' '));
const NO_WORDS = new Set('no nope nah cancel never mind dont not now thanks thank you gracias mejor cancela olvidalo dejalo ahora nel wait espera'.split(' '));
const THANKS = r('thanks|thank you|thank u|thx|ty|tysm|gracias|appreciate it|cheers|muchas gracias|mil gracias|grax|thanks a lot');
const GREETING_WORDS = new Set('quiubo quihubo hubo wassup whatsup hi hello hey heya hiya howdy yo sup hola ola buenas buenos buen dia dias tardes noches good morning afternoon evening there que onda tal hay saludos bot assistant asistente whats up como estas how are you doing qu'.split(' '));

const HUMAN = r(
  'human|humano|humana|real person|a person|live person|live agent|una persona|persona real|alguien real|agent|agente|representative|representante|rep|operator|operador|operadora|asesor|asesora|ejecutivo|ejecutiva|customer service|customer support|servicio al cliente|atencion al cliente|someone from the bank|talk to someone|talk to somebody|speak to someone|speak with someone|speak to somebody|hablar con alguien|con alguien del banco|hablar con una persona|persona de verdad|not a bot|no un bot|un humano',
);
const STOP = r(
  '(?:cut|shut) off (?:your |the |all )?access|take away (?:your |the |all )?access|(?:remove|revoke|cancel|end|terminate|withdraw|pull|turn off) (?:your|the|this|my|all) (?:access|permission|permissions|consent|authori[sz]ation)|stop (?:seeing|watching|viewing|checking|reading|looking at) my|(?:dont|do not) (?:want|let) (?:you|u) (?:to )?(?:see|access|read|look|have access|keep (?:seeing|reading|looking))|no longer want (?:you|u) to|(?:i want|i wish|i would like|id like) to (?:stop sharing|revoke|disconnect|unlink)|cancela\\w* (?:el|mi|los|mis|tu|su|este|ese) (?:permiso|permisos|acceso|consentimiento|autorizacion)|quita\\w* (?:el|mi|los|mis|tu) (?:permiso|permisos)|retira\\w* (?:el|mi|tu) (?:acceso|permiso|permisos)|(?:ya )?no quiero que (?:sigas|sigan|continues|continuen) (?:viendo|leyendo|accediendo|revisando|mirando|teniendo|usando)|(?:ya )?no quiero que (?:mires|miren|revises|revisen|veas|vean) mi|deja de (?:mirar|ver|revisar|leer) mi|dejen de (?:mirar|revisar) mi|cortar (?:el |tu )?acceso|corta (?:el |tu )?acceso|stop sharing|stop reading|stop accessing|stop looking at|stop using my (?:bank|account|data)|unlink|disconnect|revoke|remove (?:my )?(?:bank|account|access|connection)|delete (?:my )?(?:bank|account|connection)|delete (?:all )?my data|erase my data|cancel (?:sharing|access|the link|my consent)|dont want to share|do not want to share|no longer share|withdraw (?:my )?consent|dejar de compartir|deja de compartir|dejes de compartir|ya no quiero compartir|no quiero compartir|deja de (?:leer|ver|acceder|revisar)|dejen de (?:leer|ver|acceder)|desvincula\\w*|desconecta\\w*|revoca\\w*|quita(?:r|les)? (?:el |tu |su )?acceso|elimina(?:r)? (?:mi )?(?:banco|cuenta vinculada|conexion)|borra(?:r)? (?:mi )?(?:banco|conexion)|borra(?:r)? (?:todos )?mis datos|elimina(?:r)? (?:todos )?mis datos|retira(?:r)? (?:mi )?(?:consentimiento|permiso)|(?:dont|do not) want you to (?:have|see|access|read|look)|(?:ya no|no) quiero que (?:veas|vean|tengas|tengan|accedas|accedan|leas|lean|revises|revisen|uses|usen)',
);
const CHANGE_SCOPES = r(
  '(?:modificar|modifica|editar|edita|edit|ajustar|ajusta)\\b.*\\b(?:permisos|permissions|comparto|share|sharing|compartir)|change what i share|change what you can see|change what you see|change (?:my )?(?:sharing|permissions|scopes|consent|access)|only (?:want to )?share|share only|just share|edit (?:my )?permissions|update (?:my )?permissions|adjust (?:my )?permissions|limit what you (?:see|can see|read)|less access|cambiar (?:lo que comparto|los permisos|mis permisos|permisos|que comparto|el acceso)|cambia (?:lo que comparto|los permisos|mis permisos)|modificar (?:los |mis )?permisos|solo quiero compartir|compartir solo|compartir solamente|solamente compartir|quiero compartir solo|limitar (?:lo que ves|el acceso)',
);
const WHAT_SHARED = r(
  '(?:which|what) (?:banks?|accounts?|cards?) (?:are|is|have|do i have|did i) (?:linked|connected|shared|hooked up)|(?:which|what) (?:banks?|accounts?) (?:have i|did i|do i) (?:link|linked|connect|connected|share|shared)|(?:my )?(?:linked|connected) (?:banks?|accounts?)|what (?:is|s) (?:being )?shared|whats (?:being )?shared|que (?:datos|informacion|info|cuentas|bancos) (?:estoy compartiendo|comparto|te comparto|he compartido|estan (?:vinculad|conectad|compartid)\\w*|tengo (?:vinculad|conectad)\\w*|te di)|(?:cuentas|bancos) (?:vinculad|conectad)\\w*|(?:cual|cuales) (?:cuentas|bancos) (?:estan|tengo|tienes)|what am i sharing|what are we sharing|what do i share|what (?:can|do) you (?:see|access|read)|what (?:data )?have i shared|what did i share|until when|how long (?:do|will|can) you (?:have|keep) access|when does (?:my )?(?:sharing|access|consent) (?:end|expire)|what access do you have|what permissions|que (?:estoy compartiendo|comparto|te comparto|he compartido|compartí|les comparto)|hasta cuando|que puedes ver|que pueden ver|que ves de mi|cuando (?:vence|termina|expira|se acaba)|que permisos|what (?:info|information|data|details) (?:can|do) you (?:see|access|read|get)|que (?:informacion|info|datos) (?:de mi (?:banco|cuenta) )?(?:puedes|pueden) ver|puedes ver|pueden ver|(?:access|sharing|consent|permission)\\b.*\\b(?:expire|expires|end|ends|run out)|when does\\b.*\\b(?:expire|end)|que permisos te di|permisos te di|(?:can|do) you access|your access (?:last|end|expire)|access last|agree(?:d)? to share|tienes acceso|tienen acceso|cuanto dura|which (?:of my )?accounts (?:can|do) you',
);
const EXPORT = r(
  '(?:i want|give me|send me|i need|id like|can i (?:have|get)|quiero|dame|mandame|enviame|necesito) (?:a copy of )?(?:all|todos|todo) (?:of )?(?:my|mis|lo de mi) (?:data|datos|info|informacion|information|stuff)|send me (?:my|all my) (?:info|information|stuff)|descarga\\w* (?:mis|todos mis) datos|export|exportar|exporta|download|descargar|descarga|bajar mis datos|copy of (?:all )?(?:my|the) (?:data|info|information)|copia de (?:todos )?(?:mis|los) datos|copia de mi informacion|send me (?:a copy|my data|all my data)|mandame (?:mis|todos mis) datos|enviame (?:mis|todos mis) datos|get (?:a copy of )?my data|a file with my data|(?:file|archivo)\\b.*\\b(?:data|info|information|datos|informacion)|(?:data|info|information|datos|informacion)\\b.*\\b(?:file|archivo)|bajame (?:todos )?mis datos',
);
const MY_DATA = r(
  '(?:what|which) (?:data|info|information|personal data|personal info) (?:do you|you|do u|u) (?:have|hold|keep|store|collect|got)|what do (?:you|u) (?:know|have|hold|keep|store) (?:about|on) me|what (?:do you|you) know about me|what data is stored|que (?:datos|informacion|info) (?:tienes|tienen|guardas|guardan|hay|almacenan|almacenas)|que (?:sabes|saben|tienes|tienen|guardas|guardan) (?:de|sobre) mi|que datos mios|mis datos guardados|what you have on me|(?:saved|stored|kept|collected) (?:on|about) me|everything you (?:have|know|saved|stored)|info mia|informacion mia|datos mios|tienes guardad\\w*|tienen guardad\\w*|(?:what|which) (?:data|info|information)\\b.*\\b(?:about|on) me|que (?:informacion|datos|info)\\b.*\\b(?:de|sobre) mi',
);
const DATA_POLICY = r(
  'who (?:else )?(?:sees|can see|could see|will see|gets|reads|can read|has access to|looks at|else has) (?:my|this|these|the|what)|(?:facebook|meta|fb|messenger|zuckerberg|instagram|whatsapp)\\b.*\\b(?:see|sees|seeing|read|reads|access|know|knows|get|gets|ve|ven|mira|miran|lee|leen|sabe|saben|acceso|data|datos|info|privacy|privacidad|movimientos|transactions|saldos?|balances?|spy|espia\\w*)|(?:does|do|can|will|could) (?:facebook|meta|fb|messenger|zuckerberg)|quien (?:mas )?(?:ve|ven|puede ver|pueden ver|tiene acceso a|lee|mira|revisa) (?:mis|mi|lo que|esto)|is (?:it|this|that|the app|this app|the chat|this chat|my account|my bank|this bot|this thing|my data|my info) (?:safe|secure|private|encrypted|legit)|(?:safe|secure) (?:to use|to link|to connect)|how (?:do|will|does|are) (?:you|u|it|this|they) (?:protect|secure|keep|guard|protecting|securing)|protect my|encrypt\\w*|es seguro|es segura|esto es seguro|(?:como|que tan seguro) (?:protegen|proteges|cuidan|cuidas|protege|guardan|guardas)|(?:como|que tan) segur[oa]s? (?:estan|son|es) mis|security|seguridad|keep my (?:data|info|information|transactions)|guardan mis (?:datos|movimientos)|guardas mis (?:datos|movimientos)|what (?:do|will) you do with (?:my|the|this) (?:data|info|information)|do you sell|sell my|selling my|sold|ads|advert\\w*|marketing|privacy|private|do you share my (?:data|info|information)|share my (?:data|info) with|who (?:sees|can see) my|is my (?:data|info|information|money) (?:safe|secure)|(?:data|info) (?:safe|secure)|que (?:hacen|haces|haceis|hara|haran) con (?:mis|los) datos|que (?:hacen|haces|hara|haran) con mi (?:informacion|info)|venden|vendes|venderan|vender mis|venden mis|anuncios|publicidad|privacidad|mis datos (?:estan )?seguros|estan seguros mis datos|comparten mis datos|compartes mis datos|third part\\w*|terceros|give my (?:data|info)|hold on to my (?:data|info)|how long (?:do|will) you (?:keep|hold|store|retain)|cuanto tiempo (?:guardan|guardas|tienen|conservan|retienen)|para que usan mis datos|para que usas mis datos|uso de mis datos',
);
const ALERT = r(
  'alert|alerts|alerted|notify|notified|notification|notifications|warn|warning|warnings|remind|reminder|let me know|text me|message me|ping me|tell me when|tell me if|avisame|avisa|avisar|avisen|aviso|avisos|alerta|alertas|notificame|notifica|notificar|notificacion|notificaciones|dime cuando|dime si|mandame un mensaje|escribeme|tell me about (?:any )?\\w+ (?:over|above|more than|bigger than|larger than)',
);
const FRAUD = r('fraud|fraudulent|fraude|fraudes|suspicious|sospechos\\w*|scam|estafa');
const LOW = r(
  'low balance|low balances|saldo bajo|saldos bajos|balance (?:drops|goes|falls|gets|is|dips) (?:below|under|lower)|below|under|less than|drops below|falls below|goes below|dips below|menos de|por debajo|baje de|baja de|baje a|bajo de|balance low|minimum balance|saldo minimo',
);
const LARGE = r(
  'large|big|huge|over|above|more than|greater|bigger|purchase|purchases|charge|charges|transaction|transactions|spend|payment|payments|mas de|mayor|mayores|por encima|arriba de|grande|grandes|compra|compras|cargo|cargos|gasto|gastos|gaste|pago|pagos|movimiento|movimientos',
);
const OFF = r(
  'turn off|turn them off|turn it off|switch off|disable|deactivate|stop|pause|mute|no more|dont want|do not want|dont send|dont need|without|cancel|remove|off|desactiva\\w*|apaga\\w*|quita\\w*|ya no|no quiero|no me mandes|no me envies|deja de|dejen de|detener|deten|cancela\\w*|elimina\\w*|sin alertas|suspende\\w*',
);
const BANK_NAMES =
  'credit union|cooperativa|caja popular|caja de ahorros?|wells fargo|chase|bank of america|boa|citi|citibank|capital one|us bank|pnc|truist|santander|bbva|banorte|banamex|ally|navy federal|usaa|schwab|hsbc|scotiabank|td bank|regions|fifth third|huntington|banco \\w+';
const LINK_BANK_BY_NAME = new RegExp(`\\b(?:hook up|link|connect|add|attach|vincula\\w*|conecta\\w*|agrega\\w*|anade|anadir|enlaza\\w*|liga\\w*)\\b.*\\b(?:${BANK_NAMES})\\b`);
const LINK = /\b(?:hook up|hook|enlazar|enlaza|sumar|link|connect|add|attach|vincular|vincula|vinculo|conectar|conecta|agregar|agrega|anadir|anade|ligar|liga|sincronizar|registrar)\b.*\b(?:bank|banks|account|accounts|card|banco|bancos|cuenta|cuentas|tarjeta)\b|\b(?:new|another|other) bank\b|\b(?:otro|nuevo) banco\b|\bcuenta bancaria\b|\blink (?:it|up)\b/;
const LARGEST = r(
  'biggest|largest|most expensive|highest|priciest|top|largest|mas grande|mas grandes|mas cara|mas caras|mas caro|mas caros|mas alto|mas altos|mas alta|mas altas|mas fuerte|mas fuertes|mayor(?:es)? (?:compra|compras|gasto|gastos|cargo|cargos|pago|pagos)|principales (?:compras|gastos)',
);
const HOW_MUCH = r('how much|how many dollars|cuanto|cuanta|cuantos dolares|cuanta lana|cuanta plata|total|in total|sum|en total|what did i spend|what have i spent|que gaste|que he gastado');
const SPEND = r('drop|dropped|burn|burned|burnt|costing|cost me|run me|ran me|blow|spend|spent|spending|spends|expenses|expense|gaste|gasto|gastos|gastado|gastamos|gastaste|gastar|blew|dropped|went on|se me fue|se me fueron|se fue|se fueron|se me ha ido');
const PAY = r('pay|paid|payed|pague|pagado|pagamos|pagaste|pago|pagos|cost|costs|charged|le pague|le di|give to|gave');
const LIST = r(
  'show|list|find|search|see|display|view|any|anything|all|did i (?:pay|spend|buy|get charged)|did (?:i|we) get charged|were there|was there|have i|do i have (?:any )?(?:charges|payments|purchases)|muestrame|muestra|muestrate|ensename|ensena|busca|buscar|ver|lista|hay|tengo (?:algun |alguna |algunos |algunas )?(?:cargo|cargos|pago|pagos|compra|compras)|hubo|algun|alguna|algo|cargos de|pagos de|compras de|compras en|pagos a',
);
const TRANSACTION_WORDS = r(
  'transactions?|activity|hit my|charged to|lately|recently|ultimamente|recientemente|cobrado|cobraron|cobros?|se ha movido|ha movido|went through|went out|came out|purchases?|charges?|payments?|history|statement|movements?|spending history|bought|buy|transacciones|transaccion|movimientos?|compras?|cargos?|pagos?|operaciones|historial|estado de cuenta|compre|what came out|que ha salido',
);
const BALANCE = r(
  'balance|balances|bal|saldo|saldos|how much (?:money )?(?:do i have|have i got|is (?:left )?in|is there in|i have|left|available|is on|do i got)|money (?:do i have|left|i have)|how much\\b.*\\b(?:have|left|sitting|got)\\b|cuant[oa]s? \\w+ (?:me )?(?:quedan?|tengo|hay)|(?:whats|what is|what s) my (?:savings|checking|credit)|deuda|cuanto (?:dinero |lana |plata |feria |varo )?(?:tengo|hay|me queda|queda|tienes|traigo)|cuanta (?:lana|plata|feria|pasta) (?:tengo|hay)|what do i owe|how much do i owe|how much i owe|cuanto debo|cuanto le debo|what i owe|available|disponible|whats in my|what is in my|whats on my|whats left|what is left|what s left|left in my|how much (?:is )?left|cuanto me queda|cuant[oa] \\w+ tengo|cuant[oa] \\w+ hay en|do i have (?:any )?money|am i broke|how am i doing|estado de mi cuenta|como esta mi cuenta|how much cash',
);
const HELP = r('no entiendo|no le entiendo|no entendi|no se (?:como|que|usar)|(?:i )?(?:dont|do not|didnt) (?:understand|get it|get how|know how)|(?:im|i am) (?:confused|lost)|how (?:do i|to|does one) use|como (?:se usa|lo uso|uso esto|funciona esto)|puedo preguntar\\w*|para que sirve\\w*|what can i ask|que puedo (?:preguntar|hacer|pedir)|que cosas puedo|how can you help|help|ayuda|ayudame|menu|what can you do|what can u do|que puedes hacer|que sabes hacer|que haces|options|opciones|commands|how does this work|como funciona|what do you do|what are you|who are you|quien eres|que eres|instructions|como te uso|how do i use');
const SCOPE_WORDS = r('transactions|balances|alerts|movimientos|transacciones|saldos|alertas');
const FOLLOW_LEAD = /^(?:(?:ok|okay|vale|bueno|now|alright|cool|so|pues)\s+)*(?:now do|do|how bout|and|n|what about|how about|same for|same|also|then|ok and|y|y en|y el|y la|y mis|y mi|que tal|y que tal|lo mismo (?:para|en|de|con)|e)\b/;
const FILLER = new Set(
  'and what about how same for in on at the my of then also with y que tal en el la los las mi mis de del lo mismo para con a an e n ok please pls porfa por favor that this those'.split(' '),
);

// ── understanding ────────────────────────────────────────────────────────────────────────────────

/** The words as the rules read them: normalised as typed, and spelling-corrected. */
export function readWords(text: string, context: UnderstandContext = {}): { typed: string; corrected: string } {
  const { known } = personalMerchants(context.merchants);
  const words = normalise(text)
    .split(' ')
    .filter(Boolean)
    .flatMap((w) => (shorthands[w] ?? w).split(' '));
  return { typed: numbersToDigits(words).join(' '), corrected: numbersToDigits(words.map((w) => correct(w, known))).join(' ') };
}

export function understand(text: string, context: UnderstandContext = {}): Understanding {
  const { index: merchantTable } = personalMerchants(context.merchants);
  const { typed, corrected: t } = readWords(text, context);
  const lang = languageOf(t.split(' '));
  const guarded = guard(typed, t);
  if (guarded) return { intent: guarded, slots: {}, lang };

  // Slots, each removed from the rest of the text once read.
  let rest = t;
  const slots: Slots = {};
  for (const [pattern, spec] of periodRules) {
    const m = pattern.exec(rest);
    const period = m ? spec(m) : undefined;
    if (m && period) {
      slots.period = period;
      rest = cut(rest, { index: m.index, length: m[0].length });
      break;
    }
  }
  for (const pattern of countRules) {
    const m = pattern.exec(rest);
    if (m) {
      slots.count = Number(m[1]);
      const at = m.index + m[0].indexOf(m[1]!);
      rest = cut(rest, { index: at, length: m[1]!.length });
      break;
    }
  }
  const merchant = findPhrase(rest, merchantTable.map((m) => [m.canonical, m.pattern] as const));
  if (merchant) {
    slots.merchant = merchant.key;
    rest = cut(rest, merchant);
  }
  // A merchant says it all: "my uber rides" are Uber's, not the transport category's.
  const category = merchant ? undefined : findPhrase(rest, categoryTable);
  if (category) {
    slots.category = category.key;
    rest = cut(rest, category);
  }
  const account = findPhrase(rest, accountTable);
  if (account && !(account.key === 'credit' && /\b(?:credit score|card lock|lock my card)\b/.test(t))) {
    slots.accountType = account.key;
    rest = cut(rest, account);
  }
  const amounts = amountsOf(rest);

  const intent = intentOf(t, rest, slots, amounts, typed);
  if (intent === 'search') {
    if (amounts.min !== undefined) slots.minAmount = amounts.min;
    if (amounts.max !== undefined) slots.maxAmount = amounts.max;
  }
  if (intent === 'alerts-low-balance' || intent === 'alerts-large') {
    const amount = amounts.min ?? amounts.max ?? amounts.any;
    if (amount !== undefined) slots.amount = amount;
    // "don't alert me for purchases under 20": not off, but only from 20 up.
    if (OFF.test(t) && !(intent === 'alerts-large' && amounts.max !== undefined && amounts.min === undefined)) slots.enabled = false;
    else if (amount === undefined && /\b(?:turn on|switch on|enable|activate|activa\w*|enciende|prende|start)\b/.test(t)) slots.enabled = true;
  }
  if (intent === 'alerts-fraud') slots.enabled = !OFF.test(t);
  return { intent, slots: slotsFor(intent, slots), lang };
}

/** Only the slots an intent uses: "turn off fraud alerts on my card" asks nothing about the card. */
function slotsFor(intent: IntentName, slots: Slots): Slots {
  const keep: Partial<Record<IntentName, (keyof Slots)[]>> = {
    balance: ['accountType'],
    transactions: ['count', 'accountType', 'period', 'category', 'merchant'],
    spending: ['category', 'merchant', 'period', 'accountType'],
    search: ['merchant', 'category', 'minAmount', 'maxAmount', 'period', 'accountType', 'count'],
    largest: ['count', 'period', 'accountType', 'category'],
    'alerts-fraud': ['enabled'],
    'alerts-low-balance': ['amount', 'enabled'],
    // A merchant is kept only so the answer can say alerts for one merchant are not supported.
    'alerts-large': ['amount', 'enabled', 'merchant'],
    'follow-up': ['period', 'category', 'merchant', 'accountType'],
  };
  const wanted = keep[intent] ?? [];
  return Object.fromEntries(Object.entries(slots).filter(([key]) => wanted.includes(key as keyof Slots))) as Slots;
}

function intentOf(t: string, rest: string, slots: Slots, amounts: { min?: number; max?: number; any?: number }, typed: string): IntentName {
  const words = t.split(' ');
  // Talk about consent and privacy is read in the words as typed too: a corrector turning "sees"
  // into "see" or "entiendo" into "enciende" must not send it to a data answer.
  const says = (pattern: RegExp) => pattern.test(t) || pattern.test(typed);
  if (NO.test(t) || (words.every((w) => NO_WORDS.has(w)) && words.some((w) => NO.test(w)))) return 'no';
  if (YES.test(t) || words.every((w) => YES_WORDS.has(w))) return 'yes';
  if (HUMAN.test(t)) return 'human';
  // "Stop sharing transactions but keep balances" narrows what is shared rather than ending it.
  if (says(STOP) && SCOPE_WORDS.test(t) && /\b(?:but|only|keep|just|pero|solo|solamente|mantener|manten|deja)\b/.test(t)) return 'change-scopes';
  if (says(STOP)) return 'stop-sharing';
  if (says(CHANGE_SCOPES)) return 'change-scopes';
  if (says(WHAT_SHARED)) return 'what-shared';
  if (says(EXPORT)) return 'export';
  if (says(MY_DATA)) return 'my-data';
  if (says(DATA_POLICY)) return 'data-policy';
  if (ALERT.test(t) || (FRAUD.test(t) && (OFF.test(t) || /\b(?:turn on|enable|activa\w*)\b/.test(t)))) {
    if (FRAUD.test(t)) return 'alerts-fraud';
    const aboutBalance = /\b(?:balance|balances|saldo|saldos)\b/.test(t);
    const aboutTransactions = /\b(?:purchases?|charges?|transactions?|payments?|spend|compras?|cargos?|gastos?|pagos?|movimientos?)\b/.test(t) || slots.merchant !== undefined;
    if ((LOW.test(t) && (aboutBalance || !aboutTransactions)) || (aboutBalance && !LARGE.test(t))) return 'alerts-low-balance';
    if (LARGE.test(t) || amounts.any !== undefined) return 'alerts-large';
    return 'alerts-show';
  }
  if (FRAUD.test(t)) return 'human';
  if (LINK.test(t) || says(LINK_BANK_BY_NAME)) return 'link-bank';
  if (LARGEST.test(t) && (TRANSACTION_WORDS.test(t) || SPEND.test(t) || slots.count !== undefined || slots.period !== undefined || /\b(?:purchase|expense|compra|gasto|cargo)\b/.test(t))) return 'largest';
  if ((amounts.min !== undefined || amounts.max !== undefined) && !(HOW_MUCH.test(t) && SPEND.test(t))) return 'search';
  if (HOW_MUCH.test(t) && (SPEND.test(t) || PAY.test(t))) return 'spending';
  if (BALANCE.test(t)) return 'balance';
  if (SPEND.test(t) && !LIST.test(t)) return 'spending';
  if ((slots.merchant || slots.category) && (LIST.test(t) || TRANSACTION_WORDS.test(t) || PAY.test(t) || SPEND.test(t))) return 'search';
  if (HOW_MUCH.test(t) && (slots.merchant || slots.category)) return 'spending';
  if (TRANSACTION_WORDS.test(t) || (LIST.test(t) && (slots.period || slots.accountType || slots.count))) return 'transactions';
  const hasSlot = slots.period || slots.category || slots.merchant || slots.accountType;
  const onlySlots = rest.split(' ').every((w) => !w || FILLER.has(w));
  if (hasSlot && (FOLLOW_LEAD.test(t) || (onlySlots && !slots.category && !slots.merchant))) return 'follow-up';
  if (slots.merchant || (slots.category && onlySlots)) return 'search';
  if (says(HELP)) return 'help';
  if (words.every((w) => GREETING_WORDS.has(w))) return 'greeting';
  if (words.length <= 6 && /^(?:no|nope|nop|nah|nel)\b/.test(t)) return 'no';
  if (words.length <= 8 && THANKS.test(t)) return 'thanks';
  if (slots.accountType && words.length <= 4) return 'balance';
  return 'fallback';
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
