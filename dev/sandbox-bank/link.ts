/**
 * Hosted Link, server-rendered: pick a test institution, log in with a test user, and get sent back
 * to the product's `completion_redirect_uri`. Plain HTML forms, inline CSS, no scripts and no
 * external assets (the CSP forbids both), so it works in Messenger's in-app browser on a phone.
 *
 *   GET  /link/<link_token>                          institution picker (update mode: straight to login)
 *   GET  /link/<link_token>/institutions/<id>        login form
 *   POST /link/<link_token>/institutions/<id>        log in: 303 to completion_redirect_uri, or the form with an error
 *   POST /link/<link_token>/exit                     leave without linking
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Bank, LinkToken } from './bank';
import { INSTITUTIONS, PEOPLE, findInstitution, findPerson } from './data';
import { escapeHtml as e, readBody, redirect, sendHtml } from './http';
import type { Institution } from './types';

const TEXT = {
  en: {
    pick: 'Select your bank',
    connectsTo: (client: string) => `${client} uses the sandbox bank to connect your account.`,
    login: (bank: string) => `Log in to ${bank}`,
    username: 'Username',
    password: 'Password',
    submit: 'Log in',
    otherBank: 'Choose a different bank',
    exit: 'Exit without connecting',
    badCredentials: 'The username or password you entered is not correct. Please try again.',
    connected: 'Connected',
    connectedBody: (client: string) => `Your account is connected. You can close this window and go back to ${client}.`,
    exited: 'No account was connected. You can close this window.',
    expired: 'This link has expired. Ask for a new one.',
    used: 'This link has already been used.',
    unknown: 'This link is not valid.',
    sandbox: 'Sandbox bank: nothing here is real money. Test logins (password',
  },
  es: {
    pick: 'Elige tu banco',
    connectsTo: (client: string) => `${client} usa el banco de pruebas para conectar tu cuenta.`,
    login: (bank: string) => `Inicia sesión en ${bank}`,
    username: 'Usuario',
    password: 'Contraseña',
    submit: 'Iniciar sesión',
    otherBank: 'Elegir otro banco',
    exit: 'Salir sin conectar',
    badCredentials: 'El usuario o la contraseña no son correctos. Inténtalo de nuevo.',
    connected: 'Conectado',
    connectedBody: (client: string) => `Tu cuenta está conectada. Puedes cerrar esta ventana y volver a ${client}.`,
    exited: 'No se conectó ninguna cuenta. Puedes cerrar esta ventana.',
    expired: 'Este enlace ha caducado. Pide uno nuevo.',
    used: 'Este enlace ya se ha utilizado.',
    unknown: 'Este enlace no es válido.',
    sandbox: 'Banco de pruebas: nada aquí es dinero real. Usuarios de prueba (contraseña',
  },
};

type Text = (typeof TEXT)['en'];

function textFor(link: LinkToken | undefined): Text {
  return link?.language === 'es' ? TEXT.es : TEXT.en;
}

function page(t: Text, title: string, body: string, color = '#1f2937'): string {
  const people = PEOPLE.map((p) => `<li><code>${e(p.username)}</code> — ${e(p.description)}</li>`).join('');
  return `<!doctype html>
<html lang="${t === TEXT.es ? 'es' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>
  body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f3f4f6; color: #111827; }
  main { max-width: 26rem; margin: 0 auto; padding: 1.25rem; }
  h1 { font-size: 1.35rem; margin: .5rem 0 1rem; color: ${color}; }
  .card { background: #fff; border-radius: .75rem; padding: 1.25rem; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
  .bank { display: flex; align-items: center; gap: .75rem; padding: .9rem 1rem; margin: .5rem 0; border: 1px solid #d1d5db;
          border-radius: .6rem; color: inherit; text-decoration: none; background: #fff; font-weight: 600; }
  .badge { width: 2.25rem; height: 2.25rem; border-radius: 50%; color: #fff; display: grid; place-items: center; font-weight: 700; flex: none; }
  label { display: block; margin: .8rem 0 .3rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; font-size: 1rem; padding: .7rem; border: 1px solid #9ca3af; border-radius: .5rem; }
  button { width: 100%; margin-top: 1.1rem; font-size: 1rem; font-weight: 600; padding: .8rem; border: 0; border-radius: .5rem; background: ${color}; color: #fff; }
  button.secondary { background: transparent; color: #374151; text-decoration: underline; font-weight: 400; margin-top: .5rem; }
  .error { background: #fef2f2; color: #991b1b; border: 1px solid #fecaca; padding: .7rem; border-radius: .5rem; }
  a.back { display: inline-block; margin-top: 1rem; color: #374151; }
  small { display: block; margin-top: 1.5rem; color: #4b5563; font-size: .78rem; }
  small ul { padding-left: 1.1rem; margin: .3rem 0; }
</style>
</head>
<body>
<main>
<h1>${e(title)}</h1>
<div class="card">${body}</div>
<small>${e(t.sandbox)} <code>pass_good</code>):<ul>${people}</ul></small>
</main>
</body>
</html>`;
}

function badge(institution: Institution): string {
  return `<span class="badge" style="background:${e(institution.color)}" aria-hidden="true">${e(institution.short.slice(0, 1))}</span>`;
}

function exitForm(t: Text, link: LinkToken): string {
  return `<form method="post" action="/link/${e(link.link_token)}/exit"><button class="secondary" type="submit">${e(t.exit)}</button></form>`;
}

function pickerPage(link: LinkToken): string {
  const t = textFor(link);
  const banks = INSTITUTIONS.map(
    (i) => `<a class="bank" href="/link/${e(link.link_token)}/institutions/${e(i.institution_id)}">${badge(i)}<span>${e(i.name)}</span></a>`,
  ).join('');
  return page(t, t.pick, `<p>${e(t.connectsTo(link.client_name))}</p>${banks}${exitForm(t, link)}`);
}

function loginPage(link: LinkToken, institution: Institution, options: { error?: string; username?: string } = {}): string {
  const t = textFor(link);
  const error = options.error ? `<p class="error" role="alert">${e(options.error)}</p>` : '';
  const back = link.update_item_id ? '' : `<a class="back" href="/link/${e(link.link_token)}">${e(t.otherBank)}</a>`;
  const form = `${error}
<form method="post" action="/link/${e(link.link_token)}/institutions/${e(institution.institution_id)}">
  <label for="username">${e(t.username)}</label>
  <input id="username" name="username" autocomplete="username" autocapitalize="none" required value="${e(options.username ?? '')}">
  <label for="password">${e(t.password)}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">${e(t.submit)}</button>
</form>${back}${exitForm(t, link)}`;
  return page(t, t.login(institution.name), `<p style="display:flex;align-items:center;gap:.6rem">${badge(institution)}<strong>${e(institution.name)}</strong></p>${form}`, institution.color);
}

function messagePage(res: ServerResponse, status: number, t: Text, title: string, message: string): void {
  sendHtml(res, status, page(t, title, `<p>${e(message)}</p>`));
}

/** Serves a hosted link request; false when the path is not one of the hosted link pages. */
export async function handleLinkPage(req: IncomingMessage, res: ServerResponse, url: URL, bank: Bank): Promise<boolean> {
  const match = /^\/link\/([^/]+)(?:\/(exit|institutions\/([^/]+)))?\/?$/.exec(url.pathname);
  if (!match) return false;
  const [, token, action, institutionId] = match;
  const link = bank.linkTokens.get(decodeURIComponent(token!));
  const t = textFor(link);
  if (!link) {
    messagePage(res, 404, t, t.unknown, t.unknown);
    return true;
  }
  const usable = bank.linkUsable(link);
  if (usable !== 'ok') {
    messagePage(res, usable === 'expired' ? 410 : 409, t, usable === 'expired' ? t.expired : t.used, usable === 'expired' ? t.expired : t.used);
    return true;
  }

  if (action === 'exit' && req.method === 'POST') {
    bank.exitLink(link);
    if (link.completion_redirect_uri) redirect(res, link.completion_redirect_uri);
    else messagePage(res, 200, t, t.exit, t.exited);
    return true;
  }

  const updateInstitution = link.update_item_id ? bank.items.get(link.update_item_id)?.institution : undefined;
  if (action === undefined && req.method === 'GET') {
    bank.openSession(link);
    // Update mode repairs one known item: its institution is not a choice.
    if (updateInstitution) redirect(res, `/link/${link.link_token}/institutions/${updateInstitution.institution_id}`);
    else sendHtml(res, 200, pickerPage(link));
    return true;
  }

  const institution = institutionId === undefined ? undefined : findInstitution(decodeURIComponent(institutionId));
  if (!institution || (updateInstitution && institution !== updateInstitution)) {
    messagePage(res, 404, t, t.unknown, t.unknown);
    return true;
  }
  const meta = { institution_id: institution.institution_id, institution_name: institution.name };

  if (req.method === 'GET') {
    bank.openSession(link);
    bank.linkEvent(link, 'SELECT_INSTITUTION', meta);
    sendHtml(res, 200, loginPage(link, institution));
    return true;
  }
  if (req.method !== 'POST') {
    messagePage(res, 405, t, t.unknown, t.unknown);
    return true;
  }

  const form = new URLSearchParams((await readBody(req)).toString('utf8'));
  const username = form.get('username')?.trim() ?? '';
  const password = form.get('password') ?? '';
  bank.linkEvent(link, 'SUBMIT_CREDENTIALS', meta);
  const person = findPerson(username);
  const updateItem = link.update_item_id ? bank.items.get(link.update_item_id) : undefined;
  // Update mode re-authenticates the same login; someone else's credentials do not repair it.
  const valid = person !== undefined && person.password === password && (!updateItem || updateItem.person === person);
  if (!valid) {
    bank.linkEvent(link, 'ERROR', { ...meta, error_type: 'ITEM_ERROR', error_code: 'INVALID_CREDENTIALS', error_message: 'the provided credentials were not correct' });
    sendHtml(res, 200, loginPage(link, institution, { error: t.badCredentials, username }));
    return true;
  }
  bank.completeLink(link, person, institution);
  if (link.completion_redirect_uri) redirect(res, link.completion_redirect_uri);
  else messagePage(res, 200, t, t.connected, t.connectedBody(link.client_name));
  return true;
}
