/**
 * The explanations inside the file a person downloads of their data (lib/consent/export.ts): what
 * is kept for how long, and what is left out and why. English, like the file's field names.
 */
export const exportFile = {
  notes: [
    'Financial data is held only while a consent is in force, and deleted when it ends.',
    'Transactions are kept for 90 days from their date; older ones are neither kept nor included.',
    'Recurring payments (bills, subscriptions, pay) are as your bank last described them; each is kept while its latest payment is within those 90 days.',
    'What you write in the chat is kept for a few days, so that each message is answered once; the conversation’s memory (your language, your last question) for 30 days.',
    'The consent history (without financial data) is kept for 3 years after the events it records.',
    'consentHistory holds one record per consent, in the fields of ISO/IEC TS 27560 (consent records), each also downloadable on its own from the page of what you share. Its piiPrincipal.id is a pseudonymous id, not your Messenger id, so a record can be shown to others; an event stored before a field was kept says "not recorded" there. otherHistory holds the rest of the history: your exports and refused uses of your links.',
    'The chat itself, with the answers and alerts sent to you, is also in Messenger, which passes every message through Meta’s servers: this file holds only what the assistant keeps.',
  ],
  leftOut: {
    bankItemIndex: {
      what: 'The bank connection index',
      why: 'The index from your bank connection’s id to you, which lets us act on a notice from your bank. It holds only ids this file already gives (consents[].itemId and consentId).',
    },
    tokens: {
      what: 'The bank access token (encrypted) and the link token used while linking',
      why: 'They let us call your bank for you; they are keys, not data about you, and are never shown to anyone.',
    },
    syncPosition: {
      what: 'The bank’s sync position (cursor) and our sync schedule locks',
      why: 'Opaque markers that tell the bank where our last update stopped; they say nothing about you.',
    },
    privateAnswers: {
      what: 'Answers waiting on your private page',
      why: 'In private mode an answer is kept at most 10 minutes for its page and deleted when the page opens; its figures are in this file already (balances, transactions, alerts).',
    },
    accountLinkRedirect: {
      what: 'Messenger’s return address for the account-linking button',
      why: 'A one-time technical link back to Messenger, used once while linking.',
    },
  },
} as const;
