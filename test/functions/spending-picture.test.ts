import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startGraphStub, type GraphStub } from '../../dev/graph-stub';
import type { BankAccount, BankTransaction } from '../../lib/banking/bank-connector';
import { barChartSize } from '../../lib/charts/bar-chart';
import { descriptionOf } from '../../lib/charts/png';
import { disclosure } from '../../lib/consent/disclosure';
import { activateConsent, requestConsent, revokeConsent } from '../../lib/consent/model/consent';
import type { Scope } from '../../lib/consent/model/scopes';
import type { PictureRequest } from '../../lib/queue/picture-request';
import { createLocalKeyProvider } from '../../lib/security/local-key-provider';
import type { Store } from '../../lib/store';
import { createTestTables, type TestTables } from '../support/dynamodb';
import { LINK_SECRET, lambdaContext, loadHandler, MASTER_KEY, PAGE_TOKEN } from '../support/functions';
import { readLinkToken } from '../../lib/consent/link-token';
import { privateAnswerPage } from '../../lib/consent/private-answer-page';
import type { PrivateContent } from '../../lib/consent/private-answers';

/**
 * The spending picture end to end: a picture-queue message → the spendingPicture handler → the
 * person's consent and transactions in DynamoDB Local through the financial gate → the exact Send
 * API requests the Graph API stub receives: the image uploaded with its message (multipart), then
 * its text. Data is seeded as the sync stores it, dated relative to today; every figure expected is
 * worked out here by hand.
 */
