import type { BankConnector } from '../banking/bank-connector';
import { BankAccessRevoked, DisclosureChanged, InvalidInput, LinkingNotFinished, LinkRefused, NotFound } from '../errors';
import type { Log } from '../logger';
import { activateConsent, changeConsentScopes, isInForce, reconfirmConsent, renewConsent, requestConsent, type AuditEntry, type Consent, type Transition } from './model/consent';
import { disclosure } from './disclosure';
import { bankUserId, issueLinkToken, readLinkToken, type LinkClaims, type LinkPurpose } from './link-token';
import { DEFAULT_PRESENTATION, isPresentation, type Presentation } from './model/presentation';
import { DURATIONS_DAYS, isScope, type Scope } from './model/scopes';
import type { FinancialGate, TransactItem } from '../store';

/**
 * The consent use-cases: from the link in the chat to an active consent with a linked bank, and
 * the person's own renewals and scope changes (revocation: revocation.ts). Whose consent is touched always comes from a verified link token (or the sender of
 * a Messenger event), never from an id the browser sent; an id that is not the person's own is
 * answered like a missing one and audited.
 */
export interface ConsentStorePort {
  commitConsentTransition(transition: Transition, with_?: TransactItem[]): Promise<void>;
  getConsent(psid: string, consentId: string): Promise<Consent | undefined>;
  listConsents(psid: string): Promise<Consent[]>;
  consumeLinkNonce(nonce: string, expiresAtSeconds: number): Promise<void>;
  isLinkNonceUsed(nonce: string): Promise<boolean>;
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Where the person's figures appear (private mode), as chosen on the consent page. */
  putPresentation(psid: string, presentation: Presentation): Promise<void>;
}

export interface ConsentSettings {
  publicBaseUrl: string;
  linkSecret: string;
  /** Who receives the data, as the disclosure names it. */
  recipient: string;
  /** How people reach the recipient about their data, as consent records name it (PRIVACY_CONTACT). */
  privacyContact?: string;
  countryCodes: string[];
  bankWebhookUrl?: string;
}

export interface ConsentDeps {
  store: ConsentStorePort;
  financial: Pick<FinancialGate, 'activationItems'>;
  bank: Pick<BankConnector, 'createLinkToken' | 'getLinkSession' | 'exchangePublicToken' | 'getItem' | 'getAccounts' | 'removeItem'>;
  settings: ConsentSettings;
  clock: () => Date;
  newId: () => string;
  log: Log;
}

export const LINK_TTL_SECONDS = {
  consent: 30 * 60,
  manage: 30 * 60,
  export: 15 * 60,
  complete: 2 * 60 * 60,
  'account-link': 10 * 60,
  reconnect: 24 * 60 * 60,
  renew: 30 * 60,
  // A private answer is read within minutes of asking; the page opens once.
  answer: 10 * 60,
  'alert-answer': 10 * 60,
} satisfies Record<LinkPurpose, number>;

/** A link for the chat: opens a page that acts for this person only. */
export function consentLink(psid: string, purpose: 'consent' | 'manage' | 'export', deps: Pick<ConsentDeps, 'settings' | 'clock'>): string {
  const { token } = issueLinkToken({ purpose, psid, ttlSeconds: LINK_TTL_SECONDS[purpose], now: deps.clock() }, deps.settings.linkSecret);
  const path = { consent: '/consent', manage: '/consent/manage', export: '/consent/export' }[purpose];
  return `${deps.settings.publicBaseUrl}${path}?t=${encodeURIComponent(token)}`;
}

/** A link to log in at the bank again (update mode) for one of the person's consents. */
export function reconnectLink(psid: string, consentId: string, deps: Pick<ConsentDeps, 'settings' | 'clock'>): string {
  const { token } = issueLinkToken({ purpose: 'reconnect', psid, consentId, ttlSeconds: LINK_TTL_SECONDS.reconnect, now: deps.clock() }, deps.settings.linkSecret);
  return `${deps.settings.publicBaseUrl}/link/reconnect?t=${encodeURIComponent(token)}`;
}

