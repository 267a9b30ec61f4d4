import { alerts as en } from './en/alerts';
import { alerts as es } from './es/alerts';
import type { Language } from './language';

/**
 * The alerts as a person reads them (lib/alerts/messages.ts and reasons.ts): the facts line, each
 * reason's short "why", the "Was this you?" and its answers. Amounts, counts, dates and names
 * arrive already written in the locale.
 */
export interface AlertWords {
  wasThisYou: string;
  /** The answers to "Was this you?", as quick replies. */
  itWasMe: string;
  notMe: string;
  why: string;
  /** Leads the facts of a large transaction that is not also a fraud alert. */
  largeTransaction: string;
  reasons: {
    unusualAmount: (times: string, category: string) => string;
    newMerchant: (toPayee: boolean, days: string) => string;
    chargedAbroad: (country: string | undefined) => string;
    foreignCurrency: (currency: string | undefined, usual: string | undefined) => string;
    /** `span` is `onDate` or `inMinutes`; `here` when the charges were all to the alert's payee. */
    rapidSuccession: (charges: string, here: boolean, span: string, total: string | undefined) => string;
    onDate: (date: string) => string;
    inMinutes: (count: string, minutes: number) => string;
    largeTransaction: (exact: boolean, isDefault: boolean, threshold: string) => string;
    lowBalance: (account: string | undefined, available: boolean, balance: string, threshold: string) => string;
  };
  /**
   * The money insights: the facts once (figures arrive written in the locale), then the one-line
   * reason after `why`.
   */
  insights: {
    priceUp: (name: string, before: string, after: string, since: string) => string;
    priceUpWhy: string;
    newRecurring: (name: string, amount: string, frequency: string, since: string) => string;
    newRecurringWhy: string;
    doubleCharge: (paid: string, date: string, account: string | undefined) => string;
    doubleChargeWhy: string;
    billDueLow: (name: string, usual: string, due: string, account: string, balance: string) => string;
    billDueLowWhy: string;
    /** How often a stream charges: the aggregator's frequencies. */
    frequencies: Record<string, string>;
  };
  /** " at ELECTRO-WORLD", " to Greenview Property Mgmt": the word before whom was paid. */
  paidWord: (toPayee: boolean) => string;
  /** The bank's category codes this language has a word for; the rest are read from the code or said as `anyCategory`. */
  categories: Partial<Record<string, string>>;
  /**
   * Whether a code without a word is read as words (GENERAL_MERCHANDISE_ELECTRONICS → "electronics"):
   * English can; another language names its primary category instead, or says `anyCategory`.
   */
  readsCategoryCodes: boolean;
  anyCategory: string;
  /** "No, it wasn't me": the bank's own next steps. */
  notMeSteps: { lead: string; lock: (cardLockUrl: string | undefined) => string; call: (fraudPhone: string | undefined) => string };
  titles: { lockMyCard: string; help: string; turnTheseOff: string };
  itWasMeThanks: string;
  unknownAlert: string;
}

export const alertWords: Record<Language, AlertWords> = { en, es };
