/**
 * The sandbox bank's state and rules, independent of HTTP: items and their tokens, accounts and
 * balances, the transaction ledgers, link tokens and sessions, and the webhooks state changes
 * cause. The Plaid routes, the hosted link pages and the controls are thin layers over this.
 */
import { randomInt, randomUUID } from 'node:crypto';
import {
  FOREIGN_LOCATION,
  addDays,
  buildTransaction,
  findMerchant,
  generateHistory,
  isoDate,
  locationOf,
  pfcPrimary,
  round2,
  stableId,
  type Merchant,
  type TestPerson,
} from './data';
import {
  ITEM_LOGIN_REQUIRED,
  PlaidApiError,
  USER_PERMISSION_REVOKED,
  invalidAccessToken,
  invalidLinkToken,
  invalidPublicToken,
  itemNotFound,
  plaidErrorBody,
  type PlaidErrorSpec,
} from './errors';
import { Ledger, type SyncPage } from './ledger';
import type { AccountBalance, AccountBase, Institution, Location, PaymentChannel, Transaction } from './types';
import { ITEM_WEBHOOK_TYPES, type ItemWebhookCode, type WebhookBody, type WebhookDelivery, type WebhookSender } from './webhooks';

/** Thrown by control operations for bad input; the control routes answer it with a 4xx. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

export interface Account {
  account_id: string;
  name: string;
  official_name: string;
  mask: string;
  type: 'depository' | 'credit';
  subtype: 'checking' | 'savings' | 'credit card';
  current: number;
  /** Null when the bank reports none, as some card issuers do; then nothing moves it. */
  available: number | null;
  limit: number | null;
}

export interface Item {
  item_id: string;
  institution: Institution;
  person: TestPerson;
  accounts: Account[];
  products: string[];
  webhook: string | null;
  created_at: string;
  /** ITEM_LOGIN_REQUIRED or USER_PERMISSION_REVOKED while the item is in that state. */
  error: PlaidErrorSpec | null;
  removed: boolean;
  /** What /item/remove said, so a test can see the reason the bank was given. */
  removal: ItemRemoval | null;
  accessToken: string | null;
  ledger: Ledger;
  /** Counter for ids of transactions added after link; keeps ids deterministic per seed. */
  nextTransaction: number;
  lastWebhook: { sent_at: string; code_sent: string } | null;
  lastSuccessfulUpdate: string;
  armedMutation: ArmedMutation | null;
}

/** The reason a client gave /item/remove (Plaid's ItemRemoveReasonCode and reason_note). */
export interface ItemRemoval {
  reason_code: string | null;
  reason_note: string | null;
  removed_at: string;
}

export interface LinkEvent {
  event_id: string;
  event_name: string;
  timestamp: string;
  event_metadata: Record<string, string>;
}

export interface LinkSession {
  link_session_id: string;
  started_at: string;
  finished_at: string | null;
  events: LinkEvent[];
  institution: Institution | null;
  outcome: { kind: 'success'; item_id: string; public_token: string | null } | { kind: 'exit' } | null;
}

export interface LinkToken {
  link_token: string;
  created_at: string;
  expiration: string;
  /** Hosted Link only: when the hosted_link_url stops working. */
  hosted_until: string | null;
  client_name: string;
  language: string;
  country_codes: string[];
  products: string[];
  webhook: string | null;
  redirect_uri: string | null;
  client_user_id: string;
  completion_redirect_uri: string | null;
  /** Update mode: the item whose login this link repairs. */
  update_item_id: string | null;
  session: LinkSession | null;
}

