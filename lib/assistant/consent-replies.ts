import { inAccountOrder, type ListedAccount } from '../banking/account-order';
import type { Consent } from '../consent/consent';
import { scopeLabels, type Scope } from '../consent/scopes';
import type { OutboundMessage } from '../messenger/send-api';
import type { PurgeCounts } from '../financial';
import type { Holdings } from '../consent/export';
import { Payloads } from './payloads';
import { qr } from './replies';
import type { Language } from './nlu/understand';

/** Chat messages of the consent journey. Short, plain, and always saying how to stop. */
const dateIn = (locale: string) => (iso: string | undefined) =>
  iso ? new Date(iso).toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }) : '';
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The scope titles in Spanish; the English ones are `scopeLabels[s].title`. */
const spanishScopeTitles: Record<Scope, string> = { balances: 'Saldos', transactions: 'Movimientos', alerts: 'Alertas' };

/**
 * Everything that differs between languages. Numbers, names, dates and scope lists are filled in
 * by the message builders below; the buttons and payloads are the same in every language.
 */
interface Strings {
  date: (iso: string | undefined) => string;
  yourBank: string;
  /** The bank's name at the start of a sentence. */
  capital: (bank: string) => string;
  scopeTitle: (scope: Scope) => string;
  /** A list of items in a sentence. */
  list: (items: string[]) => string;
  /** For `fit()`: " and 3 more", "4 accounts", "no accounts". */
  andMore: (n: number) => string;
  accounts: (n: number) => string;
  noAccounts: string;
  titles: {
    linkMyBank: string;
    linkABank: string;
    openInBrowser: string;
    reviewAndLink: string;
    whatIShare: string;
    whatYouHold: string;
    stopSharing: string;
    downloadMyData: string;
    manageSharing: string;
    yesStop: string;
    noKeep: string;
    logInAgain: string;
    renew: string;
    letItEnd: string;
  };
  linkBank: string;
  accountLinkRefused: string;
  dataPolicy: string;
  myData: {
    line: (bank: string, accounts: number, transactions: number, scopes: string, until: string) => string;
    some: string;
    none: string;
    history: (entries: number) => string;
    download: string;
  };
  notSharing: string;
  manageLine: (bank: string, scopes: string, until: string) => string;
  nothingToStop: string;
  confirmOne: (bank: string) => string;
  confirmWhich: string;
  notFound: string;
  alreadyEnded: (bank: string) => string;
  stopped: (bank: string) => string;
  cannotRenew: string;
  renewed: (scopes: string, bank: string, until: string) => string;
  syncFailed: (Bank: string) => string;
  /** The answer to "Log in again" on a utility message: a link made now. */
  reconnect: (bank: string) => string;
  cannotReconnect: string;
  bankWarning: {
    /** The permission the person gave at the bank ends (Plaid's PENDING_EXPIRATION, INSTITUTION_TOKEN_EXPIRATION). */
    permissionEnds: (bank: string, on: string | undefined) => string;
    /** The bank changes how it connects (INSTITUTION_MIGRATION). */
    migration: (Bank: string, on: string | undefined) => string;
    other: (Bank: string, on: string | undefined) => string;
    tail: (button: string, until: string) => string;
  };
  expiryReminder: (bank: string, scopes: string, on: string, durationDays: number, button: string) => string;
  keepSharing: string;
  linked: { lead: (bank: string) => string; tail: (scopes: string, until: string) => string };
  deleted: {
    /** Who ended it: the person (chat or page), the bank, its end date, or (none of these) it ended. */
    stopped: (bank: string) => string;
    byBank: (Bank: string) => string;
    expired: (bank: string, on: string) => string;
    ended: (bank: string) => string;
    accounts: (n: number) => string;
    transactions: (n: number) => string;
    connection: string;
    removed: (atBank: boolean) => string;
    /** After the bank ended access: whether anything was left there to remove. */
    removedAfterBank: (atBank: boolean) => string;
    everything: string;
    linkAgain: string;
    record: string;
    recordEnded: string;
  };
}

