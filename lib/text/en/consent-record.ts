import type { Scope } from '../../consent/model/scopes';

/**
 * The words inside the record of a consent (lib/consent/consent-record.ts), the file a person
 * downloads and may show an auditor. English, like the record's field names. They state what the
 * disclosure states (lib/text/en/pages.ts, disclosureSections) in the record's structure: a change
 * there that changes who receives what, or for what, is a change here too.
 */
export const consentRecordWords = {
  /** What the record is, for whoever opens the file. */
  about:
    'The record of one consent to share bank data with a Messenger assistant: what was agreed, with whom, for what, for how long, how to withdraw it, and every change since. It holds no financial data.',
  principalIdType:
    'Pseudonymous: derived from your Messenger id for this Page with a key only the controller holds, so the record can be shown to others without revealing your Messenger identity.',
  /** Reaching the controller when no privacy contact is configured: the chat itself, which always works. */
  contactInChat: 'In the Messenger chat with the assistant: write “agent” to reach a person.',
  collectionMethod:
    'On the consent page linked from the Messenger chat: the disclosure shown in full, what to share and for how long chosen by ticking and selecting, an explicit “I agree”, then a login at the bank itself.',
  purposes: {
    balances: 'Answering your own questions about your balances in the Messenger chat.',
    transactions: 'Answering your own questions about your spending and transactions in the Messenger chat.',
    alerts: 'Sending you the fraud and balance alerts you choose, in the Messenger chat.',
  } satisfies Record<Scope, string>,
  dataCategories: (transactionDays: number): Record<Scope, string[]> => ({
    balances: ['account names', 'the last 4 digits of account numbers', 'current and available balances'],
    transactions: [`transactions of the last ${transactionDays} days: amount, date, merchant, category`],
    alerts: ['new transactions and balances as they arrive, checked for the alerts you choose', 'the alerts sent and your answers to them'],
  }),
  notUsedFor: ['advertising', 'analytics', 'offers', 'sale', 'sharing with anyone beyond the recipients listed here'],
  /** Who carries the data from the bank, as the disclosure names it. */
  bankConnection: 'Plaid',
  recipients: (controller: string) => [
    {
      name: controller,
      role: 'PII controller: runs this Messenger assistant',
      receives: 'The data of the scopes granted, from your bank.',
    },
    {
      name: 'Plaid',
      role: 'Bank-connection provider',
      receives: 'The data of the scopes granted, on its way from your bank to the controller.',
    },
    {
      name: 'Meta (Messenger)',
      role: 'Messaging platform of the chat',
      receives:
        'In private mode (the default), only that an answer or an alert is ready: the figures are on a page of the controller that opens once. In Messenger mode, what the answers and alerts sent in the chat show (balances, amounts, merchants, dates, the last 4 digits of an account). Like any Messenger message, what is sent passes through Meta’s servers, and chats with a business are not end-to-end encrypted. Meta gets no access to the bank connection, and none of the bank data that is not in a message sent in the chat.',
    },
  ],
  retention: {
    financialData:
      'Held only while this consent is in force, and deleted when it ends: when you withdraw it, when your bank ends the access, or on its end date if it is not renewed.',
    transactions: (days: number) => `Transactions are kept for ${days} days from their date; older ones are neither kept nor answered.`,
    record: (days: number) =>
      `Each event of this record (without financial data) is kept for ${days} days (${Math.round(days / 365)} years) after it happened, also after the consent ends.`,
  },
  jurisdiction: 'The countries whose banks this assistant connects to (ISO 3166-1 alpha-2).',
  withdrawalMethod: [
    'In the Messenger chat: write “stop sharing”, or open the menu, choose “What I share” and then “Stop sharing”.',
    'On the page of what you share (the chat sends its link when you write “what I share”): “Stop sharing and delete my data”.',
  ],
  withdrawalEffect:
    'Collection stops at once, the connection is removed at your bank, your balances and transactions are deleted, and the chat tells you what was deleted. Withdrawing is free and takes one step.',
  /** A field an older event lacks: it was stored before the record kept it. */
  notRecorded: 'not recorded',
} as const;
