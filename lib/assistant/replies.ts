import type { BankFraudSteps } from '../alerts/messages';
import type { AlertSettings } from '../alerts/rules';
import type { Consent } from '../consent/consent';
import type { Scope } from '../consent/scopes';
import type { OutboundMessage, QuickReply } from '../messenger/send-api';
import { money } from './format';
import { Payloads } from './payloads';
import type { Language } from './nlu/understand';
import type { Change } from './state';

/** The assistant's own replies (not about a figure): help, gaps in consent, settings, handover. */

/** A quick reply; Messenger cuts titles at 20 characters, so they are cut here first. */
export const qr = (title: string, payload: string): QuickReply => ({ content_type: 'text', title: title.slice(0, 20), payload });
const bank = (c: Consent) => c.institution?.name?.trim() || undefined;

/** The natural next questions, less the one just answered. */
export const askMore = (lang: Language, except = ''): QuickReply[] =>
  (lang === 'en'
    ? [qr('Balance', Payloads.balance), qr('Spending this month', Payloads.spendingThisMonth), qr('Recent transactions', Payloads.recentTransactions), qr('Alert settings', Payloads.alertSettings)]
    : [qr('Saldo', Payloads.balance), qr('Gastos del mes', Payloads.spendingThisMonth), qr('Movimientos', Payloads.recentTransactions), qr('Mis alertas', Payloads.alertSettings)]
  ).filter((q) => q.payload !== except);

const startLinking = (lang: Language): QuickReply[] =>
  lang === 'en'
    ? [qr('Link my bank', Payloads.linkBank), qr('How my data is used', Payloads.dataPolicy)]
    : [qr('Vincular mi banco', Payloads.linkBank), qr('Uso de mis datos', Payloads.dataPolicy)];

const manageSharing = (lang: Language): QuickReply[] =>
  lang === 'en' ? [qr('What I share', Payloads.manageSharing), qr('Stop sharing', Payloads.stopSharing)] : [qr('Qué comparto', Payloads.manageSharing), qr('Dejar de compartir', Payloads.stopSharing)];

export function helpMessage(lang: Language, linked: boolean): OutboundMessage {
  const text =
    lang === 'en'
      ? 'I can answer questions about your own accounts, in English or Spanish. Try:\n' +
        '• "What\'s my balance?" or "How much is in savings?"\n' +
        '• "What did I spend on groceries last month?"\n' +
        '• "How much did I pay Netflix this year?"\n' +
        '• "Anything over $200 last week?"\n' +
        '• "Alert me if my balance drops below $100"\n' +
        '• "What am I sharing?", "Stop sharing", "Talk to a person"\n' +
        'Your bank data is only used to answer you: never for ads, never sold or shared.'
      : 'Respondo preguntas sobre tus propias cuentas, en español o en inglés. Prueba:\n' +
        '• "¿Cuál es mi saldo?" o "¿Cuánto tengo en ahorros?"\n' +
        '• "¿Cuánto gasté en el súper el mes pasado?"\n' +
        '• "¿Cuánto le pagué a Netflix este año?"\n' +
        '• "¿Algún cargo de más de $200 la semana pasada?"\n' +
        '• "Avísame si mi saldo baja de $100"\n' +
        '• "¿Qué estoy compartiendo?", "Dejar de compartir", "Hablar con una persona"\n' +
        'Tus datos bancarios solo se usan para responderte: nunca para anuncios, nunca se venden ni se comparten.';
  return { text, quick_replies: linked ? askMore(lang) : startLinking(lang) };
}

export const greetingMessage = (lang: Language): OutboundMessage => ({
  text: lang === 'en' ? 'Hi! What would you like to know about your money?' : '¡Hola! ¿Qué quieres saber de tu dinero?',
  quick_replies: askMore(lang),
});

export const thanksMessage = (lang: Language): OutboundMessage => ({ text: lang === 'en' ? "You're welcome!" : '¡Con gusto!' });