const en: Strings = {
  date: dateIn('en-GB'),
  yourBank: 'your bank',
  capital: (bank) => bank.replace(/^your/, 'Your'),
  scopeTitle: (s) => scopeLabels[s].title,
  list: (items) => items.join(', '),
  andMore: (n) => ` and ${n} more`,
  accounts: (n) => plural(n, 'account', 'accounts'),
  noAccounts: 'no accounts',
  titles: {
    linkMyBank: 'Link my bank',
    linkABank: 'Link a bank',
    openInBrowser: 'Open in browser',
    reviewAndLink: 'Review and link',
    whatIShare: 'What I share',
    whatYouHold: 'What you hold on me',
    stopSharing: 'Stop sharing',
    downloadMyData: 'Download my data',
    manageSharing: 'Manage sharing',
    yesStop: 'Yes, stop sharing',
    noKeep: 'No, keep it',
    logInAgain: 'Log in again',
    renew: 'Renew',
    letItEnd: 'Let it end',
  },
  linkBank:
    'To answer questions about your money I need your permission to read your bank data. See exactly what is shared, choose, and link your bank. The link works for 30 minutes.',
  accountLinkRefused: 'That link was not made for this Messenger account, so nothing was linked. To link your bank, ask me here.',
  dataPolicy:
    'Your bank data is used only to answer your own questions here and to send the alerts you choose: never for ads, never sold, never shared. ' +
    'This chat is Messenger, so what I show you here passes through Meta’s servers like any message (Messenger chats with a business are not end-to-end encrypted). ' +
    'I keep your current balances and the last 90 days of transactions, only while your consent is in force (at most a year). ' +
    'You can stop at any time: I then disconnect your bank and delete your data.',
  myData: {
    line: (bank, accounts, transactions, scopes, until) =>
      `${bank}: ${plural(accounts, 'account', 'accounts')}${transactions ? `, ${plural(transactions, 'transaction', 'transactions')}` : ''} (${scopes}, until ${until}).`,
    some: 'I hold, for your own questions and alerts only:',
    none: 'I hold no bank data about you.',
    history: (entries) => `Your consent history has ${entries} entr${entries === 1 ? 'y' : 'ies'} (no financial data).`,
    download: 'Download everything as a file (the link works once, for 15 minutes):',
  },
  notSharing: 'You are not sharing any bank data with me.',
  manageLine: (bank, scopes, until) => `${bank}: ${scopes}, until ${until}.`,
  nothingToStop: 'You are not sharing any bank data with me, so there is nothing to stop.',
  confirmOne: (bank) => `Stop sharing ${bank}? I will disconnect it and delete your balances and transactions.`,
  confirmWhich: 'Which bank should I stop sharing? I will disconnect it and delete its balances and transactions.',
  notFound: 'I could not find that sharing among yours. Nothing was changed.',
  alreadyEnded: (bank) => `Your sharing of ${bank} had already ended.`,
  stopped: (bank) => `Done: I stopped reading ${bank}. I am disconnecting it and deleting your data now, and will tell you when it is gone.`,
  cannotRenew: 'That sharing cannot be renewed any more. To share again, link your bank.',
  renewed: (scopes, bank, until) => `Renewed: you share ${scopes} of ${bank} until ${until}.`,
  syncFailed: (Bank) =>
    `${Bank} asks you to log in again before I can read it. Until then your balances and spending may be out of date. Nothing else changes: you share the same things until the same date.`,
  reconnect: (bank) => `Here is your link to log in at ${bank} again. It works for 24 hours. Nothing else changes: you share the same things until the same date.`,
  cannotReconnect: 'That sharing has ended, so there is nothing to log in to again. To share again, link your bank.',
  bankWarning: {
    permissionEnds: (bank, on) => `The permission you gave at ${bank} for me to read your accounts ends ${on ? `on ${on}` : 'soon'}.`,
    migration: (Bank, on) => `${Bank} is changing how it connects to apps like this one, so my connection to it stops working ${on ? `on ${on}` : 'soon'}.`,
    other: (Bank, on) => `${Bank} will stop sharing with me ${on ? `on ${on}` : 'soon'}.`,
    tail: (button, until) =>
      `To keep your answers and alerts up to date, tap "${button}" and log in at your bank before then. Nothing else changes: you share the same things with me until ${until}.`,
  },
  expiryReminder: (bank, scopes, on, days, button) =>
    `Your sharing of ${bank} (${scopes}) ends on ${on}. Tap "${button}" to keep sharing the same for ${days >= 365 ? 'a year' : `${days} days`} from today, or let it end: I will then stop reading it and delete the data.`,
  keepSharing: 'OK, nothing changed.',
  linked: {
    lead: (bank) => `Your ${bank} account is linked: `,
    tail: (scopes, until) => `You share ${scopes} until ${until}. Write "stop sharing" at any time.`,
  },
  deleted: {
    stopped: (bank) => `You stopped sharing ${bank}.`,
    byBank: (Bank) => `${Bank} ended my access to your accounts (it was withdrawn at the bank or through Plaid), so I stopped reading them.`,
    expired: (bank, on) => `Your sharing of ${bank} ended on ${on}, the end date you chose, and was not renewed, so I stopped reading it.`,
    ended: (bank) => `Your sharing of ${bank} ended.`,
    accounts: (n) => `${n} account${n === 1 ? '' : 's'} with ${n === 1 ? 'its balance' : 'their balances'}`,
    transactions: (n) => `${n} transaction${n === 1 ? '' : 's'}`,
    connection: 'the bank access token and sync position',
    removed: (atBank) => (atBank ? 'I disconnected it at the bank and deleted' : 'I deleted'),
    removedAfterBank: (atBank) => (atBank ? 'I closed what was left of the connection at the bank and deleted' : 'Nothing was left to disconnect at the bank. I deleted'),
    everything: 'everything I held',
    linkAgain: 'To share again, link your bank: you choose again what to share and for how long.',
    record: 'A record that you shared and stopped (with no financial data) is kept for 3 years.',
    recordEnded: 'A record that you shared and how it ended (with no financial data) is kept for 3 years.',
  },
};

