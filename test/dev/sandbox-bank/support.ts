/**
 * Test helpers for the sandbox bank. `plaid()` is the one way tests call the Plaid endpoints: it
 * sends with plain fetch (credentials as headers, like the SDK) and holds both directions to the
 * OpenAPI spec, strictly — every request a test sends and every response the bank gives, success
 * or error, must validate and must not carry fields the spec does not describe.
 */
import { expect } from 'vitest';
import { startSandboxBank, type SandboxBank, type SandboxBankOptions } from '../../../dev/sandbox-bank/server';
import { validateRequest, validateResponse } from '../../support/plaid-spec';

export const CLIENT_ID = 'test-client-id';
export const SECRET = 'test-secret';

/** A fixed instant: histories and dates in tests do not move with the wall clock. */
export const FIXED_NOW = new Date('2026-11-20T15:30:00Z');

export function startBank(options: SandboxBankOptions = {}): Promise<SandboxBank> {
  return startSandboxBank({ clientId: CLIENT_ID, secret: SECRET, now: () => FIXED_NOW, ...options });
}

export interface PlaidResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export interface CallOptions {
  /** For tests that send a malformed request on purpose: skip the request contract check. */
  invalidRequest?: boolean;
  /** Where to put the credentials (default: headers, as the SDK does); 'none' sends none. */
  credentials?: 'headers' | 'body' | 'none' | { clientId: string; secret: string };
}

export async function plaid<T = Record<string, unknown>>(
  bank: SandboxBank,
  path: string,
  body: Record<string, unknown>,
  options: CallOptions = {},
): Promise<PlaidResponse<T>> {
  if (!options.invalidRequest) expect(validateRequest(path, body, { strict: true }), `request to ${path}`).toEqual([]);
  const credentials = options.credentials ?? 'headers';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  let sent = body;
  if (credentials === 'headers') Object.assign(headers, { 'PLAID-CLIENT-ID': CLIENT_ID, 'PLAID-SECRET': SECRET });
  else if (credentials === 'body') sent = { client_id: CLIENT_ID, secret: SECRET, ...body };
  else if (typeof credentials === 'object') Object.assign(headers, { 'PLAID-CLIENT-ID': credentials.clientId, 'PLAID-SECRET': credentials.secret });
  const res = await fetch(`${bank.url}${path}`, { method: 'POST', headers, body: JSON.stringify(sent) });
  const json = (await res.json()) as Record<string, unknown>;
  expect(validateResponse(path, res.status, json, { strict: true }), `response ${res.status} from ${path}`).toEqual([]);
  expect(typeof json.request_id, `request_id from ${path}`).toBe('string');
  return { status: res.status, body: json as T };
}

/** The error fields tests assert on. */
export function errorOf(response: PlaidResponse): { status: number; type: unknown; code: unknown } {
  return { status: response.status, type: response.body.error_type, code: response.body.error_code };
}

/** Links an item without the hosted page and returns its access token. */
export async function linkItem(
  bank: SandboxBank,
  options: { username?: string; institutionId?: string; webhook?: string } = {},
): Promise<{ accessToken: string; itemId: string }> {
  const created = await plaid<{ public_token: string }>(bank, '/sandbox/public_token/create', {
    institution_id: options.institutionId ?? 'ins_109508',
    initial_products: ['transactions'],
    options: {
      ...(options.username ? { override_username: options.username } : {}),
      ...(options.webhook ? { webhook: options.webhook } : {}),
    },
  });
  expect(created.status).toBe(200);
  const exchanged = await plaid<{ access_token: string; item_id: string }>(bank, '/item/public_token/exchange', {
    public_token: created.body.public_token,
  });
  expect(exchanged.status).toBe(200);
  return { accessToken: exchanged.body.access_token, itemId: exchanged.body.item_id };
}

export interface SyncedTransaction {
  transaction_id: string;
  account_id: string;
  amount: number;
  pending: boolean;
  pending_transaction_id: string | null;
  date: string;
  name: string;
  merchant_name: string | null;
  personal_finance_category: { primary: string; detailed: string };
}

export interface SyncPageBody {
  added: SyncedTransaction[];
  modified: SyncedTransaction[];
  removed: { transaction_id: string; account_id: string }[];
  next_cursor: string;
  has_more: boolean;
}

/**
 * A correct /transactions/sync client, as Plaid documents it: page until has_more is false,
 * apply changes to a local copy, and on TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION restart the
 * whole run from the cursor it started with, discarding that run's pages.
 */
export async function syncAll(
  bank: SandboxBank,
  accessToken: string,
  state: Map<string, SyncedTransaction>,
  cursor: string | undefined,
  count = 100,
): Promise<{ cursor: string; pages: number; restarts: number }> {
  let restarts = 0;
  for (;;) {
    const staged = new Map(state);
    let next = cursor;
    let pages = 0;
    let restarted = false;
    for (;;) {
      const res = await plaid<SyncPageBody>(bank, '/transactions/sync', {
        access_token: accessToken,
        count,
        ...(next === undefined ? {} : { cursor: next }),
      });
      if (res.status !== 200) {
        expect(res.body).toMatchObject({ error_code: 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION' });
        restarts += 1;
        restarted = true;
        break;
      }
      pages += 1;
      for (const t of [...res.body.added, ...res.body.modified]) staged.set(t.transaction_id, t);
      for (const r of res.body.removed) staged.delete(r.transaction_id);
      next = res.body.next_cursor;
      if (!res.body.has_more) break;
    }
    if (restarted) continue;
    state.clear();
    for (const [id, t] of staged) state.set(id, t);
    return { cursor: next!, pages, restarts };
  }
}

/** A receiver for the bank's webhooks: records raw bodies and headers, answers `status`. */
export { startWebhookReceiver } from './receiver';
