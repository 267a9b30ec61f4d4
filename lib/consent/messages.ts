import { inAccountOrder, type ListedAccount } from '../banking/account-order';
import { Payloads } from '../messenger/payloads';
import { buttonTemplate, qr, type OutboundMessage } from '../messenger/send-api';
import type { PurgeCounts } from '../store';
import { consentWords, type ConsentWords } from '../text/consent';
import type { Language } from '../text/language';
import type { Holdings } from './export';
import type { Consent } from './model/consent';

/**
 * The chat messages about a person's sharing: what to say when (linked, renewed, stopped, deleted,
 * the bank's warnings, the reminders), with the buttons that act on it. Short, plain, and always
 * saying how to stop; the words, in each language, are in lib/text/consent.ts.
 */
const bankName = (c: Consent, t: ConsentWords) => c.institution?.name?.trim() || t.yourBank;
const scopeList = (c: Consent, t: ConsentWords) => t.list(c.scopes.map((s) => t.scopeTitle(s).toLowerCase()));

/** "<lead><items joined>. <tail>" within Messenger's 2,000 characters, listing as many items as fit. */
function fit(t: ConsentWords, tail: string, lead: string, items: string[], max = 2000): string {
  const shown: string[] = [];
  for (const [index, item] of items.entries()) {
    const more = items.length - index - 1;
    const candidate = [...shown, item].join(', ') + (more > 0 ? t.andMore(more) : '');
    if (`${lead}${candidate}. ${tail}`.length > max) break;
    shown.push(item);
  }
  const rest = items.length - shown.length;
  const list = shown.length === 0 ? t.accounts(items.length) : shown.join(', ') + (rest > 0 ? t.andMore(rest) : '');
  return `${lead}${items.length === 0 ? t.noAccounts : list}. ${tail}`.slice(0, max);
}

/**
 * Messenger's account linking (`account_link`, mobile apps only, HTTPS only) binds the page to
 * the Messenger account that opens it; the plain `web_url` button is the fallback everywhere else.
 */
export const linkBankMessage = (url: string, lang: Language = 'en'): OutboundMessage => {
  const t = consentWords[lang];
  return buttonTemplate(
    t.linkBank,
    url.startsWith('https://')
      ? [
          { type: 'account_link', url },
          { type: 'web_url', title: t.titles.openInBrowser, url, webview_height_ratio: 'tall' },
        ]
      : [{ type: 'web_url', title: t.titles.reviewAndLink, url, webview_height_ratio: 'tall' }],
  );
};

export const accountLinkRefusedMessage = (lang: Language = 'en'): OutboundMessage => {
  const t = consentWords[lang];
  return { text: t.accountLinkRefused, quick_replies: [qr(t.titles.linkMyBank, Payloads.linkBank)] };
};

export const dataPolicyMessage = (lang: Language = 'en'): OutboundMessage => {
  const t = consentWords[lang];
  return {
    text: t.dataPolicy,
    quick_replies: [
      qr(t.titles.whatIShare, Payloads.manageSharing),
      qr(t.titles.whatYouHold, Payloads.myData),
      qr(t.titles.linkMyBank, Payloads.linkBank),
      qr(t.titles.stopSharing, Payloads.stopSharing),
    ],
  };
};

export const myDataMessage = (holdings: Holdings, exportUrl: string, lang: Language = 'en'): OutboundMessage => {
  const t = consentWords[lang];
  const lines = holdings.inForce.map((h) =>
    t.myData.line(bankName(h.consent, t), h.accounts, h.transactions, scopeList(h.consent, t), t.date(h.consent.expiresAt)),
  );
  const text = [lines.length ? t.myData.some : t.myData.none, ...lines, t.myData.history(holdings.auditEntries), t.myData.download].join('\n');
  return buttonTemplate(text, [{ type: 'web_url', title: t.titles.downloadMyData, url: exportUrl, webview_height_ratio: 'tall' }]);
};

export const manageMessage = (consents: Consent[], manageUrl: string, lang: Language = 'en'): OutboundMessage => {
  const t = consentWords[lang];
  return consents.length === 0
    ? { text: t.notSharing, quick_replies: [qr(t.titles.linkMyBank, Payloads.linkBank)] }
    : buttonTemplate(consents.map((c) => t.manageLine(bankName(c, t), scopeList(c, t), t.date(c.expiresAt))).join('\n'), [
        { type: 'web_url', title: t.titles.manageSharing, url: manageUrl, webview_height_ratio: 'tall' },
        { type: 'postback', title: t.titles.stopSharing, payload: Payloads.stopSharing },
      ]);
};