/**
 * Login required at the bank: open the bank's link in update mode for the same item. Nothing is
 * granted anew (same scopes, same end date); the bank sends the person back to /link/reconnected.
 */
export async function startReconnect(
  token: string | undefined,
  deps: ConsentDeps & { financial: Pick<FinancialGate, 'accessToken'> },
): Promise<{ redirectTo: string }> {
  const claims = readLinkToken(token, 'reconnect', deps.settings.linkSecret, deps.clock());
  const consent = await ownConsent(claims.psid, claims.consentId, deps);
  if (!isInForce(consent, deps.clock()) || !consent.itemId) throw new LinkRefused('This sharing has ended. To share again, link your bank from the chat.');
  await deps.store.consumeLinkNonce(claims.nonce, claims.exp);
  const accessToken = await deps.financial.accessToken(consent, consent.scopes[0]!);
  const back = issueLinkToken({ purpose: 'reconnect', psid: claims.psid, consentId: consent.consentId, ttlSeconds: LINK_TTL_SECONDS.complete, now: deps.clock() }, deps.settings.linkSecret);
  const link = await deps.bank.createLinkToken({
    userId: bankUserId(claims.psid, deps.settings.linkSecret),
    redirectUri: `${deps.settings.publicBaseUrl}/link/reconnected?t=${encodeURIComponent(back.token)}`,
    ...(deps.settings.bankWebhookUrl ? { webhookUrl: deps.settings.bankWebhookUrl } : {}),
    products: ['transactions'],
    language: 'en',
    countryCodes: deps.settings.countryCodes,
    clientName: deps.settings.recipient,
    accessToken,
  });
  if (!link.hostedLinkUrl) throw new Error('The bank returned no hosted link URL');
  return { redirectTo: link.hostedLinkUrl };
}

/** Back from update mode: if the bank answers again, the connection goes back on the schedule. */
export async function finishReconnect(
  token: string | undefined,
  deps: ConsentDeps & {
    financial: Pick<FinancialGate, 'accessToken'>;
    reschedule(key: { psid: string; itemId: string }): Promise<void>;
  },
): Promise<Consent> {
  const claims = readLinkToken(token, 'reconnect', deps.settings.linkSecret, deps.clock());
  const consent = await ownConsent(claims.psid, claims.consentId, deps);
  if (!isInForce(consent, deps.clock()) || !consent.itemId) throw new LinkRefused('This sharing has ended.');
  // The proof the login worked: the bank answers for this item again.
  await deps.bank.getAccounts(await deps.financial.accessToken(consent, consent.scopes[0]!));
  await deps.reschedule({ psid: consent.psid, itemId: consent.itemId });
  deps.log.info('Bank connection repaired', { consentId: consent.consentId });
  return consent;
}

/** Checks a token for a page view (GET): valid, this purpose, not used yet. */
export async function verifyLink(token: string | undefined, purpose: LinkPurpose, deps: Pick<ConsentDeps, 'store' | 'settings' | 'clock'>): Promise<LinkClaims> {
  const claims = readLinkToken(token, purpose, deps.settings.linkSecret, deps.clock());
  if (await deps.store.isLinkNonceUsed(claims.nonce)) throw new LinkRefused('This link was already used. Ask in the chat for a new one.');
  return claims;
}

export interface LinkingChoice {
  token: string | undefined;
  scopes: unknown[];
  durationDays: unknown;
  /** Where figures appear: 'private' or 'messenger'; absent, the default (private). */
  presentation?: unknown;
  language?: 'en' | 'es';
  /** Set when the page was opened from Messenger's account_link button. */
  accountLink?: AccountLinkRequest;
}

/** What Messenger appends to an account_link URL. */
export interface AccountLinkRequest {
  accountLinkingToken: string;
  redirectUri: string;
}

// Messenger sends the person back through its own account-linking endpoint; nowhere else.
const MESSENGER_REDIRECT = /^https:\/\/(www\.|m\.)?(facebook|messenger)\.com\/messenger_platform\/account_linking\/?(\?|$)/;

/**
 * Account linking binds the page to the Messenger account that opened it: Meta tells us whose
 * account_linking_token it is, and it must be the person the consent link was issued to. A link
 * forwarded to someone else is refused (and audited) here, before anything is shared.
 */