export const okMessage = (lang: Language): OutboundMessage => ({ text: lang === 'en' ? 'OK.' : 'Vale.', quick_replies: askMore(lang) });

export const attachmentMessage = (lang: Language): OutboundMessage => ({
  text: lang === 'en' ? 'I can only read text. Ask me about your balance or spending.' : 'Solo puedo leer texto. Pregúntame por tu saldo o tus gastos.',
  quick_replies: askMore(lang),
});

export function fallbackMessage(lang: Language, linked: boolean): OutboundMessage {
  return {
    text:
      lang === 'en'
        ? "Sorry, I can't help with that here. I answer questions about your balances and spending, send the alerts you choose, and show or stop what you share. I can't move money. Write \"help\" for examples."
        : 'Perdona, con eso no puedo ayudarte aquí. Respondo sobre tus saldos y gastos, te mando las alertas que elijas y te muestro o detengo lo que compartes. No puedo mover dinero. Escribe "ayuda" para ver ejemplos.',
    // Sharing is offered wherever the assistant is stuck: stopping must never depend on being understood.
    quick_replies: linked ? [...askMore(lang), ...manageSharing(lang)] : startLinking(lang),
  };
}

/** The question needs bank data and nothing is shared: say so, and offer the consent link. */
export function needsLinkMessage(lang: Language, url: string): OutboundMessage {
  const text =
    lang === 'en'
      ? 'To answer that I need to read your bank data, and only with your permission. See exactly what is shared, choose, and link your bank (the link works for 30 minutes).'
      : 'Para responder eso necesito leer tus datos bancarios, y solo con tu permiso. Mira exactamente qué se comparte, elige y vincula tu banco (el enlace sirve 30 minutos).';
  const title = lang === 'en' ? 'Review and link' : 'Revisar y vincular';
  return { attachment: { type: 'template', payload: { template_type: 'button', text, buttons: [{ type: 'web_url', title, url, webview_height_ratio: 'tall' }] } } };
}

const scopeName = { balances: { en: 'balances', es: 'saldos' }, transactions: { en: 'transactions', es: 'movimientos' }, alerts: { en: 'alerts', es: 'alertas' } } as const;

/** Shared, but not what this question needs: say what is missing and how to add it. */
export function missingScopeMessage(lang: Language, scope: Scope, consents: Consent[], manageUrl: string): OutboundMessage {
  const shared = [...new Set(consents.flatMap((c) => c.scopes))].map((s) => scopeName[s][lang]).join(lang === 'en' ? ' and ' : ' y ');
  const where = consents.length === 1 && bank(consents[0]!) ? bank(consents[0]!)! : undefined;
  const text =
    lang === 'en'
      ? `You share only ${shared}${where ? ` of ${where}` : ''} with me, so I can't see your ${scopeName[scope].en}. You can add them (or change anything else you share) here:`
      : `Solo compartes ${shared}${where ? ` de ${where}` : ''} conmigo, así que no puedo ver tus ${scopeName[scope].es}. Puedes agregarlos (o cambiar lo que compartes) aquí:`;
  const title = lang === 'en' ? 'Change sharing' : 'Cambiar permisos';
  return { attachment: { type: 'template', payload: { template_type: 'button', text, buttons: [{ type: 'web_url', title, url: manageUrl, webview_height_ratio: 'tall' }] } } };
}

export const refreshingNote = (lang: Language) =>
  lang === 'en' ? 'Updating this from your bank now; I will send the new figures in a moment.' : 'Lo estoy actualizando con tu banco; te mando las cifras nuevas en un momento.';

export const firstSyncNote = (lang: Language) =>
  lang === 'en' ? 'I am still fetching your transactions from your bank; I will answer as soon as they arrive.' : 'Todavía estoy trayendo tus movimientos de tu banco; te respondo en cuanto lleguen.';

export const updatedLead = (lang: Language) => (lang === 'en' ? 'Updated:' : 'Actualizado:');