export const confirmStopMessage = (consents: Consent[], lang: Language = 'en'): OutboundMessage => {
  const t = consentWords[lang];
  return consents.length === 0
    ? { text: t.nothingToStop, quick_replies: [qr(t.titles.linkMyBank, Payloads.linkBank)] }
    : {
        text: consents.length === 1 ? t.confirmOne(bankName(consents[0]!, t)) : t.confirmWhich,
        quick_replies: [
          ...consents
            .slice(0, 11)
            .map((c, i) => qr(consents.length === 1 ? t.titles.yesStop : `${i + 1}. ${bankName(c, t)}`.slice(0, 20), Payloads.revoke(c.consentId))),
          qr(t.titles.noKeep, Payloads.keepSharing),
        ],
      };
};

export const stopAcknowledgedMessage = (consent: Consent | undefined, lang: Language = 'en'): OutboundMessage => {
  const t = consentWords[lang];
  return !consent
    ? { text: t.notFound, quick_replies: [qr(t.titles.whatIShare, Payloads.manageSharing)] }
    : consent.endedAt && (consent.status === 'expired' || (consent.endedBy !== undefined && consent.endedBy !== 'person'))
      ? { text: t.alreadyEnded(bankName(consent, t)) }
      : { text: t.stopped(bankName(consent, t)) };
};

export const renewedMessage = (consent: Consent | undefined, lang: Language = 'en'): OutboundMessage => {
  const t = consentWords[lang];
  return !consent || consent.status !== 'active'
    ? { text: t.cannotRenew, quick_replies: [qr(t.titles.linkMyBank, Payloads.linkBank)] }
    : {
        text: t.renewed(scopeList(consent, t), bankName(consent, t), t.date(consent.expiresAt)),
        quick_replies: [qr(t.titles.stopSharing, Payloads.stopSharing)],
      };
};

/**
 * Renew tapped on a consent given under an older disclosure: nothing is renewed yet. The button opens
 * the renewal page (the current text, and "I agree"), with a link made now for this person and
 * consent; "Let it end" changes nothing, as on the reminder.
 */
export const reconfirmRenewalMessage = (consent: Consent, url: string, lang: Language = 'en'): OutboundMessage => {
  const t = consentWords[lang];
  return buttonTemplate(t.reconfirm(bankName(consent, t), scopeList(consent, t), consent.durationDays, t.titles.readAndRenew), [
    { type: 'web_url', title: t.titles.readAndRenew, url, webview_height_ratio: 'tall' },
    { type: 'postback', title: t.titles.letItEnd, payload: Payloads.keepSharing },
  ]);
};

/** The bank wants the person to log in again before anything more can be read. */
export const syncFailedMessage = (consent: Consent, reconnectUrl: string, lang: Language = 'en'): OutboundMessage => {
  const t = consentWords[lang];
  return buttonTemplate(t.syncFailed(t.capital(bankName(consent, t))), [
    { type: 'web_url', title: t.titles.logInAgain, url: reconnectUrl, webview_height_ratio: 'tall' },
    { type: 'postback', title: t.titles.stopSharing, payload: Payloads.stopSharing },
  ]);
};

/** "Log in again" tapped on a utility message: the link, made now, or why there is none. */
export const reconnectMessage = (link: { consent: Consent; url: string } | undefined, lang: Language = 'en'): OutboundMessage => {
  const t = consentWords[lang];
  return !link
    ? { text: t.cannotReconnect, quick_replies: [qr(t.titles.linkMyBank, Payloads.linkBank)] }
    : buttonTemplate(t.reconnect(bankName(link.consent, t)), [
        { type: 'web_url', title: t.titles.logInAgain, url: link.url, webview_height_ratio: 'tall' },
        { type: 'postback', title: t.titles.stopSharing, payload: Payloads.stopSharing },
      ]);
};

/**
 * What the bank announced ahead of time: the permission the person gave there ends, the bank
 * changes how it connects, or (a reason we do not know) it just will stop; and when, if it said.
 */
export interface BankNotice {
  cause: 'permission-ends' | 'migration' | 'other';
  at?: Date;
}

