import type { BankAccount } from './bank-connector';

/**
 * The one order a person sees accounts in, in the chat and on the pages alike: checking, savings,
 * credit, then everything else (loans, investments, other deposits). Within a kind, by bank (when
 * several are shared) and then by name, so the same accounts always read the same way.
 */
export interface ListedAccount {
  name: string;
  type?: BankAccount['type'] | undefined;
  subtype?: string | undefined;
  mask?: string | undefined;
  /** The bank's name, when the person shares more than one bank. */
  bank?: string | undefined;
}

export type AccountKind = 'checking' | 'savings' | 'credit' | 'other';

/** What kind of account the person would call it; a deposit account of no stated subtype is their checking. */
export function accountKind(account: Pick<ListedAccount, 'type' | 'subtype'>): AccountKind {
  const subtype = (account.subtype ?? '').toLowerCase();
  if (account.type === 'credit' || subtype.includes('credit')) return 'credit';
  if (account.type !== 'depository') return 'other';
  if (/saving|money market|cd\b/.test(subtype)) return 'savings';
  if (subtype === '' || subtype.includes('check')) return 'checking';
  return 'other';
}

const KIND_ORDER: readonly AccountKind[] = ['checking', 'savings', 'credit', 'other'];
// Made on first use: building a collator loads ICU's collation data, ~6 ms of a cold start.
let collator: Intl.Collator | undefined;
const compareText = (a: string, b: string) => (collator ??= new Intl.Collator('en', { sensitivity: 'base', numeric: true })).compare(a, b);

export function compareAccounts(a: ListedAccount, b: ListedAccount): number {
  return (
    KIND_ORDER.indexOf(accountKind(a)) - KIND_ORDER.indexOf(accountKind(b)) ||
    compareText(a.bank ?? '', b.bank ?? '') ||
    compareText(a.name, b.name) ||
    compareText(a.mask ?? '', b.mask ?? '')
  );
}

/** A sorted copy: the caller's list is left as it was. */
export const inAccountOrder = <T extends ListedAccount>(accounts: readonly T[]): T[] => [...accounts].sort(compareAccounts);
