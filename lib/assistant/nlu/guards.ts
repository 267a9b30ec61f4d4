/**
 * Readings that must win over every other, decided before the intent rules look at the words:
 * an answer to a fraud alert ("it was me", "no fui yo") is never a settings change, and a card
 * emergency or a request only the bank can carry out (paying, sending money, a loan, a credit
 * score) never gets a data answer. Deterministic on purpose: these are where a misreading costs
 * the most, so they are plain patterns a test can enumerate. They read the normalised words both
 * as typed and as spelling-corrected, so a corrector turning "lock" into "look" cannot hide one.
 */
export type Guarded = 'not-me' | 'it-was-me' | 'card-emergency' | 'bank-only';

/** A pattern matching any of the alternatives in `source` as whole words (the intent rules use it too). */
export const r = (source: string) => new RegExp(`\\b(?:${source})\\b`);

const NOT_ME = r(
  "(?:it|that|this|the charge|the payment|that charge|that payment) (?:wasnt|was not|isnt|is not|werent) (?:me|mine|my doing)|wasnt me|not me|not mine|i (?:didnt|did not) (?:make|do|buy|authorize|authorise) (?:it|that|this)|never (?:bought|ordered|purchased) (?:anything |a thing )?(?:from|at) (?:there|them|that place|that shop|that store|those people)|^(?:(?:no|nope|nah|lol|honestly) )*(?:ive |i have )?never (?:even )?been (?:in|to|at) (?:there|that (?:shop|store|place|restaurant|bar)|this (?:shop|store|place))(?: in my (?:life|entire life))?$|nunca (?:he )?(?:comprado|compre|pedi) (?:nada )?(?:ahi|alli|ahi|en ese lugar|en esa tienda)|^(?:(?:no|nel|jaja) )*(?:yo )?nunca (?:he|e) (?:ido|estado) (?:ahi|alli|en esa tienda|en ese lugar|en ese sitio|en ese local)(?: en (?:mi|toda mi) vida)?$|no fui yo|no fui|yo no fui|no (?:lo|la|los|las) hice|yo no (?:lo|la|los|las) hice|no (?:es|fue|era) mi[oa]|no soy yo|no lo reconozco|(?:cobro|cargo|pago|movimiento|compra) no me suena|no me suena (?:ese|este|el|la|esa|esta) (?:cobro|cargo|pago|movimiento|compra)",
);
const IT_WAS_ME = r(
  '(?:it|that|this|the charge|the payment|that charge|that payment) (?:was|is|were) (?:me|mine|really me|actually me|all me|just me|legit)|(?:it|that|this)s (?:mine|legit)|thats me|was me|i (?:made|did|bought|authorized|authorised) (?:it|that|this|the (?:purchase|payment|charge))(?=$| (?:one|purchase|payment|charge|myself|yes|lol|too)\\b)|(?<!(?:dont|didnt|cant|not|do not|did not|cannot) )(?:i )?recogni[sz]e (?:it|that|this|the (?:charge|payment|purchase))|(?<!no )(?:lo|la) reconozco|(?:thats|that was|it was|its) (?:just )?my (?:husband|hubby|wife|partner|son|daughter|kid|kids|mom|mum|dad|boyfriend|girlfriend)(?= (?:he|she|they|it|its|using)\\b|$)|(?:es|fue|era) mi (?:esposo|esposa|marido|mujer|hijo|hija|novio|novia|pareja|mama|papa)(?= (?:el|ella|que tiene|tiene)\\b|$)|(?:la|lo) hizo mi (?:esposo|esposa|marido|mujer|hijo|hija|novio|novia|pareja|mama|papa)|fui yo|si fui|yo fui|fue mi[oa]|es mi[oa]|lo hice yo|yo lo hice|yo la hice|soy yo|si lo hice|si la hice|si era yo|era yo',
);

