import { DisclosureChanged } from '../errors';
import type { PageAnswer, PageRequest } from '../http/page';
import { disclosure } from './disclosure';
import { reconfirmOwnConsent, renewableConsent, verifyLink } from './flows';
import { readLinkToken } from './link-token';
import type { ConsentPageDeps } from './page-deps';
import { renewalPage, renewedPage } from './pages';

/**
 * The renewal page, where a Renew tap in the chat leads when the consent was given under another
 * disclosure than the one in force: the current disclosure in full, what renewing keeps, and
 * "I agree". Viewing it changes nothing and leaves the link unused; agreeing uses the link up and
 * renews the consent under the very text shown (its hash travels in the form).
 */

/** GET /consent/renew?t=…: the disclosure in force, for one of the link holder's consents in force. */
export async function showRenewal(request: PageRequest, deps: ConsentPageDeps): Promise<PageAnswer> {
  const settings = await deps.settings();
  const token = request.query('t');
  const claims = await verifyLink(token, 'renew', { store: deps.store, settings, clock: deps.clock });
  const consent = await renewableConsent(claims, deps);
  return { kind: 'page', body: renewalPage({ token: token!, consent, disclosure: disclosure({ recipient: settings.recipient }) }) };
}

/** POST /consent/renew: agreed. Renewed under the text shown; if that text is no longer in force, the new one is shown instead. */
export async function confirmRenewal(request: PageRequest, deps: ConsentPageDeps): Promise<PageAnswer> {
  const fields = request.form();
  const settings = await deps.settings();
  const token = fields.get('t') ?? undefined;
  const claims = readLinkToken(token, 'renew', settings.linkSecret, deps.clock());
  try {
    const renewed = await reconfirmOwnConsent(claims, fields.get('disclosure') ?? undefined, { store: deps.store, clock: deps.clock, log: deps.log, settings });
    return { kind: 'page', body: renewedPage(renewed) };
  } catch (error) {
    if (!(error instanceof DisclosureChanged)) throw error;
    // The person agreed to other words than those in force: the link is still unused, and the
    // page shows the current text to agree to (or not).
    const consent = await renewableConsent(claims, deps);
    return { kind: 'page', status: 409, body: renewalPage({ token: token!, consent, disclosure: disclosure({ recipient: settings.recipient }), changed: true }) };
  }
}
