/**
 * The Plaid endpoints: each checks its request the way Plaid does (missing, unknown and mistyped
 * fields are 400 INVALID_REQUEST, so an adapter bug shows up here and not first in production),
 * calls the bank, and shapes the response as the spec describes it.
 */
import { SUPPORTED_PRODUCTS, type Bank, type Item, type LinkToken } from './bank';
import { GOOD_PASSWORD, PEOPLE, findInstitution, findPerson } from './data';
import {
  invalidAccountId,
  invalidCredentials,
  invalidField,
  invalidInstitution,
  invalidProduct,
  invalidWebhookKeyId,
  missingFields,
  sandboxProductNotEnabled,
  sandboxWebhookInvalid,
  unknownFields,
} from './errors';
import { detectRecurringStreams } from './recurring';
import type { ItemWebhookCode, WebhookKeys } from './webhooks';

export interface ApiContext {
  bank: Bank;
  keys: WebhookKeys;
  /** Base URL for hosted_link_url. */
  publicUrl: string;
}

type Fields = Record<string, unknown>;
type Handler = (body: RequestBody, ctx: ApiContext) => Fields | Promise<Fields>;

interface Route {
  /** Top-level fields the spec's request schema has; anything else is UNKNOWN_FIELDS. */
  fields: readonly string[];
  required: readonly string[];
  handle: Handler;
}

const CREDENTIALS = ['client_id', 'secret'] as const;
const HOUR_MS = 3_600_000;
/** Hosted Link URLs not delivered by Plaid live 30 minutes unless url_lifetime_seconds says otherwise. */
const HOSTED_LINK_DEFAULT_SECONDS = 30 * 60;
const HOSTED_LINK_MAX_SECONDS = 21 * 24 * 3600;
const COUNTRY_CODES = ['US', 'GB', 'ES', 'NL', 'FR', 'IE', 'CA', 'DE', 'IT', 'PL', 'DK', 'NO', 'SE', 'EE', 'LT', 'LV', 'PT', 'BE', 'AT', 'FI'];

/** Typed access to a JSON object, failing with Plaid's INVALID_FIELD naming the field's path. */
export class RequestBody {
  constructor(
    readonly raw: Fields,
    private readonly prefix = '',
  ) {}

  private name(key: string) {
    return `${this.prefix}${key}`;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  string(key: string): string | undefined {
    const value = this.raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw invalidField(`${this.name(key)} must be a string`);
    return value;
  }

  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined || value === '') throw missingFields([this.name(key)]);
    return value;
  }

  integer(key: string): number | undefined {
    const value = this.raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidField(`${this.name(key)} must be an integer`);
    return value;
  }

  stringArray(key: string): string[] | undefined {
    const value = this.raw[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalidField(`${this.name(key)} must be an array of strings`);
    return value as string[];
  }

  object(key: string): RequestBody | undefined {
    const value = this.raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw invalidField(`${this.name(key)} must be an object`);
    return new RequestBody(value as Fields, `${this.name(key)}.`);
  }

  /** Rejects fields outside `allowed`, as Plaid does for nested option objects too. */
  only(allowed: readonly string[]): this {
    const extra = Object.keys(this.raw).filter((k) => !allowed.includes(k));
    if (extra.length > 0) throw unknownFields(extra.map((k) => this.name(k)));
    return this;
  }
}

