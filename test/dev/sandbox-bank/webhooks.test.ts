import { createHash } from 'node:crypto';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxBank } from '../../../dev/sandbox-bank/server';
import { validateSchema } from '../../support/plaid-spec';
import { CLIENT_ID, SECRET, errorOf, linkItem, plaid, startBank, startWebhookReceiver } from './support';
import type { ReceivedWebhook, WebhookReceiver } from './receiver';

let bank: SandboxBank;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  // Real time here: a verifier checks `iat` against its own clock.
  bank = await startBank({ now: () => new Date(), webhookTimeoutMs: 500 });
});

afterAll(async () => {
  await bank.close();
  await receiver.close();
});

beforeEach(() => {
  receiver.respondWith(200);
});

interface JwkResponse {
  key: { kid: string; alg: string; crv: string; kty: string; use: string; x: string; y: string; created_at: number; expired_at: number | null };
}

/** What the product's bankWebhook must do with every webhook; written with jose as it would be. */
async function verify(webhook: ReceivedWebhook): Promise<{ iat: number; kid: string }> {
  const token = webhook.headers['plaid-verification'];
  if (typeof token !== 'string') throw new Error('no Plaid-Verification header');
  const header = decodeProtectedHeader(token);
  expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT' });
  const jwk = await plaid<JwkResponse>(bank, '/webhook_verification_key/get', { key_id: header.kid });
  expect(jwk.status).toBe(200);
  const key = await importJWK({ kty: jwk.body.key.kty, crv: jwk.body.key.crv, x: jwk.body.key.x, y: jwk.body.key.y }, 'ES256');
  const { payload } = await jwtVerify(token, key, { algorithms: ['ES256'], maxTokenAge: '5 min' });
  expect(payload.request_body_sha256).toBe(createHash('sha256').update(webhook.raw).digest('hex'));
  return { iat: payload.iat!, kid: header.kid! };
}

const byCode = (itemId: string, code: string) => (w: ReceivedWebhook) => w.body.item_id === itemId && w.body.webhook_code === code;

