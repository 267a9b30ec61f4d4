import type { Scope } from '../consent/model/scopes';
import { chat as en } from './en/chat';
import { chat as es } from './es/chat';
import type { Language } from './language';

/**
 * What a person can be asked to choose between when the assistant is unsure ("Did you mean…?"):
 * one for each intent it reads (lib/assistant/nlu/intent-names.ts). An intent added there does not
 * compile in lib/assistant/clarify.ts until both languages name it here.
 */
export type ReadingName =
  | 'greeting'
  | 'help'
  | 'thanks'
  | 'yes'
  | 'no'
  | 'balance'
  | 'transactions'
  | 'spending'
  | 'search'
  | 'largest'
  | 'subscriptions'
  | 'bills'
  | 'income'
  | 'alerts-show'
  | 'alerts-fraud'
  | 'alerts-low-balance'
  | 'alerts-large'
  | 'what-shared'
  | 'privacy-mode'
  | 'change-scopes'
  | 'stop-sharing'
  | 'data-policy'
  | 'my-data'
  | 'export'
  | 'human'
  | 'link-bank'
  | 'follow-up'
  | 'card-emergency'
  | 'bank-only'
  | 'it-was-me'
  | 'not-me'
  | 'fallback';

/**
 * The assistant's own words (lib/assistant: the welcome, help, settings, confirmations, handover,
 * what only the bank can do, "Did you mean…?"). Amounts, names and links are filled in by the
 * message builders; the buttons' payloads are the same in every language.
 */
export interface ChatWords {
  /** That this is a bot, and how to reach a person (Meta asks every bot to say so; California and Germany require it). */
  botLine: string;
  welcome: string;
  titles: {
    balance: string;
    spendingThisMonth: string;
    recentTransactions: string;
    alertSettings: string;
    linkMyBank: string;
    howMyDataIsUsed: string;
    help: string;
    whatIShare: string;
    stopSharing: string;
    reviewAndLink: string;
    changeSharing: string;
    yes: string;
    no: string;
    talkToPerson: string;
    lockMyCard: string;
    seeRecentTransactions: string;
    fraudAlertsOn: string;
    /** Turning a money insight back on (at most 20 characters). */
    insightOn: Record<'price-up' | 'new-recurring' | 'double-charge' | 'bill-due-low', string>;
    fraudAlertsOff: string;
    lowBalanceOff: string;
    largeAlertsOff: string;
    somethingElse: string;
  };
  help: string;
  greeting: string;
  thanks: string;
  ok: string;
  attachment: string;
  fallback: string;
  needsLink: string;
  /** Shared, but not the scope the question needs: `shared` as listed by `scopeList`, `bank` when there is one. */
  missingScope: (shared: string, bank: string | undefined, missing: string) => string;
  scopeNames: Record<Scope, string>;
  /** Scope names joined in a sentence. */
  scopeList: (names: string[]) => string;
  refreshing: string;
  firstSync: string;
  updated: string;
  alertSettings: {
    title: string;
    fraud: (on: boolean) => string;
    large: (from: string | null) => string;
    low: (below: string | null) => string;
    notShared: string;
    /** The money insights (price rises, new subscriptions, double charges, bills with a low balance), each on or off. */
    insights: (on: Record<'price-up' | 'new-recurring' | 'double-charge' | 'bill-due-low', boolean>) => string;
  };
  alertAmount: { low: string; large: string; invalid: string };
  handover: (brand: string) => string;
  handoverUnavailable: (phone: string | undefined) => string;
  /** A change restated for a yes, with its effect; `now` is the current threshold, when there is one. */
  confirm: {
    fraudOn: string;
    fraudOff: string;
    large: (amount: string, now: string | null) => string;
    largeOff: string;
    low: (amount: string, now: string | null) => string;
    lowOff: string;
    handover: (brand: string) => string;
    /** One money insight turned on or off. */
    insight: (rule: 'price-up' | 'new-recurring' | 'double-charge' | 'bill-due-low', on: boolean) => string;
  };
  /** What a change the person said yes to did. */
  changed: { fraudOn: string; fraudOff: string; done: string; lowOff: string; largeOff: string; insight: (rule: 'price-up' | 'new-recurring' | 'double-charge' | 'bill-due-low', on: boolean) => string };
  merchantAlert: (merchant: string) => string;
  nothingChanged: string;
  leftAsItWas: string;
  expiredChange: string;
  noAlertWaiting: string;
  cardEmergency: {
    lead: string;
    lock: (cardLockUrl: string | undefined) => string;
    call: (fraudPhone: string | undefined) => string;
    onlyRead: string;
  };
  bankOnly: (fraudPhone: string | undefined) => string;
  clarify: { question: string; readings: Record<ReadingName, string> };
}

export const chatWords: Record<Language, ChatWords> = { en, es };
