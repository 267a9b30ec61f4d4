import './regexp-tier';
import { guard, r } from './guards';
import { classify, type Choice } from './classifier';
import { featuresOf } from './features';
import type { IntentName } from './intent-names';
import { read, type Meaning, type Reading, type Slots, type Understanding, type UnderstandContext } from './reading';

/**
 * What a person's words ask for, in English or Spanish. The words are read first (reading.ts:
 * normalised, spelling-corrected, slots such as periods, amounts and merchants taken out by
 * deterministic patterns). Then, in this order:
 * 1. the guards (guards.ts): a card emergency, money movement, or an answer to a fraud alert, plain
 *    patterns on purpose, since a misreading there costs the most;
 * 2. a bare yes or no, from fixed lists, since it confirms or cancels a change;
 * 3. everything else, by the classifier trained on examples (classifier.ts), which also says when
 *    it is unsure (the person is then asked) or when nothing it learnt matches (the fallback).
 * A new intent is added with examples in training/, not with a pattern.
 */
export * from './reading';

// ── yes, no, on and off ──────────────────────────────────────────────────────────────────────────

/**
 * A bare yes or no is read by these lists, never guessed: it confirms or cancels a change the
 * person was shown, so only unmistakable words count.
 */
const YES = /^(?:yes|yeah|yea|yep|yup|ya|sure|ok|okay|k|kk|do it|go ahead|please do|confirm|confirmed|yes please|yes do it|ok do it|absolutely|of course|si|sip|claro|dale|va|sale|ok dale|de acuerdo|correcto|afirmativo|si por favor|hazlo|confirmo|adelante|por supuesto|simon|si claro|claro que si|si hazlo|yes stop|si dale|vale|venga|aye|aye go on|aye go on then|go on then|go on|go for it|yeah go on|yeah go on then|ya pls|ya please|yes pls|hacelo|dale hacelo|si hacelo|hacelo nomas|ya pls po|ya please po|yes please po|yes po|opo|sure thing|de una|dale de una|de una vez)$/;
const NO = /^(?:no|nope|nah|cancel|never mind|nevermind|dont|no thanks|no thank you|not now|no dont|keep it|no keep it|mejor no|cancela|cancelar|olvidalo|dejalo|no no|ahora no|no lo hagas|no gracias|nel|para nada|forget it|nah forget it|no forget it|forget about it|forget that|no mejor no|no cancel|cancel that|no wait|no espera|no way|hell no|ni de vaina|ni loco|ni loca|ni de broma|ni a palo|ni hablar|de ninguna manera|naw|nah youre alright|nah im alright|nah im good|no ta|nah ta|no ta mate|hindi|hindi po)$/;
const YES_WORDS = new Set('yes yeah yea yep yup sure ok okay do it go ahead please confirm absolutely si sip claro dale va vale sale de acuerdo correcto hazlo hacelo adelante por favor simon aye'.split(' '));
const NO_WORDS = new Set('no nope nah cancel never mind dont not now thanks thank you gracias mejor cancela olvidalo dejalo ahora nel wait espera naw'.split(' '));
/** The person saying their question is not about their money or the bank. */
const OFF_TOPIC = r(
  'nada que ver con (?:el banco|los bancos|mi cuenta|mis cuentas|mi dinero|mi plata|el dinero|finanzas)|(?:nothing|not anything) to do with (?:the bank|banking|my account|my accounts|my money|money|finances)|not (?:a )?bank(?:ing)?(?: related)? question|no es (?:del|sobre el) banco',
);
/** Whether an alert change turns it off or on; which alert it is, the classifier says. */
const OFF = r(
  'turn off|turn them off|turn it off|switch off|disable|deactivate|kill|get rid of|stop|pause|mute|no more|(?:dont|do not) want(?! (?:that|this|it|the same) (?:to )?happen)|dont send|dont need|without|cancel|remove|off|desactiva\\w*|apaga\\w*|quita\\w*|ya no|no quiero|no me mandes|no me envies|deja de|dejen de|detener|deten|cancela\\w*|elimina\\w*|sin alertas?|no necesito',
);
const ON = r('turn on|switch on|enable|activate|activa\\w*|enciende|prende|start|reactiva\\w*');
/**
 * Off said of the alert itself ("turn off the low balance alert", "alerts off", "apaga el aviso"),
 * not of something else in the story ("I'm trying to stop impulse buying, alert me over 200"): with
 * an amount named, only this turns an alert off.
 */
