import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type Message } from '@aws-sdk/client-sqs';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  DynamoDBBatchResponse,
  DynamoDBStreamEvent,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startGraphStub, type GraphStub } from '../../dev/graph-stub';
import { startLocalSqs, type LocalSqs } from '../../dev/local-sqs';
import { httpApiEvent, metaJson, quickReply, signedWebhookEvent, textMessage, webhookBody } from '../../dev/messenger-payloads';
import { startSandboxBank, type SandboxBank } from '../../dev/sandbox-bank/server';
import type { SqsDelivery } from '../../dev/sqs-delivery';
import { createPlaidConnector } from '../../lib/banking/plaid-connector';
import { createLocalKeyProvider } from '../../lib/security/local-key-provider';
import type { FinancialGate, Store } from '../../lib/store';
import { linkedPerson as linkedPersonAt } from '../support/banking';
import { createTestTables, type TestTables } from '../support/dynamodb';
import { APP_SECRET, lambdaContext, loadHandler, MASTER_KEY, PAGE_TOKEN, PLAID_CLIENT_ID, PLAID_SECRET, type FunctionEnv } from '../support/functions';
import { streamTo } from '../support/stream';
import { syncQueueTo } from '../support/sync-queue';

/**
 * Scheduled and webhook-driven syncs through the real handlers: syncScheduler → SQS (a local
 * endpoint with the queues of serverless.yml) → syncWorker → the sandbox bank; and bankWebhook
 * receiving the sandbox bank's signed webhooks.
 */
type Http = (event: APIGatewayProxyEventV2, context: ReturnType<typeof lambdaContext>) => Promise<APIGatewayProxyStructuredResultV2>;
type Worker = (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;
type Scheduler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<{ due: number; enqueued: number }>;

let tables: TestTables;
let env: FunctionEnv;
let graph: GraphStub;
let bank: SandboxBank;
let sqs: LocalSqs;
let store: Store;
let financial: FinancialGate;
let worker: Worker;
let scheduler: Scheduler;
let bankWebhook: Http;
let consentPages: Http;
let webhook: Http;
let conversation: Awaited<ReturnType<typeof streamTo>>;
let delivery: SqsDelivery;
let receiver: Server;
let receiverUrl: string;
const responses: SQSBatchResponse[] = [];
const webhookAnswers: number[] = [];
const webhookRequests: APIGatewayProxyEventV2[] = [];

const connector = () => createPlaidConnector({ baseUrl: bank.url, clientId: PLAID_CLIENT_ID, secret: PLAID_SECRET, baseDelayMs: 1, maxDelayMs: 5 });
const linkedPerson = (options: Parameters<typeof linkedPersonAt>[1] = {}) =>
  linkedPersonAt({ bank, connector: connector(), store, financial, clientId: PLAID_CLIENT_ID, secret: PLAID_SECRET }, options);
const itemsOf = async (psid: string, type: string) => (await tables.items()).filter((i) => i.pk === `USER#${psid}` && i.type === type);
const stored = async (psid: string) => (await itemsOf(psid, 'transaction')).map((t) => String(t.transactionId)).sort();
const atBank = (itemId: string) => bank.controls.listTransactions(itemId).map((t) => t.transaction_id).sort();
const syncCalls = (accessToken: string) => bank.apiCalls().filter((c) => c.accessToken === accessToken && c.path === '/transactions/sync').length;
const queued = async (queue: string) => {
  const out = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: sqs.queueUrl(queue), MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 0 }));
  return (out.Messages ?? []).map((m) => {
    try {
      return JSON.parse(m.Body ?? 'null') as unknown;
    } catch {
      return m.Body;
    }
  });
};