const capitalEs = (bank: string) => bank.replace(/^tu banco$/, 'Tu banco');
const es: Strings = {
  date: dateIn('es-US'),
  yourBank: 'tu banco',
  capital: capitalEs,
  scopeTitle: (s) => spanishScopeTitles[s],
  list: (items) => (items.length > 1 ? `${items.slice(0, -1).join(', ')} y ${items.at(-1)!}` : items.join('')),
  andMore: (n) => ` y ${n} más`,
  accounts: (n) => plural(n, 'cuenta', 'cuentas'),
  noAccounts: 'ninguna cuenta',
  titles: {
    linkMyBank: 'Vincular mi banco',
    linkABank: 'Vincular un banco',
    openInBrowser: 'Abrir en navegador',
    reviewAndLink: 'Revisar y vincular',
    whatIShare: 'Qué comparto',
    whatYouHold: 'Qué guardas de mí',
    stopSharing: 'Dejar de compartir',
    downloadMyData: 'Descargar mis datos',
    manageSharing: 'Gestionar permisos',
    yesStop: 'Sí, desconectar',
    noKeep: 'No, mantenerlo',
    logInAgain: 'Iniciar sesión',
    renew: 'Renovar',
    letItEnd: 'Dejar que termine',
  },
  linkBank:
    'Para responder preguntas sobre tu dinero necesito tu permiso para leer los datos de tu banco. Mira exactamente qué se comparte, elige y vincula tu banco. El enlace funciona durante 30 minutos.',
  accountLinkRefused: 'Ese enlace no se creó para esta cuenta de Messenger, así que no se vinculó nada. Para vincular tu banco, pídemelo aquí.',
  dataPolicy:
    'Los datos de tu banco se usan solo para responder tus propias preguntas aquí y para enviarte las alertas que elijas: nunca para publicidad, nunca se venden, nunca se comparten. ' +
    'Este chat es Messenger, así que lo que te muestro aquí pasa por los servidores de Meta como cualquier mensaje (los chats de Messenger con una empresa no tienen cifrado de extremo a extremo). ' +
    'Guardo tus saldos actuales y los movimientos de los últimos 90 días, solo mientras tu consentimiento esté vigente (como máximo un año). ' +
    'Puedes dejar de compartir cuando quieras: entonces desconecto tu banco y borro tus datos.',
  myData: {
    line: (bank, accounts, transactions, scopes, until) =>
      `${capitalEs(bank)}: ${plural(accounts, 'cuenta', 'cuentas')}${transactions ? `, ${plural(transactions, 'movimiento', 'movimientos')}` : ''} (${scopes}, hasta el ${until}).`,
    some: 'Guardo, solo para tus propias preguntas y alertas:',
    none: 'No guardo ningún dato bancario tuyo.',
    history: (entries) => `Tu historial de consentimiento tiene ${plural(entries, 'registro', 'registros')} (sin datos financieros).`,
    download: 'Descarga todo en un archivo (el enlace funciona una sola vez, durante 15 minutos):',
  },
  notSharing: 'No estás compartiendo ningún dato bancario conmigo.',
  manageLine: (bank, scopes, until) => `${capitalEs(bank)}: ${scopes}, hasta el ${until}.`,
  nothingToStop: 'No estás compartiendo ningún dato bancario conmigo, así que no hay nada que detener.',
  confirmOne: (bank) => `¿Dejar de compartir ${bank}? Lo desconectaré y borraré tus saldos y movimientos.`,
  confirmWhich: '¿Qué banco quieres dejar de compartir? Lo desconectaré y borraré sus saldos y movimientos.',
  notFound: 'No encontré ese permiso entre los tuyos. No se cambió nada.',
  alreadyEnded: (bank) => `El permiso para compartir ${bank} ya había terminado.`,
  stopped: (bank) => `Listo: dejé de leer ${bank}. Lo estoy desconectando y estoy borrando tus datos; te aviso cuando termine.`,
  cannotRenew: 'Ese permiso ya no se puede renovar. Para volver a compartir, vincula tu banco.',
  renewed: (scopes, bank, until) => `Renovado: compartes ${scopes} de ${bank} hasta el ${until}.`,
  syncFailed: (Bank) =>
    `${Bank} te pide que vuelvas a iniciar sesión para que yo pueda leerlo. Mientras tanto, tus saldos y gastos podrían no estar al día. Nada más cambia: compartes lo mismo hasta la misma fecha.`,
  reconnect: (bank) => `Este es tu enlace para volver a iniciar sesión en ${bank}. Funciona durante 24 horas. Nada más cambia: compartes lo mismo hasta la misma fecha.`,
  cannotReconnect: 'Ese permiso ya terminó, así que no hay dónde volver a iniciar sesión. Para volver a compartir, vincula tu banco.',
  bankWarning: {
    permissionEnds: (bank, on) => `El permiso que diste en ${bank} para que yo lea tus cuentas termina ${on ? `el ${on}` : 'pronto'}.`,
    migration: (Bank, on) =>
      `${Bank} está cambiando la forma en que se conecta con aplicaciones como esta, así que mi conexión dejará de funcionar ${on ? `el ${on}` : 'pronto'}.`,
    other: (Bank, on) => `${Bank} dejará de compartir datos conmigo ${on ? `el ${on}` : 'pronto'}.`,
    tail: (button, until) =>
      `Para que tus respuestas y alertas sigan al día, toca "${button}" e inicia sesión en tu banco antes de que eso pase. Nada más cambia: compartes lo mismo conmigo hasta el ${until}.`,
  },
  expiryReminder: (bank, scopes, on, days, button) =>
    `El permiso para compartir ${bank} (${scopes}) termina el ${on}. Toca "${button}" para seguir compartiendo lo mismo durante ${days >= 365 ? 'un año' : `${days} días`} a partir de hoy, o déjalo terminar: entonces dejaré de leerlo y borraré los datos.`,
  keepSharing: 'De acuerdo, no cambié nada.',
  linked: {
    lead: (bank) => `Cuentas vinculadas de ${bank}: `,
    tail: (scopes, until) => `Compartes ${scopes} hasta el ${until}. Escribe "dejar de compartir" cuando quieras.`,
  },
  deleted: {
    stopped: (bank) => `Dejaste de compartir ${bank}.`,
    byBank: (Bank) => `${Bank} cerró mi acceso a tus cuentas (se retiró en el banco o a través de Plaid), así que dejé de leerlas.`,
    expired: (bank, on) => `El permiso para compartir ${bank} terminó el ${on}, la fecha de fin que elegiste, y no se renovó, así que dejé de leerlo.`,
    ended: (bank) => `Terminó el permiso para compartir ${bank}.`,
    accounts: (n) => `${plural(n, 'cuenta', 'cuentas')} con ${n === 1 ? 'su saldo' : 'sus saldos'}`,
    transactions: (n) => plural(n, 'movimiento', 'movimientos'),
    connection: 'la conexión con el banco (token de acceso y punto de sincronización)',
    removed: (atBank) => (atBank ? 'Lo desconecté en el banco y borré' : 'Borré'),
    removedAfterBank: (atBank) => (atBank ? 'Cerré lo que quedaba de la conexión en el banco y borré' : 'En el banco no quedaba nada que desconectar. Borré'),
    everything: 'todo lo que tenía',
    linkAgain: 'Para volver a compartir, vincula tu banco: eliges de nuevo qué compartir y por cuánto tiempo.',
    record: 'Guardamos durante 3 años un registro de que compartiste y dejaste de compartir (sin datos financieros).',
    recordEnded: 'Guardamos durante 3 años un registro de que compartiste y de cómo terminó (sin datos financieros).',
  },
};

