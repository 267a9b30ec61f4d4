/**
 * Test and demo controls: what a tester would do at the bank's back office. Available in-process
 * (`bank.controls`) and over HTTP under `/__control/` (JSON), so the local stack, a browser and
 * tests in another process can all drive the bank. They are unauthenticated: this is a local tool.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ControlError, type ArmedMutation, type Bank, type BalanceInput, type Item, type ItemRemoval, type ModifyInput, type PostTransactionInput, type SettleInput } from './bank';
import { ARMED_ERROR_PRESETS, armedErrorSpec, type ArmedErrorPreset, type PlaidErrorSpec } from './errors';
import { readBody, sendJson } from './http';
import { PLAID_ROUTES } from './plaid-api';
import type { AccountBase, Transaction, WebhookVerificationKey } from './types';
import { ITEM_WEBHOOK_TYPES, isItemWebhookCode, type ItemWebhookCode, type WebhookDelivery, type WebhookKeys, type WebhookSender } from './webhooks';

export interface ItemSummary {
  item_id: string;
  access_token: string | null;
  institution_id: string;
  institution_name: string;
  username: string;
  webhook: string | null;
  /** ITEM_LOGIN_REQUIRED, USER_PERMISSION_REVOKED, or null when healthy. */
  error_code: string | null;
  removed: boolean;
  /** The reason /item/remove was given, once the item is removed. */
  removal: ItemRemoval | null;
  created_at: string;
  accounts: AccountBase[];
  transaction_count: number;
}

/** A failure armed for the next calls to an endpoint (`*` = any endpoint). */
export interface ArmedFailure {
  path: string;
  remaining: number;
  error: PlaidErrorSpec;
}

/** Mutable runtime settings the server reads on every call. */
export interface Runtime {
  latencyMs: number;
  failures: ArmedFailure[];
}

export interface SandboxControls {
  listItems(): ItemSummary[];
  /** `ref` is an item_id or an access token, everywhere below. */
  getItem(ref: string): ItemSummary;
  /** The bank's current transactions for an item (what a complete sync should hold). */
  listTransactions(ref: string): Transaction[];
  postTransaction(ref: string, input: PostTransactionInput): Transaction;
  /** Pending → posted: removes the pending transaction, adds a posted one pointing at it. */
  settleTransaction(ref: string, transactionId: string, input?: SettleInput): Transaction;
  modifyTransaction(ref: string, transactionId: string, input: ModifyInput): Transaction;
  removeTransaction(ref: string, transactionId: string): Transaction;
  setBalance(ref: string, accountId: string, input: BalanceInput): AccountBase;
  /** ITEM_LOGIN_REQUIRED, as /sandbox/item/reset_login (fires ITEM ERROR). */
  forceLoginRequired(ref: string): void;
  /** Clears ITEM_LOGIN_REQUIRED outside update mode (fires LOGIN_REPAIRED). */
  repairLogin(ref: string): void;
  /** USER_PERMISSION_REVOKED state (fires USER_PERMISSION_REVOKED). */
  revokePermission(ref: string): void;
  setWebhookUrl(ref: string, url: string | null): void;
  /** Sends one webhook now and resolves with its delivery record. */
  fireWebhook(ref: string, code: ItemWebhookCode): Promise<WebhookDelivery>;
  webhookDeliveries(filter?: { itemId?: string }): WebhookDelivery[];
  /** Waits for webhooks still being delivered. */
  flushWebhooks(): Promise<void>;
  currentWebhookKeyId(): string;
  /** New signing key; the old one gets `expired_at` and still verifies older webhooks. */
  rotateWebhookKey(): Promise<WebhookVerificationKey>;
  setLatency(ms: number): void;
  /** The next `count` calls to `path` (or `*`) fail with this Plaid error. */
  failNext(path: string, count: number, error: ArmedErrorPreset | PlaidErrorSpec): void;
  clearFailures(): void;
  /**
   * A change lands in the item's log right after the next /transactions/sync page that has
   * `has_more`, so the client's next page gets TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION.
   * `settle` names a pending transaction to post (a removal and an addition), `transaction` a
   * posting; by default the first pending transaction settles, or a coffee purchase is posted.
   */
  armSyncMutation(ref: string, input?: ArmedMutation): void;
}