export async function verifyAccountLink(
  psid: string,
  request: AccountLinkRequest,
  deps: Pick<ConsentDeps, 'store' | 'clock'> & { messenger: { accountLinkingPsid(token: string): Promise<string> } },
): Promise<AccountLinkRequest> {
  if (!MESSENGER_REDIRECT.test(request.redirectUri)) throw new LinkRefused('This link cannot be used here');
  const holder = await deps.messenger.accountLinkingPsid(request.accountLinkingToken);
  if (holder !== psid) {
    await deps.store.appendAudit({ action: 'access-refused', psid: holder, at: deps.clock().toISOString(), actor: 'person', details: { reason: 'consent link issued to another person' } });
    throw new LinkRefused('This link was sent to another Messenger account. Ask in your own chat for a link.');
  }
  return request;
}

/**
 * The account_linking event (status linked) carries our code back: it must be valid, ours, and
 * name the very person who sent the event and a consent of theirs. Anything else is refused and
 * audited.
 */
export async function confirmAccountLink(
  psid: string,
  code: string,
  deps: Pick<ConsentDeps, 'store' | 'clock' | 'settings'>,
): Promise<'confirmed' | 'refused'> {
  try {
    const claims = readLinkToken(code, 'account-link', deps.settings.linkSecret, deps.clock());
    if (claims.psid !== psid) throw new LinkRefused('Code issued to another person');
    await ownConsent(psid, claims.consentId, deps);
    return 'confirmed';
  } catch (error) {
    if (!(error instanceof LinkRefused) && !(error instanceof NotFound)) throw error;
    if (error instanceof LinkRefused) {
      await deps.store.appendAudit({ action: 'access-refused', psid, at: deps.clock().toISOString(), actor: 'person', details: { reason: 'account linking code refused' } });
    }
    return 'refused';
  }
}

/** Where to send the person back to Messenger after linking, with a code only they can redeem. */
export function accountLinkReturn(consent: Consent, deps: Pick<ConsentDeps, 'settings' | 'clock'>): string | undefined {
  if (!consent.accountLinkRedirect) return undefined;
  const code = issueLinkToken(
    { purpose: 'account-link', psid: consent.psid, consentId: consent.consentId, ttlSeconds: LINK_TTL_SECONDS['account-link'], now: deps.clock() },
    deps.settings.linkSecret,
  );
  const back = new URL(consent.accountLinkRedirect);
  back.searchParams.set('authorization_code', code.token);
  return back.toString();
}

/**
 * The person confirmed the consent page: burn the link, open a bank link session, record the
 * pending consent (with what was disclosed) and its audit entry, and send them to the bank.
 */
export async function startLinking(choice: LinkingChoice, deps: ConsentDeps): Promise<{ redirectTo: string; consentId: string }> {
  const claims = readLinkToken(choice.token, 'consent', deps.settings.linkSecret, deps.clock());
  const scopes = choice.scopes.filter(isScope) as Scope[];
  if (scopes.length === 0 || scopes.length !== choice.scopes.length) throw new InvalidInput('Choose at least one thing to share');
  const durationDays = Number(choice.durationDays);
  if (!(DURATIONS_DAYS as readonly number[]).includes(durationDays)) throw new InvalidInput('Choose how long to share');
  const presentation = choice.presentation ?? DEFAULT_PRESENTATION;
  if (!isPresentation(presentation)) throw new InvalidInput('Choose where your figures appear');

  await deps.store.consumeLinkNonce(claims.nonce, claims.exp);
  // The choice is the person's standing one from now (the chat can change it, confirmed); it is
  // in place before the bank is linked, so the first answer already follows it.
  await deps.store.putPresentation(claims.psid, presentation);
  const consentId = deps.newId();
  const complete = issueLinkToken(
    { purpose: 'complete', psid: claims.psid, consentId, ttlSeconds: LINK_TTL_SECONDS.complete, now: deps.clock() },
    deps.settings.linkSecret,
  );
  const link = await deps.bank.createLinkToken({
    userId: bankUserId(claims.psid, deps.settings.linkSecret),
    redirectUri: `${deps.settings.publicBaseUrl}/link/complete?t=${encodeURIComponent(complete.token)}`,
    ...(deps.settings.bankWebhookUrl ? { webhookUrl: deps.settings.bankWebhookUrl } : {}),
    products: ['transactions'],
    language: choice.language ?? 'en',
    countryCodes: deps.settings.countryCodes,
    clientName: deps.settings.recipient,
  });
  if (!link.hostedLinkUrl) throw new Error('The bank returned no hosted link URL');
  const shown = disclosure({ recipient: deps.settings.recipient });
  await deps.store.commitConsentTransition(
    requestConsent({
      consentId,
      psid: claims.psid,
      scopes,
      durationDays,
      disclosure: shown,
      bankLinkToken: link.linkToken,
      ...(choice.accountLink ? { accountLinkRedirect: choice.accountLink.redirectUri } : {}),
      now: deps.clock(),
    }),
  );
  deps.log.info('Consent requested', { consentId, scopes, durationDays });
  return { redirectTo: link.hostedLinkUrl, consentId };
}

