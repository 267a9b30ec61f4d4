import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGraphStub, type GraphStub } from '../../dev/graph-stub';
import { httpApiEvent, metaJson, signedWebhookEvent, textMessage, webhookBody } from '../../dev/messenger-payloads';
import type { Log } from '../../lib/logger';
import { signBody } from '../../lib/messenger/signature';
import { enqueueDueSyncs } from '../../lib/sync/schedule';
import { createTestTables, type TestTables } from '../support/dynamodb';
import { APP_SECRET, lambdaContext, loadHandler, PAGE_TOKEN, VERIFY_TOKEN } from '../support/functions';
import { captureOutput } from '../support/output';
import { streamTo } from '../support/stream';

type Webhook = (event: APIGatewayProxyEventV2, context: ReturnType<typeof lambdaContext>) => Promise<APIGatewayProxyStructuredResultV2>;
type Conversation = (event: DynamoDBStreamEvent, context: ReturnType<typeof lambdaContext>) => Promise<DynamoDBBatchResponse>;

/**
 * What reaches the logs, on success and on every error path: structured JSON with correlation ids,
 * and never the app secret, the verify token, the Page token or what the person wrote.
 */
const CANARY_TEXT = 'canary-7f3e: my card PIN is 4921';
let tables: TestTables;
let graph: GraphStub;
let output: ReturnType<typeof captureOutput>;
let webhook: Webhook;
const lines = () => output.text().split('\n').filter((l) => l.startsWith('{'));

beforeAll(async () => {
  tables = await createTestTables();
  graph = await startGraphStub({ pageAccessToken: PAGE_TOKEN });
  output = captureOutput();
  const env = {
    tableName: tables.names.main,
    auditTableName: tables.names.audit,
    dynamodbEndpoint: tables.endpoint,
    graphApiUrl: graph.url,
    extra: { POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_DEV: 'false' },
  };
  webhook = await loadHandler<Webhook>(() => import('../../functions/messenger-webhook'), env);
  const conversation = await loadHandler<Conversation>(() => import('../../functions/conversation'), env);
  const stream = await streamTo(tables, (event) => conversation(event, lambdaContext('conversation')));

  const who = { psid: '990000000000001', pageId: '100000000000001' };
  const raw = metaJson(webhookBody([{ pageId: who.pageId, messaging: [textMessage(who, CANARY_TEXT)] }]));
  await webhook(signedWebhookEvent(raw, APP_SECRET), lambdaContext()); // recorded
  await webhook(httpApiEvent({ method: 'POST', body: raw, headers: { 'x-hub-signature-256': signBody(raw, 'wrong') } }), lambdaContext());
  await webhook(signedWebhookEvent(`{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"recipient":{"id":"1"},"timestamp":1,"message":{"text":"${CANARY_TEXT}"}}]}]}`, APP_SECRET), lambdaContext());
  await webhook(httpApiEvent({ method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'bad', 'hub.challenge': '1' } }), lambdaContext());
  graph.failNext(1, { status: 400, code: 100, message: `Invalid parameter (${PAGE_TOKEN})` }); // a rejected send
  await stream.drain();
  const second = metaJson(webhookBody([{ pageId: who.pageId, messaging: [textMessage(who, `${CANARY_TEXT} again`)] }]));
  await webhook(signedWebhookEvent(second, APP_SECRET), lambdaContext());
  await stream.drain(); // answered
  await stream.stop();
  vi.restoreAllMocks();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await graph.close();
  await tables.dispose();
});

describe('logs', () => {
  it('were written, as JSON lines, on the success and the error paths', () => {
    const messages = lines().map((l) => JSON.parse(l).message);
    expect(messages).toEqual(expect.arrayContaining(['Webhook received', 'Request refused', 'Replied', 'Message not deliverable']));
  });

  it('name the event ids of every delivery, and which of them Meta redelivered', async () => {
    const who = { psid: '990000000000002', pageId: '100000000000001' };
    const mid = `m_logged_${Date.now()}`;
    const raw = metaJson(webhookBody([{ pageId: who.pageId, messaging: [textMessage(who, CANARY_TEXT, { mid })] }]));
    const out = captureOutput();
    try {
      await webhook(signedWebhookEvent(raw, APP_SECRET), lambdaContext());
      await webhook(signedWebhookEvent(raw, APP_SECRET), lambdaContext());
    } finally {
      vi.restoreAllMocks();
    }
    const logged = out.text().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(logged.filter((l) => l.message === 'Webhook received').map((l) => l.eventIds)).toEqual([[mid], [mid]]);
    expect(logged.filter((l) => l.message === 'Webhook redelivered').map((l) => l.duplicates)).toEqual([[mid]]);
  });

  it('never hold the app secret, the verify token, the Page token or the message text', () => {
    expect(output.text().length).toBeGreaterThan(0);
    for (const secret of [APP_SECRET, VERIFY_TOKEN, PAGE_TOKEN, CANARY_TEXT, 'my card PIN']) expect(output.text()).not.toContain(secret);
  });

  it('name a refused signature the way the metric filter of the webhook alarm expects', () => {
    // serverless.yml: WebhookSignatureRefusedFilter matches these two fields.
    const refused = lines().map((l) => JSON.parse(l)).filter((l) => l.message === 'Request refused' && l.error === 'SignatureInvalid');
    expect(refused).toHaveLength(1);
    expect(refused[0].function_name).toBeTruthy();
  });

  it('carry the inbound event id as the correlation id of each conversation turn', () => {
    const replied = lines().map((l) => JSON.parse(l)).find((l) => l.message === 'Replied');
    expect(replied.correlationId).toEqual(replied.eventId);
    expect(replied.correlationId).toMatch(/^m_/);
  });
});