/** The bank will stop sharing on a date: say why and when, and offer to log in again before it. */
export const bankWarningMessage = (consent: Consent, notice: BankNotice, reconnectUrl: string, lang: Language = 'en'): OutboundMessage => {
  const t = consentWords[lang];
  const bank = bankName(consent, t);
  const on = notice.at ? t.date(notice.at.toISOString()) : undefined;
  const why =
    notice.cause === 'permission-ends'
      ? t.bankWarning.permissionEnds(bank, on)
      : notice.cause === 'migration'
        ? t.bankWarning.migration(t.capital(bank), on)
        : t.bankWarning.other(t.capital(bank), on);
  return buttonTemplate(`${why} ${t.bankWarning.tail(t.titles.logInAgain, t.date(consent.expiresAt))}`, [
    { type: 'web_url', title: t.titles.logInAgain, url: reconnectUrl, webview_height_ratio: 'tall' },
    { type: 'postback', title: t.titles.stopSharing, payload: Payloads.stopSharing },
  ]);
};

/**
 * Sent 30 days and again 7 days before a consent ends (consent rule 3). The Renew button renews at
 * once: the person's tap is the yes, and the chat then confirms the new end date (for a consent
 * given under an older disclosure, the tap leads to the current one first). Buttons, not
 * quick replies: a reminder may be read days later, after other messages, and must still renew.
 */
export const expiryReminderMessage = (consent: Consent, lang: Language = 'en'): OutboundMessage => {
  const t = consentWords[lang];
  return buttonTemplate(t.expiryReminder(bankName(consent, t), scopeList(consent, t), t.date(consent.expiresAt), consent.durationDays, t.titles.renew), [
    { type: 'postback', title: t.titles.renew, payload: Payloads.renew(consent.consentId) },
    { type: 'postback', title: t.titles.letItEnd, payload: Payloads.keepSharing },
  ]);
};

export const keepSharingMessage = (lang: Language = 'en'): OutboundMessage => ({ text: consentWords[lang].keepSharing });

export const linkedMessage = (consent: Consent, accounts: ListedAccount[], lang: Language = 'en'): OutboundMessage => {
  const t = consentWords[lang];
  return {
    text: fit(
      t,
      t.linked.tail(scopeList(consent, t), t.date(consent.expiresAt)),
      t.linked.lead(bankName(consent, t)),
      inAccountOrder(accounts).map((a) => `${a.name}${a.mask ? ` ••${a.mask}` : ''}`),
    ),
    quick_replies: [qr(t.titles.whatIShare, Payloads.manageSharing), qr(t.titles.stopSharing, Payloads.stopSharing)],
  };
};

/** Who ended a consent, as the person reads it: they did (chat or page), the bank did, or its end date came. */
const endedBy = (consent: Consent): 'person' | 'bank' | 'expiry' | 'other' =>
  consent.status === 'expired'
    ? 'expiry'
    : consent.endedBy === 'bank'
      ? 'bank'
      : consent.endedBy === 'person' || consent.endedBy === undefined
        ? 'person'
        : 'other';

/** After the purge: who ended the sharing, what was removed and deleted, and what is kept. */
export const deletedMessage = (consent: Consent, counts: Pick<PurgeCounts, 'accounts' | 'transactions' | 'connections'>, removedAtBank: boolean, lang: Language = 'en'): OutboundMessage => {
  const t = consentWords[lang];
  const bank = bankName(consent, t);
  const by = endedBy(consent);
  const why =
    by === 'person'
      ? t.deleted.stopped(bank)
      : by === 'bank'
        ? t.deleted.byBank(t.capital(bank))
        : by === 'expiry'
          ? t.deleted.expired(bank, t.date(consent.expiresAt))
          : t.deleted.ended(bank);
  const removed = by === 'bank' ? t.deleted.removedAfterBank(removedAtBank) : t.deleted.removed(removedAtBank);
  const parts = [
    counts.accounts > 0 ? t.deleted.accounts(counts.accounts) : undefined,
    counts.transactions > 0 ? t.deleted.transactions(counts.transactions) : undefined,
    counts.connections > 0 ? t.deleted.connection : undefined,
  ].filter((p): p is string => p !== undefined);
  // The person who stopped knows how to start again; to whom it happened, say how.
  const after = by === 'person' ? t.deleted.record : `${t.deleted.linkAgain} ${t.deleted.recordEnded}`;
  return {
    text: `${why} ${removed} ${parts.length ? t.list(parts) : t.deleted.everything}. ${after}`,
    quick_replies: [qr(t.titles.linkABank, Payloads.linkBank)],
  };
};