export interface PostTransactionInput {
  /** Defaults to the item's first account. */
  account_id?: string;
  /** Plaid's sign: positive is money out, negative money in (refunds, salary). */
  amount: number;
  /** A catalogue merchant ("Netflix", "Whole Foods Market", "electroWorld") or any merchant name. */
  merchant?: string;
  /** The raw descriptor; defaults to the merchant's. */
  name?: string;
  /** A detailed personal finance category (FOOD_AND_DRINK_GROCERIES) or a primary one (TRAVEL). */
  category?: string;
  pending?: boolean;
  /** YYYY-MM-DD; defaults to today on the bank's clock. */
  date?: string;
  authorized_date?: string;
  iso_currency_code?: string;
  payment_channel?: PaymentChannel;
  website?: string;
  location?: Partial<Location>;
  /** Shortcut for a purchase abroad (Paris), for fraud-alert tests. */
  foreign?: boolean;
}

/** What lands mid-pagination: a given posting, a settle of a given pending id, or (empty) any change. */
export interface ArmedMutation {
  transaction?: PostTransactionInput;
  settle?: string;
}

export interface SettleInput {
  /** Final amount, e.g. a restaurant bill with the tip added; defaults to the pending amount. */
  amount?: number;
  date?: string;
}

export interface ModifyInput {
  amount?: number;
  name?: string;
  merchant_name?: string | null;
  category?: string;
  date?: string;
}

export interface BalanceInput {
  current?: number;
  /** Null: the bank stops reporting an available balance for the account. */
  available?: number | null;
  limit?: number | null;
}

export interface BankOptions {
  now: () => Date;
  /** Seeds item, account and transaction ids. */
  idSeed: string;
  /** Seeds transaction content (merchants, amounts, days). */
  contentSeed: string;
  webhooks: WebhookSender;
}

const PUBLIC_TOKEN_TTL_MS = 30 * 60_000;
/** Products a link token may ask for; only transactions and balances have endpoints here. */
export const SUPPORTED_PRODUCTS: readonly string[] = ['transactions', 'auth', 'balance', 'identity'];

export class Bank {
  readonly items = new Map<string, Item>();
  private readonly accessTokens = new Map<string, string>();
  private readonly publicTokens = new Map<string, { item_id: string; expires: number; used: boolean }>();
  readonly linkTokens = new Map<string, LinkToken>();
  private itemCount = 0;

  constructor(private readonly options: BankOptions) {}

  get now(): Date {
    return this.options.now();
  }

  today(): string {
    return isoDate(this.now);
  }

  // ── items and tokens ───────────────────────────────────────────────────────────────────

  createItem(args: { person: TestPerson; institution: Institution; products: string[]; webhook: string | null }): Item {
    this.itemCount += 1;
    const item_id = stableId(this.options.idSeed, 'item', String(this.itemCount));
    const today = this.today();
    const accounts: Account[] = args.person.accounts.map((t) => ({
      account_id: stableId(item_id, 'account', t.key),
      name: t.name,
      official_name: `${args.institution.short} ${t.product}`,
      mask: t.mask,
      type: t.type,
      subtype: t.subtype,
      current: t.current,
      available: t.type === 'credit' ? round2((t.limit ?? 0) - t.current) : t.current,
      limit: t.limit,
    }));
    const item: Item = {
      item_id,
      institution: args.institution,
      person: args.person,
      accounts,
      products: args.products.length > 0 ? [...new Set(args.products)] : ['transactions'],
      webhook: args.webhook,
      created_at: this.now.toISOString(),
      error: null,
      removed: false,
      removal: null,
      accessToken: null,
      ledger: new Ledger(item_id.slice(0, 8)),
      nextTransaction: 0,
      lastWebhook: null,
      lastSuccessfulUpdate: this.now.toISOString(),
      armedMutation: null,
    };
    for (const draft of generateHistory(args.person, args.institution, today, this.options.contentSeed)) {
      const account = accounts[args.person.accounts.findIndex((t) => t.key === draft.accountKey)];
      if (!account) throw new Error(`${args.person.username}: pattern names unknown account ${draft.accountKey}`);
      const transaction = buildTransaction({
        transaction_id: this.nextTransactionId(item),
        account_id: account.account_id,
        merchant: draft.merchant,
        amount: draft.amount,
        date: draft.date,
        authorizedDate: draft.authorizedDate,
        time: draft.time,
        pending: draft.pending,
      });
      item.ledger.add(transaction);
      // Balances are today's; history only holds back pending amounts from "available".
      if (transaction.pending && account.available !== null) account.available = round2(account.available - transaction.amount);
    }
    this.items.set(item_id, item);
    return item;
  }