/** What an alert is called; an off may also be said of it by a pronoun ("turn it off"). */
const ALERT_NAME = 'alerts?|warnings?|notifications?|notifs?|alertas?|avisos?|notificaciones?';
const ALERT_NOUN = `(?:${ALERT_NAME}|pings?|texts?|it|them|those|these|esa|esas|ese|esos)`;
const ALERT_WORDS = '(?: (?:the|my|all|any|these|those|this|that|low|balance|bal|large|big|purchase|purchases|spend|spending|transaction|fraud|la|las|el|los|mi|mis|de|saldo|bajo|compras?|grandes?|fraude))';
const OFF_ALERT = new RegExp(`(?:${OFF.source})${ALERT_WORDS}{0,4} ${ALERT_NOUN}\\b|\\b${ALERT_NOUN}${ALERT_WORDS}{0,3} (?:off|apagad[oa]s?|desactivad[oa]s?)\\b`);

/** On said after the alert ("big purchase alerts on pls", "low balance warning on", "avisos de saldo activados"). */
const ALERTS_ON = new RegExp(`\\b(?:${ALERT_NAME})${ALERT_WORDS}{0,3} (?:on|activad[oa]s?|encendid[oa]s?|prendid[oa]s?)\\b`);

export function understand(text: string, context: UnderstandContext = {}): Understanding {
  const reading = read(text, context);
  const { typed, corrected: t, slots, amounts, lang } = reading;
  const disclaimer = DISCLAIMER.exec(typed);
  if (disclaimer && typed.length - disclaimer[0].length > 3) return { ...understand(typed.slice(disclaimer[0].length), context), lang };
  const afterthought = AFTERTHOUGHT.exec(typed);
  if (afterthought && afterthought.index > 3) return { ...understand(typed.slice(0, afterthought.index), context), lang };
  // People bury the question in a story ("petrol is so expensive lately… how much did I spend on
  // Uber?"): each sentence is read on its own too.
  const sentences = text.split(/[.!?\n]+|(?=¿)/).filter((s) => s.trim().split(/\s+/).length >= 2);
  const guarded = guard(typed, t);
  if (guarded === 'card-emergency') {
    const after = settledEmergency(typed, sentences, context);
    if (after) return { ...after, lang: after.lang ?? lang };
  }
  if (guarded) return (guarded === 'bank-only' && storyQuestion(sentences, context)) || { intent: guarded, slots: {}, lang };
  // "Una consulta que no tiene nada que ver con el banco…": said out of scope, whatever words follow.
  if (OFF_TOPIC.test(t)) return { intent: 'fallback', slots: {}, lang };
  const words = t.split(' ');
  // As typed too: the corrector knows no regional yes ('hacelo' is not a misspelt 'hacerlo').
  if (NO.test(t) || NO.test(typed) || (words.every((w) => NO_WORDS.has(w)) && words.some((w) => NO.test(w)))) return { intent: 'no', slots: {}, lang };
  if (YES.test(t) || YES.test(typed) || words.every((w) => YES_WORDS.has(w))) return { intent: 'yes', slots: {}, lang };

  // The reading the classifier is surest of, of the whole message or of one of its sentences, wins.
  const candidates = [reading, ...(sentences.length > 1 ? sentences.map((s) => read(s, context)) : [])];
  const choice = unmistakable(classify(candidates.map((c) => featuresOf(c))), words);
  const meaning = (intent: IntentName): Meaning => ({ intent, slots: slotsOf(intent, slots, amounts, t) });
  const unsure = choice.unsure ? ([meaning(choice.unsure[0]), meaning(choice.unsure[1])] as [Meaning, Meaning]) : undefined;
  return { ...meaning(choice.intent), lang, ...(unsure ? { unsure } : {}) };
}

