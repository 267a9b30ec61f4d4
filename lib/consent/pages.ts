import { inAccountOrder, type ListedAccount } from '../banking/account-order';
import { html } from '../http/html';
import { DEFAULT_PRESENTATION, PRESENTATIONS } from './model/presentation';
import { layout, messagePage } from '../http/layout';
import { pages, scopeLabels, durationLabel } from '../text/en/pages';
import { exportPageWords } from '../text/export-page';
import { timeOfDay } from '../text/format';
import type { Language } from '../text/language';
import type { Disclosure } from './disclosure';
import { exportFileName, exportJson, type PersonExport } from './export';
import { consentRecordFileName, consentRecordJson, type ConsentEventType, type ConsentRecord } from './consent-record';
import type { AuditAction, Consent } from './model/consent';
import { DURATIONS_DAYS, SCOPES } from './model/scopes';

/**
 * Server-rendered pages of the consent flow, in the shared layout (lib/http/layout.ts): what each
 * page shows, and when. Their words are in lib/text/en/pages.ts and lib/text/export-page.ts.
 */

export function consentPage(input: {
  token: string;
  disclosure: Disclosure;
  recipient: string;
  error?: string;
  /** Kept through the form when the page was opened from Messenger's account_link button. */
  accountLink?: { accountLinkingToken: string; redirectUri: string };
}): string {
  const { disclosure } = input;
  const t = pages.consent;
  return layout(
    t.title,
    html`<h1>${t.heading(input.recipient)}</h1>
<p>${t.lead}</p>
${input.error ? html`<div class="box error" role="alert"><p>${input.error}</p></div>` : ''}
${disclosureBox(disclosure)}
<form method="post" action="/consent">
  <input type="hidden" name="t" value="${input.token}">
  ${input.accountLink ? html`<input type="hidden" name="account_linking_token" value="${input.accountLink.accountLinkingToken}"><input type="hidden" name="redirect_uri" value="${input.accountLink.redirectUri}">` : ''}
  <h2>${t.whatMayItRead}</h2>
  ${SCOPES.map(
    (scope) => html`<label><input type="checkbox" name="scope" value="${scope}"><span><strong>${scopeLabels[scope].title}</strong><br><span class="muted">${scopeLabels[scope].detail}</span></span></label>`,
  )}
  <h2>${t.howLong}</h2>
  <select name="duration" aria-label="${t.howLongLabel}">
    ${DURATIONS_DAYS.map((days) => html`<option value="${days}"${days === 90 ? html` selected` : ''}>${durationLabel(days)}</option>`)}
  </select>
  <fieldset>
    <legend>${t.figures.heading}</legend>
    ${PRESENTATIONS.map(
      (mode) =>
        html`<label><input type="radio" name="figures" value="${mode}"${mode === DEFAULT_PRESENTATION ? html` checked` : ''}><span><strong>${t.figures[mode].title}</strong><br><span class="muted">${t.figures[mode].detail}</span></span></label>`,
    )}
  </fieldset>
  <button type="submit">${t.agree}</button>
</form>
<p class="muted">${t.footer(disclosure.version)}</p>`,
  );
}

/** The disclosure's sections, each under its heading: the same on the consent page and the renewal page. */
const disclosureBox = (disclosure: Disclosure) => html`<div class="box">
${disclosure.sections.map((section) => html`<h2>${section.heading}</h2>${section.paragraphs.map((p) => html`<p>${p}</p>`)}`)}
</div>`;

const scopeTitles = (consent: Consent) => consent.scopes.map((s) => scopeLabels[s].title.toLowerCase());

/**
 * Renewing a consent given under another disclosure: the one in force, in full, what renewing keeps
 * and what happens otherwise, and one button. The form carries the hash of the text shown, so the
 * renewal records exactly what the person read (renew-sharing.ts).
 */
export function renewalPage(input: { token: string; consent: Consent; disclosure: Disclosure; changed?: boolean }): string {
  const { consent, disclosure } = input;
  const t = pages.renewal;
  return layout(
    t.title,
    html`<h1>${t.heading(consent.institution?.name ?? t.yourBank)}</h1>
<p>${t.lead}</p>
${input.changed ? html`<div class="box error" role="alert"><p>${t.changed}</p></div>` : ''}
${disclosureBox(disclosure)}
<p>${t.renews(scopeTitles(consent), consent.durationDays)}</p>
<p>${t.otherwise(consent.expiresAt)}</p>
<form method="post" action="/consent/renew">
  <input type="hidden" name="t" value="${input.token}">
  <input type="hidden" name="disclosure" value="${disclosure.hash}">
  <button type="submit">${t.agree}</button>
</form>
<p class="muted">${t.footer(disclosure.version)}</p>`,
  );
}

/** After the person agreed on the renewal page. */
export function renewedPage(consent: Consent): string {
  const t = pages.renewed;
  return messagePage(t.title, [t.text(scopeTitles(consent), consent.institution?.name ?? pages.renewal.yourBank, consent.expiresAt), t.close]);
}

/**
 * Right after granting: the bank, its accounts, what is shared until when, and the record of the
 * consent to keep. The record travels inside the page as a `data:` URL (as on the export page):
 * saving it needs no second request, so no other link or token than the one that opened the page.
 */