  createPublicToken(item: Item): string {
    const token = `public-sandbox-${randomUUID()}`;
    this.publicTokens.set(token, { item_id: item.item_id, expires: this.now.getTime() + PUBLIC_TOKEN_TTL_MS, used: false });
    return token;
  }

  exchangePublicToken(publicToken: string): Item {
    const record = this.publicTokens.get(publicToken);
    if (!record) throw invalidPublicToken('provided public token is in an invalid format or was never issued');
    if (record.used) throw invalidPublicToken('provided public token has already been exchanged');
    if (record.expires < this.now.getTime()) {
      throw invalidPublicToken('provided public token is expired. Public tokens expire 30 minutes after creation');
    }
    const item = this.items.get(record.item_id);
    if (!item || item.removed) throw itemNotFound();
    record.used = true;
    const accessToken = `access-sandbox-${randomUUID()}`;
    if (item.accessToken) this.accessTokens.delete(item.accessToken);
    item.accessToken = accessToken;
    this.accessTokens.set(accessToken, item.item_id);
    // Plaid announces the first transactions pull once the item is live.
    this.transactionsChanged(item);
    return item;
  }

  /**
   * The item an access token names. Unknown tokens are INVALID_ACCESS_TOKEN, removed items
   * ITEM_NOT_FOUND, and items in an error state fail with that error unless the endpoint works
   * regardless (item/get, item/remove, sandbox helpers).
   */
  itemForAccessToken(token: string, options: { allowErrored?: boolean } = {}): Item {
    const itemId = this.accessTokens.get(token);
    const item = itemId === undefined ? undefined : this.items.get(itemId);
    if (!item) throw invalidAccessToken();
    if (item.removed) throw itemNotFound();
    if (item.error && !options.allowErrored) throw new PlaidApiError(item.error);
    return item;
  }

  /** An item by id or access token, for controls (which may name either). */
  itemForControl(ref: string): Item {
    const item = this.items.get(ref) ?? this.items.get(this.accessTokens.get(ref) ?? '');
    if (!item) throw new ControlError(404, `no item ${ref}`);
    if (item.removed) throw new ControlError(410, `item ${item.item_id} was removed`);
    return item;
  }

  removeItem(item: Item, reason: Omit<ItemRemoval, 'removed_at'>): void {
    item.removed = true;
    item.removal = { ...reason, removed_at: this.now.toISOString() };
    // The token stays mapped so later calls answer ITEM_NOT_FOUND rather than "never issued".
    item.armedMutation = null;
  }

  // ── wire views ─────────────────────────────────────────────────────────────────────────

  accountView(account: Account, options: { realtime?: boolean } = {}): AccountBase {
    const balances: AccountBalance = {
      available: account.available,
      current: account.current,
      limit: account.limit,
      iso_currency_code: 'USD',
      unofficial_currency_code: null,
      ...(options.realtime ? { last_updated_datetime: this.now.toISOString() } : {}),
    };
    return {
      account_id: account.account_id,
      balances,
      mask: account.mask,
      name: account.name,
      official_name: account.official_name,
      type: account.type,
      subtype: account.subtype,
    };
  }