const strings: Record<Language, Strings> = { en, es };

const bankName = (c: Consent, t: Strings) => c.institution?.name?.trim() || t.yourBank;
const scopeList = (c: Consent, t: Strings) => t.list(c.scopes.map((s) => t.scopeTitle(s).toLowerCase()));

/** "<lead><items joined>. <tail>" within Messenger's 2,000 characters, listing as many items as fit. */
function fit(t: Strings, tail: string, lead: string, items: string[], max = 2000): string {
  const shown: string[] = [];
  for (const [index, item] of items.entries()) {
    const more = items.length - index - 1;
    const candidate = [...shown, item].join(', ') + (more > 0 ? t.andMore(more) : '');
    if (`${lead}${candidate}. ${tail}`.length > max) break;
    shown.push(item);
  }
  const rest = items.length - shown.length;
  const list = shown.length === 0 ? t.accounts(items.length) : shown.join(', ') + (rest > 0 ? t.andMore(rest) : '');
  return `${lead}${items.length === 0 ? t.noAccounts : list}. ${tail}`.slice(0, max);
}

/**
 * Messenger's account linking (`account_link`, mobile apps only, HTTPS only) binds the page to
 * the Messenger account that opens it; the plain `web_url` button is the fallback everywhere else.
 */
export const linkBankMessage = (url: string, lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  return {
    attachment: {
      type: 'template',
      payload: {
        template_type: 'button',
        text: t.linkBank,
        buttons: url.startsWith('https://')
          ? [
              { type: 'account_link', url },
              { type: 'web_url', title: t.titles.openInBrowser, url, webview_height_ratio: 'tall' },
            ]
          : [{ type: 'web_url', title: t.titles.reviewAndLink, url, webview_height_ratio: 'tall' }],
      },
    },
  };
};