export function linkedPage(consent: Consent, accounts: ListedAccount[], record: ConsentRecord): string {
  const t = pages.linked;
  return layout(
    t.title,
    html`<h1>${t.heading}</h1>
<div class="box">
<p><strong>${consent.institution?.name ?? t.yourBank}</strong></p>
<ul>${inAccountOrder(accounts).map((a) => html`<li>${a.name}${a.mask ? html` ••${a.mask}` : ''}</li>`)}</ul>
<p>${t.youShare(scopeTitles(consent))}</p>
<p>${t.until(consent.expiresAt)}</p>
</div>
<p><a download="${consentRecordFileName(record)}" href="data:application/json;base64,${Buffer.from(consentRecordJson(record)).toString('base64')}" style="display: block; text-align: center; padding: .6rem .8rem; border: 1px solid var(--control); border-radius: .5rem; color: inherit; font-weight: 600; text-decoration: none">${t.record}</a></p>
<p class="muted">${t.recordNote}</p>
<p>${t.close}</p>`,
  );
}

export function managePage(input: { token: string; consents: Consent[] }): string {
  const t = pages.manage;
  const current = input.consents.filter((c) => c.status === 'active');
  return layout(
    t.title,
    html`<h1>${t.title}</h1>
${current.length === 0 ? html`<p>${t.notSharing}</p>` : ''}
${current.map(
  (c) => html`<div class="box">
<h2>${c.institution?.name ?? t.bankAccount}</h2>
<p>${t.sharing(scopeTitles(c), c.expiresAt)}</p>
<form method="post" action="/consent/scopes">
  <input type="hidden" name="t" value="${input.token}">
  <input type="hidden" name="consent" value="${c.consentId}">
  ${SCOPES.map(
    (scope) => html`<label><input type="checkbox" name="scope" value="${scope}"${c.scopes.includes(scope) ? html` checked` : ''}><span>${scopeLabels[scope].title}</span></label>`,
  )}
  <button type="submit" class="secondary">${t.save}</button>
</form>
<form method="post" action="/consent/record">
  <input type="hidden" name="t" value="${input.token}">
  <input type="hidden" name="consent" value="${c.consentId}">
  <button type="submit" class="secondary">${t.record}</button>
</form>
<form method="post" action="/consent/revoke">
  <input type="hidden" name="t" value="${input.token}">
  <input type="hidden" name="consent" value="${c.consentId}">
  <button type="submit">${t.stop}</button>
</form>
</div>`,
)}
${current.length > 0 ? html`<p class="muted">${t.recordNote}</p>` : ''}`,
  );
}

/** Back from logging in at the bank again: the connection works and is synced again. */
export function reconnectedPage(consent: Consent): string {
  return messagePage(pages.reconnected.title, [pages.reconnected.text(consent.institution?.name)]);
}

/** After the person changed what they share on the manage page. */
export function scopesSavedPage(consent: Consent): string {
  return messagePage(pages.scopesSaved.title, [pages.scopesSaved.text(consent.scopes, consent.institution?.name)]);
}

/**
 * After the person pressed "Stop sharing" on the manage page. The bank or the end date may have
 * ended the sharing while the page was open: then the page says so, rather than "you stopped".
 */
export function stoppedSharingPage(consent: Consent): string {
  const t = pages.stopped;
  const bank = consent.institution?.name ?? t.yourBank;
  if (consent.endedBy === 'person') return messagePage(t.title, [t.text(bank)]);
  const why = consent.status === 'expired' ? t.expired(bank, consent.expiresAt) : t.endedByBank(bank);
  return messagePage(t.alreadyEndedTitle, [why, t.deleted]);
}

// ---- The person's export ------------------------------------------------------------------------

/** The audit action whose words tell a consent record's event on the export page. */
const EVENT_ACTIONS: Record<ConsentEventType, AuditAction> = {
  requested: 'requested',
  given: 'granted',
  renewed: 'renewed',
  'scopes-changed': 'scopes-changed',
  withdrawn: 'revoked',
  revoked: 'revoked',
  expired: 'expired',
  'data-deleted': 'deleted',
};

/**
 * What is held about the person (consent rule 7), readable on a phone: grouped and in plain words,
 * with the complete JSON beside it as a download. The link that opens this page works once, so
 * the file travels inside the page as a `data:` URL: saving it needs no second request (a second
 * use of the link would be refused) and no script. `download` on a `data:` link is a download,
 * not a navigation, so browsers that block top-level `data:` navigation still save it, and the
 * page's CSP (which governs fetches) does not apply.
 */
export function exportPage(data: PersonExport, view: { lang: Language; locale: string; timeZone: string }): string {
  const t = exportPageWords[view.lang];
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
<p class="muted">${t.chatInMessenger}</p>
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
  // One list, newest first: every consent record's events and the rest of the audit, in the audit's words.
  const history = [
    ...data.consentHistory.flatMap((record) => record.events.map((event) => ({ at: event.time, action: EVENT_ACTIONS[event.type] }))),
    ...data.otherHistory.map((entry) => ({ at: entry.at, action: entry.action })),
  ]
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((entry) => html`<li>${moment(entry.at)}: ${t.actions[entry.action] ?? entry.action}</li>`);

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
