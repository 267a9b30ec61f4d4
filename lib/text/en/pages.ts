import { SCOPES, type Scope } from '../../consent/model/scopes';

/**
 * The words of the pages a person opens from the chat (the consent page and its answers, the
 * disclosure, the error pages). English only: these pages have not been written in Spanish yet
 * (the export page has, in lib/text/export-page.ts).
 */

/** What each scope shares, as the consent page and the disclosure describe it. */
export const scopeLabels: Record<Scope, { title: string; detail: string }> = {
  balances: {
    title: 'Balances',
    detail: 'Your account names, the last 4 digits and current and available balances, to answer "what’s my balance?".',
  },
  transactions: {
    title: 'Transactions',
    detail: 'The last 90 days of transactions (amount, date, merchant, category), to answer questions about your spending.',
  },
  alerts: {
    title: 'Alerts',
    detail: 'Checking new transactions and balances for the fraud and balance alerts you choose.',
  },
};

/**
 * The disclosure shown before any bank call (consent rule 1). Its version and a hash of these exact
 * words are stored with every consent (lib/consent/disclosure.ts): a change to a word here is a new
 * disclosure, and needs a new DISCLOSURE_VERSION there.
 */
export const disclosureSections = (recipient: string): { heading: string; paragraphs: string[] }[] => [
  {
    heading: 'Who receives your data',
    paragraphs: [`${recipient}, which runs this Messenger assistant. Your bank sends the data to us through Plaid, a bank-connection provider.`],
  },
  {
    heading: 'Where your answers appear',
    paragraphs: [
      'You choose, below and at any time in the chat. Private (the default): the chat only says that an answer or an alert is ready, and you see it on a page of ours that opens once, for a few minutes; no amount, balance, merchant, account name or number or date of yours is in the chat.',
      'In Messenger: the answers and alerts show what they are about in the chat (balances, amounts, merchants, dates and the last 4 digits of an account). Like any Messenger message, they pass through Meta’s servers, and chats with a business are not end-to-end encrypted: what they show is not hidden from Meta.',
      'Either way, what you type in the chat passes through Meta, and Meta gets no access to your bank connection, nor to any of your bank data that is not in a message we send you.',
    ],
  },
  {
    heading: 'Which bank',
    paragraphs: ['The bank you choose on the next screen. You log in with your bank, not with us: we never see your bank password.'],
  },
  {
    heading: 'What it is used for',
    paragraphs: [
      'Only to answer your own questions in this chat and to send the alerts you choose. Nothing else: we never use it for advertising, analytics or offers, never sell it and never share it with anyone: all that leaves us is what we send you in this chat.',
    ],
  },
  {
    heading: 'What you share',
    paragraphs: SCOPES.map((scope) => `${scopeLabels[scope].title}: ${scopeLabels[scope].detail}`),
  },
  {
    heading: 'For how long',
    paragraphs: [
      'For the period you choose, at most one year. We remind you 30 days before it ends (if it lasts longer than that) and again 7 days before, and one tap renews it (if these words have changed by then, you read the new ones and agree to them first); if you do not renew, we stop and delete the data.',
    ],
  },
  {
    heading: 'How to stop',
    paragraphs: [
      'Any time, in one step: write "stop sharing" in the chat, or use the link we send you. We then stop collecting at once, disconnect your bank, delete your balances and transactions, and tell you what was deleted. A record that you granted and revoked consent (without any financial data) is kept for 3 years.',
    ],
  },
];

/** "7 December 2026": the days a sharing ends, on the pages. */
const endDate = (iso: string | undefined) =>
  iso ? new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }) : 'the end date';

export const durationLabel = (days: number) => (days >= 365 ? '1 year' : days >= 180 ? '6 months' : days >= 90 ? '3 months' : `${days} days`);

