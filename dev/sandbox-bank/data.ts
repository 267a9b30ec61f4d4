/**
 * The sandbox bank's world: test institutions, test people with their accounts, a merchant
 * catalogue, and deterministic transaction histories.
 *
 * Histories are generated from a seeded PRNG keyed by (seed, person, institution) and laid out
 * relative to the bank's clock, so the same person linked twice, or on two banks with the same
 * seed and clock, has the same spending — the assistant's answers ("$312.40 on groceries this
 * month") stay stable across test runs.
 */
import { createHash } from 'node:crypto';
import type {
  AccountSubtype,
  AccountType,
  CounterpartyType,
  Institution,
  Location,
  PaymentChannel,
  PersonalFinanceCategory,
  Transaction,
  TransactionType,
} from './types';

// ── institutions ───────────────────────────────────────────────────────────────────────────

/** Plaid's own sandbox institution names and ids, so screenshots and logs look familiar. */
export const INSTITUTIONS: readonly Institution[] = [
  { institution_id: 'ins_109508', name: 'First Platypus Bank', short: 'Platypus', color: '#0b6e4f' },
  { institution_id: 'ins_109509', name: 'First Gingham Credit Union', short: 'Gingham', color: '#a4243b' },
  { institution_id: 'ins_109510', name: 'Tattersall Federal Credit Union', short: 'Tattersall', color: '#27548a' },
  { institution_id: 'ins_109511', name: 'Tartan Bank', short: 'Tartan', color: '#5b3f8c' },
];

export function findInstitution(id: string): Institution | undefined {
  return INSTITUTIONS.find((i) => i.institution_id === id);
}

// ── merchants ──────────────────────────────────────────────────────────────────────────────

export interface Merchant {
  /** The raw descriptor the bank statement shows (`Transaction.name`). */
  name: string;
  merchant_name: string | null;
  website: string | null;
  /** Detailed personal finance category; the primary is derived from it. */
  pfc: string;
  channel: PaymentChannel;
  counterparty?: CounterpartyType;
  location?: Partial<Location>;
}

const AUSTIN = { city: 'Austin', region: 'TX', country: 'US' } as const;

