import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createPlaidConnector } from '../../../lib/banking/plaid-connector';
import * as fixtures from './fixtures';
import { startPlaidServer, type PlaidServer } from './plaid-server';

// Counts how often the SDK module is evaluated: the factory runs on its first import only.
const sdk = vi.hoisted(() => ({ loads: 0 }));
vi.mock('plaid', async (importOriginal) => {
  sdk.loads += 1;
  return importOriginal();
});

let server: PlaidServer;
beforeAll(async () => {
  server = await startPlaidServer();
});
afterAll(async () => {
  await server.close();
});

it('loads the Plaid SDK on the first bank call, not when the connector is created, and once', async () => {
  server.on('/webhook_verification_key/get', { status: 200, body: fixtures.webhookKeyResponse });
  const bank = createPlaidConnector({ baseUrl: server.url, clientId: 'client', secret: 'secret' });
  expect(sdk.loads).toBe(0);

  const [first, second] = await Promise.all([bank.getWebhookVerificationKey('kid-1'), bank.getWebhookVerificationKey('kid-1')]);

  expect(first.kid).toBe(second.kid);
  expect(sdk.loads).toBe(1);
  expect(server.requests.map((r) => r.path)).toEqual(['/webhook_verification_key/get', '/webhook_verification_key/get']);
});