export const pages = {
  consent: {
    title: 'Share your bank data with the assistant?',
    heading: (recipient: string) => `Share your bank data with ${recipient}’s assistant?`,
    lead: 'Read what you agree to, choose what to share and for how long. Nothing is shared until you confirm here and then log in with your bank.',
    whatMayItRead: 'What may the assistant read?',
    howLong: 'For how long?',
    howLongLabel: 'How long to share',
    figures: {
      heading: 'Where should your figures appear?',
      private: {
        title: 'Private (recommended)',
        detail: 'The chat only says an answer is ready. You see your balances, spending and alerts on a page of ours that opens once, so Meta never carries them.',
      },
      messenger: {
        title: 'In Messenger',
        detail: 'Answers with your figures appear in the chat. Messages in Messenger pass through Meta like any message.',
      },
    },
    agree: 'I agree — continue to my bank',
    footer: (version: string) => `Disclosure version ${version}. You can stop sharing at any time by writing “stop sharing” in the chat.`,
  },
  linked: {
    title: 'Bank linked',
    heading: 'Your bank is linked',
    yourBank: 'Your bank',
    /** `scopes`: the scope titles, in lower case. */
    youShare: (scopes: string[]) => `You share: ${scopes.join(', ')}.`,
    until: (iso: string | undefined) => `Until ${endDate(iso)}. Write “stop sharing” in the chat to stop at any time.`,
    close: 'You can close this page and go back to Messenger.',
    record: 'Download the record of this consent',
    recordNote: 'A file (JSON) of what you agreed to: with whom, for what, until when, how to withdraw, and when. It holds no bank data. Later, the page of what you share (write “what I share” in the chat) gives it again, with any change since.',
  },
  manage: {
    title: 'What you share',
    notSharing: 'You are not sharing any bank data.',
    bankAccount: 'Bank account',
    sharing: (scopes: string[], until: string | undefined) => `Sharing ${scopes.join(', ')} until ${endDate(until)}.`,
    save: 'Save what I share',
    stop: 'Stop sharing and delete my data',
    record: 'Download the record of this consent',
    recordNote: 'The record is a file (JSON) of what you agreed to, with whom, for what and until when, how to withdraw, and every change since. It holds no bank data.',
  },
  /**
   * Renewing a consent given under another disclosure: the one in force, read and agreed to. Its
   * words are not part of the disclosure (they frame it), so they change without a new version.
   */
  renewal: {
    title: 'Read what changed, then renew',
    yourBank: 'your bank',
    heading: (bank: string) => `Keep sharing ${bank}?`,
    lead: 'What we tell you about your bank data has changed since you agreed to share it. Read it below: your sharing is renewed only if you agree.',
    /** `scopes`: the scope titles, in lower case. */
    renews: (scopes: string[], days: number) => `If you agree, you keep sharing ${scopes.join(', ')} for ${durationLabel(days)} from today.`,
    otherwise: (until: string | undefined) => `If you do not, nothing changes now: your sharing ends on ${endDate(until)}, and we then stop and delete the data.`,
    changed: 'These words changed while the page was open, so nothing was renewed. Please read them again.',
    agree: 'I agree — renew',
    footer: (version: string) => `Disclosure version ${version}. To change what you share or to stop, write “what I share” or “stop sharing” in the chat.`,
  },
  renewed: {
    title: 'Renewed',
    /** `scopes`: the scope titles, in lower case. */
    text: (scopes: string[], bank: string, until: string | undefined) => `You share ${scopes.join(', ')} of ${bank} until ${endDate(until)}.`,
    close: 'You can close this page and go back to Messenger.',
  },
  reconnected: {
    title: 'Your bank is connected again',
    text: (bank: string | undefined) => `${bank ?? 'Your bank'} works again. Your answers and alerts will be up to date within minutes.`,
  },
  /** `scopes`: the scopes' names as stored ("balances, transactions"). */
  scopesSaved: {
    title: 'Saved',
    text: (scopes: string[], bank: string | undefined) => `You now share ${scopes.join(', ')} of ${bank ?? 'your bank'}. Anything you stopped sharing is being deleted.`,
  },
  stopped: {
    yourBank: 'Your bank',
    title: 'You stopped sharing',
    text: (bank: string) => `${bank} is no longer shared. We are disconnecting it and deleting your balances and transactions now; the chat will tell you when it is done.`,
    alreadyEndedTitle: 'This sharing had already ended',
    expired: (bank: string, on: string | undefined) => `Your sharing of ${bank} had already ended on its end date, ${endDate(on)}.`,
    endedByBank: (bank: string) => `Your sharing of ${bank} had already ended: your bank ended our access.`,
    deleted: 'Your balances and transactions are deleted; the chat tells you what was deleted. To share again, write “link my bank” in the chat.',
  },
  /** The error pages: a title and what to do, never an internal message. */
  errors: {
    refused: 'This link cannot be used',
    notFound: { title: 'Not found', text: 'There is nothing here for you. Ask in the chat for a new link.' },
    missing: 'Something is missing',
    tooLarge: { title: 'Too much data', text: 'The form sent too much data.' },
    notFinished: { title: 'Linking was not finished', text: 'Your bank was not linked, and nothing was shared. To try again, write “link my bank” in the chat.' },
    bank: { title: 'Your bank is not answering', text: 'Nothing was shared. Please try again in a few minutes from the chat.' },
    failed: { title: 'Something went wrong', text: 'Nothing was shared. Please try again from the chat.' },
  },
};