describe('signed webhooks', () => {
  it('delivers SYNC_UPDATES_AVAILABLE, verifiable with the JWK from /webhook_verification_key/get', async () => {
    const { itemId } = await linkItem(bank, { webhook: receiver.url });
    const webhook = await receiver.waitFor(byCode(itemId, 'SYNC_UPDATES_AVAILABLE'));

    const { iat } = await verify(webhook);
    expect(Math.abs(Date.now() / 1000 - iat)).toBeLessThan(60);
    expect(validateSchema('SyncUpdatesAvailableWebhook', webhook.body, { strict: true })).toEqual([]);
    expect(webhook.body).toEqual({
      webhook_type: 'TRANSACTIONS',
      webhook_code: 'SYNC_UPDATES_AVAILABLE',
      item_id: itemId,
      initial_update_complete: true,
      historical_update_complete: true,
      environment: 'sandbox',
    });
  });

  it('signs the exact bytes sent, so a re-serialised body does not match the hash', async () => {
    const { itemId } = await linkItem(bank, { webhook: receiver.url });
    const webhook = await receiver.waitFor(byCode(itemId, 'SYNC_UPDATES_AVAILABLE'));
    const token = webhook.headers['plaid-verification'] as string;
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { request_body_sha256: string };
    const reserialised = createHash('sha256').update(JSON.stringify(webhook.body)).digest('hex');
    expect(payload.request_body_sha256).not.toBe(reserialised);
  });

  it('fires SYNC_UPDATES_AVAILABLE when a transaction is posted through the controls', async () => {
    const { itemId, accessToken } = await linkItem(bank, { webhook: receiver.url });
    await bank.controls.flushWebhooks();
    const before = receiver.received.filter(byCode(itemId, 'SYNC_UPDATES_AVAILABLE')).length;
    bank.controls.postTransaction(accessToken, { amount: 912.4, merchant: 'Electro World' });
    await bank.controls.flushWebhooks();
    expect(receiver.received.filter(byCode(itemId, 'SYNC_UPDATES_AVAILABLE'))).toHaveLength(before + 1);
  });

  it('sends ITEM ERROR with ITEM_LOGIN_REQUIRED on /sandbox/item/reset_login', async () => {
    const { itemId, accessToken } = await linkItem(bank, { webhook: receiver.url });
    const reset = await plaid(bank, '/sandbox/item/reset_login', { access_token: accessToken });
    expect(reset.body.reset_login).toBe(true);
    const webhook = await receiver.waitFor(byCode(itemId, 'ERROR'));
    await verify(webhook);
    expect(validateSchema('ItemErrorWebhook', webhook.body, { strict: true })).toEqual([]);
    expect(webhook.body).toMatchObject({ webhook_type: 'ITEM', error: { error_type: 'ITEM_ERROR', error_code: 'ITEM_LOGIN_REQUIRED' } });
  });

  it.each([
    ['SYNC_UPDATES_AVAILABLE', 'SyncUpdatesAvailableWebhook', 'TRANSACTIONS'],
    ['DEFAULT_UPDATE', 'DefaultUpdateWebhook', 'TRANSACTIONS'],
    ['ERROR', 'ItemErrorWebhook', 'ITEM'],
    ['PENDING_EXPIRATION', 'PendingExpirationWebhook', 'ITEM'],
    ['PENDING_DISCONNECT', 'PendingDisconnectWebhook', 'ITEM'],
    ['USER_PERMISSION_REVOKED', 'UserPermissionRevokedWebhook', 'ITEM'],
    ['USER_ACCOUNT_REVOKED', 'UserAccountRevokedWebhook', 'ITEM'],
    ['LOGIN_REPAIRED', 'ItemLoginRepairedWebhook', 'ITEM'],
    ['NEW_ACCOUNTS_AVAILABLE', 'NewAccountsAvailableWebhook', 'ITEM'],
  ] as const)('control fires %s with a body valid against %s', async (code, schema, type) => {
    const { itemId, accessToken } = await linkItem(bank, { webhook: receiver.url });
    const delivery = await bank.controls.fireWebhook(accessToken, code);
    expect(delivery).toMatchObject({ item_id: itemId, webhook_type: type, webhook_code: code, status: 200, error: null });
    const webhook = await receiver.waitFor((w) => w.body.item_id === itemId && w.body.webhook_code === code && w.raw.length > 0);
    await verify(webhook);
    expect(validateSchema(schema, webhook.body, { strict: true })).toEqual([]);
  });

  it('/sandbox/item/fire_webhook fires the Plaid sandbox codes it simulates', async () => {
    const { itemId, accessToken } = await linkItem(bank, { webhook: receiver.url });
    const fired = await plaid(bank, '/sandbox/item/fire_webhook', { access_token: accessToken, webhook_code: 'PENDING_DISCONNECT' });
    expect(fired.body.webhook_fired).toBe(true);
    const webhook = await receiver.waitFor(byCode(itemId, 'PENDING_DISCONNECT'));
    expect(validateSchema('PendingDisconnectWebhook', webhook.body, { strict: true })).toEqual([]);
  });

  it('/sandbox/item/fire_webhook answers Plaid’s sandbox errors for products it does not simulate or a missing webhook', async () => {
    const withHook = await linkItem(bank, { webhook: receiver.url });
    const without = await linkItem(bank);
    const assets = await plaid(bank, '/sandbox/item/fire_webhook', { access_token: withHook.accessToken, webhook_code: 'PRODUCT_READY' });
    const noHook = await plaid(bank, '/sandbox/item/fire_webhook', { access_token: without.accessToken, webhook_code: 'SYNC_UPDATES_AVAILABLE' });
    expect(errorOf(assets)).toEqual({ status: 400, type: 'SANDBOX_ERROR', code: 'SANDBOX_PRODUCT_NOT_ENABLED' });
    expect(errorOf(noHook)).toEqual({ status: 400, type: 'SANDBOX_ERROR', code: 'SANDBOX_WEBHOOK_INVALID' });
  });
});

