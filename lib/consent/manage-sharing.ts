import type { PageAnswer, PageRequest } from '../http/page';
import { consentRecordFileName, consentRecordJson, consentRecordOf } from './consent-record';
import { isInForce } from './model/consent';
import { changeOwnScopes, ownConsent, verifyLink } from './flows';
import { revokeOwnConsent } from './revocation';
import { readLinkToken, type LinkClaims } from './link-token';
import type { ConsentPageDeps } from './page-deps';
import { managePage, scopesSavedPage, stoppedSharingPage } from './pages';

/**
 * The manage page: what the person shares, with a way to share less or stop, and the record of each
 * consent to download. Each change uses up the link, and the consent it names must be the link
 * holder's own.
 */

/** GET /consent/manage?t=…: the consents in force. */
export async function showSharing(request: PageRequest, deps: ConsentPageDeps): Promise<PageAnswer> {
  const token = request.query('t');
  const claims = await verifyLink(token, 'manage', { store: deps.store, settings: await deps.settings(), clock: deps.clock });
  const consents = (await deps.store.listConsents(claims.psid)).filter((c) => isInForce(c, deps.clock()));
  return { kind: 'page', body: managePage({ token: token!, consents }) };
}

/**
 * POST /consent/record: the record of one of the holder's consents, as a JSON file. The rules of
 * viewing this page: a valid manage link not used yet, and a consent of the holder's own (another
 * id is answered like a missing one, and audited). Reading changes nothing, so it does not use the
 * link up: the page's buttons still work after a download, and a change still ends the link.
 */
export async function downloadConsentRecord(request: PageRequest, deps: ConsentPageDeps): Promise<PageAnswer> {
  const fields = request.form();
  const settings = await deps.settings();
  const claims = await verifyLink(fields.get('t') ?? undefined, 'manage', { store: deps.store, settings, clock: deps.clock });
  const consent = await ownConsent(claims.psid, fields.get('consent') ?? undefined, deps);
  const record = await consentRecordOf(consent, settings, deps);
  return { kind: 'download', body: consentRecordJson(record), contentType: 'application/json; charset=utf-8', fileName: consentRecordFileName(record) };
}

/** POST /consent/revoke: stop sharing one consent. */
export async function stopSharing(request: PageRequest, deps: ConsentPageDeps): Promise<PageAnswer> {
  const { claims, consentId } = await ownChange(request, deps);
  const consent = await revokeOwnConsent(claims.psid, consentId, 'person', deps);
  return { kind: 'page', body: stoppedSharingPage(consent) };
}

/** POST /consent/scopes: share more or less; what is no longer shared is deleted. */
export async function changeSharing(request: PageRequest, deps: ConsentPageDeps): Promise<PageAnswer> {
  const { claims, consentId, fields } = await ownChange(request, deps);
  const changed = await changeOwnScopes(claims.psid, consentId, fields.getAll('scope'), deps);
  return { kind: 'page', body: scopesSavedPage(changed) };
}

/** The form's link checked and used up, and the consent it names found among the holder's own. */
async function ownChange(request: PageRequest, deps: ConsentPageDeps): Promise<{ claims: LinkClaims; consentId: string; fields: URLSearchParams }> {
  const fields = request.form();
  const settings = await deps.settings();
  const claims = readLinkToken(fields.get('t') ?? undefined, 'manage', settings.linkSecret, deps.clock());
  const consent = await ownConsent(claims.psid, fields.get('consent') ?? undefined, deps);
  await deps.store.consumeLinkNonce(claims.nonce, claims.exp);
  return { claims, consentId: consent.consentId, fields };
}
