import type { Log } from '../logger';
import type { AlertInbox, FinancialGate, FinancialReads, Store } from '../store';
import type { ExportDeps } from './export';
import type { ConsentDeps, ConsentSettings } from './flows';

/**
 * What the consent pages touch. The bank and the financial gate load on first use, so a page that
 * never calls the bank (the disclosure, the manage page, the export) never loads them.
 */
export interface ConsentPageDeps {
  store: ConsentDeps['store'] & Pick<Store, 'scheduleNextSync'> & ExportDeps['store'];
  settings(): Promise<ConsentSettings>;
  /** Linking with the bank: the bank client, the financial gate's writes, the link settings. */
  linking(): Promise<ConsentDeps>;
  financial(): Promise<Pick<FinancialGate, 'accessToken' | 'accountNames' | 'activationItems'>>;
  /** Read-only financial data, for the export. */
  reads: ExportDeps['financial'];
  /** Private mode: the answers kept for the private page, and the alerts answered on it. */
  answers: Pick<FinancialReads, 'takePrivateAnswer'>;
  inbox: Pick<AlertInbox, 'find' | 'answer'>;
  bankFraudSteps: { cardLockUrl?: string | undefined; fraudPhone?: string | undefined };
  /** Meta's answer to whose an account_linking_token is. */
  messenger(): Promise<{ accountLinkingPsid(token: string): Promise<string> }>;
  /** The bank's hosted link page: where the consent form's answer redirects the browser. */
  bankLinkOrigin: string;
  /** How the export page writes money and dates, per language. */
  exportFormat: { locales: { en: string; es: string }; timeZone: string };
  clock: () => Date;
  log: Log;
}
