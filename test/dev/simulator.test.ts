import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphStub, type GraphStub } from '../../dev/graph-stub';
import type { SandboxBank } from '../../dev/sandbox-bank/server';
import { startSimulator, type Simulator } from '../../dev/simulator/server';
import { messengerProfile } from '../../lib/messenger/profile';
import { isValidSignature } from '../../lib/messenger/signature';
import { createTestTables, type TestTables } from '../support/dynamodb';
import { linkItem, startBank } from './sandbox-bank/support';

/**
 * The Messenger simulator's server: what it posts to the webhook is what Meta would post (signed
 * over the exact bytes), what it shows comes from the Graph API stub, the bank and the table, and
 * whatever the browser sends is validated first.
 */
const APP_SECRET = 'simulator-test-secret';
const PAGE_ID = '100000000000042';
const TOKEN = 'simulator-page-token';
const PSID = '5500000000000077';

interface Received {
  raw: Buffer;
  signature: string | undefined;
}

let webhook: Server;
let received: Received[] = [];
let graph: GraphStub;
let bank: SandboxBank;
let tables: TestTables;
let simulator: Simulator;

type Json = Record<string, unknown>;
type GraphRecord = { seq: number; status: number; body: unknown };

const call = async <T = Json>(path: string, init: { method?: string; body?: unknown } = {}) => {
  const response = await fetch(`${simulator.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
};

const botSends = (body: unknown, path = '/v25.0/me/messages') =>
  fetch(`${new URL(graph.url).origin}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  webhook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ raw: Buffer.concat(chunks), signature: req.headers['x-hub-signature-256'] as string | undefined });
      res.writeHead(200).end('EVENT_RECEIVED');
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  [graph, bank, tables] = await Promise.all([startGraphStub({ pageAccessToken: TOKEN }), startBank(), createTestTables()]);
  simulator = await startSimulator({
    webhookUrl: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/webhook`,
    graphUrl: graph.url,
    bankUrl: bank.url,
    appSecret: APP_SECRET,
    pageId: PAGE_ID,
    brand: 'Test Bank',
    dynamo: { endpoint: tables.endpoint, region: 'eu-west-1', table: tables.names.main },
  });
});

afterAll(async () => {
  await simulator?.close();
  await Promise.all([graph?.close(), bank?.close(), tables?.dispose()]);
  webhook.closeAllConnections();
  await new Promise((resolve) => webhook.close(resolve));
});

beforeEach(() => {
  received = [];
  graph.clear();
});

describe('what the person does goes to the real webhook, as Meta sends it', () => {
  it('posts a text as a page event, signed over the exact bytes with the app secret, non-ASCII escaped', async () => {
    const { status } = await call('/api/send', { body: { kind: 'text', psid: PSID, text: '¿Cuál es mi saldo? 💶' } });

    expect(status).toBe(200);
    expect(received).toHaveLength(1);
    const [{ raw, signature }] = received as [Received];
    expect(isValidSignature(raw, signature, APP_SECRET)).toBe(true);
    expect(isValidSignature(raw, signature, 'another-secret')).toBe(false);
    expect(raw.toString('utf8')).toContain('\\u00bfCu\\u00e1l');
    const body = JSON.parse(raw.toString('utf8'));
    expect(body).toMatchObject({ object: 'page', entry: [{ id: PAGE_ID, messaging: [{ sender: { id: PSID }, recipient: { id: PAGE_ID }, message: { text: '¿Cuál es mi saldo? 💶' } }] }] });
    expect(body.entry[0].messaging[0].message.mid).toMatch(/^m_/);
  });

  it('sends a quick-reply tap as a message with its payload, and a button tap as a postback', async () => {
    await call('/api/send', { body: { kind: 'quick_reply', psid: PSID, title: 'Yes, stop sharing', payload: 'REVOKE:abc' } });
    await call('/api/send', { body: { kind: 'postback', psid: PSID, title: 'Stop sharing', payload: 'STOP_SHARING' } });

    const [tap, button] = received.map((r) => JSON.parse(r.raw.toString('utf8')).entry[0].messaging[0]);
    expect(tap.message).toMatchObject({ text: 'Yes, stop sharing', quick_reply: { payload: 'REVOKE:abc' } });
    expect(button.postback).toMatchObject({ title: 'Stop sharing', payload: 'STOP_SHARING' });
  });

  it('remembers what it sent for each person, and who that person is', async () => {
    await call('/api/send', { body: { kind: 'text', psid: '5500000000000078', text: 'hello' } });

    const { body: sent } = await call<Json[]>('/api/outbound?psid=5500000000000078');
    expect(sent).toEqual([expect.objectContaining({ kind: 'text', text: 'hello', status: 200 })]);
    const { body: people } = await call<Json[]>('/api/people');
    expect(people).toContainEqual(expect.objectContaining({ psid: '5500000000000078' }));
  });

  it.each([
    ['a PSID that is not digits', { kind: 'text', psid: '55abc', text: 'hi' }],
    ['an empty text', { kind: 'text', psid: PSID, text: '' }],
    ['a text over 2,000 characters', { kind: 'text', psid: PSID, text: 'x'.repeat(2001) }],
    ['an unknown kind', { kind: 'reaction', psid: PSID, text: 'hi' }],
    ['a postback without payload', { kind: 'postback', psid: PSID, title: 'Stop' }],
    ['a body that is not JSON', '{"kind":'],
  ])('refuses %s with a 400 and posts nothing', async (_name, body) => {
    const { status, body: answer } = await call('/api/send', { body });

    expect(status).toBe(400);
    expect(answer.error).toEqual(expect.any(String));
    expect(received).toEqual([]);
  });

  it('creates people with fresh numeric PSIDs', async () => {
    const first = await call('/api/people', { body: { name: 'Ana' } });
    const second = await call('/api/people', { body: {} });

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: 'Ana', psid: expect.stringMatching(/^\d{16}$/) });
    expect(second.body.psid).not.toBe(first.body.psid);
  });
});

describe('what the bot sent, from the Graph API stub', () => {
  it('lists a person’s requests in order, numbered, so the page polls only for newer ones', async () => {
    await botSends({ recipient: { id: PSID }, sender_action: 'typing_on' });
    await botSends({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'Hi!' } });
    await botSends({ recipient: { id: '5500000000000099' }, messaging_type: 'RESPONSE', message: { text: 'someone else' } });

    const { body: all } = await call<GraphRecord[]>(`/api/graph?psid=${PSID}&after=-1`);
    expect(all.map((r) => [r.status, r.body])).toEqual([
      [200, { recipient: { id: PSID }, sender_action: 'typing_on' }],
      [200, { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'Hi!' } }],
    ]);
    expect((await call<GraphRecord[]>(`/api/graph?psid=${PSID}&after=${all.at(-1)!.seq}`)).body).toEqual([]);
  });

  it('shows refused requests too, with their status', async () => {
    graph.failNext(1, { status: 400, code: 100, message: 'bad' });
    await botSends({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'refused' } });

    const { body } = await call<GraphRecord[]>(`/api/graph?psid=${PSID}&after=-1`);
    expect(body).toEqual([expect.objectContaining({ status: 400 })]);
  });

  it('offers the menu npm run messenger:profile sets until a messenger_profile request sets another', async () => {
    const before = await call('/api/profile');
    const expected = messengerProfile({ brand: 'Test Bank' }).persistent_menu.find((m) => m.locale === 'default')!.call_to_actions;
    expect(before.body).toMatchObject({ name: 'Test Bank', menu: expected, fromGraph: [] });

    const menu = [{ type: 'postback', title: 'Only this', payload: 'HELP' }];
    await botSends({ persistent_menu: [{ locale: 'default', composer_input_disabled: false, call_to_actions: menu }] }, '/v25.0/me/messenger_profile');

    const after = await call('/api/profile');
    expect(after.body).toMatchObject({ menu, fromGraph: ['menu'], iceBreakers: before.body.iceBreakers });
  });
});

describe('what the person shares, and the bank controls', () => {
  it('reads consents, accounts and transactions from the table and the bank item, never a token', async () => {
    const { itemId, accessToken } = await linkItem(bank, { username: 'user_good' });
    const psid = '5500000000000123';
    const put = (item: Record<string, unknown>) => tables.db.send(new PutCommand({ TableName: tables.names.main, Item: { pk: `USER#${psid}`, ...item } }));
    await put({ sk: 'CONSENT#c1', type: 'consent', consentId: 'c1', status: 'active', scopes: ['balances'], itemId, expiresAt: '2027-02-19T00:00:00.000Z' });
    await put({ sk: `ITEM#${itemId}`, type: 'connection', itemId, accessToken: { ciphertext: 'sealed-secret' }, cursor: 'cursor-secret', syncStatus: 'ok' });
    await put({ sk: `ACCOUNT#${itemId}#a1`, type: 'account', itemId, accountId: 'a1', name: 'Everyday Checking', mask: '0000', balances: { current: 1234.56, available: 1200, limit: null, currency: 'USD' } });
    await put({ sk: `TXN#${itemId}#t1`, type: 'transaction', itemId, date: '2026-11-20', name: 'Coffee', amount: 4.5, currency: 'USD' });

    const { status, body } = await call(`/api/person?psid=${psid}`);

    expect(status).toBe(200);
    expect(body.shared).toMatchObject({
      consents: [{ consentId: 'c1', status: 'active', scopes: ['balances'], itemId }],
      accounts: [{ name: 'Everyday Checking', current: 1234.56, available: 1200, currency: 'USD' }],
      transactions: [{ itemId, count: 1, latest: [{ name: 'Coffee', amount: 4.5 }] }],
    });
    expect(body.bankItems).toEqual([expect.objectContaining({ item_id: itemId, username: 'user_good' })]);
    const text = JSON.stringify(body);
    for (const secret of [accessToken, 'sealed-secret', 'cursor-secret']) expect(text).not.toContain(secret);
  });

  it('posts a transaction, sets a balance and forces login required at the sandbox bank', async () => {
    const { itemId } = await linkItem(bank);
    const accountId = bank.controls.getItem(itemId).accounts[0]!.account_id;

    const posted = await call(`/api/bank/items/${itemId}/transactions`, { body: { merchant: 'ELECTRO-WORLD', amount: 912.4, category: 'GENERAL_MERCHANDISE_ELECTRONICS' } });
    const balance = await call(`/api/bank/items/${itemId}/accounts/${accountId}/balance`, { method: 'PUT', body: { current: 42 } });
    const login = await call(`/api/bank/items/${itemId}/login-required`, { method: 'POST' });

    expect(posted.status).toBe(201);
    expect(bank.controls.listTransactions(itemId)).toContainEqual(expect.objectContaining({ amount: 912.4, transaction_id: posted.body.transaction_id }));
    expect(balance.status).toBe(200);
    expect(bank.controls.getItem(itemId).accounts.find((a) => a.account_id === accountId)?.balances.current).toBe(42);
    expect(login.status).toBe(200);
    expect(bank.controls.getItem(itemId).error_code).toBe('ITEM_LOGIN_REQUIRED');
  });

  it.each([
    ['an amount that is not a number', 'transactions', { merchant: 'X', amount: '12' }],
    ['a category that is not a code', 'transactions', { merchant: 'X', amount: 12, category: 'groceries; drop' }],
    ['an unknown webhook code', 'webhooks', { webhook_code: 'ANYTHING' }],
  ])('refuses %s before it reaches the bank', async (_name, action, body) => {
    const { itemId } = await linkItem(bank);
    const before = bank.controls.listTransactions(itemId).length;

    const { status } = await call(`/api/bank/items/${itemId}/${action}`, { body });

    expect(status).toBe(400);
    expect(bank.controls.listTransactions(itemId)).toHaveLength(before);
  });
});

describe('the page', () => {
  it('is served with a same-origin-only content security policy', async () => {
    const response = await fetch(`${simulator.url}/`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await response.text()).toContain('<script src="/app.js" defer></script>');
  });
});