describe('delivery failures', () => {
  it('records a receiver’s 500 without failing the bank', async () => {
    const { accessToken } = await linkItem(bank, { webhook: receiver.url });
    receiver.respondWith(500);
    const delivery = await bank.controls.fireWebhook(accessToken, 'SYNC_UPDATES_AVAILABLE');
    expect(delivery).toMatchObject({ status: 500, error: null });
    const accounts = await plaid(bank, '/accounts/get', { access_token: accessToken });
    expect(accounts.status).toBe(200);
  });

  it('records an unreachable receiver as an attempt with no status', async () => {
    const closed = await startWebhookReceiver();
    await closed.close();
    const { itemId, accessToken } = await linkItem(bank, { webhook: closed.url });
    const delivery = await bank.controls.fireWebhook(accessToken, 'LOGIN_REPAIRED');
    expect(delivery.status).toBeNull();
    expect(delivery.error).toMatch(/ECONNREFUSED|connect/i);
    expect(bank.controls.webhookDeliveries({ itemId }).map((d) => d.webhook_code)).toContain('LOGIN_REPAIRED');
  });

  it('lists deliveries over HTTP for tests in another process', async () => {
    const { itemId, accessToken } = await linkItem(bank, { webhook: receiver.url });
    await bank.controls.fireWebhook(accessToken, 'PENDING_EXPIRATION');
    const res = await fetch(`${bank.url}/__control/webhooks?item_id=${itemId}`);
    const deliveries = (await res.json()) as { webhook_code: string; status: number }[];
    expect(deliveries).toContainEqual(expect.objectContaining({ webhook_code: 'PENDING_EXPIRATION', status: 200 }));
  });
});

describe('verification keys', () => {
  it('serves the current key as an ES256 P-256 JWK', async () => {
    const res = await plaid<JwkResponse>(bank, '/webhook_verification_key/get', { key_id: bank.controls.currentWebhookKeyId() });
    expect(res.body.key).toMatchObject({ alg: 'ES256', crv: 'P-256', kty: 'EC', use: 'sig', expired_at: null, kid: bank.controls.currentWebhookKeyId() });
    expect(Number.isInteger(res.body.key.created_at)).toBe(true);
  });

  it('answers INVALID_INPUT for an unknown key id', async () => {
    const res = await plaid(bank, '/webhook_verification_key/get', { key_id: 'no-such-key' });
    expect(errorOf(res)).toEqual({ status: 400, type: 'INVALID_INPUT', code: 'INVALID_WEBHOOK_VERIFICATION_KEY_ID' });
  });

  it('rotates: new webhooks use the new key, the old key is marked expired but still verifies', async () => {
    const rotating = await startBank({ now: () => new Date() });
    try {
      const oldKid = rotating.controls.currentWebhookKeyId();
      const newKey = await rotating.controls.rotateWebhookKey();
      expect(newKey.kid).not.toBe(oldKid);
      const old = await plaid<JwkResponse>(rotating, '/webhook_verification_key/get', { key_id: oldKid });
      expect(old.body.key.expired_at).toEqual(expect.any(Number));
      const { itemId, accessToken } = await linkItem(rotating, { webhook: receiver.url });
      await rotating.controls.fireWebhook(accessToken, 'LOGIN_REPAIRED');
      const webhook = await receiver.waitFor(byCode(itemId, 'LOGIN_REPAIRED'));
      expect(decodeProtectedHeader(webhook.headers['plaid-verification'] as string).kid).toBe(newKey.kid);
    } finally {
      await rotating.close();
    }
  });

  it('requires API keys for the key endpoint too', async () => {
    const res = await plaid(bank, '/webhook_verification_key/get', { key_id: 'x' }, { credentials: { clientId: CLIENT_ID, secret: `${SECRET}-wrong` } });
    expect(errorOf(res)).toEqual({ status: 400, type: 'INVALID_INPUT', code: 'INVALID_API_KEYS' });
  });
});