function webhookUrl(body: RequestBody, key: string): string | null {
  const value = body.string(key);
  if (value === undefined || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidField(`${key} must be a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidField(`${key} must be an http or https URL`);
  return value;
}

function products(body: RequestBody, key: string): string[] {
  const list = body.stringArray(key) ?? [];
  const unsupported = list.filter((p) => !SUPPORTED_PRODUCTS.includes(p));
  if (unsupported.length > 0) throw invalidProduct(unsupported);
  return list;
}

// ── link tokens ────────────────────────────────────────────────────────────────────────────

function linkTokenCreate(body: RequestBody, { bank, publicUrl }: ApiContext): Fields {
  const user = body.object('user');
  const clientUserId = user?.string('client_user_id');
  const accessToken = body.string('access_token');
  const missing = [
    ...(clientUserId ? [] : ['user.client_user_id']),
    ...(accessToken || (body.stringArray('products')?.length ?? 0) > 0 ? [] : ['products']),
  ];
  if (missing.length > 0) throw missingFields(missing);
  const countryCodes = body.stringArray('country_codes') ?? [];
  if (countryCodes.length === 0) throw missingFields(['country_codes']);
  const badCountry = countryCodes.find((c) => !COUNTRY_CODES.includes(c));
  if (badCountry) throw invalidField(`country_codes contains an unsupported country: ${badCountry}`);
  const language = body.requiredString('language');
  if (!/^[a-z]{2}$/.test(language)) throw invalidField('language must be a two-letter language code such as "en"');

  // Update mode: the item may (and usually does) have an error; that is why it is being updated.
  const updateItem: Item | undefined = accessToken ? bank.itemForAccessToken(accessToken, { allowErrored: true }) : undefined;
  const hosted = body.object('hosted_link')?.only(['delivery_method', 'completion_redirect_uri', 'url_lifetime_seconds', 'is_mobile_app']);
  const lifetime = hosted?.integer('url_lifetime_seconds') ?? HOSTED_LINK_DEFAULT_SECONDS;
  if (lifetime <= 0 || lifetime > HOSTED_LINK_MAX_SECONDS) {
    throw invalidField('hosted_link.url_lifetime_seconds must be positive and at most 21 days');
  }
  const completion = hosted ? webhookUrl(hosted, 'completion_redirect_uri') : null;

  const now = bank.now.getTime();
  const hostedUntil = hosted ? now + lifetime * 1000 : null;
  // A link token lives 4 hours, or as long as a longer-lived hosted link URL that carries it.
  const expiration = Math.max(now + 4 * HOUR_MS, hostedUntil ?? 0);
  const link = bank.createLinkToken({
    expiration: new Date(expiration).toISOString(),
    hosted_until: hostedUntil === null ? null : new Date(hostedUntil).toISOString(),
    client_name: body.requiredString('client_name'),
    language,
    country_codes: countryCodes,
    products: updateItem ? updateItem.products : products(body, 'products'),
    webhook: webhookUrl(body, 'webhook') ?? updateItem?.webhook ?? null,
    redirect_uri: body.string('redirect_uri') ?? null,
    client_user_id: clientUserId!,
    completion_redirect_uri: completion,
    update_item_id: updateItem?.item_id ?? null,
  });
  return {
    link_token: link.link_token,
    expiration: link.expiration,
    ...(hosted ? { hosted_link_url: `${publicUrl}/link/${link.link_token}` } : {}),
  };
}

function linkSessionView(link: LinkToken, bank: Bank): Fields[] {
  const session = link.session;
  if (!session) return [];
  const view: Fields = {
    link_session_id: session.link_session_id,
    started_at: session.started_at,
    finished_at: session.finished_at,
    events: session.events,
  };
  const outcome = session.outcome;
  if (outcome?.kind === 'success') {
    const item = bank.items.get(outcome.item_id);
    const institution = session.institution ? { name: session.institution.name, institution_id: session.institution.institution_id } : null;
    const accounts = (item?.accounts ?? []).map((a) => ({
      id: a.account_id,
      name: a.name,
      mask: a.mask,
      type: a.type,
      subtype: a.subtype,
      verification_status: null,
      class_type: null,
    }));
    // Update mode repairs an existing item: nothing to exchange, so no item_add_results.
    const added = outcome.public_token ? [{ public_token: outcome.public_token, accounts, institution }] : [];
    view.results = {
      item_add_results: added,
      cra_item_add_results: [],
      cra_update_results: [],
      bank_income_results: [],
      payroll_income_results: [],
      document_income_results: null,
    };
    if (outcome.public_token) {
      view.on_success = {
        public_token: outcome.public_token,
        metadata: { institution, accounts, link_session_id: session.link_session_id },
      };
    }
  } else if (outcome?.kind === 'exit') {
    view.exit = {
      error: null,
      metadata: {
        institution: session.institution ? { name: session.institution.name, institution_id: session.institution.institution_id } : null,
        status: 'requires_credentials',
        link_session_id: session.link_session_id,
        request_id: session.events[session.events.length - 1]?.event_metadata.request_id ?? '',
      },
    };
  }
  return [view];
}

function linkTokenGet(body: RequestBody, { bank }: ApiContext): Fields {
  const link = bank.linkToken(body.requiredString('link_token'));
  return {
    link_token: link.link_token,
    created_at: link.created_at,
    expiration: link.expiration,
    metadata: {
      initial_products: link.products,
      webhook: link.webhook,
      country_codes: link.country_codes,
      language: link.language,
      redirect_uri: link.redirect_uri,
      client_name: link.client_name,
    },
    link_sessions: linkSessionView(link, bank),
  };
}

// ── items ──────────────────────────────────────────────────────────────────────────────────

function sandboxPublicTokenCreate(body: RequestBody, { bank }: ApiContext): Fields {
  const institutionId = body.requiredString('institution_id');
  const institution = findInstitution(institutionId);
  if (!institution) throw invalidInstitution(institutionId);
  const initialProducts = products(body, 'initial_products');
  if (initialProducts.length === 0) throw missingFields(['initial_products']);
  const options = body.object('options')?.only(['webhook', 'override_username', 'override_password', 'transactions', 'statements', 'income_verification']);
  const username = options?.string('override_username') ?? 'user_good';
  const person = findPerson(username);
  if (!person) {
    throw invalidField(`options.override_username must be one of the sandbox bank's test users: ${PEOPLE.map((p) => p.username).join(', ')}`);
  }
  const password = options?.string('override_password');
  if (password !== undefined && password !== GOOD_PASSWORD) throw invalidCredentials();
  const item = bank.createItem({ person, institution, products: initialProducts, webhook: options ? webhookUrl(options, 'webhook') : null });
  return { public_token: bank.createPublicToken(item) };
}

function itemPublicTokenExchange(body: RequestBody, { bank }: ApiContext): Fields {
  const item = bank.exchangePublicToken(body.requiredString('public_token'));
  return { access_token: item.accessToken, item_id: item.item_id };
}

function itemGet(body: RequestBody, { bank }: ApiContext): Fields {
  const item = bank.itemForAccessToken(body.requiredString('access_token'), { allowErrored: true });
  return {
    item: { ...bank.itemView(item), created_at: item.created_at },
    status: {
      transactions: { last_successful_update: item.lastSuccessfulUpdate, last_failed_update: null },
      last_webhook: item.lastWebhook,
    },
  };
}

function accounts(realtime: boolean): Handler {
  return (body, { bank }) => {
    const item = bank.itemForAccessToken(body.requiredString('access_token'));
    const allowed = realtime ? ['account_ids', 'min_last_updated_datetime'] : ['account_ids'];
    const ids = body.object('options')?.only(allowed).stringArray('account_ids');
    if (ids) {
      const unknown = ids.filter((id) => !item.accounts.some((a) => a.account_id === id));
      if (unknown.length > 0) throw invalidAccountId(unknown);
    }
    return {
      accounts: item.accounts.filter((a) => !ids || ids.includes(a.account_id)).map((a) => bank.accountView(a, { realtime })),
      item: bank.itemView(item),
    };
  };
}

function transactionsSync(body: RequestBody, { bank }: ApiContext): Fields {
  const item = bank.itemForAccessToken(body.requiredString('access_token'));
  const count = body.integer('count') ?? 100;
  if (count < 1 || count > 500) throw invalidField('count must be between 1 and 500');
  const options = body
    .object('options')
    ?.only([
      'include_original_description',
      'include_personal_finance_category',
      'include_logo_and_counterparty_beta',
      'personal_finance_category_version',
      'days_requested',
      'account_id',
    ]);
  if (options?.has('account_id')) throw invalidField('options.account_id is not supported by the sandbox bank');
  const page = bank.sync(item, body.string('cursor'), count);
  return {
    added: page.added,
    modified: page.modified,
    removed: page.removed,
    next_cursor: page.next_cursor,
    has_more: page.has_more,
    accounts: item.accounts.map((a) => bank.accountView(a)),
    transactions_update_status: 'HISTORICAL_UPDATE_COMPLETE',
  };
}

const PFC_VERSIONS = ['v1', 'v2'];

/**
 * Streams detected from the item's ledger as it is now (recurring.ts). Like /transactions/sync,
 * the bank has one taxonomy: a requested personal_finance_category_version is checked, not honoured.
 */
function transactionsRecurringGet(body: RequestBody, { bank }: ApiContext): Fields {
  const item = bank.itemForAccessToken(body.requiredString('access_token'));
  const version = body.object('options')?.only(['include_personal_finance_category', 'personal_finance_category_version']).string('personal_finance_category_version');
  if (version !== undefined && !PFC_VERSIONS.includes(version)) throw invalidField(`options.personal_finance_category_version must be one of ${PFC_VERSIONS.join(', ')}`);
  const ids = body.stringArray('account_ids');
  if (ids) {
    const unknown = ids.filter((id) => !item.accounts.some((a) => a.account_id === id));
    if (unknown.length > 0) throw invalidAccountId(unknown);
  }
  const wanted = (stream: { account_id: string }) => !ids || ids.length === 0 || ids.includes(stream.account_id);
  const { inflow_streams, outflow_streams } = detectRecurringStreams(item.ledger.list(), bank.today());
  return {
    inflow_streams: inflow_streams.filter(wanted),
    outflow_streams: outflow_streams.filter(wanted),
    updated_datetime: item.lastSuccessfulUpdate,
  };
}

/** The spec's ItemRemoveReasonCode; reason_note is free text of at most 512 characters. */
const REMOVE_REASON_CODES = ['FRAUD_FIRST_PARTY', 'FRAUD_FALSE_IDENTITY', 'FRAUD_ABUSE', 'FRAUD_OTHER', 'CONNECTION_IS_NON_FUNCTIONAL', 'OTHER'];
const REMOVE_REASON_NOTE_MAX = 512;

function itemRemove(body: RequestBody, { bank }: ApiContext): Fields {
  const reasonCode = body.string('reason_code') ?? null;
  if (reasonCode !== null && !REMOVE_REASON_CODES.includes(reasonCode)) throw invalidField(`reason_code must be one of ${REMOVE_REASON_CODES.join(', ')}`);
  const reasonNote = body.string('reason_note') ?? null;
  if (reasonNote !== null && reasonNote.length > REMOVE_REASON_NOTE_MAX) throw invalidField(`reason_note must be at most ${REMOVE_REASON_NOTE_MAX} characters`);
  // A malformed reason is refused before anything happens to the item.
  bank.removeItem(bank.itemForAccessToken(body.requiredString('access_token'), { allowErrored: true }), { reason_code: reasonCode, reason_note: reasonNote });
  return {};
}

function webhookVerificationKeyGet(body: RequestBody, { keys }: ApiContext): Fields {
  const key = keys.find(body.requiredString('key_id'));
  if (!key) throw invalidWebhookKeyId();
  return { key };
}

// ── sandbox helpers ────────────────────────────────────────────────────────────────────────

/** Codes of the spec's `/sandbox/item/fire_webhook` enum the bank simulates… */
const FIREABLE = [
  'SYNC_UPDATES_AVAILABLE',
  'DEFAULT_UPDATE',
  'NEW_ACCOUNTS_AVAILABLE',
  'USER_PERMISSION_REVOKED',
  'USER_ACCOUNT_REVOKED',
  'PENDING_DISCONNECT',
  'LOGIN_REPAIRED',
] as const satisfies readonly ItemWebhookCode[];
/**
 * …and those it does not: Plaid's sandbox ERROR and PRODUCT_READY are Assets webhooks, the rest need
 * Auth, or (RECURRING_TRANSACTIONS_UPDATE) would only repeat SYNC_UPDATES_AVAILABLE here, where
 * streams are worked out from the ledger on every /transactions/recurring/get.
 */
const NOT_SIMULATED = ['SMS_MICRODEPOSITS_VERIFICATION', 'AUTHORIZATION_GRANTED', 'RECURRING_TRANSACTIONS_UPDATE', 'PRODUCT_READY', 'ERROR'];

function sandboxItemFireWebhook(body: RequestBody, { bank }: ApiContext): Fields {
  const item = bank.itemForAccessToken(body.requiredString('access_token'), { allowErrored: true });
  const requested = body.requiredString('webhook_code');
  const type = body.string('webhook_type');
  const code = FIREABLE.find((c) => c === requested);
  if (NOT_SIMULATED.includes(requested) || (code === 'DEFAULT_UPDATE' && type !== undefined && type !== 'TRANSACTIONS')) {
    throw sandboxProductNotEnabled(`${type ?? ''} ${requested}`.trim());
  }
  if (!code) throw invalidField(`webhook_code must be one of ${[...FIREABLE, ...NOT_SIMULATED].join(', ')}`);
  if (!item.webhook) throw sandboxWebhookInvalid();
  void bank.sendItemWebhook(item, code);
  return { webhook_fired: true };
}

function sandboxItemResetLogin(body: RequestBody, { bank }: ApiContext): Fields {
  bank.forceLoginRequired(bank.itemForAccessToken(body.requiredString('access_token'), { allowErrored: true }));
  return { reset_login: true };
}

// ── route table ────────────────────────────────────────────────────────────────────────────

const route = (fields: readonly string[], required: readonly string[], handle: Handler): Route => ({
  fields: [...CREDENTIALS, ...fields],
  required,
  handle,
});

/** Top-level field lists are those of the spec's request schemas. */
export const PLAID_ROUTES: Readonly<Record<string, Route>> = {
  '/link/token/create': route(
    [
      'client_name', 'language', 'country_codes', 'user', 'user_id', 'products', 'required_if_supported_products',
      'optional_products', 'additional_consented_products', 'webhook', 'access_token', 'access_tokens',
      'link_customization_name', 'appearance_mode', 'redirect_uri', 'android_package_name', 'institution_data',
      'card_switch', 'account_filters', 'eu_config', 'institution_id', 'payment_configuration', 'payment_initiation',
      'employment', 'income_verification', 'base_report', 'credit_partner_insights', 'cra_options',
      'consumer_report_permissible_purpose', 'auth', 'transfer', 'update', 'identity_verification', 'statements',
      'third_party_user_token', 'investments', 'investments_auth', 'hosted_link', 'transactions', 'cashflow_report',
      'cra_enabled', 'identity', 'financekit_supported', 'enable_multi_item_link', 'user_token',
    ],
    ['client_name', 'language', 'country_codes'],
    linkTokenCreate,
  ),
  '/link/token/get': route(['link_token'], ['link_token'], linkTokenGet),
  '/sandbox/public_token/create': route(
    ['institution_id', 'initial_products', 'options', 'user_token', 'user_id'],
    ['institution_id', 'initial_products'],
    sandboxPublicTokenCreate,
  ),
  '/item/public_token/exchange': route(['public_token'], ['public_token'], itemPublicTokenExchange),
  '/item/get': route(['access_token'], ['access_token'], itemGet),
  '/accounts/get': route(['access_token', 'options'], ['access_token'], accounts(false)),
  '/accounts/balance/get': route(['access_token', 'options'], ['access_token'], accounts(true)),
  '/transactions/sync': route(['access_token', 'cursor', 'count', 'options'], ['access_token'], transactionsSync),
  '/transactions/recurring/get': route(['access_token', 'options', 'account_ids'], ['access_token'], transactionsRecurringGet),
  '/item/remove': route(['access_token', 'reason_code', 'reason_note'], ['access_token'], itemRemove),
  '/webhook_verification_key/get': route(['key_id'], ['key_id'], webhookVerificationKeyGet),
  '/sandbox/item/fire_webhook': route(['access_token', 'webhook_type', 'webhook_code'], ['access_token', 'webhook_code'], sandboxItemFireWebhook),
  '/sandbox/item/reset_login': route(['access_token'], ['access_token'], sandboxItemResetLogin),
};

/** Field checks every route shares: required fields first, then fields the endpoint does not know. */
export async function handlePlaidRequest(route: Route, raw: Fields, ctx: ApiContext): Promise<Fields> {
  const missing = route.required.filter((f) => raw[f] === undefined || raw[f] === null || raw[f] === '');
  if (missing.length > 0) throw missingFields(missing);
  const extra = Object.keys(raw).filter((f) => !route.fields.includes(f));
  if (extra.length > 0) throw unknownFields(extra);
  return route.handle(new RequestBody(raw), ctx);
}