const CARD = r('card|cards|debit|credit card|visa|mastercard|amex|wallet|purse|tarjeta|tarjetas|debito|credito|cartera|billetera');
const LOST = r(
  'lost|lose|losing|misplaced|cant find|cannot find|stolen|stole|stealing|robbed|nicked|pinched|pickpocketed|pick pocketed|mugged|volaron|afanaron|chorearon|bolsearon|birlaron|me bajaron (?:la |el |mi |mis )?(?:billetera|cartera|tarjeta|tarjetas|celular|cel|telefono|bolsa)|perdi|perdida|perdido|extravie|extraviada|extraviado|robaron|asaltaron|atracaron|me asaltaron|me atracaron|se llevaron|robo|robada|robado|hurtaron|no encuentro|no la encuentro|se me cayo|se me perdio|se me extravio|no la tengo|ya no la tengo|no tengo mi tarjeta|no tengo mi cartera|(?:ya )?no (?:tenia|tengo|encontraba|estaba) (?:la|mi|mis|las) (?:billetera|cartera|tarjeta|tarjetas)',
);
const FREEZE = r('freeze|frozen|froze|freez\\w*|lock|locked|lock up|block|blocked|congela\\w*|congel\\w*|bloque\\w*|bloqu\\w*|bloq\\w*');
const CANCEL = r('cancel|cancell?ed|deactivate|shut off|kill|cancela\\w*|desactiva\\w*|suspende\\w*|da de baja|dar de baja|anula\\w*');
const ALERT_WORD = r('alerts?|notifications?|notify|warnings?|alertas?|avisos?|notificaciones?');
const COMPROMISED = r('compromised|hacked|skimmed|skimmea\\w*|cloned|clonaron|clonada|clonado|hackearon|hackeada|hackeado|comprometida|comprometido|jaquearon');
const SOMEONE_USED = r(
  '(?:someone|somebody|some one|a stranger|sb)(?: (?!and |but |y |pero )\\S+){0,4}? (?:used|is using|has used|been using|charged|took|stole|grabbed|swiped|snatched|nicked|spent|made a purchase|bought)|alguien(?: (?!and |but |y |pero )\\S+){0,4}? (?:uso|usa|esta usando|ha usado|hizo|saco|me robo|compro|gasto|me cobro)|(?:usaron|clonaron|me usaron|me clonaron) (?:mi|mis|la|las) (?:tarjeta|tarjetas|cuenta|datos)|(?:i )?(?:didnt|did not|never) (?:make|authorize|authorise|do|buy|approve) (?:this|that|these|those|a|an|the|any)? ?(?:charge|charges|purchase|purchases|payment|payments|transaction|transactions)',
);
const UNRECOGNISED = r(
  '(?:dont|do not|cant|can not|cannot|didnt) recogni[sz]e|unrecogni[sz]ed|unknown (?:charge|purchase|payment|transaction)|(?:weird|strange|odd|suspicious|random|mystery) (?:charge|purchase|payment|transaction)|unauthori[sz]ed|no reconozco|no conozco (?:un|una|el|la|este|esta|ese|esa) (?:cargo|compra|pago|cobro|movimiento)|desconozco|no autorice|(?:cargo|compra|cobro|movimiento) (?:raro|rara|extrano|extrana|desconocido|desconocida|que no hice|que no reconozco|no autorizado|no autorizada|fraudulento|fraudulenta)|(?:fraudulent|fake) (?:charge|purchase|payment|transaction)',
);
/** A worry about what could happen ("am i gonna get hacked?", "¿me pueden clonar la tarjeta?"), not a report of it. */
const AT_RISK = r('(?:gonna|going to|could|can|will|might|would)(?: (?:i|my \\w+|it|this|u|you|someone|they))? (?:get |be )?(?:hacked|compromised|cloned|skimmed|hack|clone|skim)|(?:me |la |lo )?(?:pueden|podrian|puede|podria|van a|va a) (?:hackear|clonar|jaquear|skimmear)|(?:riesgo|peligro) de (?:que )?(?:me )?(?:hackeen|clonen|jaqueen)');
/** "a charge from some company I've never heard of": a charge and not knowing where it comes from. */
const CHARGE = r('charges?|payments?|purchases?|transactions?|cargos?|cobros?|compras?|pagos?|movimientos?');
const NEVER_HEARD = r('never heard of|not heard of|never seen (?:it|that|them|before)|no se (?:que|quien) (?:es|son)|ni idea de (?:que|quien) (?:es|son)|nunca (?:he|habia) (?:oido|escuchado|visto)');
/** The wallet or card itself went missing: "my wallet must have fallen out", "my card is just gone". */
const WALLET_GONE = /\b(?:wallet|wallets|purse|purses|card|cards|visa|mastercard|amex)\b(?: (?:is|was|has|just|must|have|had|been|completely|totally))* (?:gone|missing|fallen out|fell out|disappeared|vanished)\b/;
/** Left somewhere and gone, or left where anyone can take it: "dejé la tarjeta en el cajero y ya no estaba", "left my card at the pub". */
const LEFT_BEHIND = /\b(?:tarjeta|tarjetas|cartera|billetera)\b[^.?!]{0,50}\bya no (?:estaba|esta|estaban|aparecio|aparecia|la encontre)\b|\b(?:left|forgot) my (?:card|cards|wallet|purse|debit card|credit card) (?:at|in) (?:the )?(?:pub|bar|club|restaurant|cafe|shop|store|taxi|cab|uber|atm|cash machine|gym|party)\b/;
/** The machine kept the card: "the atm ate my card", "el cajero se tragó mi tarjeta". */
const ATM_KEPT = r('atm|atms|cash machine|cashpoint|cashpoints|cajero(?: automatico)?');
const KEPT = r('ate|eaten|swallowed|kept|took|retained|stuck|trago|se trago|retuvo|se quedo con|atoro|atasco|atascada|atorada');
/** The card's details were handed to a fake ("clicked a link and typed in my card number"), or its phone wallet was lost. */
const PHISHED = r(
  '(?:typed|entered|put|gave|give) (?:in )?(?:my |the )?(?:card|card number|card details|pin|cvv|security code)|(?:di|puse|ingrese|meti|escribi) (?:mis |los |el )?(?:datos de (?:mi |la )?tarjeta|numero de (?:mi |la )?tarjeta|nip|pin|cvv)|phishing|scam (?:text|message|call|link)|(?:mensaje|link|enlace|llamada) (?:falso|falsa|fraudulento|fraudulenta)',
);
const PHONE_WALLET = r('(?:phone|cell|iphone|mobile|celular|cel|movil|telefono)\\b.*\\b(?:stolen|nicked|lost|robaron|perdi|robado|perdido)|(?:stolen|nicked|lost|robaron|perdi) (?:my |mi )?(?:phone|cell|iphone|mobile|celular|cel|movil|telefono)');
const PHONE_PAY = r('apple pay|google pay|samsung pay|wallet|cartera digital|pagos? (?:con|desde) el (?:cel|celular|movil|telefono)|my cards|mis tarjetas|tarjetas');
/** The same purchase charged twice, or somewhere the person has never been. */
const TWICE = r('charged (?:me )?(?:twice|2 times)|double charged|charged double|duplicate charge|cobraron (?:dos|2) veces|me cobraron doble|cobro duplicado|cargo duplicado|cargaron (?:dos|2) veces|never (?:even )?been (?:in )?(?:there|to that|in that)|nunca he (?:ido|estado|comprado) (?:ahi|alli|en esa|en ese)');
/** "not sure if it charged me twice, can you pull up my gas purchases": a doubt to check, with the ask to look. */
const DOUBT = r('(?:not sure|unsure|no idea|wondering|wonder|check|see) (?:if|whether)|no (?:se|estoy segur[oa]) si|a ver si|para ver si');
const LOOK = r('pull up|show|look up|find|list|check|busca\\w*|muestra\\w*|ensena\\w*|revisa\\w*|ver (?:los|las|mis)');
const DISPUTE = r('disput\\w*|chargeback|charge back|contracargo|reclamar (?:un|el|este|ese) (?:cargo|cobro|pago)|reclamo (?:de|por) (?:un|el) (?:cargo|cobro)|aclaracion (?:de|por) (?:un|el) cargo');