// ── alert settings ───────────────────────────────────────────────────────────────────────────────

export function alertSettingsMessage(settings: AlertSettings, f: { lang: Language; locale: string }, currency: string, sharesAlerts: boolean, changed?: string): OutboundMessage {
  const m = (n: number) => money(n, currency, f);
  const en = f.lang === 'en';
  const lines = [
    ...(changed ? [changed] : []),
    en ? 'Your alerts:' : 'Tus alertas:',
    `• ${en ? 'Fraud alerts' : 'Alertas de fraude'}: ${settings.fraudAlerts ? (en ? 'on' : 'activadas') : en ? 'off' : 'desactivadas'}`,
    `• ${en ? 'Large transactions' : 'Movimientos grandes'}: ${settings.largeTransactionThreshold === null ? (en ? 'off' : 'desactivadas') : en ? `from ${m(settings.largeTransactionThreshold)}` : `desde ${m(settings.largeTransactionThreshold)}`}`,
    `• ${en ? 'Low balance' : 'Saldo bajo'}: ${settings.lowBalanceThreshold === null ? (en ? 'off' : 'desactivada') : en ? `below ${m(settings.lowBalanceThreshold)}` : `por debajo de ${m(settings.lowBalanceThreshold)}`}`,
    ...(sharesAlerts
      ? []
      : [en ? 'You do not share alerts with me yet, so none will come until you add them to what you share.' : 'Aún no compartes alertas conmigo, así que no llegará ninguna hasta que las agregues a lo que compartes.']),
  ];
  const quick = [
    settings.fraudAlerts ? qr(en ? 'Fraud alerts off' : 'Apagar fraude', Payloads.fraudAlertsOff) : qr(en ? 'Fraud alerts on' : 'Activar fraude', Payloads.fraudAlertsOn),
    ...(settings.lowBalanceThreshold !== null ? [qr(en ? 'Low balance off' : 'Apagar saldo bajo', Payloads.lowBalanceOff)] : []),
    ...(settings.largeTransactionThreshold !== null ? [qr(en ? 'Large alerts off' : 'Apagar grandes', Payloads.largeAlertsOff)] : []),
  ];
  return { text: lines.join('\n'), quick_replies: quick };
}

export const alertAmountQuestion = (lang: Language, kind: 'low' | 'large', lead?: string): OutboundMessage => {
  const question =
    lang === 'en'
      ? kind === 'low'
        ? 'Below what amount should I alert you? For example: "alert me below $100".'
        : 'From what amount should I tell you about a transaction? For example: "alert me about charges over $300".'
      : kind === 'low'
        ? '¿Por debajo de qué monto te aviso? Por ejemplo: "avísame si baja de $100".'
        : '¿Desde qué monto te aviso de un cargo? Por ejemplo: "avísame de cargos de más de $300".';
  return { text: lead ? `${lead}\n${question}` : question };
};

export const alertAmountInvalid = (lang: Language): OutboundMessage => ({
  text: lang === 'en' ? 'That amount is out of range: give one between $1 and $1,000,000.' : 'Ese monto está fuera de rango: dime uno entre $1 y $1,000,000.',
});

// ── handover ─────────────────────────────────────────────────────────────────────────────────────

export const handoverMessage = (lang: Language, brand: string): OutboundMessage => ({
  text:
    lang === 'en'
      ? `I'm passing you to a person at ${brand}. They will answer here; until they hand the chat back, I stay quiet.`
      : `Te paso con una persona de ${brand}. Te responderá aquí; hasta que me devuelva el chat, no intervengo.`,
});

export const handoverUnavailableMessage = (lang: Language, phone: string | undefined): OutboundMessage => ({
  text:
    lang === 'en'
      ? `I couldn't reach a person right now.${phone ? ` You can call ${phone}.` : ''} Please try again in a while.`
      : `Ahora mismo no pude comunicarte con una persona.${phone ? ` Puedes llamar al ${phone}.` : ''} Inténtalo de nuevo en un rato.`,
});