export function createControls(bank: Bank, runtime: Runtime, sender: WebhookSender, keys: WebhookKeys): SandboxControls {
  const item = (ref: string): Item => bank.itemForControl(ref);
  const summary = (i: Item): ItemSummary => ({
    item_id: i.item_id,
    access_token: i.accessToken,
    institution_id: i.institution.institution_id,
    institution_name: i.institution.name,
    username: i.person.username,
    webhook: i.webhook,
    error_code: i.error?.error_code ?? null,
    removed: i.removed,
    removal: i.removal,
    created_at: i.created_at,
    accounts: i.accounts.map((a) => bank.accountView(a)),
    transaction_count: i.ledger.list().length,
  });

  return {
    listItems: () => [...bank.items.values()].map(summary),
    getItem: (ref) => summary(bank.items.get(ref) ?? item(ref)),
    listTransactions: (ref) => item(ref).ledger.list(),
    postTransaction: (ref, input) => bank.postTransaction(item(ref), input),
    settleTransaction: (ref, id, input) => bank.settleTransaction(item(ref), id, input),
    modifyTransaction: (ref, id, input) => bank.modifyTransaction(item(ref), id, input),
    removeTransaction: (ref, id) => bank.removeTransaction(item(ref), id),
    setBalance: (ref, accountId, input) => bank.setBalance(item(ref), accountId, input),
    forceLoginRequired: (ref) => bank.forceLoginRequired(item(ref)),
    repairLogin: (ref) => bank.repairLogin(item(ref)),
    revokePermission: (ref) => bank.revokePermission(item(ref)),
    setWebhookUrl: (ref, url) => {
      if (url !== null) {
        try {
          new URL(url);
        } catch {
          throw new ControlError(400, 'url must be an absolute URL or null');
        }
      }
      item(ref).webhook = url;
    },
    fireWebhook: async (ref, code) => {
      if (!isItemWebhookCode(code)) throw new ControlError(400, `webhook_code must be one of ${Object.keys(ITEM_WEBHOOK_TYPES).join(', ')}`);
      const delivery = bank.sendItemWebhook(item(ref), code);
      if (!delivery) throw new ControlError(409, `item ${ref} has no webhook URL`);
      return delivery;
    },
    webhookDeliveries: (filter) => sender.list(filter),
    flushWebhooks: () => sender.flush(),
    currentWebhookKeyId: () => keys.currentKeyId,
    rotateWebhookKey: () => keys.rotate(),
    setLatency: (ms) => {
      if (!Number.isFinite(ms) || ms < 0) throw new ControlError(400, 'latency must be a non-negative number of milliseconds');
      runtime.latencyMs = ms;
    },
    failNext: (path, count, error) => {
      if (path !== '*' && !PLAID_ROUTES[path]) throw new ControlError(400, `unknown endpoint ${path}`);
      if (!Number.isInteger(count) || count < 1) throw new ControlError(400, 'count must be a positive integer');
      const spec = typeof error === 'string' ? presetOrThrow(error, path) : validSpec(error);
      runtime.failures.push({ path, remaining: count, error: spec });
    },
    clearFailures: () => {
      runtime.failures.length = 0;
    },
    armSyncMutation: (ref, input = {}) => {
      const target = item(ref);
      if (input.settle !== undefined && !target.ledger.get(input.settle)?.pending) {
        throw new ControlError(409, `transaction ${input.settle} is not a pending transaction of this item`);
      }
      target.armedMutation = input;
    },
  };
}

function presetOrThrow(preset: string, path: string): PlaidErrorSpec {
  if (!(ARMED_ERROR_PRESETS as readonly string[]).includes(preset)) {
    throw new ControlError(400, `error must be one of ${ARMED_ERROR_PRESETS.join(', ')} or {status, error_type, error_code, error_message}`);
  }
  return armedErrorSpec(preset as ArmedErrorPreset, path);
}

function validSpec(error: PlaidErrorSpec): PlaidErrorSpec {
  const ok =
    typeof error === 'object' &&
    error !== null &&
    Number.isInteger(error.status) &&
    error.status >= 400 &&
    error.status <= 599 &&
    typeof error.error_type === 'string' &&
    typeof error.error_code === 'string' &&
    typeof error.error_message === 'string';
  if (!ok) throw new ControlError(400, 'error needs status (4xx/5xx), error_type, error_code and error_message');
  return error;
}

// ── HTTP ───────────────────────────────────────────────────────────────────────────────────

type JsonBody = Record<string, unknown>;
type Run = (c: SandboxControls, params: Record<string, string>, body: JsonBody, url: URL) => unknown;