/**
 * A question about what happened ("how much did I pay on my card?") or when a payment falls due
 * ("when do I have to pay rent?", "¿cuándo tengo que pagar la luz?") is data, not a request to pay.
 */
const ASKING = r(
  'did i|did we|have i|how much|how many|when did|what did|afford|cuanto|cuanta|cuando pague|ya pague|que pague|pague|pagaste|pagado|me alcanza|alcanza para|when (?:do|will) (?:i|we) (?:have|need|got) to|cuando (?:tengo|tenemos|hay|debo) que|cuando (?:me )?toca',
);
const PAY = r(
  '(?:pay|pay off|payoff|paying|pay down) (?:off )?(?:my |the |this |a |this months |my credit |the credit |el )?(?:card|cards|credit card|bill|bills|balance|statement|loan|rent|debt|minimum|tarjeta)|(?:make|schedule|set up) (?:a |my )?(?:payment|autopay)|autopay|paga\\w* (?:mi|la|el|mis|los|las|lo de la) (?:tarjeta|factura|recibo|deuda|prestamo|credito|renta|luz|minimo)|(?:quiero|necesito|puedes|podrias) pagar|pagar (?:mi|la|el|mis) (?:tarjeta|deuda|factura|recibo|credito|prestamo|renta)',
);
/** Asked to pay, whatever else is asked beside it: "I need to pay my credit card. How much do I owe?". */
const ASKED_TO_PAY = r(
  '(?<!when (?:do|will|must) )(?:i|we) (?:need|want|have|got|would like) to pay|i (?:wanna|gotta) pay|(?:can|could|will|would) (?:you|u) (?:please |pls |plz |just |go ahead and )*pay|please pay|(?<!cuando )(?:necesito|quiero|tengo que|puedes|podrias|me puedes) pagar',
);
/** The bot asked to pay something already named: "my bill is overdue… can you just pay it?", "¿me la puedes pagar?". */
const PAY_THAT = r('(?:can|could|will|would) (?:you|u) (?:please |pls |plz |just |go ahead and )*pay (?:it|this|that|them|those)|(?:puedes|podrias|me puedes|me podrias) pagar(?:lo|la|los|las)|(?:me )?(?:lo|la|los|las) (?:puedes|podrias) pagar');
/** Sending money reads as a verb, an amount or money, then whom or where to: "send 20 bucks to alex". */
const MOVE = new RegExp(
  '\\b(?:send|wire|transfer|move|zelle|transfiere|transferir|transferirle|transfierele|manda|mandale|mandar|mandarle|envia|enviale|enviar|enviarle|mover|mueve|pasale|pasarle)\\b' +
    '.{0,30}?(?:\\$ ?\\d|\\b\\d+(?:\\.\\d+)?\\b|\\b(?:money|cash|dollars?|bucks|quid|tenners?|fivers?|grand|funds|pesos|euros?|dinero|lana|feria|plata|pasta|varo|guita|chavos|cuartos)\\b)' +
    '.{0,40}?\\b(?:to|into|from|a|al|para|hacia|de)\\b' +
    '|\\b(?:can|could|how do|how can) (?:i|you|u) (?:send|transfer|move|wire) (?:money|funds|cash)\\b' +
    '|\\b(?:puedo|puedes|como) (?:mandar|enviar|transferir|mover) (?:dinero|lana|plata|feria)\\b',
);
/** Money moved between accounts with "pasar": "¿puedes pasar 600 de ahorro a la corriente?". */
const PASS_MONEY = /\bpas(?:ar|a|ale|arle)\b (?:\$ ?)?\d+(?:\.\d+)? (?:\S+ ){0,4}?(?:a|al|para)\b/;
/** "send me my data", "mándame un mensaje si…": sending that is not money. */
const NOT_MONEY_SEND = r('data|datos|info|informacion|copy|copia|export|alerts?|alertas?|avisos?|mensaje|message|statement|estado de cuenta|link|enlace');
/** Things only the bank does for a card or account: a new PIN, a replacement card, checks. */
const BANK_SERVICE = r(
  'recarga\\w* (?:\\S+ ){0,3}(?:saldo|cel|celular|telefono|movil)|top up my (?:phone|mobile|cell)|(?:change|reset|new|forgot|forgotten) (?:my |the )?(?:card )?(?:pin|pin number)|(?:cambiar|cambia|restablecer|nuevo|olvide) (?:el |mi )?(?:pin|nip)|replacement (?:card|debit card|credit card)|(?:new|replace) (?:my )?(?:debit |credit )?card|(?:tarjeta|plastico) nuev[oa]|(?:nueva|reponer|reposicion de|renovar|reemplazar) (?:la |mi )?tarjeta|checkbook|cheque ?book|order (?:more )?checks|chequera|talonario',
);
/** Money sent through an app by name ("mándaselos por cash app", "pásale por bizum"). */
const PAYMENT_APP = r('zelle|venmo|cash app|cashapp|bizum|spei|nequi|daviplata|transfiya|yape|plin|pix|sinpe|ath movil|ath|mercado pago|mercadopago|wise|western union|remitly|paypal');
const SEND_VERB = r('send|sent|pay|transfer|wire|zelle me|manda\\w*|envia\\w*|pasa(?:le|selos|melos)?|transfiere\\w*|depositale|hazle|paga\\w*|bota\\w*|tira(?:le|me|selos|melos)');
/** Verbs made of an app's name ("yapéale 50", "plinéame"): sending money by themselves. */
const APP_VERB = r('yapea\\w*|plinea\\w*|zelleale|zelle me|(?:venmo|zelle|cashapp|cash app|paypal|bizum|nequi) (?:\\S+ ){0,2}\\$? ?\\d+');
const CREDIT = r(
  'credit score|credit scores|credit report|credit rating|credit history|fico|credit karma|equifax|experian|transunion|datacredito|veraz|dicom|infocorp|circulo de credito|puntaje (?:de )?credito|puntaje crediticio|score (?:de )?credito|score crediticio|historial (?:de )?credito|historial crediticio|buro (?:de )?credito|loan|loans|prestamo|prestamos|apply for (?:a |an )?(?:loan|credit|credit card|card|mortgage|line of credit)|(?:pedir|solicitar|sacar|tramitar) (?:un|una) (?:prestamo|credito|tarjeta|hipoteca)|(?:get|take out) a mortgage|line of credit|linea de credito|credit limit increase|aumento de (?:limite|linea)|(?:raise|increase|up|bump up) (?:my |the )?(?:credit |card |spending |withdrawal )?limit|(?:subir|aumentar|sube|aumenta|subirme|aumentarme) (?:el |mi )?(?:limite|cupo|linea)',
);