/**
 * "I'm not trying to dispute anything, I just want my gas total", "no quiero desconectar nada,
 * solo saber si esto es seguro": a request the person rules out before the one they make. What is
 * ruled out is read as nothing; the rest as the message. Only requests to act are ruled out this
 * way: "I don't want to share transactions, only balances" changes what is shared, and keeps its words.
 */
const DISCLAIMER = new RegExp(
  '^(?:(?:ok|so|look|honestly|mira|oye|ojo) )?(?:(?:i|im|i am|yo) )?(?:(?:not asking (?:about|for)|no pregunto (?:por|sobre))|(?:not trying to|not asking to|not looking to|not here to|dont want to|do not want to|dont need to|no quiero|no necesito|no busco|no estoy (?:tratando|intentando|buscando) de|no es para|no vengo a) ' +
    '(?:dispute|report|cancel|block|freeze|lock|disconnect|unlink|link|connect|add|delete|remove|stop|change|talk|speak|complain|reclamar|disputar|reportar|cancelar|bloquear|congelar|desconectar|desvincular|vincular|conectar|agregar|anadir|borrar|eliminar|quitar|cambiar|hablar|quejarme|denunciar))\\b(?: \\S+){0,6}? (?:i |im |yo )?(?:just|only|solo|nomas|nada mas|simplemente|but|pero|sino) ',
);

/** "…, I'm not disputing anything", "…, no estoy pidiendo un préstamo": the same, said after the request. */
const AFTERTHOUGHT = new RegExp(
  ' (?:(?:im|i am|yo) )?(?:not (?:disputing|reporting|applying for|asking for|asking about|trying to|looking to|looking for|wanting to)|no (?:estoy|ando) (?:reclamando|disputando|reportando|pidiendo|solicitando|tratando de|buscando))\\b.*$',
);

/**
 * A story around a question ("my sister took out a loan and now she's broke… anyway, how much do I
 * have?", "what went out of savings last month? I'm thinking of asking for a loan"): a loan or a
 * payment told in passing is not the request when another sentence, read alone, is a plain
 * question about the person's money that trips no guard. Only the bank-only guard gives way, and
 * only to a story: a sentence asking for the bank's service ("I need to pay my card") keeps it, and
 * an emergency anywhere wins.
 */
function storyQuestion(sentences: string[], context: UnderstandContext): Understanding | undefined {
  if (sentences.length < 2) return undefined;
  const read_ = sentences.map((s) => read(s, context));
  const guarded = read_.filter((r) => guard(r.typed, r.corrected));
  if (!guarded.length || guarded.some((r) => guard(r.typed, r.corrected) !== 'bank-only' || REQUEST.test(r.corrected))) return undefined;
  // "My bill is overdue… can you just pay it from my checking?": the ask may be a sentence of its own.
  if (read_.some((r) => REQUEST.test(r.corrected) && MONEY_VERB.test(r.corrected))) return undefined;
  for (const sentence of read_) {
    if (guarded.includes(sentence)) continue;
    const choice = classify([featuresOf(sentence)]);
    if (!choice.unsure && DATA_QUESTIONS.has(choice.intent)) {
      return { intent: choice.intent, slots: slotsOf(choice.intent, sentence.slots, sentence.amounts, sentence.corrected), lang: sentence.lang };
    }
  }
  return undefined;
}
/**
 * A card problem told as settled or long past ("got a new card after mine was nicked, all sorted
 * now. can you show me…", "ya bloqueé la tarjeta con el banco, ahora dime cuánto gasté", "my card
 * got skimmed back in 2019 so I want fraud alerts on"): what follows is the request. It is read on
 * its own and wins only when it is itself unguarded and a question about the person's money or
 * their alerts; anything else keeps the emergency answer (the safe one).
 */
