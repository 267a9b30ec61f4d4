import { timeOfDay } from '../assistant/format';
import { inAccountOrder, type ListedAccount } from '../banking/account-order';
import { html, type Html } from '../http/html';
import type { AuditEntry, Consent } from './consent';
import type { Disclosure } from './disclosure';
import { DURATIONS_DAYS, SCOPES, scopeLabels, type Scope } from './scopes';
import { exportFileName, exportJson, type PersonExport } from './export';

/**
 * Server-rendered pages of the consent flow: readable on a phone inside Messenger's browser, no
 * scripts at all, no third-party anything.
 */
const layout = (title: string, body: Html): string =>
  html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  /* Explicit colors for both schemes, each pair at least 4.5:1 (WCAG 2.2 AA): the browser's own
     dark palette is not something the contrast can be checked against. */
  :root { color-scheme: light dark; --bg: #fff; --text: #1c1e21; --muted: #4b4f56; --line: #8884; --control: #767676; --error: #b3261e;
          --accent: #0a66c2; --on-accent: #fff; }
  @media (prefers-color-scheme: dark) {
    :root { --bg: #18191a; --text: #e4e6eb; --muted: #b0b3b8; --control: #8a8d91; --error: #f28b82; }
  }
  html { background: var(--bg); color: var(--text); }
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 34rem; padding: 1rem 1.1rem 3rem; }
  h1 { font-size: 1.35rem; margin: .5rem 0 1rem; }
  h2 { font-size: 1.02rem; margin: 1.2rem 0 .3rem; }
  p, li { margin: .3rem 0; }
  .box { border: 1px solid var(--line); border-radius: .6rem; padding: .2rem 1rem .8rem; margin: 1rem 0; }
  label { display: flex; gap: .6rem; align-items: flex-start; padding: .45rem 0; }
  input[type=checkbox] { width: 1.3rem; height: 1.3rem; margin-top: .15rem; flex: none; }
  select, button { font: inherit; padding: .6rem .8rem; border-radius: .5rem; }
  button { background: var(--accent); color: var(--on-accent); border: 0; width: 100%; margin-top: 1rem; font-weight: 600; }
  button.secondary { background: transparent; color: inherit; border: 1px solid var(--control); }
  .muted { color: var(--muted); font-size: .9rem; }
  .error { border-color: var(--error); }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`.value;

export function consentPage(input: {
  token: string;
  disclosure: Disclosure;
  recipient: string;
  error?: string;
  /** Kept through the form when the page was opened from Messenger's account_link button. */
  accountLink?: { accountLinkingToken: string; redirectUri: string };
}): string {
  const { disclosure } = input;
  return layout(
    'Share your bank data with the assistant?',
    html`<h1>Share your bank data with ${input.recipient}’s assistant?</h1>
<p>Read what you agree to, choose what to share and for how long. Nothing is shared until you confirm here and then log in with your bank.</p>
${input.error ? html`<div class="box error" role="alert"><p>${input.error}</p></div>` : ''}
<div class="box">
${disclosure.sections.map(
  (section) => html`<h2>${section.heading}</h2>${section.paragraphs.map((p) => html`<p>${p}</p>`)}`,
)}
</div>
<form method="post" action="/consent">
  <input type="hidden" name="t" value="${input.token}">
  ${input.accountLink ? html`<input type="hidden" name="account_linking_token" value="${input.accountLink.accountLinkingToken}"><input type="hidden" name="redirect_uri" value="${input.accountLink.redirectUri}">` : ''}
  <h2>What may the assistant read?</h2>
  ${SCOPES.map(
    (scope) => html`<label><input type="checkbox" name="scope" value="${scope}"><span><strong>${scopeLabels[scope].title}</strong><br><span class="muted">${scopeLabels[scope].detail}</span></span></label>`,
  )}
  <h2>For how long?</h2>
  <select name="duration" aria-label="How long to share">
    ${DURATIONS_DAYS.map((days) => html`<option value="${days}"${days === 90 ? html` selected` : ''}>${durationLabel(days)}</option>`)}
  </select>
  <button type="submit">I agree — continue to my bank</button>
</form>
<p class="muted">Disclosure version ${disclosure.version}. You can stop sharing at any time by writing “stop sharing” in the chat.</p>`,
  );
}

export function linkedPage(consent: Consent, accounts: ListedAccount[]): string {
  return layout(
    'Bank linked',
    html`<h1>Your bank is linked</h1>
<div class="box">
<p><strong>${consent.institution?.name ?? 'Your bank'}</strong></p>
<ul>${inAccountOrder(accounts).map((a) => html`<li>${a.name}${a.mask ? html` ••${a.mask}` : ''}</li>`)}</ul>
<p>You share: ${consent.scopes.map((s) => scopeLabels[s].title.toLowerCase()).join(', ')}.</p>
<p>Until ${formatDate(consent.expiresAt)}. Write “stop sharing” in the chat to stop at any time.</p>
</div>
<p>You can close this page and go back to Messenger.</p>`,
  );
}

export function managePage(input: { token: string; consents: Consent[] }): string {
  const current = input.consents.filter((c) => c.status === 'active');
  return layout(
    'What you share',
    html`<h1>What you share</h1>
${current.length === 0 ? html`<p>You are not sharing any bank data.</p>` : ''}
${current.map(
  (c) => html`<div class="box">
<h2>${c.institution?.name ?? 'Bank account'}</h2>
<p>Sharing ${c.scopes.map((s) => scopeLabels[s].title.toLowerCase()).join(', ')} until ${formatDate(c.expiresAt)}.</p>
<form method="post" action="/consent/scopes">
  <input type="hidden" name="t" value="${input.token}">
  <input type="hidden" name="consent" value="${c.consentId}">
  ${SCOPES.map(
    (scope) => html`<label><input type="checkbox" name="scope" value="${scope}"${c.scopes.includes(scope) ? html` checked` : ''}><span>${scopeLabels[scope].title}</span></label>`,
  )}
  <button type="submit" class="secondary">Save what I share</button>
</form>
<form method="post" action="/consent/revoke">
  <input type="hidden" name="t" value="${input.token}">
  <input type="hidden" name="consent" value="${c.consentId}">
  <button type="submit">Stop sharing and delete my data</button>
</form>
</div>`,
)}`,
  );
}

export function messagePage(title: string, paragraphs: string[]): string {
  return layout(title, html`<h1>${title}</h1>${paragraphs.map((p) => html`<p>${p}</p>`)}`);
}

/**
 * After the person pressed "Stop sharing" on the manage page. The bank or the end date may have
 * ended the sharing while the page was open: then the page says so, rather than "you stopped".
 */
export function stoppedSharingPage(consent: Consent): string {
  const bank = consent.institution?.name ?? 'Your bank';
  if (consent.endedBy === 'person') {
    return messagePage('You stopped sharing', [
      `${bank} is no longer shared. We are disconnecting it and deleting your balances and transactions now; the chat will tell you when it is done.`,
    ]);
  }
  const why =
    consent.status === 'expired'
      ? `Your sharing of ${bank} had already ended on its end date, ${formatDate(consent.expiresAt)}.`
      : `Your sharing of ${bank} had already ended: your bank ended our access.`;
  return messagePage('This sharing had already ended', [why, 'Your balances and transactions are deleted; the chat tells you what was deleted. To share again, write “link my bank” in the chat.']);
}

export const durationLabel = (days: number) => (days >= 365 ? '1 year' : days >= 180 ? '6 months' : days >= 90 ? '3 months' : `${days} days`);

const formatDate = (iso: string | undefined) =>
  iso ? new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }) : 'the end date';

// ---- The person's export ------------------------------------------------------------------------

export type ExportPageLanguage = 'en' | 'es';

interface ExportText {
  title: string;
  lead: (date: string) => string;
  subject: (id: string) => string;
  download: string;
  downloadNote: (size: string) => string;
  sharing: string;
  noConsents: string;
  yourBank: string;
  status: Record<Consent['status'], string>;
  scopes: Record<Scope, string>;
  shares: (scopes: string) => string;
  period: (from: string, until: string) => string;
  endedBy: Record<NonNullable<Consent['endedBy']>, string>;
  ended: (on: string, by: string) => string;
  bankData: (bank: string) => string;
  linked: (on: string) => string;
  synced: (on: string) => string;
  accounts: string;
  noAccounts: string;
  balance: (current: string, available: string | undefined) => string;
  balanceNotShared: string;
  asOf: (when: string) => string;
  transactions: string;
  transactionRange: (count: number, from: string, to: string) => string;
  noTransactions: string;
  showTransactions: (count: number) => string;
  pending: string;
  alerts: string;
  noAlerts: string;
  alertKinds: Record<string, string>;
  answers: { yes: string; no: string; none: string };
  held: (count: number) => string;
  alertSettings: string;
  defaultSettings: string;
  fraudAlerts: (on: boolean) => string;
  largeTransactions: (from: string | null) => string;
  lowBalance: (below: string | null) => string;
  changedOn: (on: string) => string;
  chat: string;
  chatKept: string;
  messages: (count: number) => string;
  replies: (count: number) => string;
  heldNotices: (count: number) => string;
  languages: Record<string, string>;
  language: (name: string) => string;
  lastQuestion: (text: string, at: string) => string;
  lastMessage: (at: string) => string;
  unreachable: (at: string) => string;
  deletions: string;
  deletion: (at: string, accounts: number, transactions: number, removedAtBank: boolean) => string;
  history: string;
  actions: Record<AuditEntry['action'], string>;
  notIncluded: string;
  notIncludedItems: string[];
}

const exportText: Record<ExportPageLanguage, ExportText> = {
  en: {
    title: 'Your data',
    lead: (date) => `Everything we hold about you on ${date}, in plain words. The file holds the same, complete, for you to keep or to take elsewhere.`,
    subject: (id) => `You, as this Page knows you in Messenger: ${id}.`,
    download: 'Download everything (JSON file)',
    downloadNote: (size) => `${size}. This link works once: to see this page again later, ask in the chat for a new one.`,
    sharing: 'What you share',
    noConsents: 'You have not shared a bank with us.',
    yourBank: 'Your bank',
    status: { active: 'Shared now', pending: 'Linking was not finished', revoked: 'Stopped', expired: 'Ended' },
    scopes: { balances: 'balances', transactions: 'transactions', alerts: 'alerts' },
    shares: (scopes) => `What it shares: ${scopes}.`,
    period: (from, until) => `Agreed on ${from}, until ${until}.`,
    endedBy: { person: 'by you', bank: 'by your bank', system: 'at its end date' },
    ended: (on, by) => `Ended on ${on}, ${by}.`,
    bankData: (bank) => `What we hold from ${bank}`,
    linked: (on) => `Linked on ${on}.`,
    synced: (on) => `Last updated from your bank: ${on}`,
    accounts: 'Accounts and balances',
    noAccounts: 'No accounts are held.',
    balance: (current, available) => (available ? `${current} (available: ${available})` : current),
    balanceNotShared: 'balance not shared',
    asOf: (when) => `Balances as of ${when}`,
    transactions: 'Transactions',
    transactionRange: (count, from, to) => `${count} ${count === 1 ? 'transaction' : 'transactions'}, from ${from} to ${to}. We keep transactions for 90 days from their date.`,
    noTransactions: 'No transactions are held.',
    showTransactions: (count) => `Show the ${count} ${count === 1 ? 'transaction' : 'transactions'}`,
    pending: 'pending',
    alerts: 'Alerts',
    noAlerts: 'No alerts were raised.',
    alertKinds: { fraud: 'Possible fraud', 'large-transaction': 'Large transaction', 'low-balance': 'Low balance' },
    answers: { yes: 'you said it was you', no: 'you said it was not you', none: 'no answer' },
    held: (count) => `${count} ${count === 1 ? 'alert is' : 'alerts are'} waiting for your next message.`,
    alertSettings: 'Alert settings',
    defaultSettings: 'You have not changed them: the default settings apply.',
    fraudAlerts: (on) => `Fraud alerts: ${on ? 'on' : 'off'}.`,
    largeTransactions: (from) => (from === null ? 'Large transaction alerts: off.' : `Large transaction alerts: from ${from}.`),
    lowBalance: (below) => (below === null ? 'Low balance alerts: off.' : `Low balance alerts: below ${below}.`),
    changedOn: (on) => `Last changed on ${on}`,
    chat: 'Your conversation with the assistant',
    chatKept: 'What you write is kept for a few days, only so that each message is answered once; the conversation’s memory (your language, your last question) for 30 days.',
    messages: (count) => `Your messages we still hold: ${count}.`,
    replies: (count) => `Records of replies we sent: ${count}.`,
    heldNotices: (count) => `${count} ${count === 1 ? 'message from us is' : 'messages from us are'} waiting for your next message (a reminder or a notice about your sharing).`,
    languages: { en: 'English', es: 'Spanish' },
    language: (name) => `Language of the chat: ${name}.`,
    lastQuestion: (text, at) => `Your last question: “${text}” (${at}).`,
    lastMessage: (at) => `Your last message: ${at}`,
    unreachable: (at) => `Our messages could not reach you on ${at}`,
    deletions: 'What we deleted',
    deletion: (at, accounts, transactions, removedAtBank) =>
      `${at}: ${accounts} ${accounts === 1 ? 'account' : 'accounts'} and ${transactions} ${transactions === 1 ? 'transaction' : 'transactions'} deleted${removedAtBank ? ', and the connection removed at your bank' : ''}.`,
    history: 'History of your consents',
    actions: {
      requested: 'You started linking a bank',
      granted: 'You agreed to share',
      renewed: 'You renewed your consent',
      'scopes-changed': 'You changed what you share',
      revoked: 'Sharing stopped',
      expired: 'Sharing reached its end date',
      deleted: 'Your bank data was deleted',
      exported: 'You downloaded your data',
      'access-refused': 'A request with your link was refused',
    },
    notIncluded: 'Not included',
    notIncludedItems: [
      'The key that lets us call your bank for you (kept encrypted): it is not data about you, and is never shown to anyone.',
      'Technical markers: where our last update from your bank stopped, our update schedule, and an index from your bank connection to you that holds only ids the file already gives.',
    ],
  },
  es: {
    title: 'Tus datos',
    lead: (date) => `Todo lo que guardamos sobre ti a ${date}, en palabras claras. El archivo tiene lo mismo, completo, para que lo guardes o lo lleves a otro sitio.`,
    subject: (id) => `Tú, tal como esta página te conoce en Messenger: ${id}.`,
    download: 'Descargar todo (archivo JSON)',
    downloadNote: (size) => `${size}. Este enlace solo funciona una vez: para volver a ver esta página, pide uno nuevo en el chat.`,
    sharing: 'Lo que compartes',
    noConsents: 'No has compartido ningún banco con nosotros.',
    yourBank: 'Tu banco',
    status: { active: 'Compartido ahora', pending: 'La conexión no se terminó', revoked: 'Detenido', expired: 'Terminado' },
    scopes: { balances: 'saldos', transactions: 'movimientos', alerts: 'alertas' },
    shares: (scopes) => `Lo que comparte: ${scopes}.`,
    period: (from, until) => `Aceptado el ${from}, hasta el ${until}.`,
    endedBy: { person: 'por ti', bank: 'por tu banco', system: 'en su fecha de fin' },
    ended: (on, by) => `Terminó el ${on}, ${by}.`,
    bankData: (bank) => `Lo que guardamos de ${bank}`,
    linked: (on) => `Conectado el ${on}.`,
    synced: (on) => `Última actualización desde tu banco: ${on}`,
    accounts: 'Cuentas y saldos',
    noAccounts: 'No guardamos ninguna cuenta.',
    balance: (current, available) => (available ? `${current} (disponible: ${available})` : current),
    balanceNotShared: 'saldo no compartido',
    asOf: (when) => `Saldos a ${when}`,
    transactions: 'Movimientos',
    transactionRange: (count, from, to) => `${count} ${count === 1 ? 'movimiento' : 'movimientos'}, del ${from} al ${to}. Guardamos los movimientos 90 días desde su fecha.`,
    noTransactions: 'No guardamos ningún movimiento.',
    showTransactions: (count) => `Ver ${count === 1 ? 'el movimiento' : `los ${count} movimientos`}`,
    pending: 'pendiente',
    alerts: 'Alertas',
    noAlerts: 'No se generó ninguna alerta.',
    alertKinds: { fraud: 'Posible fraude', 'large-transaction': 'Movimiento grande', 'low-balance': 'Saldo bajo' },
    answers: { yes: 'dijiste que fuiste tú', no: 'dijiste que no fuiste tú', none: 'sin respuesta' },
    held: (count) => `${count} ${count === 1 ? 'alerta espera' : 'alertas esperan'} a tu próximo mensaje.`,
    alertSettings: 'Ajustes de alertas',
    defaultSettings: 'No los has cambiado: se aplican los ajustes por defecto.',
    fraudAlerts: (on) => `Alertas de fraude: ${on ? 'activadas' : 'desactivadas'}.`,
    largeTransactions: (from) => (from === null ? 'Alertas de movimientos grandes: desactivadas.' : `Alertas de movimientos grandes: desde ${from}.`),
    lowBalance: (below) => (below === null ? 'Alertas de saldo bajo: desactivadas.' : `Alertas de saldo bajo: por debajo de ${below}.`),
    changedOn: (on) => `Último cambio el ${on}`,
    chat: 'Tu conversación con el asistente',
    chatKept: 'Lo que escribes se guarda unos días, solo para responder cada mensaje una vez; la memoria de la conversación (tu idioma, tu última pregunta), 30 días.',
    messages: (count) => `Mensajes tuyos que aún guardamos: ${count}.`,
    replies: (count) => `Registros de respuestas que enviamos: ${count}.`,
    heldNotices: (count) => `${count} ${count === 1 ? 'mensaje nuestro espera' : 'mensajes nuestros esperan'} a tu próximo mensaje (un recordatorio o un aviso sobre lo que compartes).`,
    languages: { en: 'inglés', es: 'español' },
    language: (name) => `Idioma del chat: ${name}.`,
    lastQuestion: (text, at) => `Tu última pregunta: «${text}» (${at}).`,
    lastMessage: (at) => `Tu último mensaje: ${at}`,
    unreachable: (at) => `Nuestros mensajes no te llegaron el ${at}`,
    deletions: 'Lo que borramos',
    deletion: (at, accounts, transactions, removedAtBank) =>
      `${at}: ${accounts} ${accounts === 1 ? 'cuenta' : 'cuentas'} y ${transactions} ${transactions === 1 ? 'movimiento borrado' : 'movimientos borrados'}${removedAtBank ? ', y la conexión eliminada en tu banco' : ''}.`,
    history: 'Historial de tus consentimientos',
    actions: {
      requested: 'Empezaste a conectar un banco',
      granted: 'Aceptaste compartir',
      renewed: 'Renovaste tu consentimiento',
      'scopes-changed': 'Cambiaste lo que compartes',
      revoked: 'Se dejó de compartir',
      expired: 'Compartir llegó a su fecha de fin',
      deleted: 'Se borraron tus datos bancarios',
      exported: 'Descargaste tus datos',
      'access-refused': 'Se rechazó una petición con tu enlace',
    },
    notIncluded: 'Lo que no se incluye',
    notIncludedItems: [
      'La clave que nos permite consultar tu banco por ti (guardada cifrada): no son datos sobre ti y nunca se muestra a nadie.',
      'Marcas técnicas: dónde se detuvo nuestra última actualización desde tu banco, nuestro calendario de actualizaciones y un índice de tu conexión bancaria hacia ti que solo contiene identificadores que el archivo ya da.',
    ],
  },
};

/**
 * What is held about the person (consent rule 7), readable on a phone: grouped and in plain words,
 * with the complete JSON beside it as a download. The link that opens this page works once, so
 * the file travels inside the page as a `data:` URL: saving it needs no second request (a second
 * use of the link would be refused) and no script. `download` on a `data:` link is a download,
 * not a navigation, so browsers that block top-level `data:` navigation still save it, and the
 * page's CSP (which governs fetches) does not apply.
 */
export function exportPage(data: PersonExport, view: { lang: ExportPageLanguage; locale: string; timeZone: string }): string {
  const t = exportText[view.lang];
  const day = (iso: string | undefined) =>
    iso ? new Intl.DateTimeFormat(view.locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: iso.length === 10 ? 'UTC' : view.timeZone }).format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso)) : '—';
  // A time of day says its zone, as in the chat.
  const moment = (iso: unknown) => {
    if (typeof iso !== 'string' && typeof iso !== 'number') return '—';
    const at = new Date(iso);
    return `${new Intl.DateTimeFormat(view.locale, { dateStyle: 'medium', timeZone: view.timeZone }).format(at)}, ${timeOfDay(at, view)}`;
  };
  const money = (amount: number, currency: string) => {
    try {
      return new Intl.NumberFormat(view.locale, { style: 'currency', currency }).format(amount);
    } catch {
      return `${new Intl.NumberFormat(view.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount)} ${currency}`;
    }
  };
  const json = exportJson(data);
  const bytes = Buffer.byteLength(json);
  const size = bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024).toLocaleString(view.locale)} KB`;
  const bankOf = (institution: { name?: string } | null | undefined) => institution?.name?.trim() || t.yourBank;
  // The shared layout sizes h1 and h2 only; a sub-heading must not outgrow its section's.
  const h3 = (text: string) => html`<h3 style="font-size: 1rem; margin: 1rem 0 .3rem">${text}</h3>`;

  const consents = data.consents.map(
    (c) => html`<div class="box">
${h3(bankOf(c.institution))}
<p><strong>${t.status[c.status]}</strong></p>
<p>${t.shares(c.scopes.map((s) => t.scopes[s]).join(', '))}</p>
${c.authorizedAt ? html`<p>${t.period(day(c.authorizedAt), day(c.expiresAt))}</p>` : ''}
${c.endedAt ? html`<p>${t.ended(day(c.endedAt), c.endedBy ? t.endedBy[c.endedBy] : '')}</p>` : ''}
</div>`,
  );

  const banks = data.financialData.map((d) => {
    const transactions = [...d.transactions].sort((a, b) => b.date.localeCompare(a.date));
    const asOf = d.accounts.map((a) => a.balancesAsOf).filter(Boolean).sort().at(-1);
    return html`<h2>${t.bankData(bankOf(d.institution))}</h2>
${d.connection?.linkedAt ? html`<p>${t.linked(day(d.connection.linkedAt))}${d.connection.lastSyncAt ? html` ${t.synced(moment(d.connection.lastSyncAt))}` : ''}</p>` : ''}
${h3(t.accounts)}
${d.accounts.length === 0 ? html`<p>${t.noAccounts}</p>` : html`<ul>${inAccountOrder(d.accounts).map((a) => html`<li>${a.name}${a.mask ? ` ••${a.mask}` : ''}: ${
      a.balances.current === null ? t.balanceNotShared : t.balance(money(a.balances.current, a.balances.currency), a.balances.available === null ? undefined : money(a.balances.available, a.balances.currency))
    }</li>`)}</ul>`}
${asOf ? html`<p class="muted">${t.asOf(moment(asOf))}</p>` : ''}
${h3(t.transactions)}
${transactions.length === 0
  ? html`<p>${t.noTransactions}</p>`
  : html`<p>${t.transactionRange(transactions.length, day(transactions.at(-1)!.date), day(transactions[0]!.date))}</p>
<details><summary>${t.showTransactions(transactions.length)}</summary>
<ul>${transactions.map((x) => html`<li>${day(x.date)} · ${x.merchantName ?? x.name} · ${money(-x.amount, x.currency)}${x.pending ? html` <span class="muted">(${t.pending})</span>` : ''}</li>`)}</ul>
</details>`}
${h3(t.alerts)}
${d.alerts.length === 0 ? html`<p>${t.noAlerts}</p>` : html`<ul>${[...d.alerts].sort((a, b) => String(b.at).localeCompare(String(a.at))).map((a) => html`<li>${moment(a.at)}: ${t.alertKinds[String(a.kind)] ?? String(a.kind)}, ${a.answer === 'yes' ? t.answers.yes : a.answer === 'no' ? t.answers.no : t.answers.none}</li>`)}</ul>`}
${d.heldAlerts.length ? html`<p>${t.held(d.heldAlerts.length)}</p>` : ''}`;
  });

  const settings = data.alertSettings;
  const threshold = (value: unknown) => (typeof value === 'number' ? value.toLocaleString(view.locale) : null);
  const alertSettings = settings
    ? html`<ul>
${typeof settings.fraudAlerts === 'boolean' ? html`<li>${t.fraudAlerts(settings.fraudAlerts)}</li>` : ''}
${'largeTransactionThreshold' in settings ? html`<li>${t.largeTransactions(threshold(settings.largeTransactionThreshold))}</li>` : ''}
${'lowBalanceThreshold' in settings ? html`<li>${t.lowBalance(threshold(settings.lowBalanceThreshold))}</li>` : ''}
</ul>${typeof settings.updatedAt === 'string' ? html`<p class="muted">${t.changedOn(moment(settings.updatedAt))}</p>` : ''}`
    : html`<p>${t.defaultSettings}</p>`;

  const { profile, conversation, messagesReceived, replies, heldNotices = [] } = data.messaging;
  const said = (event: Record<string, unknown>) => {
    const message = event.message as { text?: unknown } | undefined;
    const postback = event.postback as { title?: unknown } | undefined;
    return typeof message?.text === 'string' ? message.text : typeof postback?.title === 'string' ? postback.title : `(${String(event.kind)})`;
  };
  const last = conversation?.last as { text?: unknown; at?: unknown } | undefined;
  const chat = html`<p class="muted">${t.chatKept}</p>
<ul>
${typeof conversation?.lang === 'string' ? html`<li>${t.language(t.languages[conversation.lang] ?? conversation.lang)}</li>` : ''}
${typeof last?.text === 'string' ? html`<li>${t.lastQuestion(last.text, moment(last.at))}</li>` : ''}
${typeof profile?.lastInboundAt === 'number' ? html`<li>${t.lastMessage(moment(profile.lastInboundAt))}</li>` : ''}
${profile?.unreachableAt ? html`<li>${t.unreachable(moment(profile.unreachableAt))}</li>` : ''}
<li>${t.messages(messagesReceived.length)}</li>
<li>${t.replies(replies.length)}</li>
${heldNotices.length ? html`<li>${t.heldNotices(heldNotices.length)}</li>` : ''}
</ul>
${messagesReceived.length
  ? html`<ul>${[...messagesReceived].sort((a, b) => String(b.receivedAt).localeCompare(String(a.receivedAt))).map((m) => html`<li>${moment(m.receivedAt)}: ${said((m.event ?? {}) as Record<string, unknown>)}</li>`)}</ul>`
  : ''}`;

  const deletions = data.deletions.map(
    (p) => html`<li>${t.deletion(moment(p.at), Number(p.accounts ?? 0), Number(p.transactions ?? 0), p.removedAtBank === true)}</li>`,
  );
  const history = data.consentHistory.map((entry) => html`<li>${moment(entry.at)}: ${t.actions[entry.action] ?? entry.action}</li>`);

  return layout(
    t.title,
    html`<div lang="${view.lang}" style="overflow-wrap: anywhere">
<h1>${t.title}</h1>
<p>${t.lead(day(data.exportedAt))}</p>
<p class="muted">${t.subject(data.subject.messengerPageScopedId)}</p>
<p><a download="${exportFileName(data)}" href="data:application/json;base64,${Buffer.from(json).toString('base64')}" style="display: block; text-align: center; padding: .7rem .8rem; border-radius: .5rem; background: var(--accent); color: var(--on-accent, #fff); font-weight: 600; text-decoration: none">${t.download}</a></p>
<p class="muted">${t.downloadNote(size)}</p>
<h2>${t.sharing}</h2>
${consents.length ? consents : html`<p>${t.noConsents}</p>`}
${banks}
<h2>${t.alertSettings}</h2>
${alertSettings}
<h2>${t.chat}</h2>
${chat}
${deletions.length ? html`<h2>${t.deletions}</h2><ul>${deletions}</ul>` : ''}
<h2>${t.history}</h2>
<ul>${history}</ul>
<h2>${t.notIncluded}</h2>
<ul>${t.notIncludedItems.map((item) => html`<li>${item}</li>`)}</ul>
</div>`,
  );
}
