import type { Scope } from '../consent/model/scopes';
import { consent as en } from './en/consent';
import { consent as es } from './es/consent';
import type { Language } from './language';

/**
 * The chat messages about sharing (lib/consent/messages.ts builds them): everything that differs
 * between languages. Numbers, names, dates and scope lists are filled in by the message builders;
 * the buttons and payloads are the same in every language.
 */
export interface ConsentWords {
  date: (iso: string | undefined) => string;
  yourBank: string;
  /** The bank's name at the start of a sentence. */
  capital: (bank: string) => string;
  scopeTitle: (scope: Scope) => string;
  /** A list of items in a sentence. */
  list: (items: string[]) => string;
  /** For `fit()`: " and 3 more", "4 accounts", "no accounts". */
  andMore: (n: number) => string;
  accounts: (n: number) => string;
  noAccounts: string;
  titles: {
    linkMyBank: string;
    linkABank: string;
    openInBrowser: string;
    reviewAndLink: string;
    whatIShare: string;
    whatYouHold: string;
    stopSharing: string;
    downloadMyData: string;
    manageSharing: string;
    yesStop: string;
    noKeep: string;
    logInAgain: string;
    renew: string;
    letItEnd: string;
    readAndRenew: string;
  };
  linkBank: string;
  accountLinkRefused: string;
  dataPolicy: string;
  myData: {
    line: (bank: string, accounts: number, transactions: number, scopes: string, until: string) => string;
    some: string;
    none: string;
    history: (entries: number) => string;
    download: string;
  };
  notSharing: string;
  manageLine: (bank: string, scopes: string, until: string) => string;
  nothingToStop: string;
  confirmOne: (bank: string) => string;
  confirmWhich: string;
  notFound: string;
  alreadyEnded: (bank: string) => string;
  stopped: (bank: string) => string;
  cannotRenew: string;
  renewed: (scopes: string, bank: string, until: string) => string;
  /** Renew tapped on a consent given under an older disclosure: read the current one first, on a page (the link works 30 minutes). */
  reconfirm: (bank: string, scopes: string, durationDays: number, button: string) => string;
  syncFailed: (Bank: string) => string;
  /** The answer to "Log in again" on a utility message: a link made now. */
  reconnect: (bank: string) => string;
  cannotReconnect: string;
  bankWarning: {
    /** The permission the person gave at the bank ends (Plaid's PENDING_EXPIRATION, INSTITUTION_TOKEN_EXPIRATION). */
    permissionEnds: (bank: string, on: string | undefined) => string;
    /** The bank changes how it connects (INSTITUTION_MIGRATION). */
    migration: (Bank: string, on: string | undefined) => string;
    other: (Bank: string, on: string | undefined) => string;
    tail: (button: string, until: string) => string;
  };
  expiryReminder: (bank: string, scopes: string, on: string, durationDays: number, button: string) => string;
  keepSharing: string;
  linked: { lead: (bank: string) => string; tail: (scopes: string, until: string) => string };
  deleted: {
    /** Who ended it: the person (chat or page), the bank, its end date, or (none of these) it ended. */
    stopped: (bank: string) => string;
    byBank: (Bank: string) => string;
    expired: (bank: string, on: string) => string;
    ended: (bank: string) => string;
    accounts: (n: number) => string;
    transactions: (n: number) => string;
    connection: string;
    removed: (atBank: boolean) => string;
    /** After the bank ended access: whether anything was left there to remove. */
    removedAfterBank: (atBank: boolean) => string;
    everything: string;
    linkAgain: string;
    record: string;
    recordEnded: string;
  };
}

export const consentWords: Record<Language, ConsentWords> = { en, es };