export const accountLinkRefusedMessage = (lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  return { text: t.accountLinkRefused, quick_replies: [qr(t.titles.linkMyBank, Payloads.linkBank)] };
};

export const dataPolicyMessage = (lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  return {
    text: t.dataPolicy,
    quick_replies: [
      qr(t.titles.whatIShare, Payloads.manageSharing),
      qr(t.titles.whatYouHold, Payloads.myData),
      qr(t.titles.linkMyBank, Payloads.linkBank),
      qr(t.titles.stopSharing, Payloads.stopSharing),
    ],
  };
};

export const myDataMessage = (holdings: Holdings, exportUrl: string, lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  const lines = holdings.inForce.map((h) =>
    t.myData.line(bankName(h.consent, t), h.accounts, h.transactions, scopeList(h.consent, t), t.date(h.consent.expiresAt)),
  );
  const text = [lines.length ? t.myData.some : t.myData.none, ...lines, t.myData.history(holdings.auditEntries), t.myData.download].join('\n');
  return {
    attachment: {
      type: 'template',
      payload: {
        template_type: 'button',
        text: text.slice(0, 640),
        buttons: [{ type: 'web_url', title: t.titles.downloadMyData, url: exportUrl, webview_height_ratio: 'tall' }],
      },
    },
  };
};

