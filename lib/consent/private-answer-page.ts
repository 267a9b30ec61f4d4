import * as z from 'zod/mini';
import { LinkRefused } from '../errors';
import { html } from '../http/html';
import { layout } from '../http/layout';
import type { PageAnswer, PageRequest } from '../http/page';
import type { FinancialReads, Store } from '../store';
import { browserLanguage, LANGUAGES, type Language } from '../text/language';
import { PRIVATE_KINDS, privateWords } from '../text/private';
import { LINK_TTL_SECONDS } from './flows';
import { issueLinkToken, readLinkToken } from './link-token';
import type { PrivateContent } from './private-answers';

/**
 * The private page (private mode, lib/consent/private-answers.ts): GET /private/answer?t=… shows
 * the answer the chat said was ready, once. The link is checked (signature, purpose, expiry), its
 * nonce burned and the answer deleted as it is read, so a link used before, expired, or opened by
 * anyone after the first opening shows nothing. Nothing of the answer is in the URL; the page has
 * no script, the strict CSP and no-store caching of every page (lib/http/html.ts).
 */
export interface PrivatePageDeps {
  store: Pick<Store, 'consumeLinkNonce'>;
  answers: Pick<FinancialReads, 'takePrivateAnswer'>;
  settings(): Promise<{ linkSecret: string }>;
  clock: () => Date;
}

const contentSchema = z.object({
  kind: z.enum(PRIVATE_KINDS),
  lang: z.enum(LANGUAGES),
  lines: z.array(z.string().check(z.maxLength(2000))).check(z.maxLength(60)),
  alertId: z.optional(z.string().check(z.maxLength(64))),
  // A chart is tens of KiB; an item holds 400 KB.
  image: z.optional(z.object({ png: z.string().check(z.maxLength(300_000), z.regex(/^[A-Za-z0-9+/]+={0,2}$/)), alt: z.string().check(z.maxLength(2000)) })),
});

export async function showPrivateAnswer(request: PageRequest, deps: PrivatePageDeps): Promise<PageAnswer> {
  const settings = await deps.settings();
  const now = deps.clock();
  let claims;
  try {
    claims = readLinkToken(request.query('t'), 'answer', settings.linkSecret, now);
    if (!claims.ref) throw new LinkRefused('This link is not valid');
    await deps.store.consumeLinkNonce(claims.nonce, claims.exp);
  } catch (error) {
    if (error instanceof LinkRefused) return gonePage(browserLanguage(request.acceptLanguage));
    throw error;
  }
  const kept = await deps.answers.takePrivateAnswer(claims.psid, claims.ref);
  const content = contentSchema.safeParse(kept?.content);
  if (!content.success) return gonePage(browserLanguage(request.acceptLanguage));
  // An alert waiting for "Was this you?" is answered here too: its form carries a link of its own,
  // bound to the same person and alert, used up by the answer.
  const answerToken =
    content.data.kind === 'alert-fraud' && content.data.alertId
      ? issueLinkToken({ purpose: 'alert-answer', psid: claims.psid, ref: content.data.alertId, ttlSeconds: LINK_TTL_SECONDS['alert-answer'], now }, settings.linkSecret).token
      : undefined;
  return { kind: 'page', body: privateAnswerPage(content.data, answerToken) };
}

export function privateAnswerPage(content: PrivateContent, answerToken?: string): string {
  const w = privateWords[content.lang].page;
  const title = w.heading[content.kind];
  const form = answerToken
    ? html`<form method="post" action="/private/alert">
<input type="hidden" name="t" value="${answerToken}">
<input type="hidden" name="lang" value="${content.lang}">
<button type="submit" name="answer" value="yes">${w.itWasMe}</button>
<button type="submit" name="answer" value="no" class="secondary">${w.notMe}</button>
</form>`
    : html``;
  // The picture travels inside the page (no second request, which the single-use link would refuse); the CSP allows data: images.
  const image = content.image ? html`<img src="data:image/png;base64,${content.image.png}" alt="${content.image.alt}" style="width: 100%; height: auto">` : html``;
  return layout(title, html`<h1>${title}</h1>${image}<div class="box">${content.lines.map((line) => html`<p>${line}</p>`)}</div>${form}<p class="muted">${w.onceNote}</p>`, content.lang);
}

export function gonePage(lang: Language): PageAnswer {
  const w = privateWords[lang].page;
  return { kind: 'page', status: 410, body: layout(w.goneTitle, html`<h1>${w.goneTitle}</h1><p>${w.gone}</p>`, lang) };
}