// ── changes wait for a yes ───────────────────────────────────────────────────────────────────────

/**
 * A change restated in plain words with its effect, and the two answers: Yes names the exact change
 * (applied only if it is the one waiting), No changes nothing. `lead` says why it is asked this way.
 */
export function confirmChangeMessage(change: Change, current: AlertSettings, f: { lang: Language; locale: string }, currency: string, brand: string, lead?: string): OutboundMessage {
  const en = f.lang === 'en';
  const m = (n: number) => money(n, currency, f);
  let question: string;
  switch (change.kind) {
    case 'fraud':
      question = change.on
        ? en
          ? 'Turn fraud alerts on? I will ask you about payments that look unusual.'
          : '¿Activar las alertas de fraude? Te preguntaré por los pagos que parezcan inusuales.'
        : en
          ? 'Turn fraud alerts off? You won’t be told about suspicious payments.'
          : '¿Desactivar las alertas de fraude? No te avisaré de pagos sospechosos.';
      break;
    case 'large': {
      const now = current.largeTransactionThreshold;
      question =
        change.amount === null
          ? en
            ? 'Turn large-transaction alerts off? You won’t be told about big payments.'
            : '¿Desactivar las alertas de movimientos grandes? No te avisaré de pagos grandes.'
          : en
            ? `Alert you about every transaction of ${m(change.amount)} or more, from any merchant?${now !== null ? ` (Now: from ${m(now)}.)` : ''}`
            : `¿Avisarte de cada movimiento de ${m(change.amount)} o más, en cualquier comercio?${now !== null ? ` (Ahora: desde ${m(now)}.)` : ''}`;
      break;
    }
    case 'low': {
      const now = current.lowBalanceThreshold;
      question =
        change.amount === null
          ? en
            ? 'Turn low-balance alerts off? You won’t be told when a balance runs low.'
            : '¿Desactivar la alerta de saldo bajo? No te avisaré cuando un saldo esté bajo.'
          : en
            ? `Alert you when a balance drops below ${m(change.amount)}?${now !== null ? ` (Now: below ${m(now)}.)` : ''}`
            : `¿Avisarte cuando un saldo baje de ${m(change.amount)}?${now !== null ? ` (Ahora: por debajo de ${m(now)}.)` : ''}`;
      break;
    }
    case 'handover':
      question = en
        ? `Pass this chat to a person at ${brand}? Until they hand it back, I stay quiet.`
        : `¿Te paso con una persona de ${brand}? Hasta que me devuelva el chat, no intervengo.`;
      break;
  }
  return {
    text: [lead, question].filter(Boolean).join('\n').slice(0, 2000),
    quick_replies: [qr(en ? 'Yes' : 'Sí', Payloads.confirmChange(change)), qr('No', Payloads.cancelChange)],
  };
}

export const merchantAlertLead = (lang: Language, merchant: string) =>
  lang === 'en'
    ? `I can’t set alerts for one merchant (${merchant}) yet. I can tell you about any large transaction instead.`
    : `Aún no puedo poner alertas para un solo comercio (${merchant}). Sí puedo avisarte de cualquier movimiento grande.`;

export const nothingChangedMessage = (lang: Language): OutboundMessage => ({
  text: lang === 'en' ? 'OK, nothing changed.' : 'Vale, no cambié nada.',
  quick_replies: askMore(lang),
});

export const leftAsItWas = (lang: Language): OutboundMessage => ({
  text: lang === 'en' ? 'I left that as it was: nothing changed.' : 'Lo dejé como estaba: no cambié nada.',
});

export const expiredChangeMessage = (lang: Language): OutboundMessage => ({
  text:
    lang === 'en'
      ? 'That question is no longer open, so nothing changed. Ask me again if you still want it.'
      : 'Esa pregunta ya no está abierta, así que no cambié nada. Pídemelo de nuevo si aún lo quieres.',
  quick_replies: askMore(lang),
});

