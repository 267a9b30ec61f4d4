/**
 * The verifier against webhooks the sandbox bank really signs and POSTs, with keys fetched through
 * the production Plaid adapter. Bank and verifier share one settable clock, so `iat` and key expiry
 * are exact and no test waits for time to pass.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxBank, type ItemWebhookCode, type SandboxBank } from '../../../dev/sandbox-bank/server';
import type { BankConnector } from '../../../lib/banking/bank-connector';
import { createPlaidConnector } from '../../../lib/banking/plaid-connector';
import { createWebhookVerifier, parsePlaidWebhook, WebhookUnverified, type WebhookVerifier } from '../../../lib/banking/webhook-verification';
import { CLIENT_ID, SECRET, linkItem } from '../../dev/sandbox-bank/support';

interface Captured {
  raw: Buffer;
  headers: IncomingHttpHeaders;
}

/** A webhook endpoint on 127.0.0.1 that keeps each request's exact bytes and headers. */
async function startReceiver() {
  const received: Captured[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ raw: Buffer.concat(chunks), headers: req.headers });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/plaid/webhook`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const START = new Date('2026-11-20T15:30:00Z');
let now = START;
const clock = () => now;
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

let bank: SandboxBank;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let connector: BankConnector;

beforeAll(async () => {
  receiver = await startReceiver();
  bank = await startSandboxBank({ clientId: CLIENT_ID, secret: SECRET, now: () => clock(), webhookTimeoutMs: 2_000 });
  connector = createPlaidConnector({ baseUrl: bank.url, clientId: CLIENT_ID, secret: SECRET, maxAttempts: 1 });
});

afterAll(async () => {
  await bank?.close();
  await receiver?.close();
});

/** A verifier on the real key endpoint, recording which kids it asked for. */
function newVerifier(): { verifier: WebhookVerifier; fetchedKids: string[] } {
  const fetchedKids: string[] = [];
  const verifier = createWebhookVerifier({
    clock,
    fetchKey: (kid) => {
      fetchedKids.push(kid);
      return connector.getWebhookVerificationKey(kid);
    },
  });
  return { verifier, fetchedKids };
}

const keyRequests = () => bank.apiCalls().filter((c) => c.path === '/webhook_verification_key/get').length;

async function linkedItem(): Promise<string> {
  const { itemId } = await linkItem(bank);
  bank.controls.setWebhookUrl(itemId, receiver.url);
  return itemId;
}

/** Fires a webhook and returns what reached the receiver (fireWebhook resolves once it was answered). */
async function fire(itemId: string, code: ItemWebhookCode): Promise<{ raw: Buffer; header: string | undefined }> {
  const before = receiver.received.length;
  const delivery = await bank.controls.fireWebhook(itemId, code);
  expect(delivery).toMatchObject({ status: 200, error: null });
  expect(receiver.received).toHaveLength(before + 1);
  const captured = receiver.received.at(-1)!;
  const header = captured.headers['plaid-verification'];
  return { raw: captured.raw, header: typeof header === 'string' ? header : undefined };
}

async function refusal(verification: Promise<void>): Promise<WebhookUnverified> {
  const error = await verification.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookUnverified);
  return error as WebhookUnverified;
}

const kidOf = (header: string | undefined) => decodeProtectedHeader(header!).kid;

describe('webhooks signed by the sandbox bank', () => {
  it('verifies SYNC_UPDATES_AVAILABLE and parses it into a targeted sync', async () => {
    const itemId = await linkedItem();
    const { verifier, fetchedKids } = newVerifier();
    const requestsBefore = keyRequests();

    const webhook = await fire(itemId, 'SYNC_UPDATES_AVAILABLE');
    await verifier.verify(webhook.raw, webhook.header);

    expect(parsePlaidWebhook(webhook.raw).event).toEqual({ kind: 'sync-updates-available', itemId });
    expect(fetchedKids).toEqual([bank.controls.currentWebhookKeyId()]);
    expect(keyRequests()).toBe(requestsBefore + 1);
  });

  it('verifies USER_PERMISSION_REVOKED with the cached key and parses it into the revocation path', async () => {
    const itemId = await linkedItem();
    const { verifier, fetchedKids } = newVerifier();
    const sync = await fire(itemId, 'SYNC_UPDATES_AVAILABLE');
    await verifier.verify(sync.raw, sync.header);
    const requestsBefore = keyRequests();

    const revoked = await fire(itemId, 'USER_PERMISSION_REVOKED');
    await verifier.verify(revoked.raw, revoked.header);

    expect(parsePlaidWebhook(revoked.raw).event).toEqual({ kind: 'permission-revoked', itemId });
    expect(fetchedKids).toHaveLength(1);
    expect(keyRequests()).toBe(requestsBefore);
  });

  it.each([
    ['ERROR', 'login-required'],
    ['PENDING_EXPIRATION', 'pending-expiration'],
    ['PENDING_DISCONNECT', 'pending-disconnect'],
    ['USER_ACCOUNT_REVOKED', 'permission-revoked'],
    ['LOGIN_REPAIRED', 'login-repaired'],
    ['NEW_ACCOUNTS_AVAILABLE', 'ignored'],
    ['DEFAULT_UPDATE', 'ignored'],
  ] as const)('verifies %s and parses it as %s', async (code, kind) => {
    const itemId = await linkedItem();
    const { verifier } = newVerifier();

    const webhook = await fire(itemId, code);
    await verifier.verify(webhook.raw, webhook.header);

    expect(parsePlaidWebhook(webhook.raw).event.kind).toBe(kind);
  });

  it('refuses the delivery with one byte of the body changed', async () => {
    const itemId = await linkedItem();
    const { verifier } = newVerifier();
    const webhook = await fire(itemId, 'USER_PERMISSION_REVOKED');
    const tampered = Buffer.from(webhook.raw);
    // The item id's last character: the revocation would hit another item.
    const at = tampered.indexOf(itemId) + itemId.length - 1;
    tampered[at] = tampered[at]! ^ 0x01;

    expect((await refusal(verifier.verify(tampered, webhook.header))).reason).toBe('body-mismatch');
  });

  it('refuses the body re-serialised: the bank sends it pretty-printed and signs those bytes', async () => {
    const itemId = await linkedItem();
    const { verifier } = newVerifier();
    const webhook = await fire(itemId, 'SYNC_UPDATES_AVAILABLE');
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(webhook.raw.toString('utf8'))), 'utf8');

    expect(reserialised.equals(webhook.raw)).toBe(false);
    expect((await refusal(verifier.verify(reserialised, webhook.header))).reason).toBe('body-mismatch');
  });

  it('accepts a redelivery 299 s after signing and refuses one 301 s after', async () => {
    const itemId = await linkedItem();
    const { verifier } = newVerifier();
    const webhook = await fire(itemId, 'SYNC_UPDATES_AVAILABLE');

    advance(299_000);
    const late = verifier.verify(webhook.raw, webhook.header);
    await expect(late).resolves.toBeUndefined();
    advance(2_000);
    const tooLate = await refusal(verifier.verify(webhook.raw, webhook.header));

    expect(tooLate.reason).toBe('too-old');
  });

  it('refuses a token signed with a key the bank never issued, after one key request', async () => {
    const itemId = await linkedItem();
    const { verifier } = newVerifier();
    const webhook = await fire(itemId, 'SYNC_UPDATES_AVAILABLE');
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ request_body_sha256: createHash('sha256').update(webhook.raw).digest('hex') })
      .setProtectedHeader({ alg: 'ES256', kid: '6c5516e1-92dc-479e-a8ff-5a51992e0001', typ: 'JWT' })
      .setIssuedAt(Math.floor(clock().getTime() / 1000))
      .sign(privateKey);
    const requestsBefore = keyRequests();

    expect((await refusal(verifier.verify(webhook.raw, forged))).reason).toBe('key-unavailable');
    expect(keyRequests()).toBe(requestsBefore + 1);
  });

  it('gives two separate, identical SYNC_UPDATES_AVAILABLE the same dedupe id (bodies carry no delivery id)', async () => {
    const itemId = await linkedItem();

    const first = await fire(itemId, 'SYNC_UPDATES_AVAILABLE');
    advance(60_000);
    const second = await fire(itemId, 'SYNC_UPDATES_AVAILABLE');

    expect(second.header).not.toBe(first.header);
    expect(parsePlaidWebhook(second.raw).dedupeId).toBe(parsePlaidWebhook(first.raw).dedupeId);
  });
});

describe('key rotation at the sandbox bank', () => {
  it('verifies the new key’s webhooks (one fetch), then refuses the old key, which rotation expired at once', async () => {
    const itemId = await linkedItem();
    const { verifier, fetchedKids } = newVerifier();
    const oldKid = bank.controls.currentWebhookKeyId();
    const beforeRotation = await fire(itemId, 'SYNC_UPDATES_AVAILABLE');
    await verifier.verify(beforeRotation.raw, beforeRotation.header);

    advance(1_000);
    const newKey = await bank.controls.rotateWebhookKey();
    const afterRotation = await fire(itemId, 'LOGIN_REPAIRED');
    await verifier.verify(afterRotation.raw, afterRotation.header);
    await verifier.verify(afterRotation.raw, afterRotation.header);
    const oldAgain = await refusal(verifier.verify(beforeRotation.raw, beforeRotation.header));

    expect(kidOf(beforeRotation.header)).toBe(oldKid);
    expect(kidOf(afterRotation.header)).toBe(newKey.kid);
    expect(await connector.getWebhookVerificationKey(oldKid)).toMatchObject({ expiredAt: Math.floor(clock().getTime() / 1000) });
    expect(oldAgain.reason).toBe('key-expired');
    expect(fetchedKids).toEqual([oldKid, newKey.kid, oldKid]);
  });

  it('refuses a webhook captured before the rotation at a verifier that fetches the old key afterwards', async () => {
    const itemId = await linkedItem();
    const captured = await fire(itemId, 'USER_PERMISSION_REVOKED');

    await bank.controls.rotateWebhookKey();
    const { verifier } = newVerifier();

    expect((await refusal(verifier.verify(captured.raw, captured.header))).reason).toBe('key-expired');
  });

  it('still accepts the old key from its cache until a webhook under a newer kid arrives', async () => {
    const itemId = await linkedItem();
    const { verifier } = newVerifier();
    const captured = await fire(itemId, 'SYNC_UPDATES_AVAILABLE');
    await verifier.verify(captured.raw, captured.header);

    await bank.controls.rotateWebhookKey();
    // A cache cannot learn of the rotation by itself: the old key is trusted until the new kid shows up.
    await expect(verifier.verify(captured.raw, captured.header)).resolves.toBeUndefined();
    const next = await fire(itemId, 'SYNC_UPDATES_AVAILABLE');
    await verifier.verify(next.raw, next.header);

    expect((await refusal(verifier.verify(captured.raw, captured.header))).reason).toBe('key-expired');
  });
});
