import type { ChatWords } from '../chat';

/** "agente" is a word the assistant reads as asking for a person. */
const botLine = 'Soy un asistente automático; escribe "agente" para hablar con una persona.';

/** The assistant's own words, in Spanish. */
/** The money insights, as a sentence names them. */
const INSIGHT_NAMES = { 'price-up': 'subidas de precio de suscripciones', 'new-recurring': 'cargos recurrentes nuevos', 'double-charge': 'cobros dobles', 'bill-due-low': 'facturas por vencer con saldo bajo' } as const;

export const chat: ChatWords = {
  botLine,
  welcome:
    `¡Hola! ${botLine}\n` +
    'Cuando vincules tu cuenta bancaria (solo con tu ' +
    'permiso, y puedes dejar de compartir cuando quieras), puedo decirte tus saldos y gastos ' +
    'y avisarte de pagos inusuales. Tus datos financieros nunca se usan para publicidad, ni se venden ni se comparten.',
  titles: {
    balance: 'Saldo',
    spendingThisMonth: 'Gastos del mes',
    recentTransactions: 'Movimientos',
    alertSettings: 'Mis alertas',
    linkMyBank: 'Vincular mi banco',
    howMyDataIsUsed: 'Uso de mis datos',
    help: 'Ayuda',
    whatIShare: 'Qué comparto',
    stopSharing: 'Dejar de compartir',
    reviewAndLink: 'Revisar y vincular',
    changeSharing: 'Cambiar permisos',
    yes: 'Sí',
    no: 'No',
    talkToPerson: 'Hablar con alguien',
    lockMyCard: 'Bloquear tarjeta',
    seeRecentTransactions: 'Ver movimientos',
    fraudAlertsOn: 'Activar fraude',
    insightOn: { 'price-up': 'Avisar subidas', 'new-recurring': 'Avisar cargos nuevos', 'double-charge': 'Avisar cobro doble', 'bill-due-low': 'Avisar facturas' },
    fraudAlertsOff: 'Apagar fraude',
    lowBalanceOff: 'Apagar saldo bajo',
    largeAlertsOff: 'Apagar grandes',
    somethingElse: 'Otra cosa',
  },
  help:
    'Respondo preguntas sobre tus propias cuentas, en español o en inglés. Prueba:\n' +
    '• "¿Cuál es mi saldo?" o "¿Cuánto tengo en ahorros?"\n' +
    '• "¿Cuánto gasté en el súper el mes pasado?"\n' +
    '• "¿Cuánto le pagué a Netflix este año?"\n' +
    '• "¿Qué suscripciones tengo?" o "¿Cuándo vence la renta?"\n' +
    '• "¿Algún cargo de más de $200 la semana pasada?"\n' +
    '• "Avísame si mi saldo baja de $100"\n' +
    '• "¿Qué estoy compartiendo?", "Dejar de compartir", "Hablar con una persona"\n' +
    'Tus datos bancarios solo se usan para responderte: nunca para anuncios, nunca se venden ni se comparten.',
  greeting: '¡Hola! ¿Qué quieres saber de tu dinero?',
  thanks: '¡Con gusto!',
  ok: 'Vale.',
  attachment: 'Solo puedo leer texto. Pregúntame por tu saldo o tus gastos.',
  fallback:
    'Perdona, con eso no puedo ayudarte aquí. Respondo sobre tus saldos y gastos, te mando las alertas que elijas y te muestro o detengo lo que compartes. No puedo mover dinero. Escribe "ayuda" para ver ejemplos.',
  needsLink:
    'Para responder eso necesito leer tus datos bancarios, y solo con tu permiso. Mira exactamente qué se comparte, elige y vincula tu banco (el enlace sirve 30 minutos).',
  missingScope: (shared, bank, missing) =>
    `Solo compartes ${shared}${bank ? ` de ${bank}` : ''} conmigo, así que no puedo ver tus ${missing}. Puedes agregarlos (o cambiar lo que compartes) aquí:`,
  scopeNames: { balances: 'saldos', transactions: 'movimientos', alerts: 'alertas' },
  scopeList: (names) => names.join(' y '),
  refreshing: 'Lo estoy actualizando con tu banco; te mando las cifras nuevas en un momento.',
  firstSync: 'Todavía estoy trayendo tus movimientos de tu banco; te respondo en cuanto lleguen.',
  updated: 'Actualizado:',
  alertSettings: {
    title: 'Tus alertas:',
    fraud: (on) => `• Alertas de fraude: ${on ? 'activadas' : 'desactivadas'}`,
    large: (from) => `• Movimientos grandes: ${from === null ? 'desactivadas' : `desde ${from}`}`,
    low: (below) => `• Saldo bajo: ${below === null ? 'desactivada' : `por debajo de ${below}`}`,
    notShared: 'Aún no compartes alertas conmigo, así que no llegará ninguna hasta que las agregues a lo que compartes.',
    insights: (on) =>
      Object.values(on).every(Boolean)
        ? '• Avisos de dinero (subidas de precio, cargos recurrentes nuevos, cobros dobles, facturas con saldo bajo): activados'
        : `• Avisos de dinero: ${(Object.keys(INSIGHT_NAMES) as (keyof typeof INSIGHT_NAMES)[]).map((r) => `${INSIGHT_NAMES[r]} ${on[r] ? 'activados' : 'desactivados'}`).join(', ')}`,
  },
  alertAmount: {
    low: '¿Por debajo de qué monto te aviso? Por ejemplo: "avísame si baja de $100".',
    large: '¿Desde qué monto te aviso de un cargo? Por ejemplo: "avísame de cargos de más de $300".',
    invalid: 'Ese monto está fuera de rango: dime uno entre $1 y $1,000,000.',
  },
  handover: (brand) => `Te paso con una persona de ${brand}. Te responderá aquí; hasta que me devuelva el chat, no intervengo.`,
  handoverUnavailable: (phone) => `Ahora mismo no pude comunicarte con una persona.${phone ? ` Puedes llamar al ${phone}.` : ''} Inténtalo de nuevo en un rato.`,
  confirm: {
    fraudOn: '¿Activar las alertas de fraude? Te preguntaré por los pagos que parezcan inusuales.',
    fraudOff: '¿Desactivar las alertas de fraude? No te avisaré de pagos sospechosos.',
    large: (amount, now) => `¿Avisarte de cada movimiento de ${amount} o más, en cualquier comercio?${now !== null ? ` (Ahora: desde ${now}.)` : ''}`,
    largeOff: '¿Desactivar las alertas de movimientos grandes? No te avisaré de pagos grandes.',
    low: (amount, now) => `¿Avisarte cuando un saldo baje de ${amount}?${now !== null ? ` (Ahora: por debajo de ${now}.)` : ''}`,
    lowOff: '¿Desactivar la alerta de saldo bajo? No te avisaré cuando un saldo esté bajo.',
    handover: (brand) => `¿Te paso con una persona de ${brand}? Hasta que me devuelva el chat, no intervengo.`,
    insight: (rule, on) => (on ? `¿Vuelvo a activar los avisos de ${INSIGHT_NAMES[rule]}?` : `¿Dejo de avisarte de ${INSIGHT_NAMES[rule]}? Los demás avisos siguen igual.`),
  },
  changed: {
    fraudOn: 'Las alertas de fraude están activadas.',
    fraudOff: 'Las alertas de fraude están desactivadas: no te avisaré de pagos inusuales.',
    done: 'Listo.',
    lowOff: 'La alerta de saldo bajo está desactivada.',
    largeOff: 'Las alertas de movimientos grandes están desactivadas.',
    insight: (rule, on) => (on ? `Los avisos de ${INSIGHT_NAMES[rule]} están activados.` : `Los avisos de ${INSIGHT_NAMES[rule]} están desactivados.`),
  },
  merchantAlert: (merchant) => `Aún no puedo poner alertas para un solo comercio (${merchant}). Sí puedo avisarte de cualquier movimiento grande.`,
  nothingChanged: 'Vale, no cambié nada.',
  leftAsItWas: 'Lo dejé como estaba: no cambié nada.',
  expiredChange: 'Esa pregunta ya no está abierta, así que no cambié nada. Pídemelo de nuevo si aún lo quieres.',
  noAlertWaiting: 'Gracias. No tengo ninguna alerta esperando tu respuesta, así que no hay nada que confirmar y tus alertas siguen igual.',
  cardEmergency: {
    lead: 'Si perdiste tu tarjeta, te la robaron o alguien la usó sin ti, actúa ya:',
    lock: (url) => (url ? `1. Bloquea tu tarjeta: ${url}` : '1. Bloquea tu tarjeta en la app o la web de tu banco.'),
    call: (phone) => (phone ? `2. Llama a la línea de fraude de tu banco, abierta 24/7: ${phone}.` : '2. Llama al número de fraude que está al reverso de tu tarjeta.'),
    onlyRead: 'Solo leo lo que compartes: aquí no puedo bloquear tarjetas ni reclamar cargos. Una persona puede ayudarte.',
  },
  bankOnly: (phone) =>
    `No puedo pagar recibos ni tarjetas, mandar ni transferir dinero, ni ver préstamos o tu historial de crédito: solo leo lo que compartes. Eso se hace en la app o la web de tu banco${phone ? `, o llamando al ${phone}` : ''}. Una persona también puede ayudarte.`,
  clarify: {
    question: 'Quiero entenderte bien. ¿Te refieres a:',
    readings: {
      greeting: 'Solo saludar',
      help: 'Qué puedes hacer',
      thanks: 'Solo gracias',
      yes: 'Sí',
      no: 'No',
      balance: 'Mi saldo',
      transactions: 'Movimientos',
      spending: 'Cuánto gasté',
      search: 'Buscar movimientos',
      largest: 'Compras más grandes',
      subscriptions: 'Mis suscripciones',
      bills: 'Próximos recibos',
      income: 'Mi sueldo',
      'alerts-show': 'Mis alertas',
      'alerts-fraud': 'Alertas de fraude',
      'alerts-low-balance': 'Alerta saldo bajo',
      'alerts-large': 'Alerta compra grande',
      'what-shared': 'Qué comparto',
      'privacy-mode': 'Dónde ver cifras',
      'change-scopes': 'Cambiar permisos',
      'stop-sharing': 'Dejar de compartir',
      'data-policy': 'Uso de mis datos',
      'my-data': 'Mis datos',
      export: 'Descargar mis datos',
      human: 'Hablar con alguien',
      'link-bank': 'Vincular un banco',
      'follow-up': 'Lo mismo, para eso',
      'card-emergency': 'Problema con tarjeta',
      'bank-only': 'Pagar o mover dinero',
      'it-was-me': 'Fui yo',
      'not-me': 'No fui yo',
      fallback: 'Otra cosa',
    },
  },
};