/** "alert me if someone uses my card": asking for the fraud alert, not reporting a fraud. */
const ALERT_ME_IF = r(
  '(?:alert|notify|warn|text|message|tell|ping) (?:me|us) (?:if|when|whenever|anytime)|let me know (?:if|when|whenever)|(?:i )?(?:want|wanna|would like|need) to know (?:if|when|whenever)|(?:quiero|quisiera|necesito) (?:saber|enterarme) (?:si|cuando)|para saber si|(?:avisame|avisenme|avisarme|avisen|avises|notificame|alertame|alertarme|mandame un mensaje|escribeme) (?:si|cuando|cada vez que)|(?:me avisen|me avises|me alerten|me notifiquen) (?:si|cuando|cada vez que)',
);
/** "will I get ads for loans": a question about advertising, not a loan request. */
const ADS = r('ads|adverts?|advertising|advertisements?|anuncios?|publicidad|propaganda|marketing');

function guardOne(t: string): Guarded | undefined {
  if (NOT_ME.test(t)) return 'not-me';
  if (IT_WAS_ME.test(t)) return 'it-was-me';
  const card = CARD.test(t);
  if (card && (LOST.test(t) || FREEZE.test(t) || (CANCEL.test(t) && !ALERT_WORD.test(t)))) return 'card-emergency';
  if ((COMPROMISED.test(t) && !AT_RISK.test(t)) || ((SOMEONE_USED.test(t) || UNRECOGNISED.test(t)) && !ALERT_ME_IF.test(t)) || DISPUTE.test(t) || (CHARGE.test(t) && NEVER_HEARD.test(t))) return 'card-emergency';
  if (WALLET_GONE.test(t) || LEFT_BEHIND.test(t) || (card && ATM_KEPT.test(t) && KEPT.test(t)) || PHISHED.test(t) || (PHONE_WALLET.test(t) && PHONE_PAY.test(t)) || (TWICE.test(t) && !(DOUBT.test(t) && LOOK.test(t)))) return 'card-emergency';
  if (CREDIT.test(t) && !ADS.test(t)) return 'bank-only';
  if ((PAY.test(t) && (!ASKING.test(t) || ASKED_TO_PAY.test(t))) || PAY_THAT.test(t)) return 'bank-only';
  if (!ASKING.test(t) && (MOVE.test(t) || PASS_MONEY.test(t)) && !NOT_MONEY_SEND.test(t)) return 'bank-only';
  if (BANK_SERVICE.test(t) || ((APP_VERB.test(t) || (PAYMENT_APP.test(t) && SEND_VERB.test(t))) && !ASKING.test(t))) return 'bank-only';
  return undefined;
}

/** The guarded reading of normalised words, as typed first, then as corrected. */
export function guard(typed: string, corrected: string): Guarded | undefined {
  return guardOne(typed) ?? (corrected === typed ? undefined : guardOne(corrected));
}