// A partner's or a child's card is often on the person's own account: told of, it stays an emergency.
const SETTLED = new RegExp(
  '\\b(?:(?:my|a mi|mi) (?:neighbou?r|friend|mate|compadre|comadre|pana|cuate|parcero|buddy|pal|roommate|flatmate|uncle|aunt|brother|sister|mom|mum|dad|coworker|colleague|cousin|hermano|hermana|vecin[oa]|amig[oa]|mama|papa|prim[oa]|companer[oa]|cunad[oa]|suegr[oa])\\b(?: \\S+){0,4}? (?:had (?:her|his|their) card|card was|got (?:her|his|their) card)|a (?:una|un) (?:amiga|amigo|companera|companero|vecina|vecino|conocida|conocido|prima|primo|tia|tio|colega)(?: (?:del|de la|de mi) \\S+)? (?:le|les)|a mi (?:hermano|hermana|vecin[oa]|amig[oa]|mama|papa|prim[oa]|companer[oa]|cunad[oa]|suegr[oa]|compadre|comadre|compa|pana|cuate|parcero|parce|colega|jef[ea]|ti[oa]) (?:le|les)|all sorted(?: now)?|sorted now|(?:its|it s|thats|that s) (?:all )?(?:sorted|fixed|resolved|handled|dealt with)|already (?:blocked|cancelled|canceled|reported|frozen|froze|locked|replaced)(?: it)?|got a new (?:card|one)|back in (?:19|20)\\d\\d|(?:years|a year|months) ago|' +
    'ya (?:la |lo )?(?:bloquee|cancele|reporte|congele|denuncie)(?: la tarjeta| el plastico)?(?: con el banco)?|ya me (?:dieron|mandaron|llego) (?:otra|una nueva|la nueva)|ya (?:esta|quedo) (?:resuelto|arreglado|bloqueada|cancelada)|hace (?:unos |varios )?(?:anos|meses))\\b',
);
const OWN_CARD = /\b(?:mine|my (?:own )?(?:card|account|debit|credit|visa)|mi (?:tarjeta|cuenta)|la mia)\b/;
const CONNECTORS = /^(?:\s|,|\b(?:so|and|but|now|anyway|yeah|ok|okay|y|pero|ahora|pues|asi que|bueno|entonces)\b)+/;
const FOLLOWING: ReadonlySet<IntentName> = new Set(['balance', 'transactions', 'spending', 'search', 'largest', 'alerts-fraud', 'alerts-show', 'alerts-low-balance', 'alerts-large']);
function settledEmergency(typed: string, sentences: string[], context: UnderstandContext): Understanding | undefined {
  const settled = SETTLED.exec(typed);
  if (!settled) return undefined;
  // Told in sentences: the request is a later sentence, read alone.
  const told = sentences.findIndex((s) => SETTLED.test(read(s, context).typed));
  if (told >= 0) {
    // Someone else's card told about, and then the person's own ("…and they used mine too"): not settled.
    const toldText = read(sentences[told]!, context).typed;
    if (OWN_CARD.test(toldText.slice((SETTLED.exec(toldText)?.index ?? 0) + (SETTLED.exec(toldText)?.[0].length ?? 0)))) return undefined;
    for (const sentence of sentences.slice(told + 1)) {
      const reading = read(sentence, context);
      // A sentence in between that is itself an emergency keeps the emergency answer.
      if (guard(reading.typed, reading.corrected)) return undefined;
      const found = followingRequest(reading);
      if (found) return found;
    }
  }
  // The request follows the settled part, past the rest of its clause.
  let rest = typed.slice(settled.index + settled[0].length);
  const clause = /\b(?:so|now|anyway|ahora|asi que|pero|but)\b/.exec(rest);
  if (clause && !FOLLOW_START.test(rest)) rest = rest.slice(clause.index);
  rest = rest.replace(CONNECTORS, '');
  if (rest.split(' ').length < 3) return undefined;
  return followingRequest(read(rest, context));
}