type Worker = (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;

let tables: TestTables;
let graph: GraphStub;
let store: Store;
let worker: Worker;
let n = 0;

const DAY = 86_400_000;
const now = new Date();
const iso = (d: Date) => d.toISOString().slice(0, 10);
const today = iso(now);
const daysAgo = (days: number) => iso(new Date(now.getTime() - days * DAY));
const LAST_30_DAYS = { spec: 'last-30-days', from: daysAgo(29), to: today };

const ACCOUNTS: BankAccount[] = [
  { accountId: 'acc-chk', name: 'Plaid Checking', mask: '0000', type: 'depository', subtype: 'checking', balances: { available: 1200.5, current: 1250.75, limit: null, currency: 'USD' } },
];
const txn = (id: string, date: string, amount: number, primary: string): BankTransaction => ({
  transactionId: id,
  accountId: 'acc-chk',
  amount,
  currency: 'USD',
  date,
  name: id.toUpperCase(),
  category: { primary, detailed: `${primary}_OTHER` },
  pending: false,
});
const TRANSACTIONS: BankTransaction[] = [
  txn('rent', daysAgo(2), 1180, 'RENT_AND_UTILITIES'),
  txn('groceries-1', daysAgo(3), 82.4, 'FOOD_AND_DRINK'),
  txn('groceries-2', daysAgo(10), 30, 'FOOD_AND_DRINK'),
  txn('streaming', daysAgo(5), 15.49, 'ENTERTAINMENT'),
  txn('payroll', daysAgo(4), -2400, 'INCOME'),
  txn('to-savings', daysAgo(4), 500, 'TRANSFER_OUT'),
  // Outside the 30 days asked about.
  txn('older', daysAgo(45), 999, 'TRAVEL'),
];

/** A person with a consent in force, their transactions stored as a sync leaves them. */
async function linked(scopes: Scope[] = ['balances', 'transactions']) {
  const psid = `7${Date.now()}${++n}`;
  const financial = store.financialGate(createLocalKeyProvider(MASTER_KEY));
  const requested = requestConsent({ consentId: randomUUID(), psid, scopes, durationDays: 90, disclosure: disclosure({ recipient: 'Demo Bank' }), bankLinkToken: 'link-x', now });
  await store.commitConsentTransition(requested);
  const activated = activateConsent(requested.consent, { itemId: `item-${psid}`, institution: { id: 'ins_109508', name: 'First Platypus Bank' }, now });
  await store.commitConsentTransition(activated, await financial.activationItems(activated.consent, { accessToken: 'access-sandbox-x', accounts: ACCOUNTS }));
  if (scopes.includes('transactions')) {
    await financial.applyTransactionsPage(activated.consent, { added: TRANSACTIONS, modified: [], removed: [], nextCursor: 'c1', hasMore: false, accounts: [] });
  }
  await store.scheduleNextSync({ psid, itemId: `item-${psid}` }, { at: new Date(now.getTime() + DAY), status: 'ok', syncedAt: now });
  return { psid, consent: activated.consent };
}

const ask = (psid: string, overrides: Partial<PictureRequest> = {}): PictureRequest => ({ psid, key: `m_${randomUUID()}`, period: LAST_30_DAYS, language: 'en', ...overrides });
const sqsEvent = (...bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({
    messageId: `msg-${i}-${randomUUID()}`,
    receiptHandle: `rh-${i}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'test', ApproximateFirstReceiveTimestamp: String(Date.now()) },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:picture',
    awsRegion: 'eu-west-1',
  })),
});
const run = (...requests: (PictureRequest | string)[]) => worker(sqsEvent(...requests.map((r) => (typeof r === 'string' ? r : JSON.stringify(r)))), lambdaContext('spendingPicture'));

const EN_FIGURES = [
  'Spending in the last 30 days: $1,307.89 — most on rent and bills ($1,180.00).',
  '• Rent and bills: $1,180.00',
  '• Food and drink: $112.40',
  '• Entertainment: $15.49',
].join('\n');

beforeAll(async () => {
  tables = await createTestTables();
  graph = await startGraphStub({ pageAccessToken: PAGE_TOKEN });
  store = tables.store();
  worker = await loadHandler<Worker>(() => import('../../functions/spending-picture'), {
    tableName: tables.names.main,
    auditTableName: tables.names.audit,
    dynamodbEndpoint: tables.endpoint,
    graphApiUrl: graph.url,
    extra: { ASSISTANT_TIME_ZONE: 'UTC' },
  });
}, 120_000);

beforeEach(() => graph.clear());

afterAll(async () => {
  vi.unstubAllEnvs();
  await graph.close();
  await tables.dispose();
});

describe('the spending picture', () => {
  it('sends the chart as an image uploaded with its message, then its one-line summary and the same figures as text', async () => {
    const { psid } = await linked();

    expect(await run(ask(psid))).toEqual({ batchItemFailures: [] });

    const sent = graph.sentTo(psid);
    expect(sent.map((s) => s.body)).toEqual([
      {
        recipient: { id: psid },
        messaging_type: 'RESPONSE',
        message: { attachment: { type: 'image', payload: { is_reusable: false } } },
        filedata: { filename: 'spending.png', contentType: 'image/png', size: expect.any(Number), description: EN_FIGURES, url: expect.stringMatching(/\/__attachments\/m_\d+$/) },
      },
      { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: EN_FIGURES } },
    ]);
    // The Send API was asked in the shape Meta documents for "upload and send": multipart with filedata.
    const png = graph.attachment(sent[0]!.messageId!)!;
    expect(png.contentType).toBe('image/png');
    expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    // Three bars: rent, food and entertainment.
    expect({ width: png.bytes.readUInt32BE(16), height: png.bytes.readUInt32BE(20) }).toEqual(barChartSize(3));
    expect(png.bytes.length).toBeGreaterThan(10_000);
    expect(png.bytes.length).toBeLessThan(150_000);
    expect(png.bytes.length).toBe((sent[0]!.body as { filedata: { size: number } }).filedata.size);
    expect(descriptionOf(png.bytes)).toBe(EN_FIGURES);
  });

  it('in private mode sends Messenger only the figure-free ready line, and keeps the chart with its figures for the private page, once', async () => {
    const { psid } = await linked();

    expect(await run(ask(psid, { private: true }))).toEqual({ batchItemFailures: [] });

    const sent = graph.sentTo(psid);
    expect(sent).toHaveLength(1);
    const body = JSON.stringify(sent[0]!.body);
    expect(body).toContain('Your spending is ready.');
    expect(body).not.toMatch(/\$\d|1,180|112\.40|15\.49|Rent and bills|image/);
    const url = new URL((sent[0]!.body as { message: { attachment: { payload: { buttons: { url: string }[] } } } }).message.attachment.payload.buttons[0]!.url);
    expect(url.pathname).toBe('/private/answer');

    // What the page will show: the chart (a PNG with the figures as its alternative text) and the figures.
    const claims = readLinkToken(url.searchParams.get('t')!, 'answer', LINK_SECRET, new Date());
    const kept = await store.financialReads.takePrivateAnswer(psid, claims.ref!);
    const content = kept!.content as { lines: string[]; image: { png: string; alt: string } };
    expect(content.lines.join('\n')).toBe(EN_FIGURES);
    expect(content.image.alt).toBe(EN_FIGURES);
    const png = Buffer.from(content.image.png, 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual(barChartSize(3));
    const page = privateAnswerPage(content as unknown as PrivateContent);
    // The attribute as HTML escapes it ("=" padding as &#61;), which the browser reads back as the same data: URL.
    expect(page).toContain(`<img src="data:image/png;base64,${content.image.png.replace(/=/g, '&#61;')}" alt="Spending in the last 30 days: $1,307.89`);
    // Read once: the page's second opening finds nothing.
    expect(await store.financialReads.takePrivateAnswer(psid, claims.ref!)).toBeUndefined();
  });

  it('answers in Spanish, in the locale’s own way of writing money', async () => {
    const { psid } = await linked();

    await run(ask(psid, { language: 'es' }));

    const text = graph.sentTo(psid).map((s) => (s.body as { message: { text?: string } }).message.text).filter(Boolean);
    expect(text).toEqual([
      [
        'Gastos en los últimos 30 días: $1,307.89 — sobre todo en renta y servicios ($1,180.00).',
        '• Renta y servicios: $1,180.00',
        '• Comida y bebida: $112.40',
        '• Entretenimiento: $15.49',
      ].join('\n'),
    ]);
  });

  it('sends a sentence instead of an empty chart when nothing was spent in the period', async () => {
    const { psid } = await linked();

    await run(ask(psid, { period: { spec: 'yesterday', from: daysAgo(1), to: daysAgo(1) } }));

    expect(graph.sentTo(psid).map((s) => s.body)).toEqual([{ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'You spent nothing yesterday.' } }]);
  });

  it('sends it once: a redelivered message finds the answer sent and draws nothing', async () => {
    const { psid } = await linked();
    const request = ask(psid);

    await run(request);
    await run(request);

    expect(graph.sentTo(psid)).toHaveLength(2);
  });

  it.each<[string, () => Promise<{ psid: string }>]>([
    ['who shares no bank', async () => ({ psid: `6${Date.now()}${++n}` })],
    ['who shares balances but not transactions', () => linked(['balances'])],
    [
      'whose consent was revoked after asking',
      async () => {
        const { psid, consent } = await linked();
        await store.commitConsentTransition(revokeConsent(consent, { now, by: 'person' }));
        return { psid };
      },
    ],
  ])('sends nothing, and no figure, to a person %s', async (_, person) => {
    const { psid } = await person();

    expect(await run(ask(psid))).toEqual({ batchItemFailures: [] });

    expect(graph.sentTo(psid)).toEqual([]);
  });

  it('keeps a malformed message for the DLQ and sends nothing for it, while the rest of the batch is answered', async () => {
    const { psid } = await linked();

    const response = await run('{"psid": "1"', { ...ask(psid), period: { spec: 'this-month', from: today, to: daysAgo(3) } } as PictureRequest, ask(psid));

    expect(response.batchItemFailures).toHaveLength(2);
    expect(graph.sentTo(psid)).toHaveLength(2);
    expect(graph.sentTo('1')).toEqual([]);
  });

  it('gives a message back when the Send API is unavailable, and sends it whole when it is retried', async () => {
    const { psid } = await linked();
    const request = ask(psid);
    graph.failNext(3, { status: 500, code: 2, message: 'Service temporarily unavailable' });

    const first = await run(request);
    const second = await run(request);

    expect(first.batchItemFailures).toHaveLength(1);
    expect(second).toEqual({ batchItemFailures: [] });
    expect(graph.sentTo(psid).map((s) => Object.keys((s.body as { message: object }).message))).toEqual([['attachment'], ['text']]);
  });
});
