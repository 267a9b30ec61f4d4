import type { Consent } from '../consent/consent';
import { scopeLabels } from '../consent/scopes';
import type { OutboundMessage, QuickReply } from '../messenger/send-api';
import type { PurgeCounts } from '../financial';
import type { Holdings } from '../consent/export';
import { Payloads } from './intents';

/** Chat messages of the consent journey. Short, plain, and always saying how to stop. */
const qr = (title: string, payload: string): QuickReply => ({ content_type: 'text', title, payload });
const bankName = (c: Consent) => c.institution?.name?.trim() || 'your bank';
const scopeList = (c: Consent) => c.scopes.map((s) => scopeLabels[s].title.toLowerCase()).join(', ');
const date = (iso: string | undefined) =>
  iso ? new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }) : '';

/** "<lead><items joined>. <tail>" within Messenger's 2,000 characters, listing as many items as fit. */
function fit(tail: string, lead: string, items: string[], max = 2000): string {
  const shown: string[] = [];
  for (const [index, item] of items.entries()) {
    const more = items.length - index - 1;
    const candidate = [...shown, item].join(', ') + (more > 0 ? ` and ${more} more` : '');
    if (`${lead}${candidate}. ${tail}`.length > max) break;
    shown.push(item);
  }
  const rest = items.length - shown.length;
  const list = shown.length === 0 ? `${items.length} accounts` : shown.join(', ') + (rest > 0 ? ` and ${rest} more` : '');
  return `${lead}${items.length === 0 ? 'no accounts' : list}. ${tail}`.slice(0, max);
}

/**
 * Messenger's account linking (`account_link`, mobile apps only, HTTPS only) binds the page to
 * the Messenger account that opens it; the plain `web_url` button is the fallback everywhere else.
 */
export const linkBankMessage = (url: string): OutboundMessage => ({
  attachment: {
    type: 'template',
    payload: {
      template_type: 'button',
      text: 'To answer questions about your money I need your permission to read your bank data. See exactly what is shared, choose, and link your bank. The link works for 30 minutes.',
      buttons: url.startsWith('https://')
        ? [
            { type: 'account_link', url },
            { type: 'web_url', title: 'Open in browser', url, webview_height_ratio: 'tall' },
          ]
        : [{ type: 'web_url', title: 'Review and link', url, webview_height_ratio: 'tall' }],
    },
  },
});

export const accountLinkRefusedMessage = (): OutboundMessage => ({
  text: 'That link was not made for this Messenger account, so nothing was linked. To link your bank, ask me here.',
  quick_replies: [qr('Link my bank', Payloads.linkBank)],
});

export const dataPolicyMessage = (): OutboundMessage => ({
  text:
    'Your bank data is used only to answer your own questions here and to send the alerts you choose. ' +
    'It is never used for ads, never sold and never shared. You choose what I can read and for how long (at most a year), ' +
    'and you can stop at any time: I then disconnect your bank and delete your data.',
  quick_replies: [
    qr('What I share', Payloads.manageSharing),
    qr('What you hold on me', Payloads.myData),
    qr('Link my bank', Payloads.linkBank),
    qr('Stop sharing', Payloads.stopSharing),
  ],
});

export const myDataMessage = (holdings: Holdings, exportUrl: string): OutboundMessage => {
  const lines = holdings.inForce.map(
    (h) => `${bankName(h.consent)}: ${h.accounts} account${h.accounts === 1 ? '' : 's'}${h.transactions ? `, ${h.transactions} transactions` : ''} (${scopeList(h.consent)}, until ${date(h.consent.expiresAt)}).`,
  );
  const text = [
    lines.length ? 'I hold, for your own questions and alerts only:' : 'I hold no bank data about you.',
    ...lines,
    `Your consent history has ${holdings.auditEntries} entr${holdings.auditEntries === 1 ? 'y' : 'ies'} (no financial data).`,
    'Download everything as a file (the link works once, for 15 minutes):',
  ].join('\n');
  return {
    attachment: {
      type: 'template',
      payload: { template_type: 'button', text: text.slice(0, 640), buttons: [{ type: 'web_url', title: 'Download my data', url: exportUrl, webview_height_ratio: 'tall' }] },
    },
  };
};

export const manageMessage = (consents: Consent[], manageUrl: string): OutboundMessage =>
  consents.length === 0
    ? { text: 'You are not sharing any bank data with me.', quick_replies: [qr('Link my bank', Payloads.linkBank)] }
    : {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'button',
            text: consents.map((c) => `${bankName(c)}: ${scopeList(c)}, until ${date(c.expiresAt)}.`).join('\n').slice(0, 640),
            buttons: [
              { type: 'web_url', title: 'Manage sharing', url: manageUrl, webview_height_ratio: 'tall' },
              { type: 'postback', title: 'Stop sharing', payload: Payloads.stopSharing },
            ],
          },
        },
      };

