/**
 * The intents the assistant reads, in a module of their own: conversation state stores one, and
 * importing the list from understand.ts would bring the lexicon tables it builds at load into
 * every bundle that stores state (the sync worker too), ~4 ms of each cold start.
 */
export const intentNames = [
  'greeting',
  'help',
  'thanks',
  'yes',
  'no',
  'balance',
  'transactions',
  'spending',
  'search',
  'largest',
  'subscriptions',
  'bills',
  'income',
  'alerts-show',
  'alerts-fraud',
  'alerts-low-balance',
  'alerts-large',
  'what-shared',
  'privacy-mode',
  'change-scopes',
  'stop-sharing',
  'data-policy',
  'my-data',
  'export',
  'human',
  'link-bank',
  'follow-up',
  'card-emergency',
  'bank-only',
  'it-was-me',
  'not-me',
  'fallback',
] as const;
export type IntentName = (typeof intentNames)[number];