/** A request after a settled emergency: itself unguarded, and about the person's money or alerts. */
function followingRequest(reading: Reading): Understanding | undefined {
  if (reading.typed.split(' ').length < 3 || guard(reading.typed, reading.corrected)) return undefined;
  const choice = classify([featuresOf(reading)]);
  if (choice.unsure || !FOLLOWING.has(choice.intent)) return undefined;
  return { intent: choice.intent, slots: slotsOf(choice.intent, reading.slots, reading.amounts, reading.corrected), lang: reading.lang };
}
const FOLLOW_START = /^\s*(?:so|now|anyway|ahora|asi que|pero|but|can|could|show|what|how|dime|cuanto|muestrame|i want)\b/;

const REQUEST = r(
  'i want|i wanna|i need|i have to|i gotta|i would like|id like|can you|could you|can i|could i|give me|get me|is it possible|how (?:do|can) i|please|help me|let me|quiero|necesito|tengo que|puedes|podrias|puede|pueden|podrian|me dan|me da|me das|me prestan|es posible|se puede|me ayudas|ayudame|como (?:puedo|hago)|por favor|dejame',
);
const DATA_QUESTIONS = new Set<IntentName>(['balance', 'transactions', 'spending', 'search', 'largest']);
/** Asking the bank to move money, in a sentence the guards may not see as such alone ("pay it"). */
const MONEY_VERB = r('pay|send|transfer|wire|move|pagar|paga|pagame|pagues|mandar|manda|enviar|envia|transferir|transfiere|pasar|pasame');

/**
 * A yes or a no confirms or cancels a change, so the classifier may not find one in words that say
 * neither ("blorp" is short like "nope"): it must contain a yes or a no word, else it is the fallback.
 */
function unmistakable(choice: Choice, words: string[]): Choice {
  if (choice.intent === 'yes' && !(words.some((w) => YES_WORDS.has(w)) && !words.some((w) => NO_WORDS.has(w)))) return { intent: 'fallback' };
  if (choice.intent === 'no' && !words.some((w) => NO_WORDS.has(w))) return { intent: 'fallback' };
  return choice;
}

/**
 * Which way a message about private mode goes: private ("keep my figures private", "hide my
 * numbers", "no quiero ver cifras en el chat") or in the chat ("show my figures here", "turn off
 * private mode", "quiero ver los saldos aquí"); undefined when it says neither, and the chat asks.
 * Turning private mode off is checked first: it names "private" too.
 */
const PRIVATE_OFF = /\b(turn(ing)? off|switch(ing)? off|disable|stop|no more|exit|leave|quit(ar)?|quita|desactiv\w*|apag\w*|salir( de)?|dejar? de usar|sin)\b[^.?!]{0,25}\b(private|privad[oa]|privacy|privacidad)\b|\b(private|privad[oa]) mode off\b/;
const PRIVATE_ON = /\b(private|privad[oa]s?|privately|en privado|hide|hidden|ocult\w*|escond\w*|discreet\w*|discret[oa]s?|not (in|on) (the )?(chat|messenger)|out of (the )?(chat|messenger)|fuera del chat|no (me |te )?(las |los )?(muestres|pongas|mandes|envies)|dont (show|send|put))\b/;
/** Figures asked out of the chat in words that also name it: "stop showing numbers in the chat", "no quiero que salgan las cifras en el chat". */
const NOT_IN_CHAT = /\b((stop|quit|no more|dont|do not|never) (showing|show|putting|put|sending|send|displaying|display)|no quiero que (salgan|aparezcan|se vean|se muestren|me muestres|muestres|me pongas|pongas|mandes|me mandes)|que no (salgan|aparezcan|se vean|se muestren)|deja de (mostrar|poner|mandar))\b/;
const IN_CHAT = /\b(here|in (the )?chat|in messenger|on messenger|aqui|aca|en el chat|por el chat|en messenger|por messenger|show (me )?(my )?(figures|numbers|amounts|balances)|mostrar|muestra\w*|normal mode|modo normal)\b/;
export function figuresChoice(t: string): 'private' | 'messenger' | undefined {
  if (PRIVATE_OFF.test(t)) return 'messenger';
  if (NOT_IN_CHAT.test(t) || PRIVATE_ON.test(t)) return 'private';
  if (IN_CHAT.test(t)) return 'messenger';
  return undefined;
}