/** `:name` segments match one path segment each. */
function route(method: string, path: string, run: Run) {
  const names: string[] = [];
  const pattern = new RegExp(
    `^${path.replace(/:(\w+)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}$`,
  );
  return { method, path, pattern, names, run };
}

const ITEM = '/__control/items/:item';

const CONTROL_ROUTES = [
  route('GET', '/__control/items', (c) => c.listItems()),
  route('GET', ITEM, (c, p) => c.getItem(p.item!)),
  route('GET', `${ITEM}/transactions`, (c, p) => c.listTransactions(p.item!)),
  route('POST', `${ITEM}/transactions`, (c, p, body) => c.postTransaction(p.item!, body as unknown as PostTransactionInput)),
  route('POST', `${ITEM}/transactions/:transaction/settle`, (c, p, body) => c.settleTransaction(p.item!, p.transaction!, body as SettleInput)),
  route('PATCH', `${ITEM}/transactions/:transaction`, (c, p, body) => c.modifyTransaction(p.item!, p.transaction!, body as ModifyInput)),
  route('DELETE', `${ITEM}/transactions/:transaction`, (c, p) => c.removeTransaction(p.item!, p.transaction!)),
  route('PUT', `${ITEM}/accounts/:account/balance`, (c, p, body) => c.setBalance(p.item!, p.account!, body as BalanceInput)),
  route('POST', `${ITEM}/login-required`, (c, p) => c.forceLoginRequired(p.item!)),
  route('POST', `${ITEM}/login-repaired`, (c, p) => c.repairLogin(p.item!)),
  route('POST', `${ITEM}/permission-revoked`, (c, p) => c.revokePermission(p.item!)),
  route('PUT', `${ITEM}/webhook`, (c, p, body) => c.setWebhookUrl(p.item!, typeof body.url === 'string' ? body.url : null)),
  route('POST', `${ITEM}/webhooks`, (c, p, body) => c.fireWebhook(p.item!, body.webhook_code as ItemWebhookCode)),
  route('POST', `${ITEM}/sync-mutation`, (c, p, body) => c.armSyncMutation(p.item!, body as ArmedMutation)),
  route('GET', '/__control/webhooks', (c, _p, _b, url) => c.webhookDeliveries(url.searchParams.has('item_id') ? { itemId: url.searchParams.get('item_id')! } : {})),
  route('POST', '/__control/webhooks/flush', (c) => c.flushWebhooks()),
  route('POST', '/__control/webhook-keys/rotate', (c) => c.rotateWebhookKey()),
  route('PUT', '/__control/latency', (c, _p, body) => c.setLatency(Number(body.ms))),
  route('POST', '/__control/failures', (c, _p, body) => c.failNext(String(body.path), Number(body.count ?? 1), body.error as ArmedErrorPreset | PlaidErrorSpec)),
  route('DELETE', '/__control/failures', (c) => c.clearFailures()),
];

/** Serves `/__control/...`: JSON in, JSON out (204 when there is nothing to return). */
export async function handleControlRequest(req: IncomingMessage, res: ServerResponse, url: URL, controls: SandboxControls): Promise<void> {
  if (url.pathname === '/__control' || url.pathname === '/__control/') {
    sendJson(res, 200, { routes: CONTROL_ROUTES.map((r) => `${r.method} ${r.path}`) });
    return;
  }
  const method = req.method ?? 'GET';
  for (const { method: routeMethod, pattern, names, run } of CONTROL_ROUTES) {
    const match = pattern.exec(url.pathname);
    if (!match || routeMethod !== method) continue;
    const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
    try {
      const raw = (await readBody(req)).toString('utf8');
      let body: JsonBody = {};
      if (raw.trim() !== '') {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ControlError(400, 'body must be a JSON object');
        body = parsed as JsonBody;
      }
      const result = await run(controls, params, body, url);
      if (result === undefined) res.writeHead(204).end();
      else sendJson(res, method === 'POST' && /\/transactions$/.test(url.pathname) ? 201 : 200, result);
    } catch (error) {
      if (error instanceof ControlError) sendJson(res, error.status, { error: error.message });
      else if (error instanceof SyntaxError) sendJson(res, 400, { error: 'body is not valid JSON' });
      else throw error;
    }
    return;
  }
  sendJson(res, 404, { error: `no control ${method} ${url.pathname}` });
}