export const manageMessage = (consents: Consent[], manageUrl: string, lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  return consents.length === 0
    ? { text: t.notSharing, quick_replies: [qr(t.titles.linkMyBank, Payloads.linkBank)] }
    : {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'button',
            text: consents
              .map((c) => t.manageLine(bankName(c, t), scopeList(c, t), t.date(c.expiresAt)))
              .join('\n')
              .slice(0, 640),
            buttons: [
              { type: 'web_url', title: t.titles.manageSharing, url: manageUrl, webview_height_ratio: 'tall' },
              { type: 'postback', title: t.titles.stopSharing, payload: Payloads.stopSharing },
            ],
          },
        },
      };
};

export const confirmStopMessage = (consents: Consent[], lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  return consents.length === 0
    ? { text: t.nothingToStop, quick_replies: [qr(t.titles.linkMyBank, Payloads.linkBank)] }
    : {
        text: consents.length === 1 ? t.confirmOne(bankName(consents[0]!, t)) : t.confirmWhich,
        quick_replies: [
          ...consents
            .slice(0, 11)
            .map((c, i) => qr(consents.length === 1 ? t.titles.yesStop : `${i + 1}. ${bankName(c, t)}`.slice(0, 20), Payloads.revoke(c.consentId))),
          qr(t.titles.noKeep, Payloads.keepSharing),
        ],
      };
};

export const stopAcknowledgedMessage = (consent: Consent | undefined, lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  return !consent
    ? { text: t.notFound, quick_replies: [qr(t.titles.whatIShare, Payloads.manageSharing)] }
    : consent.endedAt && (consent.status === 'expired' || (consent.endedBy !== undefined && consent.endedBy !== 'person'))
      ? { text: t.alreadyEnded(bankName(consent, t)) }
      : { text: t.stopped(bankName(consent, t)) };
};

export const renewedMessage = (consent: Consent | undefined, lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  return !consent || consent.status !== 'active'
    ? { text: t.cannotRenew, quick_replies: [qr(t.titles.linkMyBank, Payloads.linkBank)] }
    : {
        text: t.renewed(scopeList(consent, t), bankName(consent, t), t.date(consent.expiresAt)),
        quick_replies: [qr(t.titles.stopSharing, Payloads.stopSharing)],
      };
};

/** The bank wants the person to log in again before anything more can be read. */
export const syncFailedMessage = (consent: Consent, reconnectUrl: string, lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  return {
    attachment: {
      type: 'template',
      payload: {
        template_type: 'button',
        text: t.syncFailed(t.capital(bankName(consent, t))),
        buttons: [
          { type: 'web_url', title: t.titles.logInAgain, url: reconnectUrl, webview_height_ratio: 'tall' },
          { type: 'postback', title: t.titles.stopSharing, payload: Payloads.stopSharing },
        ],
      },
    },
  };
};

/** "Log in again" tapped on a utility message: the link, made now, or why there is none. */
export const reconnectMessage = (link: { consent: Consent; url: string } | undefined, lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  return !link
    ? { text: t.cannotReconnect, quick_replies: [qr(t.titles.linkMyBank, Payloads.linkBank)] }
    : {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'button',
            text: t.reconnect(bankName(link.consent, t)),
            buttons: [
              { type: 'web_url', title: t.titles.logInAgain, url: link.url, webview_height_ratio: 'tall' },
              { type: 'postback', title: t.titles.stopSharing, payload: Payloads.stopSharing },
            ],
          },
        },
      };
};

/**
 * What the bank announced ahead of time: the permission the person gave there ends, the bank
 * changes how it connects, or (a reason we do not know) it just will stop; and when, if it said.
 */
export interface BankNotice {
  cause: 'permission-ends' | 'migration' | 'other';
  at?: Date;
}