describe('log redaction', () => {
  const ACCESS_TOKEN = 'access-sandbox-5e2b9c41-7d0f-4b6e-9a51-2f1d0c3b8e77';
  const FB_TOKEN = 'EAAGm0PX4ZCpsBAOZCkq2tR7xLr9ZBZCdummyPageToken';

  async function logged(write: (logger: Logger) => void) {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    vi.stubEnv('POWERTOOLS_DEV', 'false');
    vi.resetModules();
    const { logger } = await import('../../lib/logger');
    const out = captureOutput();
    try {
      write(logger);
    } finally {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
    }
    return out.text().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  }

  it('replaces amounts, balances, names and message text under their keys, at any depth, and keeps ids and counts', async () => {
    const [line] = await logged((logger) =>
      logger.info('Alert raised', {
        consentId: 'c-1',
        accounts: 2,
        amount: 912.4,
        merchantName: 'ELECTRO-WORLD',
        detail: { accountName: 'Everyday Checking', balances: { available: 1234.56, current: 1300 }, first_name: 'Ana', text: CANARY_TEXT },
      }),
    );
    expect(line).toMatchObject({
      message: 'Alert raised',
      consentId: 'c-1',
      accounts: 2,
      amount: '[redacted]',
      merchantName: '[redacted]',
      detail: { accountName: '[redacted]', balances: '[redacted]', first_name: '[redacted]', text: '[redacted]' },
    });
    expect(JSON.stringify(line)).not.toMatch(/912|1234|ELECTRO|Everyday|Ana|canary/);
  });

  it('scrubs bank and Page tokens and money amounts from free text and from errors, messages and stacks included', async () => {
    const failure = new Error(`GET https://graph.facebook.com/v25.0/me?access_token=${FB_TOKEN}&fields=id failed for ${ACCESS_TOKEN}: $912.40 over 1,234.56 USD`);
    const lines = await logged((logger) => {
      logger.error('Sync failed', { error: 'BankError', detail: `Plaid refused ${ACCESS_TOKEN} (Bearer ${FB_TOKEN}), € 15 pending` });
      logger.error('Request failed', failure);
    });
    const text = JSON.stringify(lines);
    for (const secret of [ACCESS_TOKEN, FB_TOKEN, '5e2b9c41', '912.40', '1,234.56', '€ 15']) expect(text).not.toContain(secret);
    expect(lines.map((l) => l.message)).toEqual(['Sync failed', 'Request failed']);
    expect(lines[0].error).toBe('BankError');
    expect(lines[1].error).toMatchObject({ name: 'Error', message: expect.stringContaining('access_token=[redacted]') });
    expect(lines[1].error.message).toContain('access-sandbox-[redacted]');
  });
});

describe('scheduled runs', () => {
  type Scheduled = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
  const scheduledEvent = { version: '0', id: 'run-1', 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), detail: {} };

  /** What the two schedules print for one run each, on tables where nothing is due or ending. */
  async function runBothSchedules(level: 'INFO' | 'DEBUG') {
    const env = {
      tableName: tables.names.main,
      auditTableName: tables.names.audit,
      dynamodbEndpoint: tables.endpoint,
      graphApiUrl: graph.url,
      // Never called: nothing is due.
      extra: { POWERTOOLS_LOG_LEVEL: level, POWERTOOLS_DEV: 'false', SYNC_QUEUE_URL: 'http://127.0.0.1:9/000000000000/sync' },
    };
    const scheduler = await loadHandler<Scheduled>(() => import('../../functions/sync-scheduler'), env);
    const expiry = await loadHandler<Scheduled>(() => import('../../functions/consent-expiry'), env);
    const out = captureOutput();
    try {
      await scheduler(scheduledEvent, lambdaContext('syncScheduler'));
      await expiry(scheduledEvent, lambdaContext('consentExpiry'));
    } finally {
      vi.restoreAllMocks();
    }
    return out.text().split('\n').filter(Boolean);
  }

  it('write nothing at INFO when they found nothing to do', async () => {
    expect(await runBothSchedules('INFO')).toEqual([]);
  });

  it('still say at DEBUG that they ran and found nothing', async () => {
    const records = (await runBothSchedules('DEBUG')).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(records.find((r) => r.message === 'Due syncs enqueued')).toMatchObject({ level: 'DEBUG', due: 0, enqueued: 0 });
    expect(records.find((r) => r.message === 'Consent sweep done')).toMatchObject({ level: 'DEBUG', expired: 0, reminded: 0 });
  });

  it('write one INFO line for a run that queued syncs', async () => {
    const logged: string[] = [];
    const record = (level: string) => (message: string) => void logged.push(`${level} ${message}`);
    const due = [{ psid: '990000000000003', itemId: 'item-1', dueAt: '2026-11-21T04:40:00.000Z' }];

    await enqueueDueSyncs({
      listDue: async (onPage) => (await onPage(due), { due: due.length, queries: 1 }),
      queue: { send: async (requests) => ({ sent: requests.length, requests: 1 }) },
      log: { debug: record('DEBUG'), info: record('INFO'), warn: record('WARN'), error: record('ERROR') } as unknown as Log,
    });

    expect(logged).toEqual(['INFO Due syncs enqueued']);
  });
});