/**
 * The bank sent the person back: take the public token from the link session, exchange it, and
 * activate the consent together with the sealed token and the accounts, in one transaction.
 */
export async function completeLinking(token: string | undefined, deps: ConsentDeps): Promise<Consent> {
  const claims = readLinkToken(token, 'complete', deps.settings.linkSecret, deps.clock());
  const consent = await ownConsent(claims.psid, claims.consentId, deps);
  if (consent.status === 'active') return consent; // a reload of the completion page
  if (consent.status !== 'pending' || !consent.bankLinkToken) throw new LinkRefused('This linking was cancelled. Ask in the chat to start again.');

  const session = await deps.bank.getLinkSession(consent.bankLinkToken);
  const [publicToken] = session.publicTokens;
  if (session.status !== 'completed' || !publicToken) throw new LinkingNotFinished('The bank link was not finished');

  const { accessToken, itemId } = await deps.bank.exchangePublicToken(publicToken);
  try {
    const [item, accounts] = await Promise.all([deps.bank.getItem(accessToken), deps.bank.getAccounts(accessToken)]);
    const institution = session.institution ?? item.institution;
    const transition = activateConsent(consent, { itemId, ...(institution ? { institution } : {}), now: deps.clock() });
    const items = await deps.financial.activationItems(transition.consent, { accessToken, accounts, ...(institution ? { institution } : {}) });
    await deps.store.commitConsentTransition(transition, items);
    deps.log.info('Consent granted', { consentId: consent.consentId, accounts: accounts.length });
    return transition.consent;
  } catch (error) {
    // Nothing of this item may outlive a failed activation (revoked meanwhile, a bank error):
    // remove it at the bank so no access remains that no consent covers.
    await deps.bank.removeItem(accessToken, 'linking-failed').catch((removal: unknown) => {
      if (!(removal instanceof BankAccessRevoked)) deps.log.error('Could not remove an unconsented item at the bank', { consentId: consent.consentId, error: (removal as Error).name });
    });
    throw error;
  }
}

/** What a Renew tap did: renewed, or nothing yet, with a link to read the current disclosure and renew there. */
export type Renewal = { kind: 'renewed'; consent: Consent } | { kind: 'reconfirm'; consent: Consent; url: string };

/**
 * Renews one of the person's active consents for its own duration, from now (at most a year). A
 * consent given under another disclosure than the one in force is left as it is: the tap was a yes
 * to the words the person knew, so they get a link to read the current ones and renew by agreeing
 * to them (renew-sharing.ts). A consent that can no longer be renewed is refused before any link.
 */
export async function renewOwnConsent(psid: string, consentId: string, deps: Pick<ConsentDeps, 'store' | 'clock' | 'log' | 'settings'>): Promise<Renewal> {
  const consent = await ownConsent(psid, consentId, deps);
  let transition: Transition;
  try {
    transition = renewConsent(consent, { now: deps.clock(), current: disclosure({ recipient: deps.settings.recipient }) });
  } catch (error) {
    if (!(error instanceof DisclosureChanged)) throw error;
    deps.log.info('Renewal waits for the current disclosure to be read', { consentId, disclosureVersion: consent.disclosureVersion });
    return { kind: 'reconfirm', consent, url: renewalLink(psid, consentId, deps) };
  }
  await deps.store.commitConsentTransition(transition);
  deps.log.info('Consent renewed', { consentId });
  return { kind: 'renewed', consent: transition.consent };
}

