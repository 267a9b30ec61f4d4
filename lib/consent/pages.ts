import { html, type Html } from '../http/html';
import type { Consent } from './consent';
import type { Disclosure } from './disclosure';
import { DURATIONS_DAYS, SCOPES, scopeLabels } from './scopes';

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
  :root { color-scheme: light dark; --accent: #0a66c2; }
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 34rem; padding: 1rem 1.1rem 3rem; }
  h1 { font-size: 1.35rem; margin: .5rem 0 1rem; }
  h2 { font-size: 1.02rem; margin: 1.2rem 0 .3rem; }
  p, li { margin: .3rem 0; }
  .box { border: 1px solid #8884; border-radius: .6rem; padding: .2rem 1rem .8rem; margin: 1rem 0; }
  label { display: flex; gap: .6rem; align-items: flex-start; padding: .45rem 0; }
  input[type=checkbox] { width: 1.3rem; height: 1.3rem; margin-top: .15rem; flex: none; }
  select, button { font: inherit; padding: .6rem .8rem; border-radius: .5rem; }
  button { background: var(--accent); color: #fff; border: 0; width: 100%; margin-top: 1rem; font-weight: 600; }
  button.secondary { background: transparent; color: inherit; border: 1px solid #8888; }
  .muted { opacity: .75; font-size: .9rem; }
  .error { border-color: #c00; }
</style>
</head>
<body>
${body}
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

export function linkedPage(consent: Consent, accounts: { name: string; mask?: string | undefined }[]): string {
  return layout(
    'Bank linked',
    html`<h1>Your bank is linked</h1>
<div class="box">
<p><strong>${consent.institution?.name ?? 'Your bank'}</strong></p>
<ul>${accounts.map((a) => html`<li>${a.name}${a.mask ? html` ••${a.mask}` : ''}</li>`)}</ul>
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

export const durationLabel = (days: number) => (days >= 365 ? '1 year' : days >= 180 ? '6 months' : days >= 90 ? '3 months' : `${days} days`);

const formatDate = (iso: string | undefined) =>
  iso ? new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }) : 'the end date';