const MERCHANTS = {
  payroll: { name: 'ACME CORP PAYROLL PPD ID: 9876543210', merchant_name: null, website: null, pfc: 'INCOME_WAGES', channel: 'other', counterparty: 'income_source' },
  rent: { name: 'OAKWOOD APARTMENTS RENT WEB PMT', merchant_name: 'Oakwood Apartments', website: null, pfc: 'RENT_AND_UTILITIES_RENT', channel: 'other', counterparty: 'merchant' },
  electric: { name: 'CITY POWER & LIGHT BILL PAY', merchant_name: 'City Power & Light', website: null, pfc: 'RENT_AND_UTILITIES_GAS_AND_ELECTRICITY', channel: 'online', counterparty: 'merchant' },
  internet: { name: 'COMCAST CABLE COMM', merchant_name: 'Comcast', website: 'comcast.com', pfc: 'RENT_AND_UTILITIES_INTERNET_AND_CABLE', channel: 'online', counterparty: 'merchant' },
  phone: { name: 'T-MOBILE AUTOPAY', merchant_name: 'T-Mobile', website: 't-mobile.com', pfc: 'RENT_AND_UTILITIES_TELEPHONE', channel: 'online', counterparty: 'merchant' },
  netflix: { name: 'NETFLIX.COM', merchant_name: 'Netflix', website: 'netflix.com', pfc: 'ENTERTAINMENT_TV_AND_MOVIES', channel: 'online', counterparty: 'merchant' },
  disneyPlus: { name: 'DISNEY PLUS', merchant_name: 'Disney+', website: 'disneyplus.com', pfc: 'ENTERTAINMENT_TV_AND_MOVIES', channel: 'online', counterparty: 'merchant' },
  spotify: { name: 'SPOTIFY USA', merchant_name: 'Spotify', website: 'spotify.com', pfc: 'ENTERTAINMENT_MUSIC_AND_AUDIO', channel: 'online', counterparty: 'merchant' },
  gym: { name: 'RIVERSIDE FITNESS CLUB', merchant_name: 'Riverside Fitness', website: null, pfc: 'PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS', channel: 'in store', counterparty: 'merchant', location: { ...AUSTIN, address: '1400 Riverside Dr', postal_code: '78741', lat: 30.2457, lon: -97.7352, store_number: null } },
  wholeFoods: { name: 'WHOLE FOODS MKT #10234', merchant_name: 'Whole Foods Market', website: 'wholefoodsmarket.com', pfc: 'FOOD_AND_DRINK_GROCERIES', channel: 'in store', counterparty: 'merchant', location: { ...AUSTIN, address: '525 N Lamar Blvd', postal_code: '78703', lat: 30.2707, lon: -97.7531, store_number: '10234' } },
  traderJoes: { name: "TRADER JOE'S #552", merchant_name: "Trader Joe's", website: 'traderjoes.com', pfc: 'FOOD_AND_DRINK_GROCERIES', channel: 'in store', counterparty: 'merchant', location: { ...AUSTIN, address: '211 Walter Seaholm Dr', postal_code: '78701', lat: 30.2676, lon: -97.7527, store_number: '552' } },
  greenBasket: { name: 'GREEN BASKET MARKET', merchant_name: 'Green Basket Market', website: null, pfc: 'FOOD_AND_DRINK_GROCERIES', channel: 'in store', counterparty: 'merchant', location: { ...AUSTIN, address: '2901 S Congress Ave', postal_code: '78704', lat: 30.2395, lon: -97.7538, store_number: null } },
  starbucks: { name: 'STARBUCKS STORE 08123', merchant_name: 'Starbucks', website: 'starbucks.com', pfc: 'FOOD_AND_DRINK_COFFEE', channel: 'in store', counterparty: 'merchant', location: { ...AUSTIN, address: '300 W 6th St', postal_code: '78701', lat: 30.2689, lon: -97.7459, store_number: '08123' } },
  bean: { name: 'SQ *BEAN THERE CAFE', merchant_name: 'Bean There Cafe', website: null, pfc: 'FOOD_AND_DRINK_COFFEE', channel: 'in store', counterparty: 'merchant', location: { ...AUSTIN, address: '1100 E 5th St', postal_code: '78702', lat: 30.2642, lon: -97.7306, store_number: null } },
  chipotle: { name: 'CHIPOTLE 1417', merchant_name: 'Chipotle Mexican Grill', website: 'chipotle.com', pfc: 'FOOD_AND_DRINK_FAST_FOOD', channel: 'in store', counterparty: 'merchant', location: { ...AUSTIN, address: '801 Congress Ave', postal_code: '78701', lat: 30.2697, lon: -97.7424, store_number: '1417' } },
  luna: { name: 'SQ *LUNA TAQUERIA', merchant_name: 'Luna Taqueria', website: null, pfc: 'FOOD_AND_DRINK_RESTAURANT', channel: 'in store', counterparty: 'merchant', location: { ...AUSTIN, address: '1912 E Cesar Chavez St', postal_code: '78702', lat: 30.2559, lon: -97.7237, store_number: null } },
  bistro: { name: 'THE OLIVE BISTRO', merchant_name: 'The Olive Bistro', website: null, pfc: 'FOOD_AND_DRINK_RESTAURANT', channel: 'in store', counterparty: 'merchant', location: { ...AUSTIN, address: '410 W 2nd St', postal_code: '78701', lat: 30.2651, lon: -97.7476, store_number: null } },
  doordash: { name: 'DOORDASH*THAI BASIL', merchant_name: 'DoorDash', website: 'doordash.com', pfc: 'FOOD_AND_DRINK_RESTAURANT', channel: 'online', counterparty: 'marketplace' },
  uber: { name: 'UBER *TRIP HELP.UBER.COM', merchant_name: 'Uber', website: 'uber.com', pfc: 'TRANSPORTATION_TAXIS_AND_RIDE_SHARES', channel: 'online', counterparty: 'merchant' },
  lyft: { name: 'LYFT *RIDE SAT 8PM', merchant_name: 'Lyft', website: 'lyft.com', pfc: 'TRANSPORTATION_TAXIS_AND_RIDE_SHARES', channel: 'online', counterparty: 'merchant' },
  transit: { name: 'CAPMETRO MOBILE TICKET', merchant_name: 'CapMetro', website: null, pfc: 'TRANSPORTATION_PUBLIC_TRANSIT', channel: 'online', counterparty: 'merchant' },
  shell: { name: 'SHELL OIL 57444', merchant_name: 'Shell', website: 'shell.com', pfc: 'TRANSPORTATION_GAS', channel: 'in store', counterparty: 'merchant', location: { ...AUSTIN, address: '3400 N Lamar Blvd', postal_code: '78705', lat: 30.3013, lon: -97.7462, store_number: '57444' } },
  amazon: { name: 'AMAZON.COM*2K4LM09X3', merchant_name: 'Amazon', website: 'amazon.com', pfc: 'GENERAL_MERCHANDISE_ONLINE_MARKETPLACES', channel: 'online', counterparty: 'marketplace' },
  target: { name: 'TARGET.COM * 800-591-3869', merchant_name: 'Target', website: 'target.com', pfc: 'GENERAL_MERCHANDISE_SUPERSTORES', channel: 'online', counterparty: 'merchant' },
  etsy: { name: 'ETSY.COM - HANDMADE GOODS', merchant_name: 'Etsy', website: 'etsy.com', pfc: 'GENERAL_MERCHANDISE_ONLINE_MARKETPLACES', channel: 'online', counterparty: 'marketplace' },
  pharmacy: { name: 'CVS/PHARMACY #0834', merchant_name: 'CVS Pharmacy', website: 'cvs.com', pfc: 'MEDICAL_PHARMACIES_AND_SUPPLEMENTS', channel: 'in store', counterparty: 'merchant', location: { ...AUSTIN, address: '2000 Guadalupe St', postal_code: '78705', lat: 30.2837, lon: -97.7423, store_number: '0834' } },
  electroWorld: { name: 'ELECTRO-WORLD #88', merchant_name: 'Electro World', website: null, pfc: 'GENERAL_MERCHANDISE_ELECTRONICS', channel: 'in store', counterparty: 'merchant', location: { ...AUSTIN, address: '9500 S IH 35 Frontage Rd', postal_code: '78748', lat: 30.1633, lon: -97.7901, store_number: '88' } },
  toSavings: { name: 'ONLINE TRANSFER TO SAVINGS', merchant_name: null, website: null, pfc: 'TRANSFER_OUT_SAVINGS', channel: 'other' },
  fromChecking: { name: 'ONLINE TRANSFER FROM CHECKING', merchant_name: null, website: null, pfc: 'TRANSFER_IN_ACCOUNT_TRANSFER', channel: 'other' },
  cardPayment: { name: 'CREDIT CARD AUTOPAY', merchant_name: null, website: null, pfc: 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT', channel: 'other' },
  cardPaymentReceived: { name: 'PAYMENT RECEIVED - THANK YOU', merchant_name: null, website: null, pfc: 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT', channel: 'other' },
  interest: { name: 'INTEREST PAYMENT', merchant_name: null, website: null, pfc: 'INCOME_INTEREST_EARNED', channel: 'other' },
} satisfies Record<string, Merchant>;

export type MerchantKey = keyof typeof MERCHANTS;

/** Looks a catalogue merchant up by its clean name ("Netflix") or key ("netflix"). */
export function findMerchant(nameOrKey: string): Merchant | undefined {
  const wanted = nameOrKey.toLowerCase();
  const entries = Object.entries(MERCHANTS) as [string, Merchant][];
  return entries.find(([key, m]) => key.toLowerCase() === wanted || m.merchant_name?.toLowerCase() === wanted)?.[1];
}

/** Primary categories of Plaid's personal finance taxonomy, to derive a primary from a detailed one. */
const PFC_PRIMARIES = [
  'INCOME', 'TRANSFER_IN', 'TRANSFER_OUT', 'LOAN_PAYMENTS', 'BANK_FEES', 'ENTERTAINMENT', 'FOOD_AND_DRINK',
  'GENERAL_MERCHANDISE', 'HOME_IMPROVEMENT', 'MEDICAL', 'PERSONAL_CARE', 'GENERAL_SERVICES',
  'GOVERNMENT_AND_NON_PROFIT', 'TRANSPORTATION', 'TRAVEL', 'RENT_AND_UTILITIES',
];

export function pfcPrimary(detailed: string): string | undefined {
  return PFC_PRIMARIES.filter((p) => detailed === p || detailed.startsWith(`${p}_`)).sort((a, b) => b.length - a.length)[0];
}

/** The deprecated `category` hierarchy, still read by older integrations. */
const LEGACY_CATEGORY: Record<string, string[]> = {
  INCOME_WAGES: ['Transfer', 'Payroll'],
  INCOME_INTEREST_EARNED: ['Interest', 'Interest Earned'],
  RENT_AND_UTILITIES_RENT: ['Payment', 'Rent'],
  RENT_AND_UTILITIES_GAS_AND_ELECTRICITY: ['Service', 'Utilities', 'Electric'],
  RENT_AND_UTILITIES_INTERNET_AND_CABLE: ['Service', 'Cable'],
  RENT_AND_UTILITIES_TELEPHONE: ['Service', 'Telecommunication Services'],
  ENTERTAINMENT_TV_AND_MOVIES: ['Service', 'Subscription'],
  ENTERTAINMENT_MUSIC_AND_AUDIO: ['Service', 'Subscription'],
  PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS: ['Recreation', 'Gyms and Fitness Centers'],
  FOOD_AND_DRINK_GROCERIES: ['Shops', 'Supermarkets and Groceries'],
  FOOD_AND_DRINK_COFFEE: ['Food and Drink', 'Restaurants', 'Coffee Shop'],
  FOOD_AND_DRINK_FAST_FOOD: ['Food and Drink', 'Restaurants', 'Fast Food'],
  FOOD_AND_DRINK_RESTAURANT: ['Food and Drink', 'Restaurants'],
  TRANSPORTATION_TAXIS_AND_RIDE_SHARES: ['Travel', 'Taxi'],
  TRANSPORTATION_PUBLIC_TRANSIT: ['Travel', 'Public Transportation Services'],
  TRANSPORTATION_GAS: ['Travel', 'Gas Stations'],
  GENERAL_MERCHANDISE_ONLINE_MARKETPLACES: ['Shops', 'Digital Purchase'],
  GENERAL_MERCHANDISE_SUPERSTORES: ['Shops', 'Department Stores'],
  GENERAL_MERCHANDISE_ELECTRONICS: ['Shops', 'Computers and Electronics'],
  MEDICAL_PHARMACIES_AND_SUPPLEMENTS: ['Shops', 'Pharmacies'],
  TRANSFER_OUT_SAVINGS: ['Transfer', 'Internal Account Transfer'],
  TRANSFER_IN_ACCOUNT_TRANSFER: ['Transfer', 'Internal Account Transfer'],
  LOAN_PAYMENTS_CREDIT_CARD_PAYMENT: ['Payment', 'Credit Card'],
};

const LEGACY_BY_PRIMARY: Record<string, string[]> = {
  INCOME: ['Transfer', 'Deposit'],
  TRANSFER_IN: ['Transfer', 'Credit'],
  TRANSFER_OUT: ['Transfer', 'Debit'],
  LOAN_PAYMENTS: ['Payment'],
  BANK_FEES: ['Bank Fees'],
  ENTERTAINMENT: ['Recreation'],
  FOOD_AND_DRINK: ['Food and Drink'],
  GENERAL_MERCHANDISE: ['Shops'],
  HOME_IMPROVEMENT: ['Shops', 'Hardware Store'],
  MEDICAL: ['Healthcare'],
  PERSONAL_CARE: ['Service', 'Personal Care'],
  GENERAL_SERVICES: ['Service'],
  GOVERNMENT_AND_NON_PROFIT: ['Community', 'Government Departments and Agencies'],
  TRANSPORTATION: ['Travel'],
  TRAVEL: ['Travel'],
  RENT_AND_UTILITIES: ['Service', 'Utilities'],
};

// ── people ─────────────────────────────────────────────────────────────────────────────────

export interface AccountTemplate {
  /** Stable key inside the person; account ids derive from it. */
  key: string;
  name: string;
  /** Official name without the institution, e.g. "Everyday Checking". */
  product: string;
  mask: string;
  type: AccountType;
  subtype: AccountSubtype;
  /** Balance today: money held (depository) or owed (credit). */
  current: number;
  limit: number | null;
}

type Amount = number | readonly [min: number, max: number];

/** How a person's money moves; the generator turns these into dated transactions. */
type Pattern =
  | { kind: 'monthly'; day: number; account: string; merchant: MerchantKey; amount: Amount }
  /** Every `days` days, aligned to the calendar (day 1 of 1970 was a Friday: `offset: 1` = Fridays). */
  | { kind: 'every'; days: number; offset: number; account: string; merchant: MerchantKey; amount: Amount }
  | { kind: 'random'; perWeek: number; weekdaysOnly?: boolean; account: string; merchants: readonly MerchantKey[]; amount: Amount }
  | { kind: 'transfer'; day: number; from: string; to: string; out: MerchantKey; in: MerchantKey; amount: Amount }
  | { kind: 'once'; daysAgo: number; account: string; merchant: MerchantKey; amount: number; pending?: boolean }
  /**
   * Monthly on the day of month that falls `nextInDays` from today, one charge per amount (oldest
   * first) in the months before it. Tied to today rather than to a calendar day, so fixtures such
   * as "rent due in four days" or "the last charge went up" hold on whatever day the bank runs.
   * Keep `nextInDays` under 28, or the latest charge falls after today and is never made.
   */
  | { kind: 'series'; nextInDays: number; account: string; merchant: MerchantKey; amounts: readonly number[] };

export interface TestPerson {
  username: string;
  password: string;
  /** The account holder's name, shown only on the sandbox page. */
  displayName: string;
  /** One line for the sandbox page's small print. */
  description: string;
  historyDays: number;
  accounts: readonly AccountTemplate[];
  patterns: readonly Pattern[];
}

export const GOOD_PASSWORD = 'pass_good';

export const PEOPLE: readonly TestPerson[] = [
  {
    username: 'user_good',
    password: GOOD_PASSWORD,
    displayName: 'Alex Good',
    description: 'checking, savings and a credit card; salary, rent, bills, subscriptions, everyday spending',
    historyDays: 90,
    accounts: [
      { key: 'checking', name: 'Everyday Checking', product: 'Everyday Checking', mask: '0000', type: 'depository', subtype: 'checking', current: 2450.31, limit: null },
      { key: 'savings', name: 'High-Yield Savings', product: 'High-Yield Savings', mask: '1111', type: 'depository', subtype: 'savings', current: 8210.55, limit: null },
      { key: 'card', name: 'Rewards Credit Card', product: 'Rewards Visa Signature', mask: '3333', type: 'credit', subtype: 'credit card', current: 1120.44, limit: 5000 },
    ],
    patterns: [
      { kind: 'every', days: 14, offset: 1, account: 'checking', merchant: 'payroll', amount: -2450 },
      { kind: 'monthly', day: 1, account: 'checking', merchant: 'rent', amount: 1650 },
      { kind: 'monthly', day: 15, account: 'checking', merchant: 'electric', amount: [68, 134] },
      { kind: 'monthly', day: 22, account: 'checking', merchant: 'internet', amount: 64.99 },
      { kind: 'monthly', day: 8, account: 'checking', merchant: 'phone', amount: 45 },
      { kind: 'monthly', day: 5, account: 'checking', merchant: 'gym', amount: 24.99 },
      { kind: 'transfer', day: 2, from: 'checking', to: 'savings', out: 'toSavings', in: 'fromChecking', amount: 400 },
      { kind: 'transfer', day: 25, from: 'checking', to: 'card', out: 'cardPayment', in: 'cardPaymentReceived', amount: [550, 900] },
      { kind: 'monthly', day: 28, account: 'savings', merchant: 'interest', amount: [-9.5, -6] },
      { kind: 'monthly', day: 12, account: 'card', merchant: 'netflix', amount: 15.49 },
      { kind: 'monthly', day: 20, account: 'card', merchant: 'spotify', amount: 11.99 },
      { kind: 'random', perWeek: 1.6, account: 'card', merchants: ['wholeFoods', 'traderJoes', 'greenBasket'], amount: [28, 142] },
      { kind: 'random', perWeek: 4, weekdaysOnly: true, account: 'card', merchants: ['starbucks', 'bean'], amount: [3.45, 7.8] },
      { kind: 'random', perWeek: 2, account: 'card', merchants: ['chipotle', 'luna', 'bistro', 'doordash'], amount: [11.5, 86] },
      { kind: 'random', perWeek: 1.4, account: 'card', merchants: ['uber', 'lyft'], amount: [8.9, 34] },
      { kind: 'random', perWeek: 0.6, account: 'checking', merchants: ['shell'], amount: [31, 58] },
      { kind: 'random', perWeek: 1, account: 'card', merchants: ['amazon', 'target', 'etsy'], amount: [9.99, 164] },
      { kind: 'random', perWeek: 0.3, account: 'card', merchants: ['pharmacy'], amount: [6.5, 42] },
      { kind: 'once', daysAgo: 40, account: 'card', merchant: 'amazon', amount: 89.99 },
      { kind: 'once', daysAgo: 31, account: 'card', merchant: 'amazon', amount: -89.99 },
    ],
  },
  {
    username: 'user_custom_saver',
    password: GOOD_PASSWORD,
    displayName: 'Sam Saver',
    description: 'checking and two savings accounts, no credit card; frugal, saves weekly',
    historyDays: 90,
    accounts: [
      // Comfortably above the rent: a bill due with too little to pay it is user_subscriptions' fixture, not this person's.
      { key: 'checking', name: 'Basic Checking', product: 'Basic Checking', mask: '4444', type: 'depository', subtype: 'checking', current: 1910.07, limit: null },
      { key: 'savings', name: 'Savings', product: 'Premier Savings', mask: '5555', type: 'depository', subtype: 'savings', current: 24503.12, limit: null },
      { key: 'emergency', name: 'Emergency Fund', product: 'Goal Savings', mask: '6666', type: 'depository', subtype: 'savings', current: 10000, limit: null },
    ],
    patterns: [
      { kind: 'every', days: 14, offset: 8, account: 'checking', merchant: 'payroll', amount: -2100 },
      { kind: 'monthly', day: 1, account: 'checking', merchant: 'rent', amount: 1200 },
      { kind: 'monthly', day: 16, account: 'checking', merchant: 'electric', amount: [41, 77] },
      { kind: 'monthly', day: 9, account: 'checking', merchant: 'phone', amount: 25 },
      { kind: 'monthly', day: 20, account: 'checking', merchant: 'spotify', amount: 11.99 },
      { kind: 'transfer', day: 3, from: 'checking', to: 'savings', out: 'toSavings', in: 'fromChecking', amount: 600 },
      { kind: 'transfer', day: 17, from: 'checking', to: 'emergency', out: 'toSavings', in: 'fromChecking', amount: 150 },
      { kind: 'monthly', day: 28, account: 'savings', merchant: 'interest', amount: [-26, -22] },
      { kind: 'monthly', day: 28, account: 'emergency', merchant: 'interest', amount: [-9.5, -8.5] },
      { kind: 'random', perWeek: 1.2, account: 'checking', merchants: ['traderJoes', 'greenBasket'], amount: [22, 78] },
      { kind: 'random', perWeek: 1, account: 'checking', merchants: ['bean'], amount: [2.95, 4.5] },
      { kind: 'random', perWeek: 0.5, account: 'checking', merchants: ['luna', 'chipotle'], amount: [9.5, 24] },
      { kind: 'random', perWeek: 2, account: 'checking', merchants: ['transit'], amount: 2.5 },
    ],
  },
  {
    username: 'user_big_spender',
    password: GOOD_PASSWORD,
    displayName: 'Jordan Spender',
    description: 'checking and two credit cards near their limits; eats out, shops online, a large pending electronics purchase',
    historyDays: 90,
    accounts: [
      // Above the rent for the same reason as user_custom_saver's checking.
      { key: 'checking', name: 'Checking', product: 'Select Checking', mask: '7777', type: 'depository', subtype: 'checking', current: 2940.12, limit: null },
      { key: 'platinum', name: 'Platinum Card', product: 'Platinum Mastercard', mask: '8888', type: 'credit', subtype: 'credit card', current: 9870.3, limit: 12000 },
      { key: 'store', name: 'Store Card', product: 'Electro World Store Card', mask: '9999', type: 'credit', subtype: 'credit card', current: 2210, limit: 2500 },
    ],
    patterns: [
      { kind: 'monthly', day: 30, account: 'checking', merchant: 'payroll', amount: -5800 },
      { kind: 'monthly', day: 1, account: 'checking', merchant: 'rent', amount: 2350 },
      { kind: 'monthly', day: 14, account: 'checking', merchant: 'electric', amount: [120, 210] },
      { kind: 'monthly', day: 22, account: 'checking', merchant: 'internet', amount: 89.99 },
      { kind: 'transfer', day: 26, from: 'checking', to: 'platinum', out: 'cardPayment', in: 'cardPaymentReceived', amount: [1200, 1900] },
      { kind: 'transfer', day: 27, from: 'checking', to: 'store', out: 'cardPayment', in: 'cardPaymentReceived', amount: 75 },
      { kind: 'monthly', day: 12, account: 'platinum', merchant: 'netflix', amount: 22.99 },
      { kind: 'monthly', day: 20, account: 'platinum', merchant: 'spotify', amount: 16.99 },
      { kind: 'monthly', day: 5, account: 'platinum', merchant: 'gym', amount: 89 },
      { kind: 'random', perWeek: 1, account: 'platinum', merchants: ['wholeFoods'], amount: [45, 210] },
      { kind: 'random', perWeek: 5, account: 'platinum', merchants: ['starbucks'], amount: [5.25, 9.8] },
      { kind: 'random', perWeek: 4, account: 'platinum', merchants: ['bistro', 'luna', 'doordash', 'chipotle'], amount: [18, 145] },
      { kind: 'random', perWeek: 3, account: 'platinum', merchants: ['uber', 'lyft'], amount: [12, 48] },
      { kind: 'random', perWeek: 3, account: 'platinum', merchants: ['amazon', 'target', 'etsy'], amount: [14, 240] },
      { kind: 'random', perWeek: 0.4, account: 'store', merchants: ['electroWorld'], amount: [39, 329] },
      { kind: 'once', daysAgo: 1, account: 'platinum', merchant: 'electroWorld', amount: 912.4, pending: true },
    ],
  },
  {
    username: 'user_new_account',
    password: GOOD_PASSWORD,
    displayName: 'Casey New',
    description: 'one checking account opened two weeks ago, little history',
    historyDays: 14,
    accounts: [
      { key: 'checking', name: 'Starter Checking', product: 'Starter Checking', mask: '1212', type: 'depository', subtype: 'checking', current: 312.5, limit: null },
    ],
    patterns: [
      { kind: 'once', daysAgo: 13, account: 'checking', merchant: 'payroll', amount: -500 },
      { kind: 'random', perWeek: 2, account: 'checking', merchants: ['greenBasket', 'bean', 'transit'], amount: [2.5, 38] },
    ],
  },
  {
    // The money-insight fixtures, each tied to today so they hold whatever day the bank runs. The
    // other people have none of them: steady subscriptions, no double charge, and every bill below
    // what the account that pays it holds.
    username: 'user_subscriptions',
    password: GOOD_PASSWORD,
    displayName: 'Robin Renew',
    description:
      'checking and a credit card; paid on the 1st and 15th, many subscriptions: Netflix went up, Disney+ began after a free trial, a DoorDash order charged twice today, rent due in 4 days with too little in checking',
    historyDays: 90,
    accounts: [
      { key: 'checking', name: 'Everyday Checking', product: 'Everyday Checking', mask: '2468', type: 'depository', subtype: 'checking', current: 985.4, limit: null },
      { key: 'card', name: 'Cash Back Card', product: 'Cash Back Visa', mask: '1357', type: 'credit', subtype: 'credit card', current: 642.18, limit: 4000 },
    ],
    patterns: [
      { kind: 'monthly', day: 1, account: 'checking', merchant: 'payroll', amount: -1900 },
      { kind: 'monthly', day: 15, account: 'checking', merchant: 'payroll', amount: -1900 },
      // Due in 4 days; checking holds 985.40, less than the 1,450 it always takes.
      { kind: 'series', nextInDays: 4, account: 'checking', merchant: 'rent', amounts: [1450, 1450, 1450] },
      // A bill due soon that checking does cover: the low-balance fixture must not be every bill.
      { kind: 'series', nextInDays: 6, account: 'checking', merchant: 'phone', amounts: [45, 45, 45] },
      // The price went up on the last charge.
      { kind: 'series', nextInDays: 20, account: 'card', merchant: 'netflix', amounts: [15.49, 15.49, 17.99] },
      // Signed up for a free trial about two months ago; paid twice since it ended.
      { kind: 'series', nextInDays: 27, account: 'card', merchant: 'disneyPlus', amounts: [13.99, 13.99] },
      { kind: 'monthly', day: 20, account: 'card', merchant: 'spotify', amount: 11.99 },
      // A weekly transit pass (1970-01-05 was a Monday: offset 4 = Mondays).
      { kind: 'every', days: 7, offset: 4, account: 'card', merchant: 'transit', amount: 11.25 },
      { kind: 'transfer', day: 24, from: 'checking', to: 'card', out: 'cardPayment', in: 'cardPaymentReceived', amount: [280, 460] },
      { kind: 'random', perWeek: 1.5, account: 'card', merchants: ['traderJoes', 'greenBasket'], amount: [24, 96] },
      { kind: 'random', perWeek: 3, weekdaysOnly: true, account: 'card', merchants: ['bean', 'starbucks'], amount: [3.45, 6.2] },
      { kind: 'random', perWeek: 0.8, account: 'card', merchants: ['luna', 'chipotle'], amount: [11.5, 38] },
      // The same order charged twice today.
      { kind: 'once', daysAgo: 0, account: 'card', merchant: 'doordash', amount: 38.62 },
      { kind: 'once', daysAgo: 0, account: 'card', merchant: 'doordash', amount: 38.62 },
    ],
  },
];

export function findPerson(username: string): TestPerson | undefined {
  return PEOPLE.find((p) => p.username === username);
}

// ── randomness, ids, dates ─────────────────────────────────────────────────────────────────

/** mulberry32: tiny, fast and good enough for test data; seeded from a string via SHA-256. */
export function seededRandom(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A Plaid-looking 37-character id that is a pure function of its parts. */
export function stableId(...parts: string[]): string {
  const digest = createHash('sha512').update(parts.join('|')).digest();
  let id = '';
  for (let i = 0; i < 37; i += 1) id += BASE62[digest[i]! % 62];
  return id;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDate(d);
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export function epochDay(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

/** Days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * `date` moved by whole calendar months, on `day` (default: its own day of month), clamped to the
 * target month's length: Jan 31 plus one month is Feb 28, as billers do it.
 */
export function addMonths(date: string, months: number, day = Number(date.slice(8, 10))): string {
  const index = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const clamped = Math.min(day, daysInMonth(year, month));
  return `${year}-${String(month).padStart(2, '0')}-${String(clamped).padStart(2, '0')}`;
}

/** The dates and amounts of a `series` pattern, keyed by authorisation date. */
function seriesCharges(pattern: Extract<Pattern, { kind: 'series' }>, today: string): Map<string, number> {
  const due = addDays(today, pattern.nextInDays);
  const charges = new Map<string, number>();
  pattern.amounts.forEach((amount, i) => charges.set(addMonths(due, i - pattern.amounts.length), amount));
  return charges;
}

function pick(rng: () => number, amount: Amount): number {
  return typeof amount === 'number' ? amount : round2(amount[0] + rng() * (amount[1] - amount[0]));
}

// ── history generation ─────────────────────────────────────────────────────────────────────

/** A transaction before ids are given: the bank assigns ids from the item it belongs to. */
export interface DraftTransaction {
  accountKey: string;
  merchant: Merchant;
  amount: number;
  date: string;
  authorizedDate: string;
  /** HH:MM:SS in UTC for card purchases at a till; null where banks report no time. */
  time: string | null;
  pending: boolean;
}

/**
 * A person's history at an institution, oldest first, ending on `today` (UTC date). Card
 * purchases from the last two days are still pending; older ones posted up to two days after
 * they were authorised, as card networks do.
 */
export function generateHistory(person: TestPerson, institution: Institution, today: string, seed: string): DraftTransaction[] {
  const rng = seededRandom(`${seed}|${person.username}|${institution.institution_id}`);
  const drafts: DraftTransaction[] = [];
  const purchase = (accountKey: string, merchant: Merchant, amount: number, daysAgo: number, forcePending?: boolean) => {
    const authorizedDate = addDays(today, -daysAgo);
    const isCardPurchase = merchant.channel !== 'other' && amount > 0;
    const pending = forcePending ?? (isCardPurchase && daysAgo <= 1);
    const lag = isCardPurchase && !pending ? Math.min(daysAgo, Math.floor(rng() * 3)) : 0;
    const hour = 7 + Math.floor(rng() * 14);
    const minute = Math.floor(rng() * 60);
    drafts.push({
      accountKey,
      merchant,
      amount: round2(amount),
      date: addDays(authorizedDate, lag),
      authorizedDate,
      time: merchant.channel === 'in store' ? `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00` : null,
      pending,
    });
  };

  const series = new Map(person.patterns.flatMap((p) => (p.kind === 'series' ? [[p, seriesCharges(p, today)] as const] : [])));
  for (let daysAgo = person.historyDays - 1; daysAgo >= 0; daysAgo -= 1) {
    const date = addDays(today, -daysAgo);
    const dayOfMonth = Number(date.slice(8, 10));
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    for (const p of person.patterns) {
      switch (p.kind) {
        case 'monthly':
          if (dayOfMonth === p.day) purchase(p.account, MERCHANTS[p.merchant], pick(rng, p.amount), daysAgo, false);
          break;
        case 'every':
          if ((((epochDay(date) - p.offset) % p.days) + p.days) % p.days === 0) {
            purchase(p.account, MERCHANTS[p.merchant], pick(rng, p.amount), daysAgo, false);
          }
          break;
        case 'transfer':
          if (dayOfMonth === p.day) {
            const amount = pick(rng, p.amount);
            purchase(p.from, MERCHANTS[p.out], amount, daysAgo, false);
            purchase(p.to, MERCHANTS[p.in], -amount, daysAgo, false);
          }
          break;
        case 'random': {
          if (p.weekdaysOnly && (weekday === 0 || weekday === 6)) break;
          // Always draw, so adding a pattern later does not reshuffle the other patterns' days.
          const roll = rng();
          const merchant = MERCHANTS[p.merchants[Math.floor(rng() * p.merchants.length)]!];
          const amount = pick(rng, p.amount);
          if (roll < p.perWeek / 7) purchase(p.account, merchant, amount, daysAgo);
          break;
        }
        case 'once':
          if (daysAgo === p.daysAgo) purchase(p.account, MERCHANTS[p.merchant], p.amount, daysAgo, p.pending ?? false);
          break;
        case 'series': {
          const amount = series.get(p)?.get(date);
          if (amount !== undefined) purchase(p.account, MERCHANTS[p.merchant], amount, daysAgo, false);
          break;
        }
      }
    }
  }
  // Oldest first by posting date: the order they reach the item's change log, and so the order
  // of `added` in a first /transactions/sync.
  return drafts.map((d, i) => ({ d, i })).sort((a, b) => a.d.date.localeCompare(b.d.date) || a.i - b.i).map(({ d }) => d);
}

// ── building wire transactions ─────────────────────────────────────────────────────────────

const NO_LOCATION: Location = {
  address: null,
  city: null,
  region: null,
  postal_code: null,
  country: null,
  lat: null,
  lon: null,
  store_number: null,
};

/** Used by the "foreign" shortcut of the post-transaction control (fraud-alert tests). */
export const FOREIGN_LOCATION: Location = {
  address: '1 Rue de Rivoli',
  city: 'Paris',
  region: null,
  postal_code: '75001',
  country: 'FR',
  lat: 48.8557,
  lon: 2.3606,
  store_number: null,
};

function transactionType(channel: PaymentChannel): TransactionType {
  return channel === 'online' ? 'digital' : channel === 'in store' ? 'place' : 'special';
}

export interface TransactionFields {
  transaction_id: string;
  account_id: string;
  merchant: Merchant;
  amount: number;
  date: string;
  authorizedDate: string | null;
  time: string | null;
  pending: boolean;
  pendingTransactionId?: string | null;
  isoCurrencyCode?: string;
  location?: Location;
}

/** Where a merchant's till is; all-null for online and ACH counterparties, as Plaid reports them. */
export function locationOf(merchant: Merchant): Location {
  return { ...NO_LOCATION, ...merchant.location };
}

export function buildTransaction(fields: TransactionFields): Transaction {
  const { merchant } = fields;
  const primary = pfcPrimary(merchant.pfc) ?? 'GENERAL_MERCHANDISE';
  const category: PersonalFinanceCategory = { primary, detailed: merchant.pfc, confidence_level: merchant.merchant_name ? 'VERY_HIGH' : 'HIGH' };
  const location: Location = fields.location ?? locationOf(merchant);
  return {
    transaction_id: fields.transaction_id,
    account_id: fields.account_id,
    amount: round2(fields.amount),
    iso_currency_code: fields.isoCurrencyCode ?? 'USD',
    unofficial_currency_code: null,
    category: LEGACY_CATEGORY[merchant.pfc] ?? LEGACY_BY_PRIMARY[primary] ?? null,
    category_id: null,
    check_number: null,
    date: fields.date,
    authorized_date: fields.authorizedDate,
    authorized_datetime: fields.time && fields.authorizedDate ? `${fields.authorizedDate}T${fields.time}Z` : null,
    datetime: fields.time ? `${fields.date}T${fields.time}Z` : null,
    location,
    name: merchant.name,
    merchant_name: merchant.merchant_name,
    merchant_entity_id: merchant.merchant_name ? stableId('merchant', merchant.merchant_name) : null,
    logo_url: null,
    website: merchant.website,
    original_description: null,
    payment_meta: {
      reference_number: null,
      ppd_id: null,
      payee: null,
      by_order_of: null,
      payer: null,
      payment_method: null,
      payment_processor: null,
      reason: null,
    },
    payment_channel: merchant.channel,
    pending: fields.pending,
    pending_transaction_id: fields.pendingTransactionId ?? null,
    account_owner: null,
    transaction_code: null,
    transaction_type: transactionType(merchant.channel),
    personal_finance_category: category,
    counterparties:
      merchant.merchant_name && merchant.counterparty
        ? [
            {
              name: merchant.merchant_name,
              type: merchant.counterparty,
              website: merchant.website,
              logo_url: null,
              entity_id: stableId('merchant', merchant.merchant_name),
              confidence_level: 'VERY_HIGH',
            },
          ]
        : [],
  };
}
