import type { Scope } from '../../consent/model/scopes';
import type { ConsentWords } from '../consent';
import { dateIn, plural } from '../format';

/** The scope titles in Spanish; the English ones are the consent page's. */
const spanishScopeTitles: Record<Scope, string> = { balances: 'Saldos', transactions: 'Movimientos', alerts: 'Alertas' };

const capitalEs = (bank: string) => bank.replace(/^tu banco$/, 'Tu banco');

/** Chat messages about sharing, in Spanish: short, plain, and always saying how to stop. */
export const consent: ConsentWords = {
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
    readAndRenew: 'Leer y renovar',
  },
  linkBank:
    'Para responder preguntas sobre tu dinero necesito tu permiso para leer los datos de tu banco. Mira exactamente qué se comparte, elige y vincula tu banco. El enlace funciona durante 30 minutos.',
  accountLinkRefused: 'Ese enlace no se creó para esta cuenta de Messenger, así que no se vinculó nada. Para vincular tu banco, pídemelo aquí.',
  dataPolicy:
    'Los datos de tu banco se usan solo para responder tus propias preguntas aquí y para enviarte las alertas que elijas: nunca para publicidad, nunca se venden, nunca se comparten. ' +
    'Messenger pasa cada mensaje por los servidores de Meta (los chats con una empresa no tienen cifrado de extremo a extremo). En modo privado, el predeterminado, aquí solo te aviso que la respuesta está lista y ves tus cifras en una página nuestra, así Meta nunca las lleva; si eliges verlas en el chat, Meta puede ver lo que muestran. Di “mantén mis cifras en privado” o “muestra mis cifras aquí” para elegir. ' +
    'Meta no tiene acceso a la conexión con tu banco, ni a ningún dato bancario tuyo que no esté en un mensaje que yo te envíe. ' +
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
  reconfirm: (bank, scopes, days, button) =>
    `Antes de renovar el permiso para compartir ${bank} (${scopes}): lo que te explico sobre cómo se tratan tus datos bancarios cambió desde que aceptaste. Toca "${button}" para leerlo; si allí aceptas, sigues compartiendo lo mismo durante ${days >= 365 ? 'un año' : `${days} días`} a partir de hoy. Nada cambia hasta entonces. El enlace funciona durante 30 minutos.`,
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