/** The slots an intent takes from what was read, with the amounts read the way that intent uses them. */
function slotsOf(intent: IntentName, read: Slots, amounts: Reading['amounts'], t: string): Slots {
  const slots: Slots = { ...read };
  if (intent === 'search') {
    if (amounts.min !== undefined) slots.minAmount = amounts.min;
    if (amounts.max !== undefined) slots.maxAmount = amounts.max;
  }
  if (intent === 'alerts-low-balance' || intent === 'alerts-large') {
    const amount = amounts.min ?? amounts.max ?? amounts.any;
    if (amount !== undefined) slots.amount = amount;
    // "don't alert me for purchases under 20": not off, but only from 20 up.
    if ((amount === undefined ? OFF : OFF_ALERT).test(t) && !(intent === 'alerts-large' && amounts.max !== undefined && amounts.min === undefined)) slots.enabled = false;
    else if (amount === undefined && (ON.test(t) || ALERTS_ON.test(t))) slots.enabled = true;
  }
  if (intent === 'alerts-fraud') slots.enabled = !OFF.test(t);
  if (intent === 'privacy-mode') {
    const choice = figuresChoice(t);
    if (choice !== undefined) slots.enabled = choice === 'private';
  }
  // "What bills are due?", "¿qué recibos vencen?": bills in general, not the utilities category the
  // word also names in "how much did I spend on bills".
  if ((intent === 'bills' || intent === 'subscriptions') && slots.category === 'utilities' && !UTILITY_NAMED.test(t)) delete slots.category;
  return slotsFor(intent, slots);
}

/** A utility named as such: what keeps the category in a question about bills. */
const UTILITY_NAMED = r('utilit\\w*|electric\\w*|power|water|internet|phone|cable|luz|agua|telefono|celular|cel|servicios|electricidad');

/** Only the slots an intent uses: "turn off fraud alerts on my card" asks nothing about the card. */
function slotsFor(intent: IntentName, slots: Slots): Slots {
  const keep: Partial<Record<IntentName, (keyof Slots)[]>> = {
    balance: ['accountType'],
    transactions: ['count', 'accountType', 'period', 'category', 'merchant'],
    spending: ['category', 'merchant', 'period', 'accountType'],
    search: ['merchant', 'category', 'minAmount', 'maxAmount', 'period', 'accountType', 'count'],
    largest: ['count', 'period', 'accountType', 'category'],
    // Which ones ("my streaming subscriptions", "how much is Netflix a month").
    subscriptions: ['merchant', 'category'],
    // Which bill ("when is rent due", "when does Netflix charge me next") and the days ahead asked about.
    bills: ['merchant', 'category', 'period'],
    // "Did I get paid this week?"
    income: ['period'],
    'alerts-fraud': ['enabled'],
    // Private mode on (true) or off (false: figures in the chat).
    'privacy-mode': ['enabled'],
    'alerts-low-balance': ['amount', 'enabled'],
    // A merchant is kept only so the answer can say alerts for one merchant are not supported.
    'alerts-large': ['amount', 'enabled', 'merchant'],
    'follow-up': ['period', 'category', 'merchant', 'accountType'],
  };
  const wanted = keep[intent] ?? [];
  return Object.fromEntries(Object.entries(slots).filter(([key]) => wanted.includes(key as keyof Slots))) as Slots;
}