export const confirmStopMessage = (consents: Consent[]): OutboundMessage =>
  consents.length === 0
    ? { text: 'You are not sharing any bank data with me, so there is nothing to stop.', quick_replies: [qr('Link my bank', Payloads.linkBank)] }
    : {
        text:
          consents.length === 1
            ? `Stop sharing ${bankName(consents[0]!)}? I will disconnect it and delete your balances and transactions.`
            : 'Which bank should I stop sharing? I will disconnect it and delete its balances and transactions.',
        quick_replies: [
          ...consents
            .slice(0, 11)
            .map((c, i) => qr(consents.length === 1 ? 'Yes, stop sharing' : `${i + 1}. ${bankName(c)}`.slice(0, 20), Payloads.revoke(c.consentId))),
          qr('No, keep it', Payloads.keepSharing),
        ],
      };

export const stopAcknowledgedMessage = (consent: Consent | undefined): OutboundMessage =>
  !consent
    ? { text: 'I could not find that sharing among yours. Nothing was changed.', quick_replies: [qr('What I share', Payloads.manageSharing)] }
    : consent.endedAt && consent.status === 'expired'
      ? { text: `Your sharing of ${bankName(consent)} had already ended.` }
      : { text: `Done: I stopped reading ${bankName(consent)}. I am disconnecting it and deleting your data now, and will tell you when it is gone.` };

export const renewedMessage = (consent: Consent | undefined): OutboundMessage =>
  !consent || consent.status !== 'active'
    ? { text: 'That sharing cannot be renewed any more. To share again, link your bank.', quick_replies: [qr('Link my bank', Payloads.linkBank)] }
    : { text: `Renewed: you share ${scopeList(consent)} of ${bankName(consent)} until ${date(consent.expiresAt)}.`, quick_replies: [qr('Stop sharing', Payloads.stopSharing)] };

/** The bank wants the person to log in again before anything more can be read. */
export const syncFailedMessage = (consent: Consent, reconnectUrl: string): OutboundMessage => ({
  attachment: {
    type: 'template',
    payload: {
      template_type: 'button',
      text: `${bankName(consent).replace(/^your/, 'Your')} asks you to log in again before I can read it. Until then your balances and spending may be out of date. Nothing else changes: you share the same things until the same date.`,
      buttons: [
        { type: 'web_url', title: 'Log in again', url: reconnectUrl, webview_height_ratio: 'tall' },
        { type: 'postback', title: 'Stop sharing', payload: Payloads.stopSharing },
      ],
    },
  },
});

/** The bank will stop sharing soon (its own consent expires, or the connection changes). */
export const bankWarningMessage = (consent: Consent, when?: Date): OutboundMessage => ({
  text: `${bankName(consent).replace(/^your/, 'Your')} will stop sharing with me${when ? ` on ${date(when.toISOString())}` : ' soon'}. You will need to log in at your bank again to keep your answers and alerts up to date.`,
  quick_replies: [qr('What I share', Payloads.manageSharing), qr('Stop sharing', Payloads.stopSharing)],
});

/** Sent a week before a consent ends (consent rule 3). */
export const expiryReminderMessage = (consent: Consent): OutboundMessage => ({
  text: `Your sharing of ${bankName(consent)} (${scopeList(consent)}) ends on ${date(consent.expiresAt)}. Renew it for another ${consent.durationDays >= 365 ? 'year' : `${consent.durationDays} days`}, or let it end: I will then delete the data.`,
  quick_replies: [qr('Renew', Payloads.renew(consent.consentId)), qr('Let it end', Payloads.keepSharing)],
});

export const keepSharingMessage = (): OutboundMessage => ({ text: 'OK, nothing changed.' });

export const linkedMessage = (consent: Consent, accounts: { name: string; mask?: string | undefined }[]): OutboundMessage => ({
  text: fit(
    `You share ${scopeList(consent)} until ${date(consent.expiresAt)}. Write "stop sharing" at any time.`,
    `Your ${bankName(consent)} account is linked: `,
    accounts.map((a) => `${a.name}${a.mask ? ` ••${a.mask}` : ''}`),
  ),
  quick_replies: [qr('What I share', Payloads.manageSharing), qr('Stop sharing', Payloads.stopSharing)],
});

export const deletedMessage = (consent: Consent, counts: PurgeCounts, removedAtBank: boolean): OutboundMessage => {
  const why = consent.status === 'expired' ? `Your sharing of ${bankName(consent)} ended.` : `You stopped sharing ${bankName(consent)}.`;
  const parts = [
    counts.accounts > 0 ? `${counts.accounts} account${counts.accounts === 1 ? '' : 's'} with ${counts.accounts === 1 ? 'its balance' : 'their balances'}` : undefined,
    counts.transactions > 0 ? `${counts.transactions} transaction${counts.transactions === 1 ? '' : 's'}` : undefined,
    counts.connections > 0 ? 'the bank access token and sync position' : undefined,
  ].filter(Boolean);
  return {
    text:
      `${why} ${removedAtBank ? 'I disconnected it at the bank and deleted' : 'I deleted'} ${parts.length ? parts.join(', ') : 'everything I held'}. ` +
      'A record that you shared and stopped (with no financial data) is kept for 3 years.',
    quick_replies: [qr('Link a bank', Payloads.linkBank)],
  };
};
