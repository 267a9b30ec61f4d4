import { InvalidInput, LinkRefused } from '../errors';
import type { PageAnswer, PageRequest } from '../http/page';
import { disclosure } from './disclosure';
import { startLinking, verifyAccountLink, verifyLink, type AccountLinkRequest } from './flows';
import { readLinkToken } from './link-token';
import type { ConsentPageDeps } from './page-deps';
import { consentPage } from './pages';

/**
 * The consent form: the disclosure and the choices, then, confirmed, on to the bank's hosted link
 * page. Viewing it does not use up the link; confirming it does.
 */

/** GET /consent?t=…: the disclosure and the choices. */
export async function showConsentForm(request: PageRequest, deps: ConsentPageDeps): Promise<PageAnswer> {
  const settings = await deps.settings();
  const token = request.query('t');
  const claims = await verifyLink(token, 'consent', { store: deps.store, settings, clock: deps.clock });
  const accountLink = await accountLinkOf(claims.psid, request.query, deps);
  return formPage(deps, { token: token!, recipient: settings.recipient, accountLink });
}

/** POST /consent: confirmed, on to the bank; with something missing, the form again, saying what. */
export async function submitConsentForm(request: PageRequest, deps: ConsentPageDeps): Promise<PageAnswer> {
  const fields = request.form();
  const linking = await deps.linking();
  const token = fields.get('t') ?? undefined;
  const claims = readLinkToken(token, 'consent', linking.settings.linkSecret, deps.clock());
  const accountLink = await accountLinkOf(claims.psid, (name) => fields.get(name) ?? undefined, deps);
  try {
    const choice = {
      token,
      scopes: fields.getAll('scope'),
      durationDays: fields.get('duration'),
      ...(fields.has('figures') ? { presentation: fields.get('figures') } : {}),
      ...(accountLink ? { accountLink } : {}),
    };
    const { redirectTo } = await startLinking(choice, linking);
    return { kind: 'redirect', location: redirectTo };
  } catch (error) {
    if (!(error instanceof InvalidInput)) throw error;
    // The link is still unused: the form again with what is missing.
    return formPage(deps, { token: token ?? '', recipient: linking.settings.recipient, accountLink, error: error.message }, 400);
  }
}

/**
 * The form answers with a redirect to the bank's hosted link page, whose host the bank chooses:
 * every response showing it (first view or re-shown) must let the browser follow it, or the
 * submit is silently refused by the page's CSP.
 */
function formPage(
  deps: ConsentPageDeps,
  shown: { token: string; recipient: string; accountLink: AccountLinkRequest | undefined; error?: string },
  status = 200,
): PageAnswer {
  const { accountLink, ...rest } = shown;
  const body = consentPage({ ...rest, disclosure: disclosure({ recipient: shown.recipient }), ...(accountLink ? { accountLink } : {}) });
  return { kind: 'page', body, status, formTargets: ['https:', deps.bankLinkOrigin] };
}

/** Messenger's account_link button appends these; they are verified with Meta, never trusted. */
async function accountLinkOf(psid: string, get: (name: string) => string | undefined, deps: ConsentPageDeps): Promise<AccountLinkRequest | undefined> {
  const accountLinkingToken = get('account_linking_token');
  const redirectUri = get('redirect_uri');
  if (!accountLinkingToken && !redirectUri) return undefined;
  if (!accountLinkingToken || !redirectUri) throw new LinkRefused('This link is incomplete');
  return verifyAccountLink(psid, { accountLinkingToken, redirectUri }, { store: deps.store, clock: deps.clock, messenger: await deps.messenger() });
}