  itemView(item: Item): Record<string, unknown> {
    return {
      item_id: item.item_id,
      institution_id: item.institution.institution_id,
      institution_name: item.institution.name,
      webhook: item.webhook,
      auth_method: null,
      error: item.error ? plaidErrorBody(item.error) : null,
      available_products: SUPPORTED_PRODUCTS.filter((p) => !item.products.includes(p)),
      billed_products: item.products.filter((p) => p !== 'balance'),
      products: item.products,
      consented_products: item.products,
      consent_expiration_time: null,
      update_type: 'background',
    };
  }

  // ── transactions ───────────────────────────────────────────────────────────────────────

  sync(item: Item, cursor: string | undefined, count: number): SyncPage {
    const page = item.ledger.sync(cursor, count);
    if (page.has_more && item.armedMutation) {
      // An armed mutation lands between this page and the next, as a real update can.
      const armed = item.armedMutation;
      item.armedMutation = null;
      const pending = armed.settle ?? item.ledger.list().find((t) => t.pending)?.transaction_id;
      if (armed.transaction) this.postTransaction(item, armed.transaction);
      else if (pending) this.settleTransaction(item, pending);
      else this.postTransaction(item, { merchant: 'Starbucks', amount: 4.95 });
    }
    return page;
  }

  /** The bank "pulled" new data for the item: record it and tell the client, as Plaid would. */
  private transactionsChanged(item: Item): void {
    item.lastSuccessfulUpdate = this.now.toISOString();
    this.notify(item, 'SYNC_UPDATES_AVAILABLE');
  }

  private nextTransactionId(item: Item): string {
    item.nextTransaction += 1;
    return stableId(item.item_id, 'transaction', String(item.nextTransaction));
  }

  private account(item: Item, accountId: string | undefined): Account {
    const account = accountId === undefined ? item.accounts[0] : item.accounts.find((a) => a.account_id === accountId);
    if (!account) throw new ControlError(404, `item ${item.item_id} has no account ${accountId}`);
    return account;
  }

  private transaction(item: Item, transactionId: string): Transaction {
    const transaction = item.ledger.get(transactionId);
    if (!transaction) throw new ControlError(404, `item ${item.item_id} has no transaction ${transactionId}`);
    return transaction;
  }

  /** Moves balances as a bank would: posted amounts move `current`, all amounts `available`. */
  private applyBalance(item: Item, transaction: Transaction, direction: 1 | -1): void {
    const account = this.account(item, transaction.account_id);
    const amount = transaction.amount * direction;
    // Depository balances hold money (an outflow lowers them); credit balances hold debt.
    const sign = account.type === 'credit' ? 1 : -1;
    if (!transaction.pending) account.current = round2(account.current + sign * amount);
    if (account.available !== null) account.available = round2(account.available - amount);
  }

  postTransaction(item: Item, input: PostTransactionInput): Transaction {
    if (typeof input.amount !== 'number' || !Number.isFinite(input.amount)) throw new ControlError(400, 'amount must be a number');
    const account = this.account(item, input.account_id);
    const merchant = this.merchantFor(input);
    const date = validDate(input.date, 'date') ?? this.today();
    const time = merchant.channel === 'in store' ? this.now.toISOString().slice(11, 19) : null;
    const location = input.foreign ? FOREIGN_LOCATION : input.location ? { ...locationOf(merchant), ...input.location } : undefined;
    const transaction = buildTransaction({
      transaction_id: this.nextTransactionId(item),
      account_id: account.account_id,
      merchant,
      amount: input.amount,
      date,
      authorizedDate: validDate(input.authorized_date, 'authorized_date') ?? date,
      time,
      pending: input.pending ?? false,
      ...(input.iso_currency_code ? { isoCurrencyCode: input.iso_currency_code } : {}),
      ...(location ? { location } : {}),
    });
    item.ledger.add(transaction);
    this.applyBalance(item, transaction, 1);
    this.transactionsChanged(item);
    return transaction;
  }

