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
  bankWarning: (Bank: string, on: string | undefined) => string;
  expiryReminder: (bank: string, scopes: string, on: string, durationDays: number) => string;
  keepSharing: string;
  linked: { lead: (bank: string) => string; tail: (scopes: string, until: string) => string };
  deleted: {
    expired: (bank: string) => string;
    stopped: (bank: string) => string;
    accounts: (n: number) => string;
    transactions: (n: number) => string;
    connection: string;
    removed: (atBank: boolean) => string;
    everything: string;
    record: string;
  };
}

const en: Strings = {
  date: dateIn('en-GB'),
  yourBank: 'your bank',
  capital: (bank) => bank.replace(/^your/, 'Your'),
  scopeTitle: (s) => scopeLabels[s].title,
  list: (items) => items.join(', '),
  andMore: (n) => ` and ${n} more`,
  accounts: (n) => `${n} accounts`,
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
    'Your bank data is used only to answer your own questions here and to send the alerts you choose. ' +
    'It is never used for ads, never sold and never shared. You choose what I can read and for how long (at most a year), ' +
    'and you can stop at any time: I then disconnect your bank and delete your data.',
  myData: {
    line: (bank, accounts, transactions, scopes, until) =>
      `${bank}: ${accounts} account${accounts === 1 ? '' : 's'}${transactions ? `, ${transactions} transactions` : ''} (${scopes}, until ${until}).`,
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
  bankWarning: (Bank, on) =>
    `${Bank} will stop sharing with me${on ? ` on ${on}` : ' soon'}. You will need to log in at your bank again to keep your answers and alerts up to date.`,
  expiryReminder: (bank, scopes, on, days) =>
    `Your sharing of ${bank} (${scopes}) ends on ${on}. Renew it for another ${days >= 365 ? 'year' : `${days} days`}, or let it end: I will then delete the data.`,
  keepSharing: 'OK, nothing changed.',
  linked: {
    lead: (bank) => `Your ${bank} account is linked: `,
    tail: (scopes, until) => `You share ${scopes} until ${until}. Write "stop sharing" at any time.`,
  },
  deleted: {
    expired: (bank) => `Your sharing of ${bank} ended.`,
    stopped: (bank) => `You stopped sharing ${bank}.`,
    accounts: (n) => `${n} account${n === 1 ? '' : 's'} with ${n === 1 ? 'its balance' : 'their balances'}`,
    transactions: (n) => `${n} transaction${n === 1 ? '' : 's'}`,
    connection: 'the bank access token and sync position',
    removed: (atBank) => (atBank ? 'I disconnected it at the bank and deleted' : 'I deleted'),
    everything: 'everything I held',
    record: 'A record that you shared and stopped (with no financial data) is kept for 3 years.',
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
  accounts: (n) => `${n} cuentas`,
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
    'Los datos de tu banco se usan solo para responder tus propias preguntas aquí y para enviarte las alertas que elijas. ' +
    'Nunca se usan para publicidad, nunca se venden y nunca se comparten. Tú eliges qué puedo leer y por cuánto tiempo (como máximo un año), ' +
    'y puedes dejar de compartir cuando quieras: entonces desconecto tu banco y borro tus datos.',
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
  bankWarning: (Bank, on) =>
    `${Bank} dejará de compartir datos conmigo${on ? ` el ${on}` : ' pronto'}. Tendrás que volver a iniciar sesión en tu banco para que tus respuestas y alertas sigan al día.`,
  expiryReminder: (bank, scopes, on, days) =>
    `El permiso para compartir ${bank} (${scopes}) termina el ${on}. Renuévalo por ${days >= 365 ? 'un año' : `${days} días`} más o déjalo terminar: en ese caso borraré los datos.`,
  keepSharing: 'De acuerdo, no cambié nada.',
  linked: {
    lead: (bank) => `Cuentas vinculadas de ${bank}: `,
    tail: (scopes, until) => `Compartes ${scopes} hasta el ${until}. Escribe "dejar de compartir" cuando quieras.`,
  },
  deleted: {
    expired: (bank) => `Terminó el permiso para compartir ${bank}.`,
    stopped: (bank) => `Dejaste de compartir ${bank}.`,
    accounts: (n) => `${plural(n, 'cuenta', 'cuentas')} con ${n === 1 ? 'su saldo' : 'sus saldos'}`,
    transactions: (n) => plural(n, 'movimiento', 'movimientos'),
    connection: 'la conexión con el banco (token de acceso y punto de sincronización)',
    removed: (atBank) => (atBank ? 'Lo desconecté en el banco y borré' : 'Borré'),
    everything: 'todo lo que tenía',
    record: 'Guardamos durante 3 años un registro de que compartiste y dejaste de compartir (sin datos financieros).',
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
    : consent.endedAt && consent.status === 'expired'
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

/** The bank will stop sharing soon (its own consent expires, or the connection changes). */
export const bankWarningMessage = (consent: Consent, when?: Date, lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  return {
    text: t.bankWarning(t.capital(bankName(consent, t)), when ? t.date(when.toISOString()) : undefined),
    quick_replies: [qr(t.titles.whatIShare, Payloads.manageSharing), qr(t.titles.stopSharing, Payloads.stopSharing)],
  };
};

/** Sent a week before a consent ends (consent rule 3). */
export const expiryReminderMessage = (consent: Consent, lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  return {
    text: t.expiryReminder(bankName(consent, t), scopeList(consent, t), t.date(consent.expiresAt), consent.durationDays),
    quick_replies: [qr(t.titles.renew, Payloads.renew(consent.consentId)), qr(t.titles.letItEnd, Payloads.keepSharing)],
  };
};

export const keepSharingMessage = (lang: Language = 'en'): OutboundMessage => ({ text: strings[lang].keepSharing });

export const linkedMessage = (
  consent: Consent,
  accounts: { name: string; mask?: string | undefined }[],
  lang: Language = 'en',
): OutboundMessage => {
  const t = strings[lang];
  return {
    text: fit(
      t,
      t.linked.tail(scopeList(consent, t), t.date(consent.expiresAt)),
      t.linked.lead(bankName(consent, t)),
      accounts.map((a) => `${a.name}${a.mask ? ` ••${a.mask}` : ''}`),
    ),
    quick_replies: [qr(t.titles.whatIShare, Payloads.manageSharing), qr(t.titles.stopSharing, Payloads.stopSharing)],
  };
};

export const deletedMessage = (consent: Consent, counts: PurgeCounts, removedAtBank: boolean, lang: Language = 'en'): OutboundMessage => {
  const t = strings[lang];
  const why = consent.status === 'expired' ? t.deleted.expired(bankName(consent, t)) : t.deleted.stopped(bankName(consent, t));
  const parts = [
    counts.accounts > 0 ? t.deleted.accounts(counts.accounts) : undefined,
    counts.transactions > 0 ? t.deleted.transactions(counts.transactions) : undefined,
    counts.connections > 0 ? t.deleted.connection : undefined,
  ].filter((p): p is string => p !== undefined);
  return {
    text: `${why} ${t.deleted.removed(removedAtBank)} ${parts.length ? t.list(parts) : t.deleted.everything}. ${t.deleted.record}`,
    quick_replies: [qr(t.titles.linkABank, Payloads.linkBank)],
  };
};
