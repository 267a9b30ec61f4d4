/**
 * The wire shapes the sandbox bank sends, written as plain string unions. The `plaid` SDK's own
 * types model these fields as TypeScript enums, which string literals cannot be assigned to, so
 * the bank keeps its own and the contract tests hold both to the OpenAPI spec.
 */

export type AccountType = 'depository' | 'credit';
export type AccountSubtype = 'checking' | 'savings' | 'credit card';
export type PaymentChannel = 'online' | 'in store' | 'other';
export type TransactionType = 'digital' | 'place' | 'special' | 'unresolved';
export type CounterpartyType = 'merchant' | 'financial_institution' | 'payment_app' | 'marketplace' | 'payment_terminal' | 'income_source';

export interface AccountBalance {
  available: number | null;
  current: number | null;
  limit: number | null;
  iso_currency_code: string | null;
  unofficial_currency_code: string | null;
  /** Only on /accounts/balance/get, where the balance is fetched "in real time". */
  last_updated_datetime?: string | null;
}

export interface AccountBase {
  account_id: string;
  balances: AccountBalance;
  mask: string | null;
  name: string;
  official_name: string | null;
  type: AccountType;
  subtype: AccountSubtype;
}

export interface Location {
  address: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
  lat: number | null;
  lon: number | null;
  store_number: string | null;
}

export interface PaymentMeta {
  reference_number: string | null;
  ppd_id: string | null;
  payee: string | null;
  by_order_of: string | null;
  payer: string | null;
  payment_method: string | null;
  payment_processor: string | null;
  reason: string | null;
}

export interface PersonalFinanceCategory {
  primary: string;
  detailed: string;
  confidence_level: 'VERY_HIGH' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';
}

export interface Counterparty {
  name: string;
  type: CounterpartyType;
  website: string | null;
  logo_url: string | null;
  entity_id: string | null;
  confidence_level: 'VERY_HIGH' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';
}

/** `Transaction` as `/transactions/sync` returns it: only fields the spec describes. */
export interface Transaction {
  transaction_id: string;
  account_id: string;
  amount: number;
  iso_currency_code: string | null;
  unofficial_currency_code: string | null;
  category: string[] | null;
  category_id: string | null;
  check_number: string | null;
  date: string;
  authorized_date: string | null;
  authorized_datetime: string | null;
  datetime: string | null;
  location: Location;
  name: string;
  merchant_name: string | null;
  merchant_entity_id: string | null;
  logo_url: string | null;
  website: string | null;
  original_description: string | null;
  payment_meta: PaymentMeta;
  payment_channel: PaymentChannel;
  pending: boolean;
  pending_transaction_id: string | null;
  account_owner: string | null;
  transaction_code: null;
  transaction_type: TransactionType;
  personal_finance_category: PersonalFinanceCategory;
  counterparties: Counterparty[];
}

export interface RemovedTransaction {
  transaction_id: string;
  account_id: string;
}

export interface Institution {
  institution_id: string;
  name: string;
  /** Short form used in official account names and on the picker page. */
  short: string;
  /** Brand colour on the hosted link page. */
  color: string;
}

/** The public JWK `/webhook_verification_key/get` returns (`JWKPublicKey` in the spec). */
export interface WebhookVerificationKey {
  alg: 'ES256';
  crv: 'P-256';
  kid: string;
  kty: 'EC';
  use: 'sig';
  x: string;
  y: string;
  /** Unix seconds, as the spec says (not an ISO date). */
  created_at: number;
  expired_at: number | null;
}

export type RecurringFrequency = 'UNKNOWN' | 'WEEKLY' | 'BIWEEKLY' | 'SEMI_MONTHLY' | 'MONTHLY' | 'ANNUALLY';
export type TransactionStreamStatus = 'UNKNOWN' | 'MATURE' | 'EARLY_DETECTION' | 'TOMBSTONED';

export interface TransactionStreamAmount {
  /** Plaid's sign: positive for outflow streams, negative for inflow streams. */
  amount: number;
  iso_currency_code: string | null;
  unofficial_currency_code: string | null;
}

/** `TransactionStream` as `/transactions/recurring/get` returns it: only fields the spec describes. */
export interface TransactionStream {
  account_id: string;
  stream_id: string;
  /** Deprecated legacy hierarchy, still required by the spec (nullable). */
  category: string[] | null;
  category_id: string | null;
  description: string;
  merchant_name: string | null;
  first_date: string;
  last_date: string;
  predicted_next_date: string | null;
  frequency: RecurringFrequency;
  /** Sorted by posted date, as the spec says. */
  transaction_ids: string[];
  average_amount: TransactionStreamAmount;
  last_amount: TransactionStreamAmount;
  is_active: boolean;
  status: TransactionStreamStatus;
  personal_finance_category: PersonalFinanceCategory;
  /** Always false: Plaid discontinued user edits of streams, and the field stays required. */
  is_user_modified: false;
}
