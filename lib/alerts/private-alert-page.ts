import { LinkRefused } from '../errors';
import { html } from '../http/html';
import { layout } from '../http/layout';
import type { PageAnswer, PageRequest } from '../http/page';
import { gonePage } from '../consent/private-answer-page';
import { browserLanguage } from '../text/language';
import { readLinkToken } from '../consent/link-token';
import type { AlertInbox, Store } from '../store';
import { alertWords } from '../text/alerts';
import { privateWords } from '../text/private';
import { answerAlert } from './answer-alert';
import type { BankFraudSteps } from './messages';

/**
 * POST /private/alert: "It was me" / "It wasn't me" given on the private page of a fraud alert.
 * Recorded exactly as the chat records it (answerAlert); the link is the page's own, bound to the
 * person and the alert, and works once.
 */
export interface PrivateAlertDeps {
  store: Pick<Store, 'consumeLinkNonce'>;
  inbox: Pick<AlertInbox, 'find' | 'answer'>;
  settings(): Promise<{ linkSecret: string }>;
  bankFraudSteps: BankFraudSteps;
  clock: () => Date;
}

export async function answerAlertOnPage(request: PageRequest, deps: PrivateAlertDeps): Promise<PageAnswer> {
  const fields = request.form();
  const answer = fields.get('answer');
  const given = fields.get('lang');
  const lang = given === 'en' || given === 'es' ? given : browserLanguage(request.acceptLanguage);
  if (answer !== 'yes' && answer !== 'no') return gonePage(lang);
  const settings = await deps.settings();
  let claims;
  try {
    claims = readLinkToken(fields.get('t') ?? undefined, 'alert-answer', settings.linkSecret, deps.clock());
    if (!claims.ref) throw new LinkRefused('This link is not valid');
    await deps.store.consumeLinkNonce(claims.nonce, claims.exp);
  } catch (error) {
    if (error instanceof LinkRefused) return gonePage(lang);
    throw error;
  }
  if ((await answerAlert(claims.psid, claims.ref, answer, deps.inbox)) === 'unknown') return gonePage(lang);
  const w = privateWords[lang].page;
  const a = alertWords[lang];
  const lines = answer === 'yes' ? [a.itWasMeThanks] : [a.notMeSteps.lead, a.notMeSteps.lock(deps.bankFraudSteps.cardLockUrl), a.notMeSteps.call(deps.bankFraudSteps.fraudPhone)];
  const lock = answer === 'no' && deps.bankFraudSteps.cardLockUrl ? html`<p><a href="${deps.bankFraudSteps.cardLockUrl}">${a.titles.lockMyCard}</a></p>` : html``;
  return { kind: 'page', body: layout(w.answeredTitle, html`<h1>${w.answeredTitle}</h1>${lines.map((line) => html`<p>${line}</p>`)}${lock}`, lang) };
}
