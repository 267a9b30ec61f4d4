import { randomBytes } from 'node:crypto';
import { buttonTemplate, type OutboundMessage } from '../messenger/send-api';
import type { FinancialReads, Store } from '../store';
import type { Language } from '../text/language';
import { privateWords, type PrivateKind } from '../text/private';
import { LINK_TTL_SECONDS } from './flows';
import { issueLinkToken } from './link-token';
import { UNCHOSEN_PRESENTATION, type Presentation } from './model/presentation';

/**
 * Private mode (lib/consent/model/presentation.ts): an answer that carries the person's figures is
 * kept for a page of ours, and the chat gets only a line saying it is ready, with a button to the
 * page. The link is signed, bound to the person, single use and valid minutes; the page shows the
 * answer once (GET /private/answer, lib/consent/private-answer-page.ts). In Messenger mode the
 * answer goes out as composed.
 */
/** How long an alert's private page can be opened: a day, as long as an alert waits for its answer. */
export const ALERT_PAGE_TTL_SECONDS = 24 * 60 * 60;

export interface PresenterDeps {
  store: Pick<Store, 'getPresentation'>;
  answers: Pick<FinancialReads, 'keepPrivateAnswer'>;
  settings(): Promise<{ publicBaseUrl: string; linkSecret: string }>;
  clock: () => Date;
}

/** What the page shows: the kind (its heading), the language, the answer's lines, an alert to answer. */
export interface PrivateContent {
  kind: PrivateKind;
  lang: Language;
  lines: string[];
  alertId?: string;
  /** A picture the answer shows (the spending chart): a PNG, base64, with its text alternative. */
  image?: { png: string; alt: string };
}

/** What a private answer is about: its kind (the ready line, the page's heading), language, alert, picture. */
export interface PrivateAbout {
  kind: PrivateKind;
  lang: Language;
  alertId?: string;
  image?: { png: Uint8Array; alt: string };
}

export interface Presenter {
  presentation(psid: string): Promise<Presentation>;
  /**
   * The message as the person's mode wants it: as composed, or the "ready" line with the page's
   * button. The quick replies stay (they carry follow-up questions, never figures); an alert's
   * answer to give (`alertId`) is on the page as well as in them.
   */
  present(psid: string, message: OutboundMessage, about: PrivateAbout): Promise<OutboundMessage>;
  /** The private form whatever the mode (the caller read the mode already, beside its other reads). */
  privately(psid: string, message: OutboundMessage, about: PrivateAbout): Promise<OutboundMessage>;
}

export function createPresenter(deps: PresenterDeps): Presenter {
  const presentation = async (psid: string) => (await deps.store.getPresentation(psid)) ?? UNCHOSEN_PRESENTATION;
  return {
    presentation,
    async present(psid, message, about) {
      if ((await presentation(psid)) === 'messenger') return message;
      return privately(psid, message, about, deps);
    },
    privately: (psid, message, about) => privately(psid, message, about, deps),
  };
}

/** Keeps the answer for the page and returns the line that says it is ready. */
export async function privately(psid: string, message: OutboundMessage, about: PrivateAbout, deps: Omit<PresenterDeps, 'store'>): Promise<OutboundMessage> {
  const now = deps.clock();
  // An answer is read as it arrives; an alert may be read hours later, and its page is where the
  // person says whether it was them, so its link lives as long as the alert waits for that answer.
  const ttlSeconds = about.alertId ? ALERT_PAGE_TTL_SECONDS : LINK_TTL_SECONDS.answer;
  const answerId = randomBytes(12).toString('base64url');
  const content: PrivateContent = {
    kind: about.kind,
    lang: about.lang,
    lines: textOf(message).split('\n').filter((line) => line.trim() !== ''),
    ...(about.alertId ? { alertId: about.alertId } : {}),
    ...(about.image ? { image: { png: Buffer.from(about.image.png).toString('base64'), alt: about.image.alt } } : {}),
  };
  const [settings] = await Promise.all([
    deps.settings(),
    deps.answers.keepPrivateAnswer(psid, { answerId, content: content as unknown as Record<string, unknown>, expiresAt: Math.floor(now.getTime() / 1000) + ttlSeconds }),
  ]);
  const { token } = issueLinkToken({ purpose: 'answer', psid, ref: answerId, ttlSeconds, now }, settings.linkSecret);
  const w = privateWords[about.lang];
  return buttonTemplate(
    w.ready[about.kind],
    [{ type: 'web_url', title: w.open, url: `${settings.publicBaseUrl}/private/answer?t=${encodeURIComponent(token)}`, webview_height_ratio: 'tall' }],
    message.quick_replies,
  );
}

const textOf = (message: OutboundMessage): string => {
  if ('text' in message) return message.text;
  const payload = message.attachment.payload as { text?: unknown };
  return typeof payload.text === 'string' ? payload.text : '';
};
