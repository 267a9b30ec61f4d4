import type { AuditEntry, Consent } from '../consent/model/consent';
import type { Scope } from '../consent/model/scopes';
import { exportPage as en } from './en/export-page';
import { exportPage as es } from './es/export-page';
import type { Language } from './language';

/**
 * The page of what is held about a person (lib/consent/pages.ts, `exportPage`), in the language
 * they speak with the assistant. Dates, times, amounts and counts arrive already written.
 */
export interface ExportPageWords {
  title: string;
  lead: (date: string) => string;
  subject: (id: string) => string;
  download: string;
  downloadNote: (size: string) => string;
  sharing: string;
  noConsents: string;
  yourBank: string;
  status: Record<Consent['status'], string>;
  scopes: Record<Scope, string>;
  shares: (scopes: string) => string;
  period: (from: string, until: string) => string;
  endedBy: Record<NonNullable<Consent['endedBy']>, string>;
  ended: (on: string, by: string) => string;
  bankData: (bank: string) => string;
  linked: (on: string) => string;
  synced: (on: string) => string;
  accounts: string;
  noAccounts: string;
  balance: (current: string, available: string | undefined) => string;
  balanceNotShared: string;
  asOf: (when: string) => string;
  transactions: string;
  transactionRange: (count: number, from: string, to: string) => string;
  noTransactions: string;
  showTransactions: (count: number) => string;
  pending: string;
  alerts: string;
  noAlerts: string;
  alertKinds: Record<string, string>;
  answers: { yes: string; no: string; none: string };
  held: (count: number) => string;
  alertSettings: string;
  defaultSettings: string;
  fraudAlerts: (on: boolean) => string;
  largeTransactions: (from: string | null) => string;
  lowBalance: (below: string | null) => string;
  changedOn: (on: string) => string;
  chat: string;
  chatKept: string;
  /** That the chat itself is in Messenger too, which passes every message through Meta's servers. */
  chatInMessenger: string;
  messages: (count: number) => string;
  replies: (count: number) => string;
  heldNotices: (count: number) => string;
  languages: Record<string, string>;
  language: (name: string) => string;
  lastQuestion: (text: string, at: string) => string;
  lastMessage: (at: string) => string;
  unreachable: (at: string) => string;
  deletions: string;
  deletion: (at: string, accounts: number, transactions: number, removedAtBank: boolean) => string;
  history: string;
  actions: Record<AuditEntry['action'], string>;
  notIncluded: string;
  notIncludedItems: string[];
}

export const exportPageWords: Record<Language, ExportPageWords> = { en, es };
