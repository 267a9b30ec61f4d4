import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { httpApiEvent } from '../../dev/messenger-payloads';
import type { WebhookVerificationKey } from '../../lib/banking/bank-connector';
import type { Store } from '../../lib/store';
import { startPlaidServer, type PlaidServer } from '../lib/banking/plaid-server';
import { createTestTables, type TestTables } from '../support/dynamodb';
import { lambdaContext, loadHandler } from '../support/functions';

/**
 * The bankWebhook function's key lookups through its real wiring: a cold container finds the
 * bank's key in the table's shared cache and verifies without loading the Plaid SDK or calling
 * the bank; only the first container to meet a key asks the bank, and shares what it got.
 */
type Http = (event: APIGatewayProxyEventV2, context: ReturnType<typeof lambdaContext>) => Promise<APIGatewayProxyStructuredResultV2>;

// Counts evaluations of the Plaid SDK module. The factory runs on the file's first import only
// (vi.resetModules keeps mocked modules), so the test that checks it stays the file's first.
const sdk = vi.hoisted(() => ({ loads: 0 }));
vi.mock('plaid', async (importOriginal) => {
  sdk.loads += 1;
  return importOriginal();
});

let tables: TestTables;
let plaid: PlaidServer;
let store: Store;
let signing: { privateKey: CryptoKey; jwk: WebhookVerificationKey };

beforeAll(async () => {
  tables = await createTestTables();
  plaid = await startPlaidServer();
  store = tables.store();
});

afterAll(async () => {
  await plaid.close();
  await tables.dispose();
});

beforeEach(async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const { x, y } = await exportJWK(publicKey);
  const kid = crypto.randomUUID();
  signing = { privateKey, jwk: { kid, kty: 'EC', crv: 'P-256', alg: 'ES256', x: x!, y: y!, createdAt: Math.floor(Date.now() / 1000) - 86_400, expiredAt: null } };
  plaid.reset();
  const { jwk } = signing;
  plaid.on('/webhook_verification_key/get', {
    status: 200,
    body: { key: { alg: jwk.alg, created_at: jwk.createdAt, crv: jwk.crv, expired_at: jwk.expiredAt, kid: jwk.kid, kty: jwk.kty, use: 'sig', x: jwk.x, y: jwk.y }, request_id: 'req-1' },
  });
});

/** A fresh container, as Lambda starts one. */
const coldContainer = () =>
  loadHandler<Http>(() => import('../../functions/bank-webhook'), {
    tableName: tables.names.main,
    auditTableName: tables.names.audit,
    dynamodbEndpoint: tables.endpoint,
    extra: { PLAID_BASE_URL: plaid.url, SYNC_QUEUE_URL: 'http://127.0.0.1:9/000000000000/sync' },
  });

/** A webhook the product ignores (no queue, no Messenger), signed as Plaid signs it. */
async function signedWebhook(): Promise<APIGatewayProxyEventV2> {
  const body = JSON.stringify({ webhook_type: 'TRANSACTIONS', webhook_code: 'DEFAULT_UPDATE', item_id: `item-${crypto.randomUUID()}`, new_transactions: 1, environment: 'sandbox' }, null, 2);
  const header = await new SignJWT({ request_body_sha256: createHash('sha256').update(body).digest('hex') })
    .setProtectedHeader({ alg: 'ES256', kid: signing.jwk.kid, typ: 'JWT' })
    .setIssuedAt()
    .sign(signing.privateKey);
  return httpApiEvent({ method: 'POST', path: '/bank/webhook', body, headers: { 'content-type': 'application/json', 'plaid-verification': header } });
}

it('verifies in a cold container from the shared key cache without loading the Plaid SDK or calling the bank', async () => {
  await store.putWebhookKey({ ...signing.jwk, fetchedAt: Math.floor(Date.now() / 1000) - 60 }, 86_400);
  const handler = await coldContainer();

  const answer = await handler(await signedWebhook(), lambdaContext('bankWebhook'));

  expect(answer.statusCode).toBe(200);
  expect(plaid.requests).toEqual([]);
  expect(sdk.loads).toBe(0);
});

it('asks the bank for a key no container has shared yet, once: the next cold container finds it in the table', async () => {
  const first = await coldContainer();
  const firstAnswer = await first(await signedWebhook(), lambdaContext('bankWebhook'));
  const second = await coldContainer();

  const secondAnswer = await second(await signedWebhook(), lambdaContext('bankWebhook'));

  expect([firstAnswer.statusCode, secondAnswer.statusCode]).toEqual([200, 200]);
  expect(plaid.requestsTo('/webhook_verification_key/get')).toHaveLength(1);
  expect((await store.listWebhookKeys()).map((k) => k.kid)).toContain(signing.jwk.kid);
});

it('refuses a webhook signed by another key under a kid the shared cache holds, without asking the bank', async () => {
  const other = await generateKeyPair('ES256', { extractable: true });
  const { x, y } = await exportJWK(other.publicKey);
  await store.putWebhookKey({ ...signing.jwk, x: x!, y: y!, fetchedAt: Math.floor(Date.now() / 1000) - 60 }, 86_400);
  const handler = await coldContainer();

  const answer = await handler(await signedWebhook(), lambdaContext('bankWebhook'));

  expect(answer.statusCode).toBe(401);
  expect(plaid.requests).toEqual([]);
});