beforeAll(async () => {
  tables = await createTestTables();
  graph = await startGraphStub({ pageAccessToken: PAGE_TOKEN });
  bank = await startSandboxBank({ clientId: PLAID_CLIENT_ID, secret: PLAID_SECRET });
  sqs = await startLocalSqs({ stage: `t${Date.now()}` });
  store = tables.store();
  financial = store.financialGate(createLocalKeyProvider(MASTER_KEY));
  env = {
    tableName: tables.names.main,
    auditTableName: tables.names.audit,
    dynamodbEndpoint: tables.endpoint,
    graphApiUrl: graph.url,
    extra: { PLAID_BASE_URL: bank.url, SQS_ENDPOINT: sqs.endpoint, SYNC_QUEUE_URL: sqs.queueUrl('SyncQueue') },
  };
  worker = await loadHandler<Worker>(() => import('../../functions/sync-worker'), env);
  scheduler = await loadHandler<Scheduler>(() => import('../../functions/sync-scheduler'), env);
  bankWebhook = await loadHandler<Http>(() => import('../../functions/bank-webhook'), env);
  consentPages = await loadHandler<Http>(() => import('../../functions/consent'), env);
  webhook = await loadHandler<Http>(() => import('../../functions/messenger-webhook'), env);
  const conversationHandler = await loadHandler<(e: DynamoDBStreamEvent, c: ReturnType<typeof lambdaContext>) => Promise<DynamoDBBatchResponse>>(
    () => import('../../functions/conversation'),
    env,
  );
  conversation = await streamTo(tables, (event) => conversationHandler(event, lambdaContext('conversation')));
  await conversation.drain();
  delivery = syncQueueTo(sqs, async (event) => {
    const response = await worker(event, lambdaContext('syncWorker'));
    responses.push(response);
    return response;
  });
  // The bank's webhooks arrive here and go to the handler as API Gateway would pass them.
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const event = httpApiEvent({ method: 'POST', path: '/bank/webhook', body: Buffer.concat(chunks).toString('utf8'), headers: req.headers as Record<string, string> });
      webhookRequests.push(event);
      void bankWebhook(event, lambdaContext('bankWebhook')).then((answer) => {
        webhookAnswers.push(answer.statusCode ?? 0);
        res.writeHead(answer.statusCode ?? 500).end(answer.body);
      });
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/bank/webhook`;
});

beforeEach(() => {
  responses.length = 0;
  bank.controls.clearFailures();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await delivery.stop();
  await conversation.stop();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
  await sqs.stop();
  await bank.close();
  await graph.close();
  await tables.dispose();
});

describe('scheduled syncs', () => {
  it('sync every due connection once, even when the schedule fires twice', async () => {
    const people = await Promise.all([linkedPerson(), linkedPerson(), linkedPerson()]);

    const first = await scheduler({}, lambdaContext('syncScheduler'));
    const second = await scheduler({}, lambdaContext('syncScheduler')); // a repeated delivery of the schedule
    await delivery.drain();

    expect(first.enqueued).toBeGreaterThanOrEqual(3);
    expect(second.enqueued).toBeGreaterThanOrEqual(3);
    for (const p of people) {
      expect(await stored(p.psid)).toEqual(atBank(p.itemId));
      // One sync: a full history takes a few pages; the second message synced nothing.
      const pages = Math.ceil(atBank(p.itemId).length / 30);
      expect(syncCalls(p.accessToken)).toBeLessThanOrEqual(pages + 1);
    }
    expect(responses.flatMap((r) => r.batchItemFailures)).toEqual([]);
  });
});

describe('the worker', () => {
  it('reports exactly the 2 failing messages of 10, and a poison message ends in the DLQ', async () => {
    const people = await Promise.all(Array.from({ length: 8 }, () => linkedPerson({ scopes: ['balances'] })));
    const entries = [
      ...people.map((p, i) => ({ Id: `ok${i}`, MessageBody: JSON.stringify({ psid: p.psid, itemId: p.itemId, reason: 'stale' }) })),
      { Id: 'bad1', MessageBody: 'not json' },
      { Id: 'bad2', MessageBody: JSON.stringify({ psid: 'x', reason: 'stale' }) },
    ];
    await sqs.client.send(new SendMessageBatchCommand({ QueueUrl: sqs.queueUrl('SyncQueue'), Entries: entries }));

    await delivery.drain({ untilEmpty: true, timeoutMs: 20_000 });

    const [firstBatch] = responses;
    expect(firstBatch?.batchItemFailures).toHaveLength(2);
    // The two poison messages were retried up to the redrive limit, then moved to the DLQ.
    const dead = await queued('SyncDLQ');
    expect(dead).toHaveLength(2);
    expect(dead).toEqual(expect.arrayContaining(['not json', { psid: 'x', reason: 'stale' }]));
    for (const p of people) expect((await itemsOf(p.psid, 'account')).length).toBeGreaterThan(0);
  }, 30_000);

  it('retries a bank answering 500s a bounded number of times, then leaves it in the DLQ', async () => {
    const p = await linkedPerson({ scopes: ['balances'] });
    bank.controls.failNext('/accounts/balance/get', 100, 'API_ERROR');
    const before = bank.apiCalls().filter((c) => c.accessToken === p.accessToken).length;

    await sqs.client.send(new SendMessageBatchCommand({ QueueUrl: sqs.queueUrl('SyncQueue'), Entries: [{ Id: 'a', MessageBody: JSON.stringify({ psid: p.psid, itemId: p.itemId, reason: 'stale' }) }] }));
    await delivery.drain({ untilEmpty: true, timeoutMs: 20_000 });

    // 5 receives (the redrive limit) × 3 attempts inside the adapter.
    expect(bank.apiCalls().filter((c) => c.accessToken === p.accessToken).length - before).toBe(15);
    expect(await queued('SyncDLQ')).toContainEqual({ psid: p.psid, itemId: p.itemId, reason: 'stale' });
  }, 30_000);

  it('after login-required, the person logs in again from the chat (update mode) and syncing resumes', async () => {
    const p = await linkedPerson();
    await store.recordInboundActivity(p.psid, Date.now()); // the person wrote lately: their 24-hour window is open
    bank.controls.forceLoginRequired(p.itemId);
    await sqs.client.send(new SendMessageBatchCommand({ QueueUrl: sqs.queueUrl('SyncQueue'), Entries: [{ Id: 'a', MessageBody: JSON.stringify({ psid: p.psid, itemId: p.itemId, reason: 'stale' }) }] }));
    await delivery.drain({ untilEmpty: true, timeoutMs: 20_000 });
    const button = (graph.sentTo(p.psid).at(-1)!.body as { message: { attachment: { payload: { buttons: { url?: string }[] } } } }).message.attachment.payload.buttons[0]!;
    const t = new URL(button.url!).searchParams.get('t')!;

    const started = await consentPages(httpApiEvent({ method: 'GET', path: '/link/reconnect', query: { t } }), lambdaContext());
    expect(started.statusCode).toBe(303);
    const login = await fetch(`${started.headers?.Location}/institutions/ins_109508`, { method: 'POST', body: new URLSearchParams({ username: 'user_good', password: 'pass_good' }), redirect: 'manual' });
    const back = new URL(login.headers.get('location')!);
    expect(back.pathname).toBe('/link/reconnected');
    const done = await consentPages(httpApiEvent({ method: 'GET', path: '/link/reconnected', query: { t: back.searchParams.get('t')! } }), lambdaContext());

    expect(done.statusCode).toBe(200);
    expect(bank.controls.listItems().find((i) => i.item_id === p.itemId)?.error_code).toBeNull();
    const connection = (await itemsOf(p.psid, 'connection'))[0]!;
    expect([connection.syncStatus, String(connection.gsi1pk).startsWith('SYNC_DUE#')]).toEqual(['ok', true]);
    expect((await consentPages(httpApiEvent({ method: 'GET', path: '/link/reconnect', query: { t } }), lambdaContext())).statusCode).toBe(403); // used once
  }, 30_000);

  it('does not retry login-required: the person is told once and the message is done', async () => {
    const p = await linkedPerson();
    await store.recordInboundActivity(p.psid, Date.now()); // the person wrote lately: their 24-hour window is open
    bank.controls.forceLoginRequired(p.itemId);

    await sqs.client.send(new SendMessageBatchCommand({ QueueUrl: sqs.queueUrl('SyncQueue'), Entries: [{ Id: 'a', MessageBody: JSON.stringify({ psid: p.psid, itemId: p.itemId, reason: 'stale' }) }] }));
    await delivery.drain({ untilEmpty: true, timeoutMs: 20_000 });

    expect(responses.flatMap((r) => r.batchItemFailures)).toEqual([]);
    expect(graph.sentTo(p.psid).map((s) => (s.body as { message: { attachment: { payload: { text: string } } } }).message.attachment.payload.text)).toEqual([
      expect.stringMatching(/asks you to log in again/),
    ]);
  }, 30_000);
});

describe('bank webhooks', () => {
  it('turn each "sync updates available" into a targeted sync, even two identical ones in a row', async () => {
    const p = await linkedPerson({ webhook: receiverUrl });
    await bank.controls.flushWebhooks();
    await delivery.drain({ untilEmpty: true, timeoutMs: 20_000 });
    webhookAnswers.length = 0;

    const first = bank.controls.postTransaction(p.itemId, { amount: 42.5, merchant: 'Netflix' });
    await bank.controls.flushWebhooks();
    await delivery.drain({ untilEmpty: true, timeoutMs: 20_000 });
    const second = bank.controls.postTransaction(p.itemId, { amount: 9.99, merchant: 'Spotify' });
    await bank.controls.flushWebhooks();
    await delivery.drain({ untilEmpty: true, timeoutMs: 20_000 });

    expect(webhookAnswers).toEqual([200, 200]);
    expect(await stored(p.psid)).toEqual(expect.arrayContaining([first.transaction_id, second.transaction_id]));
    expect(await stored(p.psid)).toEqual(atBank(p.itemId));
  }, 60_000);

  it('give a redelivered webhook no second effect', async () => {
    const p = await linkedPerson({ webhook: receiverUrl });
    await store.recordInboundActivity(p.psid, Date.now()); // the person wrote lately: their 24-hour window is open
    await bank.controls.flushWebhooks();
    bank.controls.forceLoginRequired(p.itemId);
    await bank.controls.flushWebhooks();
    const loginRequired = webhookRequests.filter((r) => String(r.body).includes('ITEM_LOGIN_REQUIRED')).at(-1)!;
    const told = graph.sentTo(p.psid).length;

    const redelivered = await bankWebhook(loginRequired, lambdaContext());

    expect([redelivered.statusCode, redelivered.body]).toEqual([200, 'duplicate']);
    expect(graph.sentTo(p.psid)).toHaveLength(told);
    expect(told).toBe(1);
  });

  it('refuse an unsigned or altered webhook with 401 and no effect', async () => {
    const p = await linkedPerson({ webhook: receiverUrl });
    const body = JSON.stringify({ webhook_type: 'ITEM', webhook_code: 'USER_PERMISSION_REVOKED', item_id: p.itemId, environment: 'sandbox' });

    const unsigned = await bankWebhook(httpApiEvent({ method: 'POST', path: '/bank/webhook', body }), lambdaContext());

    expect(unsigned.statusCode).toBe(401);
    expect((await itemsOf(p.psid, 'consent'))[0]?.status).toBe('active');
  });

  it('take the revocation path when the person revokes at the bank', async () => {
    const p = await linkedPerson({ webhook: receiverUrl });

    bank.controls.revokePermission(p.itemId);
    await bank.controls.flushWebhooks();

    expect((await itemsOf(p.psid, 'consent'))[0]).toMatchObject({ status: 'revoked', endedBy: 'bank' });
  });

  it('tell the person before a PENDING_DISCONNECT, with why, the date, and a button to log in again', async () => {
    const p = await linkedPerson({ webhook: receiverUrl });
    await store.recordInboundActivity(p.psid, Date.now()); // the person wrote lately: their 24-hour window is open
    await bank.controls.flushWebhooks();
    const before = graph.sentTo(p.psid).length;

    const delivery = await bank.controls.fireWebhook(p.itemId, 'PENDING_DISCONNECT');
    await bank.controls.flushWebhooks();

    expect(delivery).toMatchObject({ status: 200, body: { reason: 'INSTITUTION_TOKEN_EXPIRATION', disconnect_time: expect.any(String) } });
    const on = new Date(String(delivery.body.disconnect_time)).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    const told = graph.sentTo(p.psid).slice(before).map((s) => (s.body as { message: { attachment: { payload: { text: string; buttons: { type: string; title: string; url?: string }[] } } } }).message.attachment.payload);
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toBe(
      // linkedPerson records no institution name, so the bank is "your bank".
      `The permission you gave at your bank for me to read your accounts ends on ${on}. ` +
        'To keep your answers and alerts up to date, tap "Log in again" and log in at your bank before then. ' +
        `Nothing else changes: you share the same things with me until ${new Date(p.consent.expiresAt!).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })}.`,
    );
    expect(told[0]!.buttons.map((b) => [b.type, b.title])).toEqual([['web_url', 'Log in again'], ['postback', 'Stop sharing']]);
    expect(new URL(told[0]!.buttons[0]!.url!).pathname).toBe('/link/reconnect');
  });
});

describe('bank warnings outside the 24-hour window', () => {
  const PAGE = '100000000000001';

  it('are held, then delivered after the answer to the person’s next message, once, with a link made then', async () => {
    const p = await linkedPerson({ webhook: receiverUrl });
    await bank.controls.flushWebhooks();
    await bank.controls.fireWebhook(p.itemId, 'PENDING_DISCONNECT');
    await bank.controls.flushWebhooks();
    const whileClosed = { sent: graph.sentTo(p.psid).length, held: (await itemsOf(p.psid, 'held-notice')).map((h) => (h.notice as { kind: string }).kind) };

    const hi = async (text: string) => {
      await webhook(signedWebhookEvent(metaJson(webhookBody([{ pageId: PAGE, messaging: [textMessage({ psid: p.psid, pageId: PAGE }, text)] }])), APP_SECRET), lambdaContext());
      await conversation.drain();
    };
    await hi('hi');
    await hi('hello again');

    const sent = graph.sentTo(p.psid).map((s) => s.body as { messaging_type: string; message: { text?: string; attachment?: { payload: { text: string; buttons: { url?: string }[] } } } });
    expect(whileClosed).toEqual({ sent: 0, held: ['bank-warning'] });
    expect(sent.map((s) => s.messaging_type)).toEqual(['RESPONSE', 'UPDATE', 'RESPONSE']);
    expect(sent[1]!.message.attachment!.payload.text).toMatch(/^The permission you gave at your bank for me to read your accounts ends on /);
    const t = new URL(sent[1]!.message.attachment!.payload.buttons[0]!.url!).searchParams.get('t')!;
    expect((await consentPages(httpApiEvent({ method: 'GET', path: '/link/reconnect', query: { t } }), lambdaContext())).statusCode).toBe(303);
    expect(await itemsOf(p.psid, 'held-notice')).toEqual([]);
  });
});

describe('alerts', () => {
  const PAGE = '100000000000001';
  const say = async (psid: string, event: unknown) => {
    await webhook(signedWebhookEvent(metaJson(webhookBody([{ pageId: PAGE, messaging: [event] }])), APP_SECRET), lambdaContext());
    await conversation.drain();
  };
  const texts = (psid: string) => graph.sentTo(psid).map((s) => (s.body as { message?: { text?: string; attachment?: { payload: { text: string } } } }).message).map((m) => m?.text ?? m?.attachment?.payload.text ?? '');
  const syncNow = async (p: { psid: string; itemId: string }) => {
    await sqs.client.send(new SendMessageBatchCommand({ QueueUrl: sqs.queueUrl('SyncQueue'), Entries: [{ Id: 'a', MessageBody: JSON.stringify({ psid: p.psid, itemId: p.itemId, reason: 'stale' }) }] }));
    await delivery.drain();
  };

  it('are silent on the first sync, then hold a fraud alert while the window is closed and deliver it with the next message, once', async () => {
    const p = await linkedPerson({ scopes: ['balances', 'transactions', 'alerts'] });
    await syncNow(p); // first sync: the whole history, no alerts
    expect(graph.sentTo(p.psid)).toEqual([]);

    bank.controls.postTransaction(p.itemId, { amount: 912.4, merchant: 'ELECTRO-WORLD', category: 'GENERAL_MERCHANDISE_ELECTRONICS' });
    await syncNow(p);
    expect(graph.sentTo(p.psid)).toEqual([]); // the person has not written: held, not sent
    expect((await tables.items()).filter((i) => i.pk === `USER#${p.psid}` && i.type === 'held-alert')).toHaveLength(1);

    await say(p.psid, textMessage({ psid: p.psid, pageId: PAGE }, 'hi'));
    const afterFirst = texts(p.psid);
    expect(afterFirst.filter((t) => t.includes('ELECTRO-WORLD'))).toHaveLength(1);
    expect(afterFirst.at(-1)).toMatch(/^⚠️ \$912\.40 at ELECTRO-WORLD · [^\n]+\nWhy: [^\n]+\nWas this you\?$/);

    await say(p.psid, textMessage({ psid: p.psid, pageId: PAGE }, 'hello again'));
    expect(texts(p.psid).filter((t) => t.includes('ELECTRO-WORLD'))).toHaveLength(1);
  });

  it('follow the person’s own settings: with fraud alerts off and a higher threshold, nothing is raised', async () => {
    const p = await linkedPerson({ scopes: ['balances', 'transactions', 'alerts'] });
    await syncNow(p);
    await say(p.psid, textMessage({ psid: p.psid, pageId: PAGE }, 'hi'));
    await store.putAlertSettings(p.psid, { fraudAlerts: false, largeTransactionThreshold: 2_000 });
    const before = graph.sentTo(p.psid).length;

    bank.controls.postTransaction(p.itemId, { amount: 912.4, merchant: 'ELECTRO-WORLD', category: 'GENERAL_MERCHANDISE_ELECTRONICS' });
    await syncNow(p);

    expect(graph.sentTo(p.psid)).toHaveLength(before);
    expect((await tables.items()).filter((i) => i.pk === `USER#${p.psid}` && (i.type === 'alert' || i.type === 'held-alert'))).toEqual([]);
  });

  const insightRules = async (psid: string) =>
    (await tables.items())
      .filter((i) => i.pk === `USER#${psid}` && i.type === 'alert' && i.kind === 'insight')
      .map((i) => String(i.rule))
      .sort();

  it('raise each money insight of user_subscriptions once, nothing new on the next sync, and none for a normal month', async () => {
    const p = await linkedPerson({ scopes: ['balances', 'transactions', 'alerts'], username: 'user_subscriptions' });
    const good = await linkedPerson({ scopes: ['balances', 'transactions', 'alerts'] });
    await syncNow(p);
    await syncNow(good);
    const first = await insightRules(p.psid);
    await syncNow(p);

    expect(first).toEqual(['bill-due-low', 'double-charge', 'new-recurring', 'price-up']);
    expect(await insightRules(p.psid)).toEqual(first);
    expect(await insightRules(good.psid)).toEqual([]);
  });

  it('bring a second identical charge posted at the bank into the chat as a double charge, once', async () => {
    const p = await linkedPerson({ scopes: ['balances', 'transactions', 'alerts'] });
    await syncNow(p);
    await say(p.psid, textMessage({ psid: p.psid, pageId: PAGE }, 'hi')); // opens the 24-hour window
    bank.controls.postTransaction(p.itemId, { amount: 23.4, merchant: 'DoorDash' });
    await syncNow(p);
    const before = graph.sentTo(p.psid).length;

    bank.controls.postTransaction(p.itemId, { amount: 23.4, merchant: 'DoorDash' });
    await syncNow(p);
    await syncNow(p);

    const today = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' }).format(new Date());
    expect(graph.sentTo(p.psid).slice(before).map((s) => s.body)).toEqual([
      {
        recipient: { id: p.psid },
        messaging_type: 'UPDATE',
        message: {
          text: `👯 $23.40 at DoorDash, twice on ${today} · Everyday Checking.\nWhy: same amount at the same merchant twice in one day.`,
          quick_replies: [{ content_type: 'text', title: 'Turn these off', payload: 'INSIGHT_OFF:double-charge' }],
        },
      },
    ]);
  });

  it('are sent at once inside the window, once per transaction and rule, and "not me" gives the bank’s next steps', async () => {
    const p = await linkedPerson({ scopes: ['balances', 'transactions', 'alerts'] });
    await syncNow(p);
    await say(p.psid, textMessage({ psid: p.psid, pageId: PAGE }, 'hi')); // opens the 24-hour window
    const before = graph.sentTo(p.psid).length;

    bank.controls.postTransaction(p.itemId, { amount: 912.4, merchant: 'ELECTRO-WORLD', category: 'GENERAL_MERCHANDISE_ELECTRONICS' });
    await syncNow(p);
    await syncNow(p); // nothing new: no second alert
    const alerts = graph.sentTo(p.psid).slice(before).map((s) => (s.body as { messaging_type: string; message: { text: string; quick_replies: { payload: string }[] } }));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.messaging_type).toBe('UPDATE');
    const notMe = alerts[0]!.message.quick_replies.find((q) => q.payload.startsWith('FRAUD_NO:'))!.payload;

    await say(p.psid, quickReply({ psid: p.psid, pageId: PAGE }, 'No', notMe));

    expect(texts(p.psid).at(-1)).toMatch(/did not make this payment[\s\S]*Lock your card/);
    const records = (await tables.items()).filter((i) => i.pk === `USER#${p.psid}` && i.type === 'alert');
    expect(records.map((r) => r.rule).sort()).toEqual(['large-transaction', 'new-merchant-high-amount', 'unusual-amount']);
    expect(records.find((r) => r.alertId === notMe.split(':')[1])?.answer).toBe('no');
  });

  it('speak the person’s language: a Spanish speaker reads the alert and the answer to "No, no fui yo" in Spanish', async () => {
    const p = await linkedPerson({ scopes: ['balances', 'transactions', 'alerts'] });
    await syncNow(p);
    await say(p.psid, textMessage({ psid: p.psid, pageId: PAGE }, 'hola, ¿cuál es mi saldo?'));
    const before = graph.sentTo(p.psid).length;

    bank.controls.postTransaction(p.itemId, { amount: 912.4, merchant: 'ELECTRO-WORLD', category: 'GENERAL_MERCHANDISE_ELECTRONICS' });
    await syncNow(p);
    const alerts = graph.sentTo(p.psid).slice(before).map((s) => (s.body as { message: { text: string; quick_replies: { title: string; payload: string }[] } }).message);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toMatch(/^⚠️ \$912\.40 en ELECTRO-WORLD · [^\n]+\nPor qué: [^\n]+ · supera la alerta predeterminada de \$500\n¿Fuiste tú\?$/);
    expect(alerts[0]!.quick_replies.map((q) => q.title)).toEqual(['Sí, fui yo', 'No, no fui yo']);

    await say(p.psid, quickReply({ psid: p.psid, pageId: PAGE }, 'No, no fui yo', alerts[0]!.quick_replies[1]!.payload));

    expect(texts(p.psid).at(-1)).toMatch(/no hiciste este pago[\s\S]*Bloquea tu tarjeta/);
  });
});