/** The bank will stop sharing on a date: say why and when, and offer to log in again before it. */
export const bankWarningMessage = (consent: Consent, notice: BankNotice, reconnectUrl: string, lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  const bank = bankName(consent, t);
  const on = notice.at ? t.date(notice.at.toISOString()) : undefined;
  const why =
    notice.cause === 'permission-ends'
      ? t.bankWarning.permissionEnds(bank, on)
      : notice.cause === 'migration'
        ? t.bankWarning.migration(t.capital(bank), on)
        : t.bankWarning.other(t.capital(bank), on);
  return {
    attachment: {
      type: 'template',
      payload: {
        template_type: 'button',
        text: `${why} ${t.bankWarning.tail(t.titles.logInAgain, t.date(consent.expiresAt))}`.slice(0, 640),
        buttons: [
          { type: 'web_url', title: t.titles.logInAgain, url: reconnectUrl, webview_height_ratio: 'tall' },
          { type: 'postback', title: t.titles.stopSharing, payload: Payloads.stopSharing },
        ],
      },
    },
  };
};

/**
 * Sent 30 days and again 7 days before a consent ends (consent rule 3). The Renew button renews at
 * once: the person's tap is the yes, and the chat then confirms the new end date. Buttons, not
 * quick replies: a reminder may be read days later, after other messages, and must still renew.
 */
export const expiryReminderMessage = (consent: Consent, lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  return {
    attachment: {
      type: 'template',
      payload: {
        template_type: 'button',
        text: t.expiryReminder(bankName(consent, t), scopeList(consent, t), t.date(consent.expiresAt), consent.durationDays, t.titles.renew).slice(0, 640),
        buttons: [
          { type: 'postback', title: t.titles.renew, payload: Payloads.renew(consent.consentId) },
          { type: 'postback', title: t.titles.letItEnd, payload: Payloads.keepSharing },
        ],
      },
    },
  };
};

export const keepSharingMessage = (lang: Language = 'en'): OutboundMessage => ({ text: strings[lang].keepSharing });

export const linkedMessage = (consent: Consent, accounts: ListedAccount[], lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  return {
    text: fit(
      t,
      t.linked.tail(scopeList(consent, t), t.date(consent.expiresAt)),
      t.linked.lead(bankName(consent, t)),
      inAccountOrder(accounts).map((a) => `${a.name}${a.mask ? ` ••${a.mask}` : ''}`),
    ),
    quick_replies: [qr(t.titles.whatIShare, Payloads.manageSharing), qr(t.titles.stopSharing, Payloads.stopSharing)],
  };
};

/** Who ended a consent, as the person reads it: they did (chat or page), the bank did, or its end date came. */
const endedBy = (consent: Consent): 'person' | 'bank' | 'expiry' | 'other' =>
  consent.status === 'expired'
    ? 'expiry'
    : consent.endedBy === 'bank'
      ? 'bank'
      : consent.endedBy === 'person' || consent.endedBy === undefined
        ? 'person'
        : 'other';

/** After the purge: who ended the sharing, what was removed and deleted, and what is kept. */
export const deletedMessage = (consent: Consent, counts: PurgeCounts, removedAtBank: boolean, lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  const bank = bankName(consent, t);
  const by = endedBy(consent);
  const why =
    by === 'person'
      ? t.deleted.stopped(bank)
      : by === 'bank'
        ? t.deleted.byBank(t.capital(bank))
        : by === 'expiry'
          ? t.deleted.expired(bank, t.date(consent.expiresAt))
          : t.deleted.ended(bank);
  const removed = by === 'bank' ? t.deleted.removedAfterBank(removedAtBank) : t.deleted.removed(removedAtBank);
  const parts = [
    counts.accounts > 0 ? t.deleted.accounts(counts.accounts) : undefined,
    counts.transactions > 0 ? t.deleted.transactions(counts.transactions) : undefined,
    counts.connections > 0 ? t.deleted.connection : undefined,
  ].filter((p): p is string => p !== undefined);
  // The person who stopped knows how to start again; to whom it happened, say how.
  const after = by === 'person' ? t.deleted.record : `${t.deleted.linkAgain} ${t.deleted.recordEnded}`;
  return {
    text: `${why} ${removed} ${parts.length ? t.list(parts) : t.deleted.everything}. ${after}`,
    quick_replies: [qr(t.titles.linkABank, Payloads.linkBank)],
  };
};