/** A link to the renewal page of one of the person's consents: the disclosure in force, and "I agree". */
export function renewalLink(psid: string, consentId: string, deps: Pick<ConsentDeps, 'settings' | 'clock'>): string {
  const { token } = issueLinkToken({ purpose: 'renew', psid, consentId, ttlSeconds: LINK_TTL_SECONDS.renew, now: deps.clock() }, deps.settings.linkSecret);
  return `${deps.settings.publicBaseUrl}/consent/renew?t=${encodeURIComponent(token)}`;
}

/**
 * The person agreed, on the renewal page, to the disclosure whose text hashes to `shownHash`: the
 * link is used up and the consent renewed under that disclosure, recorded with its version and hash
 * in the consent and its audit entry. If the disclosure in force is no longer that text (a deploy
 * while the page was open), nothing is renewed and the link stays unused: DisclosureChanged, and
 * the page shows the new text.
 */
export async function reconfirmOwnConsent(
  claims: LinkClaims,
  shownHash: string | undefined,
  deps: Pick<ConsentDeps, 'store' | 'clock' | 'log' | 'settings'>,
): Promise<Consent> {
  const consent = await renewableConsent(claims, deps);
  const current = disclosure({ recipient: deps.settings.recipient });
  if (shownHash !== current.hash) throw new DisclosureChanged('The disclosure in force is not the one the person agreed to');
  await deps.store.consumeLinkNonce(claims.nonce, claims.exp);
  const transition = reconfirmConsent(consent, { now: deps.clock(), shown: current });
  await deps.store.commitConsentTransition(transition);
  deps.log.info('Consent renewed under the current disclosure', { consentId: consent.consentId, disclosureVersion: current.version, previousDisclosureVersion: consent.disclosureVersion });
  return transition.consent;
}

/** The consent a renewal link names: the holder's own (else NotFound, audited), and still in force. */
export async function renewableConsent(claims: LinkClaims, deps: Pick<ConsentDeps, 'store' | 'clock'>): Promise<Consent> {
  const consent = await ownConsent(claims.psid, claims.consentId, deps);
  if (!isInForce(consent, deps.clock())) throw new LinkRefused('This sharing has ended. To share again, link your bank from the chat.');
  return consent;
}

/** Changes what one of the person's consents covers (at least one scope; fewer deletes data). */
export async function changeOwnScopes(psid: string, consentId: string, scopes: unknown[], deps: Pick<ConsentDeps, 'store' | 'clock' | 'log'>): Promise<Consent> {
  const chosen = scopes.filter(isScope) as Scope[];
  if (chosen.length === 0 || chosen.length !== scopes.length) throw new InvalidInput('Choose at least one thing to share, or stop sharing');
  const consent = await ownConsent(psid, consentId, deps);
  const transition = changeConsentScopes(consent, { scopes: chosen, now: deps.clock() });
  await deps.store.commitConsentTransition(transition);
  deps.log.info('Consent scopes changed', { consentId, scopes: transition.consent.scopes });
  return transition.consent;
}

/** A consent id from a URL, form or payload: the person's own, or NotFound (and audited). */
export async function ownConsent(psid: string, consentId: string | undefined, deps: Pick<ConsentDeps, 'store' | 'clock'>): Promise<Consent> {
  const consent = consentId && /^[\w-]{1,64}$/.test(consentId) ? await deps.store.getConsent(psid, consentId) : undefined;
  if (!consent) {
    await deps.store.appendAudit({
      action: 'access-refused',
      psid,
      at: deps.clock().toISOString(),
      actor: 'person',
      details: { attemptedConsentId: String(consentId ?? '').slice(0, 64) },
    });
    throw new NotFound('Not found');
  }
  return consent;
}