/** "It was me" with no alert waiting for an answer: say so, and change nothing. */
export const noAlertWaitingMessage = (lang: Language): OutboundMessage => ({
  text:
    lang === 'en'
      ? 'Thanks. I have no alert waiting for your answer, so there is nothing to confirm, and your alert settings are unchanged.'
      : 'Gracias. No tengo ninguna alerta esperando tu respuesta, así que no hay nada que confirmar y tus alertas siguen igual.',
  quick_replies: askMore(lang, Payloads.balance),
});

// ── what only the bank can do ────────────────────────────────────────────────────────────────────

const talkToPerson = (lang: Language) => ({ type: 'postback' as const, title: lang === 'en' ? 'Talk to a person' : 'Hablar con alguien', payload: Payloads.talkToPerson });

/**
 * A lost, stolen, locked or misused card, or a charge the person does not recognise: the bank's
 * own steps first (its card-lock link and fraud line, when configured), and a person.
 */
export function cardEmergencyMessage(steps: BankFraudSteps, lang: Language): OutboundMessage {
  const en = lang === 'en';
  const lines = en
    ? [
        'If your card is lost, stolen or was used without you, act now:',
        steps.cardLockUrl ? `1. Lock your card: ${steps.cardLockUrl}` : '1. Lock your card in your bank’s app or website.',
        steps.fraudPhone ? `2. Call your bank’s fraud line, open 24/7: ${steps.fraudPhone}.` : '2. Call the fraud number on the back of your card.',
        'I only read what you share: I can’t lock cards or dispute charges here. A person can help.',
      ]
    : [
        'Si perdiste tu tarjeta, te la robaron o alguien la usó sin ti, actúa ya:',
        steps.cardLockUrl ? `1. Bloquea tu tarjeta: ${steps.cardLockUrl}` : '1. Bloquea tu tarjeta en la app o la web de tu banco.',
        steps.fraudPhone ? `2. Llama a la línea de fraude de tu banco, abierta 24/7: ${steps.fraudPhone}.` : '2. Llama al número de fraude que está al reverso de tu tarjeta.',
        'Solo leo lo que compartes: aquí no puedo bloquear tarjetas ni reclamar cargos. Una persona puede ayudarte.',
      ];
  return {
    attachment: {
      type: 'template',
      payload: {
        template_type: 'button',
        text: lines.join('\n').slice(0, 640),
        // After the steps, a look at recent charges (for others the person does not recognise); never instead of them.
        buttons: [
          ...(steps.cardLockUrl ? [{ type: 'web_url' as const, title: en ? 'Lock my card' : 'Bloquear tarjeta', url: steps.cardLockUrl }] : []),
          talkToPerson(lang),
          { type: 'postback' as const, title: en ? 'Recent transactions' : 'Ver movimientos', payload: Payloads.recentTransactions },
        ],
      },
    },
  };
}

/** Paying, sending or transferring money, a loan, a credit score: the bank does these, not this chat. */
export function bankOnlyMessage(steps: BankFraudSteps, lang: Language): OutboundMessage {
  const en = lang === 'en';
  const text = en
    ? `I can’t pay bills or cards, send or transfer money, or look at loans or credit scores: I only read what you share. Your bank’s app or website does these${steps.fraudPhone ? `, or call ${steps.fraudPhone}` : ''}. A person can help too.`
    : `No puedo pagar recibos ni tarjetas, mandar ni transferir dinero, ni ver préstamos o tu historial de crédito: solo leo lo que compartes. Eso se hace en la app o la web de tu banco${steps.fraudPhone ? `, o llamando al ${steps.fraudPhone}` : ''}. Una persona también puede ayudarte.`;
  return { attachment: { type: 'template', payload: { template_type: 'button', text: text.slice(0, 640), buttons: [talkToPerson(lang)] } } };
}