describe('a question that meets a sync in flight', () => {
  const PAGE = '100000000000001';
  const queueUrl = () => sqs.queueUrl('SyncQueue');
  const texts = (psid: string) =>
    graph
      .sentTo(psid)
      .map((s) => (s.body as { message?: { text?: string; attachment?: { payload: { text: string } } } }).message)
      .map((m) => m?.text ?? m?.attachment?.payload.text ?? '')
      .filter(Boolean);
  const say = async (psid: string, text: string) => {
    await webhook(signedWebhookEvent(metaJson(webhookBody([{ pageId: PAGE, messaging: [textMessage({ psid, pageId: PAGE }, text)] }])), APP_SECRET), lambdaContext());
    await conversation.drain();
  };
  let gate: BankGate;
  let slowWorker: Worker;

  beforeAll(async () => {
    gate = await startBankGate(bank.url);
    // A worker container whose bank calls pass the gate (the shared one keeps calling the bank directly).
    slowWorker = await loadHandler<Worker>(() => import('../../functions/sync-worker'), { ...env, extra: { ...env.extra, PLAID_BASE_URL: gate.url } });
  });

  afterAll(async () => {
    await gate.close();
  });

  /** This person's next sync message, taken off the queue as Lambda's poller would; anyone else's goes back. */
  async function takeSyncMessage(psid: string): Promise<Message> {
    for (let receives = 0; receives < 10; receives++) {
      const { Messages = [] } = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl(), MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }));
      const mine = Messages.find((m) => m.Body?.includes(psid));
      for (const other of Messages.filter((m) => m !== mine)) {
        await sqs.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl(), ReceiptHandle: other.ReceiptHandle, VisibilityTimeout: 0 }));
      }
      if (mine) return mine;
    }
    throw new Error(`no sync message for ${psid}`);
  }

  /** One message through a worker, then what the event source mapping does: deleted unless reported failed. */
  async function deliver(to: Worker, message: Message): Promise<SQSBatchResponse> {
    const record = {
      messageId: message.MessageId!,
      receiptHandle: message.ReceiptHandle!,
      body: message.Body!,
      attributes: {
        ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: message.Attributes?.SentTimestamp ?? '',
        SenderId: message.Attributes?.SenderId ?? '',
        ApproximateFirstReceiveTimestamp: message.Attributes?.ApproximateFirstReceiveTimestamp ?? '',
      },
      messageAttributes: {},
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: sqs.queueArn('SyncQueue'),
      awsRegion: 'eu-west-1',
    };
    const response = await to({ Records: [record] }, lambdaContext('syncWorker'));
    if (!response.batchItemFailures.some((f) => f.itemIdentifier === message.MessageId)) {
      await sqs.client.send(new DeleteMessageCommand({ QueueUrl: queueUrl(), ReceiptHandle: message.ReceiptHandle }));
    }
    return response;
  }

  it('asked during the first sync, is answered when the bank’s webhook sync holding the connection ends, once', async () => {
    const p = await linkedPerson();
    const callsOf = () => bank.apiCalls().filter((c) => c.accessToken === p.accessToken).length;
    // Right after the link, the bank's webhook sync takes the connection first, and the bank is slow.
    const slow = gate.hold(p.accessToken);
    await sqs.client.send(new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: JSON.stringify({ psid: p.psid, itemId: p.itemId, reason: 'webhook' }) }));
    const holding = deliver(slowWorker, await takeSyncMessage(p.psid));
    await slow.inside;

    // The person asks meanwhile: the assistant says the data is on its way and asks for a refresh,
    // which meets the webhook's sync in flight.
    await say(p.psid, 'show my recent transactions');
    expect(texts(p.psid)).toEqual([expect.stringMatching(/still fetching your transactions/)]);
    const refresh = await takeSyncMessage(p.psid);
    expect(JSON.parse(refresh.Body!)).toMatchObject({ reason: 'stale' });
    expect((await deliver(slowWorker, refresh)).batchItemFailures).toEqual([{ itemIdentifier: refresh.MessageId }]);

    slow.open();
    expect((await holding).batchItemFailures).toEqual([]);
    await conversation.drain();

    // Answered as the webhook's sync ended, while the refresh's own message is still out of sight.
    expect(texts(p.psid)).toHaveLength(2);
    expect(texts(p.psid)[1]).toMatch(/^Updated:\n/);
    expect((await queued('SyncQueue')).filter((body) => JSON.stringify(body).includes(p.psid))).toEqual([]);

    // Its fallback comes back (as the lease's end would bring it) and finds the sync done: no bank
    // call, no second answer, and the message is done.
    const calls = callsOf();
    await sqs.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl(), ReceiptHandle: refresh.ReceiptHandle, VisibilityTimeout: 0 }));
    const again = await takeSyncMessage(p.psid);
    expect(again.MessageId).toBe(refresh.MessageId);
    expect((await deliver(worker, again)).batchItemFailures).toEqual([]);
    await conversation.drain();
    expect(texts(p.psid)).toHaveLength(2);
    expect(callsOf()).toBe(calls);
  }, 30_000);
});

interface BankGate {
  url: string;
  /** Holds this token's next `/transactions/sync` calls until `open()`: a slow bank. */
  hold(accessToken: string): { inside: Promise<void>; open(): void };
  close(): Promise<void>;
}

/** The sandbox bank behind a gate the test opens: everything passes, except calls being held. */
async function startBankGate(target: string): Promise<BankGate> {
  let held: { accessToken: string; entered: () => void; gate: Promise<void> } | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        if (held && req.url === '/transactions/sync' && body.includes(held.accessToken)) {
          held.entered();
          await held.gate;
        }
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter((h): h is [string, string] => typeof h[1] === 'string' && !['host', 'connection', 'content-length'].includes(h[0])),
        );
        const answer = await fetch(`${target}${req.url}`, { method: req.method, headers, body });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await answer.arrayBuffer()));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold(accessToken) {
      let entered!: () => void;
      let open!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      held = { accessToken, entered, gate: new Promise<void>((resolve) => (open = resolve)) };
      return { inside, open };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