  /** Pending → posted, the way Plaid reports it: the pending id is removed, a new one added. */
  settleTransaction(item: Item, transactionId: string, input: SettleInput = {}): Transaction {
    const pending = this.transaction(item, transactionId);
    if (!pending.pending) throw new ControlError(409, `transaction ${transactionId} is not pending`);
    item.ledger.remove(transactionId);
    this.applyBalance(item, pending, -1);
    const posted: Transaction = {
      ...pending,
      transaction_id: this.nextTransactionId(item),
      amount: round2(input.amount ?? pending.amount),
      date: validDate(input.date, 'date') ?? this.today(),
      pending: false,
      pending_transaction_id: pending.transaction_id,
    };
    item.ledger.add(posted);
    this.applyBalance(item, posted, 1);
    this.transactionsChanged(item);
    return posted;
  }

  modifyTransaction(item: Item, transactionId: string, input: ModifyInput): Transaction {
    const before = this.transaction(item, transactionId);
    const category = input.category === undefined ? undefined : categoryFor(input.category);
    const date = validDate(input.date, 'date');
    const after: Transaction = {
      ...before,
      ...(input.amount === undefined ? {} : { amount: round2(input.amount) }),
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.merchant_name === undefined ? {} : { merchant_name: input.merchant_name }),
      ...(date === undefined ? {} : { date }),
      ...(category ? { personal_finance_category: { ...before.personal_finance_category, ...category } } : {}),
    };
    this.applyBalance(item, before, -1);
    item.ledger.modify(after);
    this.applyBalance(item, after, 1);
    this.transactionsChanged(item);
    return after;
  }

  removeTransaction(item: Item, transactionId: string): Transaction {
    const removed = item.ledger.remove(this.transaction(item, transactionId).transaction_id);
    this.applyBalance(item, removed, -1);
    this.transactionsChanged(item);
    return removed;
  }

  setBalance(item: Item, accountId: string, input: BalanceInput): AccountBase {
    const account = this.account(item, accountId);
    for (const [key, value] of Object.entries(input)) {
      if (!['current', 'available', 'limit'].includes(key)) throw new ControlError(400, `unknown balance field ${key}`);
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) throw new ControlError(400, `${key} must be a number`);
    }
    if (input.current !== undefined) {
      const before = account.available;
      // Without an explicit available, keep pending holds where they were.
      const held = before === null ? 0 : account.type === 'credit' ? (account.limit ?? 0) - account.current - before : account.current - before;
      account.current = round2(input.current);
      if (input.available === undefined && before !== null) {
        account.available = round2(account.type === 'credit' ? (account.limit ?? 0) - account.current - held : account.current - held);
      }
    }
    if (input.available !== undefined) account.available = input.available === null ? null : round2(input.available);
    if (input.limit !== undefined) account.limit = input.limit;
    return this.accountView(account);
  }

  private merchantFor(input: PostTransactionInput): Merchant {
    const known = input.merchant === undefined ? undefined : findMerchant(input.merchant);
    if (!known && input.merchant === undefined && input.name === undefined) {
      throw new ControlError(400, 'give a merchant (catalogue name or any name) or a name');
    }
    const base: Merchant = known ?? {
      name: input.name ?? input.merchant!.toUpperCase(),
      merchant_name: input.merchant ?? null,
      website: null,
      pfc: 'GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE',
      channel: 'in store',
      counterparty: 'merchant',
    };
    return {
      ...base,
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.category === undefined ? {} : { pfc: categoryFor(input.category).detailed }),
      ...(input.payment_channel === undefined ? {} : { channel: input.payment_channel }),
      ...(input.website === undefined ? {} : { website: input.website }),
    };
  }

  // ── item states ────────────────────────────────────────────────────────────────────────

  /** What /sandbox/item/reset_login does: ITEM_LOGIN_REQUIRED plus the ITEM ERROR webhook. */
  forceLoginRequired(item: Item): void {
    item.error = ITEM_LOGIN_REQUIRED;
    this.notify(item, 'ERROR');
  }

  /** The login was fixed outside update mode (e.g. in another app): LOGIN_REPAIRED. */
  repairLogin(item: Item): void {
    const wasBroken = item.error?.error_code === ITEM_LOGIN_REQUIRED.error_code;
    item.error = null;
    if (wasBroken) this.notify(item, 'LOGIN_REPAIRED');
  }

  /** The person revoked access at their bank: calls fail with USER_PERMISSION_REVOKED. */
  revokePermission(item: Item): void {
    item.error = USER_PERMISSION_REVOKED;
    this.notify(item, 'USER_PERMISSION_REVOKED');
  }

  // ── webhooks ───────────────────────────────────────────────────────────────────────────

  itemWebhookBody(item: Item, code: ItemWebhookCode): WebhookBody {
    const base = { webhook_type: ITEM_WEBHOOK_TYPES[code], webhook_code: code, item_id: item.item_id, environment: 'sandbox' as const };
    const inSevenDays = new Date(this.now.getTime() + 7 * 86_400_000).toISOString();
    switch (code) {
      case 'SYNC_UPDATES_AVAILABLE':
        return { ...base, initial_update_complete: true, historical_update_complete: true };
      case 'DEFAULT_UPDATE':
        return { ...base, new_transactions: 0, error: null };
      case 'ERROR':
        return { ...base, error: plaidErrorBody(item.error ?? ITEM_LOGIN_REQUIRED) };
      case 'PENDING_EXPIRATION':
        return { ...base, consent_expiration_time: inSevenDays };
      case 'PENDING_DISCONNECT':
        return { ...base, reason: 'INSTITUTION_TOKEN_EXPIRATION', disconnect_time: inSevenDays };
      case 'USER_PERMISSION_REVOKED':
        return { ...base, error: plaidErrorBody(USER_PERMISSION_REVOKED) };
      case 'USER_ACCOUNT_REVOKED':
        return { ...base, account_id: item.accounts[0]!.account_id };
      case 'NEW_ACCOUNTS_AVAILABLE':
        return { ...base, error: null };
      case 'LOGIN_REPAIRED':
        return base;
    }
  }

  /** Sends an item webhook if the item has a URL; undefined when it has none. */
  sendItemWebhook(item: Item, code: ItemWebhookCode): Promise<WebhookDelivery> | undefined {
    if (!item.webhook || item.removed) return undefined;
    item.lastWebhook = { sent_at: this.now.toISOString(), code_sent: code };
    return this.options.webhooks.send({ url: item.webhook, itemId: item.item_id }, this.itemWebhookBody(item, code));
  }

  /** Fire and forget: state changes never wait for (or fail because of) the receiver. */
  private notify(item: Item, code: ItemWebhookCode): void {
    void this.sendItemWebhook(item, code);
  }

  // ── link tokens and hosted link sessions ───────────────────────────────────────────────

  createLinkToken(fields: Omit<LinkToken, 'link_token' | 'created_at' | 'session'>): LinkToken {
    const link: LinkToken = { ...fields, link_token: `link-sandbox-${randomUUID()}`, created_at: this.now.toISOString(), session: null };
    this.linkTokens.set(link.link_token, link);
    return link;
  }

  linkToken(token: string): LinkToken {
    const link = this.linkTokens.get(token);
    if (!link) throw invalidLinkToken('provided link token is in an invalid format or was never issued');
    return link;
  }

  /** Hosted pages refuse links past their lifetime (and past the token's expiration). */
  linkUsable(link: LinkToken): 'ok' | 'expired' | 'finished' {
    if (link.session?.finished_at) return 'finished';
    const until = Math.min(Date.parse(link.expiration), link.hosted_until ? Date.parse(link.hosted_until) : Infinity);
    return this.now.getTime() > until ? 'expired' : 'ok';
  }

  openSession(link: LinkToken): LinkSession {
    if (!link.session) {
      link.session = {
        link_session_id: randomUUID(),
        started_at: this.now.toISOString(),
        finished_at: null,
        events: [],
        institution: null,
        outcome: null,
      };
      this.linkEvent(link, 'OPEN', { view_name: 'CONSENT' });
    }
    return link.session;
  }

  linkEvent(link: LinkToken, name: string, metadata: Record<string, string> = {}): void {
    const session = this.openSession(link);
    session.events.push({
      event_id: randomUUID(),
      event_name: name,
      timestamp: this.now.toISOString(),
      event_metadata: { request_id: requestId(), ...metadata },
    });
  }

  /**
   * A successful login on the hosted page: a new item (or, in update mode, the repaired one),
   * the session finished, and the LINK webhooks Hosted Link sends.
   */
  completeLink(link: LinkToken, person: TestPerson, institution: Institution): LinkSession {
    const session = this.openSession(link);
    const meta = { institution_id: institution.institution_id, institution_name: institution.name };
    let publicToken: string | null = null;
    let itemId: string;
    if (link.update_item_id) {
      const item = this.items.get(link.update_item_id);
      if (!item || item.removed) throw itemNotFound();
      item.error = null;
      itemId = item.item_id;
    } else {
      const item = this.createItem({ person, institution, products: link.products, webhook: link.webhook });
      publicToken = this.createPublicToken(item);
      itemId = item.item_id;
    }
    this.linkEvent(link, 'HANDOFF', meta);
    session.institution = institution;
    session.finished_at = this.now.toISOString();
    session.outcome = { kind: 'success', item_id: itemId, public_token: publicToken };
    this.sendLinkWebhooks(link, 'SUCCESS', publicToken);
    return session;
  }

  exitLink(link: LinkToken): LinkSession {
    const session = this.openSession(link);
    this.linkEvent(link, 'EXIT', { exit_status: 'requires_credentials' });
    session.finished_at = this.now.toISOString();
    session.outcome = { kind: 'exit' };
    this.sendLinkWebhooks(link, 'EXITED', null);
    return session;
  }

  private sendLinkWebhooks(link: LinkToken, status: 'SUCCESS' | 'EXITED', publicToken: string | null): void {
    const session = link.session;
    if (!link.webhook || !session) return;
    const target = { url: link.webhook, itemId: session.outcome?.kind === 'success' ? session.outcome.item_id : null, linkToken: link.link_token };
    const common = { link_session_id: session.link_session_id, link_token: link.link_token, environment: 'sandbox' as const };
    if (publicToken) {
      void this.options.webhooks.send(target, { webhook_type: 'LINK', webhook_code: 'ITEM_ADD_RESULT', ...common, public_token: publicToken });
    }
    void this.options.webhooks.send(target, {
      webhook_type: 'LINK',
      webhook_code: 'SESSION_FINISHED',
      status,
      ...common,
      public_tokens: publicToken ? [publicToken] : [],
    });
  }
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────

const REQUEST_ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Plaid-style 15-character request id. */
export function requestId(): string {
  let id = '';
  for (let i = 0; i < 15; i += 1) id += REQUEST_ID_ALPHABET[randomInt(REQUEST_ID_ALPHABET.length)];
  return id;
}

function validDate(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const valid = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
  // Date.parse rolls 2026-02-30 over to March; a round trip catches that.
  if (!valid || addDays(value, 0) !== value) {
    throw new ControlError(400, `${field} must be a YYYY-MM-DD date`);
  }
  return value;
}

/** A category given as detailed (FOOD_AND_DRINK_GROCERIES) or primary (TRAVEL → TRAVEL_OTHER_TRAVEL). */
function categoryFor(category: string): { primary: string; detailed: string } {
  const primary = pfcPrimary(category);
  if (!primary) throw new ControlError(400, `unknown personal finance category ${category}`);
  return { primary, detailed: category === primary ? `${primary}_OTHER_${primary}` : category };
}
