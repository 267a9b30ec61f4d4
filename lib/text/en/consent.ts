import type { ConsentWords } from '../consent';
import { dateIn, plural } from '../format';
import { scopeLabels } from './pages';

/** Chat messages about sharing, in English: short, plain, and always saying how to stop. */
export const consent: ConsentWords = {
  date: dateIn('en-GB'),
  yourBank: 'your bank',
  capital: (bank) => bank.replace(/^your/, 'Your'),
  scopeTitle: (s) => scopeLabels[s].title,
  list: (items) => items.join(', '),
  andMore: (n) => ` and ${n} more`,
  accounts: (n) => plural(n, 'account', 'accounts'),
  noAccounts: 'no accounts',
  titles: {
    linkMyBank: 'Link my bank',
    linkABank: 'Link a bank',
    openInBrowser: 'Open in browser',
    reviewAndLink: 'Review and link',
    whatIShare: 'What I share',
    whatYouHold: 'What you hold on me',
    stopSharing: 'Stop sharing',
    downloadMyData: 'Download my data',
    manageSharing: 'Manage sharing',
    yesStop: 'Yes, stop sharing',
    noKeep: 'No, keep it',
    logInAgain: 'Log in again',
    renew: 'Renew',
    letItEnd: 'Let it end',
    readAndRenew: 'Read and renew',
  },
  linkBank:
    'To answer questions about your money I need your permission to read your bank data. See exactly what is shared, choose, and link your bank. The link works for 30 minutes.',
  accountLinkRefused: 'That link was not made for this Messenger account, so nothing was linked. To link your bank, ask me here.',
  dataPolicy:
    'Your bank data is used only to answer your own questions here and to send the alerts you choose: never for ads, never sold, never shared. ' +
    'Messenger passes every message through Meta’s servers (chats with a business are not end-to-end encrypted). In private mode, the default, I only say here that an answer is ready and you see your figures on a page of ours, so Meta never carries them; if you choose to see them in the chat, Meta can see what they show. Say “keep my figures private” or “show my figures here” to choose. ' +
    'Meta gets no access to your bank connection, nor to any of your bank data that is not in a message I send you. ' +
    'I keep your current balances and the last 90 days of transactions, only while your consent is in force (at most a year). ' +
    'You can stop at any time: I then disconnect your bank and delete your data.',
  myData: {
    line: (bank, accounts, transactions, scopes, until) =>
      `${bank}: ${plural(accounts, 'account', 'accounts')}${transactions ? `, ${plural(transactions, 'transaction', 'transactions')}` : ''} (${scopes}, until ${until}).`,
    some: 'I hold, for your own questions and alerts only:',
    none: 'I hold no bank data about you.',
    history: (entries) => `Your consent history has ${entries} entr${entries === 1 ? 'y' : 'ies'} (no financial data).`,
    download: 'Download everything as a file (the link works once, for 15 minutes):',
  },
  notSharing: 'You are not sharing any bank data with me.',
  manageLine: (bank, scopes, until) => `${bank}: ${scopes}, until ${until}.`,
  nothingToStop: 'You are not sharing any bank data with me, so there is nothing to stop.',
  confirmOne: (bank) => `Stop sharing ${bank}? I will disconnect it and delete your balances and transactions.`,
  confirmWhich: 'Which bank should I stop sharing? I will disconnect it and delete its balances and transactions.',
  notFound: 'I could not find that sharing among yours. Nothing was changed.',
  alreadyEnded: (bank) => `Your sharing of ${bank} had already ended.`,
  stopped: (bank) => `Done: I stopped reading ${bank}. I am disconnecting it and deleting your data now, and will tell you when it is gone.`,
  cannotRenew: 'That sharing cannot be renewed any more. To share again, link your bank.',
  renewed: (scopes, bank, until) => `Renewed: you share ${scopes} of ${bank} until ${until}.`,
  reconfirm: (bank, scopes, days, button) =>
    `Before I renew your sharing of ${bank} (${scopes}): what I tell you about how your bank data is handled has changed since you agreed. Tap "${button}" to read it; if you agree there, you keep sharing the same for ${days >= 365 ? 'a year' : `${days} days`} from today. Nothing changes until you do. The link works for 30 minutes.`,
  syncFailed: (Bank) =>
    `${Bank} asks you to log in again before I can read it. Until then your balances and spending may be out of date. Nothing else changes: you share the same things until the same date.`,
  reconnect: (bank) => `Here is your link to log in at ${bank} again. It works for 24 hours. Nothing else changes: you share the same things until the same date.`,
  cannotReconnect: 'That sharing has ended, so there is nothing to log in to again. To share again, link your bank.',
  bankWarning: {
    permissionEnds: (bank, on) => `The permission you gave at ${bank} for me to read your accounts ends ${on ? `on ${on}` : 'soon'}.`,
    migration: (Bank, on) => `${Bank} is changing how it connects to apps like this one, so my connection to it stops working ${on ? `on ${on}` : 'soon'}.`,
    other: (Bank, on) => `${Bank} will stop sharing with me ${on ? `on ${on}` : 'soon'}.`,
    tail: (button, until) =>
      `To keep your answers and alerts up to date, tap "${button}" and log in at your bank before then. Nothing else changes: you share the same things with me until ${until}.`,
  },
  expiryReminder: (bank, scopes, on, days, button) =>
    `Your sharing of ${bank} (${scopes}) ends on ${on}. Tap "${button}" to keep sharing the same for ${days >= 365 ? 'a year' : `${days} days`} from today, or let it end: I will then stop reading it and delete the data.`,
  keepSharing: 'OK, nothing changed.',
  linked: {
    // Without the bank's name the bank is "your bank": "Your your bank account" would repeat it.
    lead: (bank) => (bank === 'your bank' ? 'Your bank account is linked: ' : `Your ${bank} account is linked: `),
    tail: (scopes, until) => `You share ${scopes} until ${until}. Write "stop sharing" at any time.`,
  },
  deleted: {
    stopped: (bank) => `You stopped sharing ${bank}.`,
    byBank: (Bank) => `${Bank} ended my access to your accounts (it was withdrawn at the bank or through Plaid), so I stopped reading them.`,
    expired: (bank, on) => `Your sharing of ${bank} ended on ${on}, the end date you chose, and was not renewed, so I stopped reading it.`,
    ended: (bank) => `Your sharing of ${bank} ended.`,
    accounts: (n) => `${n} account${n === 1 ? '' : 's'} with ${n === 1 ? 'its balance' : 'their balances'}`,
    transactions: (n) => `${n} transaction${n === 1 ? '' : 's'}`,
    connection: 'the bank access token and sync position',
    removed: (atBank) => (atBank ? 'I disconnected it at the bank and deleted' : 'I deleted'),
    removedAfterBank: (atBank) => (atBank ? 'I closed what was left of the connection at the bank and deleted' : 'Nothing was left to disconnect at the bank. I deleted'),
    everything: 'everything I held',
    linkAgain: 'To share again, link your bank: you choose again what to share and for how long.',
    record: 'A record that you shared and stopped (with no financial data) is kept for 3 years.',
    recordEnded: 'A record that you shared and how it ended (with no financial data) is kept for 3 years.',
  },
};
