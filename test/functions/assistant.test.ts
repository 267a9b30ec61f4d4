import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startGraphStub, type GraphStub } from '../../dev/graph-stub';
import { startLocalSqs, type LocalSqs } from '../../dev/local-sqs';
import { metaJson, postback, quickReply, signedWebhookEvent, textMessage, webhookBody, type Person } from '../../dev/messenger-payloads';
import { refreshNotice } from '../../lib/sync/refresh-notice';
import type { BankAccount, BankTransaction } from '../../lib/banking/bank-connector';
import { activateConsent, requestConsent } from '../../lib/consent/model/consent';
import { disclosure } from '../../lib/consent/disclosure';
import type { Scope } from '../../lib/consent/model/scopes';
import { createLocalKeyProvider } from '../../lib/security/local-key-provider';
import type { Store } from '../../lib/store';
import { createTestTables, type TestTables } from '../support/dynamodb';
import { APP_SECRET, lambdaContext, loadHandler, MASTER_KEY, PAGE_TOKEN } from '../support/functions';
import { streamTo } from '../support/stream';

/**
 * The assistant end to end: a signed webhook event → the inbox → the stream → conversation → the
 * exact Send API request, against a person's own data in DynamoDB Local. The data is seeded as the
 * sync would store it, with dates relative to today, and every expected figure is worked out here
 * by hand from that data.
 */
type Webhook = (event: APIGatewayProxyEventV2, context: ReturnType<typeof lambdaContext>) => Promise<APIGatewayProxyStructuredResultV2>;
type Conversation = (event: DynamoDBStreamEvent, context: ReturnType<typeof lambdaContext>) => Promise<DynamoDBBatchResponse>;

let tables: TestTables;
let graph: GraphStub;
let sqs: LocalSqs;
let store: Store;
let webhook: Webhook;
let stream: Awaited<ReturnType<typeof streamTo>>;
const page = '100000000000002';
let n = 0;

// ── dates and formatting, worked out independently of the code under test ─────────────────────────
const now = new Date();
const iso = (d: Date) => d.toISOString().slice(0, 10);
const day = (s: string) => new Date(`${s}T00:00:00Z`);
const today = iso(now);
const utc = (y: number, m: number, d: number) => iso(new Date(Date.UTC(y, m, d)));
const Y = now.getUTCFullYear();
const M = now.getUTCMonth();
const lastMonth = (d: number) => utc(Y, M - 1, d);
const lastMonthEnd = utc(Y, M, 0);
const weekday = (now.getUTCDay() + 6) % 7;
const lastWeekMonday = iso(new Date(day(today).getTime() - (weekday + 7) * 86_400_000));
const lastWeekSunday = iso(new Date(day(today).getTime() - (weekday + 1) * 86_400_000));
const usd = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);
const short = (s: string) => new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' }).format(day(s));
const range = (from: string, to: string) =>
  from === to ? short(from) : new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', ...(from.slice(0, 4) !== to.slice(0, 4) ? { year: 'numeric' } : {}) }).formatRange(day(from), day(to));
/** A time of day says its zone; the deployment here answers in UTC. */
const time = (at: Date) => `${new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', hour: 'numeric', minute: '2-digit' }).format(at)} UTC`;
/** "as of 9:29 PM UTC" today, "as of Dec 7, 9:29 PM UTC" for figures from another day (a test run just after midnight). */
const asOf = (at: Date) =>
  `as of ${at.toISOString().slice(0, 10) === new Date().toISOString().slice(0, 10) ? '' : `${new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' }).format(at)}, `}${time(at)}`;

// ── the person's data ───────────────────────────────────────────────────────────────────────────
const ACCOUNTS: BankAccount[] = [
  { accountId: 'acc-chk', name: 'Plaid Checking', mask: '0000', type: 'depository', subtype: 'checking', balances: { available: 1200.5, current: 1250.75, limit: null, currency: 'USD' } },
  { accountId: 'acc-sav', name: 'Plaid Saving', mask: '1111', type: 'depository', subtype: 'savings', balances: { available: 5300, current: 5300, limit: null, currency: 'USD' } },
  { accountId: 'acc-cc', name: 'Plaid Credit Card', mask: '3333', type: 'credit', subtype: 'credit card', balances: { available: null, current: 410.2, limit: 2000, currency: 'USD' } },
];
const txn = (id: string, date: string, merchant: string | undefined, name: string, amount: number, detailed: string, accountId: string): BankTransaction => ({
  transactionId: id,
  accountId,
  amount,
  currency: 'USD',
  date,
  name,
  ...(merchant ? { merchantName: merchant } : {}),
  category: { primary: detailed.replace(/_(GROCERIES|TV_AND_MOVIES|FAST_FOOD|RESTAURANT|SUPERSTORES|COFFEE|WAGES|SAVINGS)$/, ''), detailed },
  pending: false,
});
const TRANSACTIONS: BankTransaction[] = [
  txn('t1', today, 'Whole Foods Market', 'WHOLE FOODS MKT #10234', 25, 'FOOD_AND_DRINK_GROCERIES', 'acc-chk'),
  txn('t2', today, 'Netflix', 'NETFLIX.COM', 15.49, 'ENTERTAINMENT_TV_AND_MOVIES', 'acc-cc'),
  txn('t3', today, 'Chipotle Mexican Grill', 'CHIPOTLE 1417', 12.5, 'FOOD_AND_DRINK_FAST_FOOD', 'acc-cc'),
  txn('t4', lastMonth(5), 'Whole Foods Market', 'WHOLE FOODS MKT #10234', 82.4, 'FOOD_AND_DRINK_GROCERIES', 'acc-chk'),
  txn('t5', lastMonth(12), "Trader Joe's", "TRADER JOE'S #552", 30, 'FOOD_AND_DRINK_GROCERIES', 'acc-chk'),
  txn('t6', lastMonth(20), 'Whole Foods Market', 'WHOLE FOODS MKT #10234', 45.1, 'FOOD_AND_DRINK_GROCERIES', 'acc-cc'),
  txn('t7', lastMonth(8), 'Luna Taqueria', 'SQ *LUNA TAQUERIA', 40, 'FOOD_AND_DRINK_RESTAURANT', 'acc-cc'),
  txn('t8', lastWeekMonday, 'Target', 'TARGET.COM * 800-591-3869', 250, 'GENERAL_MERCHANDISE_SUPERSTORES', 'acc-cc'),
  txn('t9', lastWeekMonday, 'Starbucks', 'STARBUCKS STORE 08123', 4.95, 'FOOD_AND_DRINK_COFFEE', 'acc-chk'),
  txn('t10', lastMonth(15), undefined, 'ACME CORP PAYROLL', -2400, 'INCOME_WAGES', 'acc-chk'),
  txn('t11', lastMonth(16), undefined, 'ONLINE TRANSFER TO SAVINGS', 500, 'TRANSFER_OUT_SAVINGS', 'acc-chk'),
];

/** A person with an active consent, their accounts and transactions stored as a sync leaves them. */
async function linked(scopes: Scope[] = ['balances', 'transactions', 'alerts'], options: { dataAt?: Date } = {}) {
  const who: Person = { psid: `8${Date.now()}${++n}`, pageId: page };
  const at = options.dataAt ?? new Date();
  const financial = tables.store(() => at).financialGate(createLocalKeyProvider(MASTER_KEY));
  const requested = requestConsent({ consentId: randomUUID(), psid: who.psid, scopes, durationDays: 90, disclosure: disclosure({ recipient: 'Demo Bank' }), bankLinkToken: 'link-x', now: at });
  await store.commitConsentTransition(requested);
  const itemId = `item-${who.psid}`;
  const activated = activateConsent(requested.consent, { itemId, institution: { id: 'ins_109508', name: 'First Platypus Bank' }, now: at });
  await store.commitConsentTransition(activated, await financial.activationItems(activated.consent, { accessToken: 'access-sandbox-x', accounts: ACCOUNTS }));
  if (scopes.includes('transactions')) {
    await financial.applyTransactionsPage(activated.consent, { added: TRANSACTIONS, modified: [], removed: [], nextCursor: 'c1', hasMore: false, accounts: [] });
  }
  await store.scheduleNextSync({ psid: who.psid, itemId }, { at: new Date(at.getTime() + 86_400_000), status: 'ok', syncedAt: at });
  // They linked from a link the chat gave them: already told, then, that the assistant is a bot.
  await store.putConversation(who.psid, { greeted: true });
  return { who, itemId, consent: activated.consent, financial };
}

const stranger = (): Person => ({ psid: `9${Date.now()}${++n}`, pageId: page });

async function say(who: Person, ...messaging: unknown[]) {
  graph.clear();
  const response = await webhook(signedWebhookEvent(metaJson(webhookBody([{ pageId: page, messaging }])), APP_SECRET), lambdaContext());
  expect(response.statusCode).toBe(200);
  await stream.drain();
  return graph.sentTo(who.psid).map((s) => s.body as Record<string, unknown>);
}
const ask = (who: Person, text: string) => say(who, textMessage(who, text, { mid: `m_${randomUUID()}` }));
const messagesOf = (bodies: Record<string, unknown>[]) => bodies.filter((b) => b.message);
const onlyMessage = (bodies: Record<string, unknown>[]) => {
  const messages = messagesOf(bodies);
  expect(messages).toHaveLength(1);
  return messages[0]!;
};
const textOf = (body: Record<string, unknown>) => {
  const message = body.message as { text?: string; attachment?: { payload: { text: string } } };
  return message.text ?? message.attachment?.payload.text ?? '';
};
const response = (psid: string, message: unknown) => ({ recipient: { id: psid }, messaging_type: 'RESPONSE', message });
const nextQuestions = (without: string) =>
  [
    { content_type: 'text', title: 'Balance', payload: 'BALANCE' },
    { content_type: 'text', title: 'Spending this month', payload: 'SPENDING_THIS_MONTH' },
    { content_type: 'text', title: 'Recent transactions', payload: 'RECENT_TRANSACTIONS' },
    { content_type: 'text', title: 'Alert settings', payload: 'ALERT_SETTINGS' },
  ].filter((q) => q.payload !== without);

beforeAll(async () => {
  tables = await createTestTables();
  graph = await startGraphStub({ pageAccessToken: PAGE_TOKEN });
  sqs = await startLocalSqs({ stage: `a${Date.now()}` });
  store = tables.store();
  const env = {
    tableName: tables.names.main,
    auditTableName: tables.names.audit,
    dynamodbEndpoint: tables.endpoint,
    graphApiUrl: graph.url,
    extra: { SQS_ENDPOINT: sqs.endpoint, SYNC_QUEUE_URL: sqs.queueUrl('SyncQueue'), ASSISTANT_TIME_ZONE: 'UTC', DATA_FRESHNESS_MINUTES: '60', BANK_FRAUD_PHONE: '+1 800 555 0100' },
  };
  webhook = await loadHandler<Webhook>(() => import('../../functions/messenger-webhook'), env);
  const conversation = await loadHandler<Conversation>(() => import('../../functions/conversation'), env);
  stream = await streamTo(tables, (event) => conversation(event, lambdaContext('conversation')));
  await stream.drain();
}, 120_000);

beforeEach(() => graph.clear());

afterAll(async () => {
  vi.unstubAllEnvs();
  await stream.stop();
  await graph.close();
  await sqs.stop();
  await tables.dispose();
});

describe('balances', () => {
  it('answers "what\'s my balance?" with every account, as of when the bank said so, after a typing indicator', async () => {
    const fetchedAt = new Date(Date.now() - 5 * 60_000);
    const { who } = await linked(undefined, { dataAt: fetchedAt });
    const bodies = await ask(who, "what's my balance?");
    expect(bodies).toEqual([
      { recipient: { id: who.psid }, sender_action: 'typing_on' },
      response(who.psid, {
        text:
          `Your balances, ${asOf(fetchedAt)}:\n` +
          '• Plaid Checking ••0000: $1,200.50 available ($1,250.75 current)\n' +
          '• Plaid Saving ••1111: $5,300.00\n' +
          // The bank gives no available credit for this card: the reply works it out, and says so.
          '• Plaid Credit Card ••3333: $410.20 owed, about $1,589.80 available of $2,000.00 (estimated from your limit)',
        quick_replies: nextQuestions('BALANCE'),
      }),
    ]);
  });

  it('answers in Spanish about one type of account', async () => {
    const { who } = await linked();
    const message = onlyMessage(await ask(who, 'saldo de mi cuenta de ahorros'));
    expect(textOf(message)).toMatch(/^Tu saldo, a las? \d{1,2}:\d{2} [ap]\. m\. UTC:\n• Plaid Saving ••1111: \$5,300\.00$/);
    expect((message.message as { quick_replies: { title: string }[] }).quick_replies.map((q) => q.title)).toEqual(['Gastos del mes', 'Movimientos', 'Mis alertas']);
  });

  it.each([
    ['am i broke lol', /^Your balances, as of /],
    ['how much money do i have rn', /^Your balances, as of /],
    ['cuánta feria tengo', /^Tus saldos, /],
    ['cuánta lana me queda?', /^Tus saldos, /],
    ['cuánta pasta tengo en el banco tío', /^Tus saldos, /],
    ['cuántos chavos tengo', /^Tus saldos, /],
  ])('answers %j, in the person’s own words, with the balances', async (words, head) => {
    const { who } = await linked();
    expect(textOf(onlyMessage(await ask(who, words)))).toMatch(head);
  });

  it.each([
    ['cuánta plata gasté este mes', /^Gastaste \$|^No gastaste nada/],
    ['what did i blow on food this month', /^You spent \$|^You spent nothing/],
  ])('answers %j with spending', async (words, head) => {
    const { who } = await linked();
    expect(textOf(onlyMessage(await ask(who, words)))).toMatch(head);
  });

  it('answers about one account named by the last digits of its number', async () => {
    const { who } = await linked();
    expect(textOf(onlyMessage(await ask(who, "what's the balance of the account ending 3333?")))).toMatch(/^Your balance, as of .+:\n• Plaid Credit Card ••3333: \$410\.20 owed, about \$1,589\.80 available of \$2,000\.00 \(estimated from your limit\)$/);
  });
});

describe('spending, searches and follow-ups', () => {
  it('totals a category over a period, naming the biggest', async () => {
    const { who } = await linked();
    const message = onlyMessage(await ask(who, 'How much did I spend on groceries last month?'));
    expect(message).toEqual(
      response(who.psid, {
        text: `You spent $157.50 on groceries last month (${range(lastMonth(1), lastMonthEnd)}), in 3 transactions.\nBiggest: Whole Foods Market $82.40 on ${short(lastMonth(5))}.`,
        quick_replies: [
          { content_type: 'text', title: 'Largest purchases', payload: 'LARGEST' },
          ...nextQuestions('SPENDING_THIS_MONTH'),
        ],
      }),
    );
  });

  it('totals what was paid to a merchant this year', async () => {
    const { who } = await linked();
    const text = textOf(onlyMessage(await ask(who, 'how much did I pay Netflix this year?')));
    expect(text).toBe(`You paid Netflix $15.49 this year (${range(utc(Y, 0, 1), today)}), in 1 payment.\nThe last one: $15.49 on ${short(today)}.${day(utc(Y, 0, 1)) < day(iso(new Date(now.getTime() - 89 * 86_400_000))) ? `\n(I keep 90 days of transactions, so this counts from ${short(iso(new Date(day(today).getTime() - 89 * 86_400_000)))}.)` : ''}`);
  });

  it('finds transactions over an amount in a period', async () => {
    const { who } = await linked();
    const text = textOf(onlyMessage(await ask(who, 'anything over $200 last week?')));
    expect(text).toBe(`1 transaction over $200.00 last week (${range(lastWeekMonday, lastWeekSunday)}), $250.00 in all:\n• ${short(lastWeekMonday)} Target: $250.00`);
  });

  it('follows "and last month?" from the question before, in timestamp order even when delivered out of order', async () => {
    const { who } = await linked();
    const t = Date.now();
    const first = textMessage(who, 'how much did I spend on restaurants this month', { mid: `m_${randomUUID()}`, timestamp: t });
    const second = textMessage(who, 'and last month?', { mid: `m_${randomUUID()}`, timestamp: t + 1 });
    const bodies = messagesOf(await say(who, second, first));
    expect(bodies.map(textOf)).toEqual([
      `You spent $12.50 on restaurants this month (${range(utc(Y, M, 1), today)}), in 1 transaction.\nBiggest: Chipotle Mexican Grill $12.50 on ${short(today)}.`,
      `You spent $40.00 on restaurants last month (${range(lastMonth(1), lastMonthEnd)}), in 1 transaction.\nBiggest: Luna Taqueria $40.00 on ${short(lastMonth(8))}.`,
    ]);
  });

  it('lists the largest purchases, leaving out income and transfers between own accounts', async () => {
    const { who } = await linked();
    const text = textOf(onlyMessage(await ask(who, 'biggest purchases last month')));
    const lastMonthSpending = TRANSACTIONS.filter((t) => t.date >= lastMonth(1) && t.date <= lastMonthEnd && t.amount > 0 && !t.category!.primary.startsWith('TRANSFER'))
      .sort((a, b) => b.amount - a.amount)
      .slice(0, 3);
    expect(text).toBe(
      [`Your 3 largest purchases last month (${range(lastMonth(1), lastMonthEnd)}):`, ...lastMonthSpending.map((t) => `• ${short(t.date)} ${t.merchantName}: ${usd(t.amount)}`)].join('\n'),
    );
  });

  it('lists recent transactions, newest first, with money in marked', async () => {
    const { who } = await linked();
    const text = textOf(onlyMessage(await ask(who, 'show my last 2 transactions on my checking account')));
    expect(text).toBe(`Your last 2 transactions:\n• ${short(today)} Whole Foods Market: $25.00\n• ${short(lastWeekMonday)} Starbucks: $4.95`);
  });

  it('answers a question in Spanish in Spanish', async () => {
    const { who } = await linked();
    const text = textOf(onlyMessage(await ask(who, '¿cuánto gasté en el súper el mes pasado?')));
    expect(text).toMatch(/^Gastaste \$157\.50 en supermercado el mes pasado \(.+\), en 3 movimientos\.\nLa mayor: Whole Foods Market \$82\.40 el /);
  });
});

describe('without consent, or without the scope a question needs', () => {
  it('offers the consent link, reading nothing, when nothing is shared', async () => {
    const who = stranger();
    const bodies = await ask(who, "what's my balance?");
    expect(bodies).toEqual([
      response(who.psid, {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'button',
            // A first reply: it says first that this is a bot, and how to reach a person.
            text:
              'I\'m an automated assistant — say "agent" any time to talk to a person.\n' +
              'To answer that I need to read your bank data, and only with your permission. See exactly what is shared, choose, and link your bank (the link works for 30 minutes).',
            buttons: [{ type: 'web_url', title: 'Review and link', url: expect.stringMatching(/^https:\/\/assistant\.test\/consent\?t=/), webview_height_ratio: 'tall' }],
          },
        },
      }),
    ]);
  });

  it.each<[string, Scope[], string, string]>([
    ['transactions', ['balances'], 'how much did I spend on groceries last month', 'You share only balances of First Platypus Bank with me, so I can\'t see your transactions.'],
    ['balances', ['transactions'], "what's my balance?", "You share only transactions of First Platypus Bank with me, so I can't see your balances."],
  ])('says %s are not shared and offers to change what is shared', async (_missing, scopes, question, says) => {
    const { who } = await linked(scopes);
    const message = onlyMessage(await ask(who, question));
    expect(textOf(message)).toContain(says);
    expect((message.message as { attachment: { payload: { buttons: { url: string }[] } } }).attachment.payload.buttons[0]!.url).toMatch(/^https:\/\/assistant\.test\/consent\/manage\?t=/);
  });
});

describe('stale data', () => {
  it('answers with what it holds, asks the bank for a refresh, and sends the updated figure when it is in', async () => {
    const stale = new Date(Date.now() - 3 * 3_600_000);
    const { who, itemId, consent } = await linked(['balances', 'transactions'], { dataAt: stale });
    const first = textOf(onlyMessage(await ask(who, 'savings balance')));
    expect(first).toBe(`Your balance, ${asOf(stale)}:\n• Plaid Saving ••1111: $5,300.00\nUpdating this from your bank now; I will send the new figures in a moment.`);

    const queued = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: sqs.queueUrl('SyncQueue'), MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect((queued.Messages ?? []).map((m) => JSON.parse(m.Body!) as unknown)).toContainEqual({ psid: who.psid, itemId, reason: 'stale' });

    // The sync worker stores fresh balances, then tells the conversation the data is in.
    const fresh = new Date();
    const fresher = tables.store(() => fresh).financialGate(createLocalKeyProvider(MASTER_KEY));
    await fresher.saveBalances(consent, ACCOUNTS.map((a) => (a.accountId === 'acc-sav' ? { ...a, balances: { ...a.balances, available: 5450, current: 5450 } } : a)));
    graph.clear();
    await store.putInternalEvent(refreshNotice(who.psid, itemId, fresh));
    await stream.drain();
    const updated = messagesOf(graph.sentTo(who.psid).map((s) => s.body as Record<string, unknown>));
    expect(updated.map(textOf)).toEqual([`Updated:\nYour balance, ${asOf(fresh)}:\n• Plaid Saving ••1111: $5,450.00`]);

    // Sent once: the same notice again (a retried batch) sends nothing more.
    graph.clear();
    await store.putInternalEvent({ ...refreshNotice(who.psid, itemId, fresh), id: `refresh:${itemId}:again` });
    await stream.drain();
    expect(messagesOf(graph.sentTo(who.psid).map((s) => s.body as Record<string, unknown>))).toEqual([]);
  });
});

describe('alert settings from the chat', () => {
  const confirmOrCancel = (payload: string, lang: 'en' | 'es' = 'en') => [
    { content_type: 'text', title: lang === 'en' ? 'Yes' : 'Sí', payload },
    { content_type: 'text', title: 'No', payload: 'CANCEL_CHANGE' },
  ];

  it('restates a low-balance alert, stores it only after the yes, and shows all settings', async () => {
    const { who } = await linked();
    const question = onlyMessage(await ask(who, 'alert me if my balance drops below $100'));
    expect(question).toEqual(response(who.psid, { text: 'Alert you when a balance drops below $100.00?', quick_replies: confirmOrCancel('CONFIRM:low:100') }));
    expect(await store.getAlertSettings(who.psid)).toBeUndefined();
    const text = textOf(onlyMessage(await say(who, quickReply(who, 'Yes', 'CONFIRM:low:100', { mid: `m_${randomUUID()}` }))));
    expect(text).toBe('Done.\nYour alerts:\n• Fraud alerts: on\n• Large transactions: from $500.00\n• Low balance: below $100.00\n• Money alerts (price rises, new recurring charges, double charges, bills with a low balance): on');
    expect(await store.getAlertSettings(who.psid)).toMatchObject({ fraudAlerts: true, largeTransactionThreshold: 500, lowBalanceThreshold: 100 });
  });

  it('turns fraud alerts off in Spanish after a typed "sí", and back on with the quick reply and its Yes', async () => {
    const { who } = await linked();
    const question = onlyMessage(await ask(who, 'desactiva las alertas de fraude'));
    expect(question).toEqual(response(who.psid, { text: '¿Desactivar las alertas de fraude? No te avisaré de pagos sospechosos.', quick_replies: confirmOrCancel('CONFIRM:fraud:off', 'es') }));
    expect(await store.getAlertSettings(who.psid)).toBeUndefined();
    const off = onlyMessage(await ask(who, 'sí'));
    expect(textOf(off)).toContain('Las alertas de fraude están desactivadas');
    expect(await store.getAlertSettings(who.psid)).toMatchObject({ fraudAlerts: false });
    const again = onlyMessage(await say(who, quickReply(who, 'Activar fraude', 'FRAUD_ALERTS_ON', { mid: `m_${randomUUID()}` })));
    expect(textOf(again)).toBe('¿Activar las alertas de fraude? Te preguntaré por los pagos que parezcan inusuales.');
    const on = onlyMessage(await say(who, quickReply(who, 'Sí', 'CONFIRM:fraud:on', { mid: `m_${randomUUID()}` })));
    expect(textOf(on)).toContain('Las alertas de fraude están activadas');
    expect(await store.getAlertSettings(who.psid)).toMatchObject({ fraudAlerts: true });
  });

  it('changes nothing on a confirmation payload it never asked for', async () => {
    const { who } = await linked();
    const refused = onlyMessage(await say(who, quickReply(who, 'Yes', 'CONFIRM:fraud:off', { mid: `m_${randomUUID()}` })));
    expect(textOf(refused)).toBe('That question is no longer open, so nothing changed. Ask me again if you still want it.');
    expect(await store.getAlertSettings(who.psid)).toBeUndefined();
  });
});

describe('it changes no setting on a misreading', () => {
  it('answers "it was me, stop the fraud alert" as "yes, it was me" to the alert waiting, leaving fraud alerts on', async () => {
    const { who, consent, financial } = await linked();
    const alertId = 'f00dfeedf00dfeedf00d';
    await financial.recordAlert(consent, { alertId, dedupeKey: 't8:fraud', rule: 'first-time-merchant', kind: 'fraud', at: new Date().toISOString() });
    const bodies = await ask(who, 'it was me, stop the fraud alert');
    expect(bodies).toEqual([response(who.psid, { text: 'Thanks, noted: no action needed.' })]);
    expect(await store.getAlertSettings(who.psid)).toBeUndefined();
    const answered = (await financial.exportData(consent)).alerts.find((a) => a.alertId === alertId);
    expect(answered).toMatchObject({ answer: 'yes' });
  });

  it('answers "avísame el 15 para pagar la tarjeta" with what the bank does, not a $15 alert', async () => {
    const { who } = await linked();
    const bodies = await ask(who, 'avísame el 15 para pagar la tarjeta');
    expect(bodies).toEqual([
      response(who.psid, {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'button',
            text: 'No puedo pagar recibos ni tarjetas, mandar ni transferir dinero, ni ver préstamos o tu historial de crédito: solo leo lo que compartes. Eso se hace en la app o la web de tu banco, o llamando al +1 800 555 0100. Una persona también puede ayudarte.',
            buttons: [{ type: 'postback', title: 'Hablar con alguien', payload: 'TALK_TO_PERSON' }],
          },
        },
      }),
    ]);
    expect(await store.getAlertSettings(who.psid)).toBeUndefined();
  });

  it('answers "tell me if netflix charges me more than $20" by offering the global alert as a choice, setting nothing', async () => {
    const { who } = await linked();
    const bodies = await ask(who, 'tell me if netflix charges me more than $20');
    expect(bodies).toEqual([
      response(who.psid, {
        text: 'I can’t set alerts for one merchant (netflix) yet. I can tell you about any large transaction instead.\nAlert you about every transaction of $20.00 or more, from any merchant? (Now: from $500.00.)',
        quick_replies: [
          { content_type: 'text', title: 'Yes', payload: 'CONFIRM:large:20' },
          { content_type: 'text', title: 'No', payload: 'CANCEL_CHANGE' },
        ],
      }),
    ]);
    expect(await store.getAlertSettings(who.psid)).toBeUndefined();
  });

  it('reads "dont alert me for purchases under 20" as purchase alerts from $20, asked first, never a low-balance alert', async () => {
    const { who } = await linked();
    const bodies = await ask(who, 'dont alert me for purchases under 20');
    expect(bodies).toEqual([
      response(who.psid, {
        text: 'Alert you about every transaction of $20.00 or more, from any merchant? (Now: from $500.00.)',
        quick_replies: [
          { content_type: 'text', title: 'Yes', payload: 'CONFIRM:large:20' },
          { content_type: 'text', title: 'No', payload: 'CANCEL_CHANGE' },
        ],
      }),
    ]);
    expect(textOf(onlyMessage(await ask(who, 'no')))).toBe('OK, nothing changed.');
    expect(await store.getAlertSettings(who.psid)).toBeUndefined();
  });
});

describe('card emergencies and money movement get the bank’s steps, never a data answer', () => {
  const emergency = (psid: string, lang: 'en' | 'es') =>
    response(psid, {
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text:
            lang === 'en'
              ? 'If your card is lost, stolen or was used without you, act now:\n1. Lock your card in your bank’s app or website.\n2. Call your bank’s fraud line, open 24/7: +1 800 555 0100.\nI only read what you share: I can’t lock cards or dispute charges here. A person can help.'
              : 'Si perdiste tu tarjeta, te la robaron o alguien la usó sin ti, actúa ya:\n1. Bloquea tu tarjeta en la app o la web de tu banco.\n2. Llama a la línea de fraude de tu banco, abierta 24/7: +1 800 555 0100.\nSolo leo lo que compartes: aquí no puedo bloquear tarjetas ni reclamar cargos. Una persona puede ayudarte.',
          buttons: [
            { type: 'postback', title: lang === 'en' ? 'Talk to a person' : 'Hablar con alguien', payload: 'TALK_TO_PERSON' },
            { type: 'postback', title: lang === 'en' ? 'Recent transactions' : 'Ver movimientos', payload: 'RECENT_TRANSACTIONS' },
          ],
        },
      },
    });
  const bankOnly = (psid: string) =>
    response(psid, {
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text: 'I can’t pay bills or cards, send or transfer money, or look at loans or credit scores: I only read what you share. Your bank’s app or website does these, or call +1 800 555 0100. A person can help too.',
          buttons: [{ type: 'postback', title: 'Talk to a person', payload: 'TALK_TO_PERSON' }],
        },
      },
    });

  it.each<[string, 'en' | 'es']>([
    ['I lost my card', 'en'],
    ['my card was stolen', 'en'],
    ['freeze my card', 'en'],
    ['someone used my card', 'en'],
    ["I don't recognize a charge", 'en'],
    ['perdí mi tarjeta', 'es'],
    ['bloquea mi tarjeta', 'es'],
    ['i got pickpocketed on the subway, cards were in my phone case', 'en'],
    ['someone in another state used my card to buy stuff, what do I do?', 'en'],
    ['usaron mi tarjeta en brasil y yo nunca he salido del perú', 'es'],
  ])('answers %j with the card-lock and fraud-line steps and a person', async (words, lang) => {
    const { who } = await linked();
    expect(await ask(who, words)).toEqual([emergency(who.psid, lang)]);
  });

  it('shows the recent transactions only after the steps, when the person taps for them', async () => {
    const { who } = await linked();
    expect(await ask(who, "there's a charge i don't recognize")).toEqual([emergency(who.psid, 'en')]);
    const listed = onlyMessage(await say(who, postback(who, 'RECENT_TRANSACTIONS', { title: 'Recent transactions' })));
    expect(textOf(listed)).toMatch(/^Your last \d+ transactions/);
  });

  it.each([
    'pay my card',
    'send 20 bucks to alex on venmo',
    "what's my credit score",
    'venmo jake 20 for the pizza',
    // A balance asked in the same breath does not turn a request to pay into a data answer.
    "My internet bill is overdue and I'm at work. Can you just pay it from my checking? Also what's my balance after?",
  ])('answers %j with what the bank does and a person', async (words) => {
    const { who } = await linked();
    expect(await ask(who, words)).toEqual([bankOnly(who.psid)]);
  });
});

describe('sharing, data and people', () => {
  it('stops sharing after a typed "yes" to its confirmation', async () => {
    const { who, consent } = await linked();
    const confirm = onlyMessage(await ask(who, 'stop sharing'));
    expect(textOf(confirm)).toBe('Stop sharing First Platypus Bank? I will disconnect it and delete your balances and transactions.');
    const done = onlyMessage(await ask(who, 'yes'));
    expect(textOf(done)).toContain('Done: I stopped reading First Platypus Bank.');
    expect((await store.getConsent(who.psid, consent.consentId))?.status).toBe('revoked');
  });

  it('asks before handing over on words, then hands the thread to the Page inbox after the yes, saying so', async () => {
    const { who } = await linked();
    expect(await ask(who, 'I want to talk to a real person')).toEqual([
      response(who.psid, {
        text: 'Pass this chat to a person at Demo Bank? Until they hand it back, I stay quiet.',
        quick_replies: [
          { content_type: 'text', title: 'Yes', payload: 'CONFIRM:handover' },
          { content_type: 'text', title: 'No', payload: 'CANCEL_CHANGE' },
        ],
      }),
    ]);
    expect(graph.sent().some((s) => s.path.endsWith('/pass_thread_control'))).toBe(false);
    const bodies = await ask(who, 'yes');
    expect(bodies).toEqual([
      response(who.psid, { text: "I'm passing you to a person at Demo Bank. They will answer here; until they hand the chat back, I stay quiet." }),
      { recipient: { id: who.psid }, target_app_id: '263902037430900', metadata: 'The person asked for a person' },
    ]);
    expect(graph.sent().at(-1)!.path).toMatch(/\/me\/pass_thread_control$/);
  });

  it.each<[string, string | RegExp]>([
    ['what do you do with my data?', 'never for ads, never sold, never shared'],
    ['what am I sharing?', /First Platypus Bank: alerts, balances, transactions, until/],
    ['export my data', /^I hold, for your own questions and alerts only:/],
    ['help', /^I can answer questions about your own accounts/],
    ['thanks!', "You're welcome!"],
    ['what is the weather in Paris?', /^Sorry, I can't help with that here/],
    ['hola', '¡Hola! ¿Qué quieres saber de tu dinero?'],
  ])('answers %j', async (question, expected) => {
    const { who } = await linked();
    const text = textOf(onlyMessage(await ask(who, question)));
    if (typeof expected === 'string') expect(text).toContain(expected);
    else expect(text).toMatch(expected);
  });

  it('answers a button the same as the words it stands for', async () => {
    const { who } = await linked();
    const text = textOf(onlyMessage(await say(who, postback(who, 'SPENDING_THIS_MONTH', { mid: `m_${randomUUID()}` }))));
    expect(text).toMatch(/^You spent \$\d[\d,]*\.\d{2} this month \(/);
  });
});

describe('consent talk in people’s own words', () => {
  type Lang = 'en' | 'es';
  const url = (path: string) => expect.stringMatching(new RegExp(`^https://assistant\\.test/consent${path}\\?t=v1\\.`));
  const policy = (psid: string, lang: Lang) =>
    response(psid, {
      text:
        lang === 'en'
          ? 'Your bank data is used only to answer your own questions here and to send the alerts you choose: never for ads, never sold, never shared. Messenger passes every message through Meta’s servers (chats with a business are not end-to-end encrypted). In private mode, the default, I only say here that an answer is ready and you see your figures on a page of ours, so Meta never carries them; if you choose to see them in the chat, Meta can see what they show. Say “keep my figures private” or “show my figures here” to choose. Meta gets no access to your bank connection, nor to any of your bank data that is not in a message I send you. I keep your current balances and the last 90 days of transactions, only while your consent is in force (at most a year). You can stop at any time: I then disconnect your bank and delete your data.'
          : 'Los datos de tu banco se usan solo para responder tus propias preguntas aquí y para enviarte las alertas que elijas: nunca para publicidad, nunca se venden, nunca se comparten. Messenger pasa cada mensaje por los servidores de Meta (los chats con una empresa no tienen cifrado de extremo a extremo). En modo privado, el predeterminado, aquí solo te aviso que la respuesta está lista y ves tus cifras en una página nuestra, así Meta nunca las lleva; si eliges verlas en el chat, Meta puede ver lo que muestran. Di “mantén mis cifras en privado” o “muestra mis cifras aquí” para elegir. Meta no tiene acceso a la conexión con tu banco, ni a ningún dato bancario tuyo que no esté en un mensaje que yo te envíe. Guardo tus saldos actuales y los movimientos de los últimos 90 días, solo mientras tu consentimiento esté vigente (como máximo un año). Puedes dejar de compartir cuando quieras: entonces desconecto tu banco y borro tus datos.',
      quick_replies:
        lang === 'en'
          ? [
              { content_type: 'text', title: 'What I share', payload: 'MANAGE_SHARING' },
              { content_type: 'text', title: 'What you hold on me', payload: 'MY_DATA' },
              { content_type: 'text', title: 'Link my bank', payload: 'LINK_BANK' },
              { content_type: 'text', title: 'Stop sharing', payload: 'STOP_SHARING' },
            ]
          : [
              { content_type: 'text', title: 'Qué comparto', payload: 'MANAGE_SHARING' },
              { content_type: 'text', title: 'Qué guardas de mí', payload: 'MY_DATA' },
              { content_type: 'text', title: 'Vincular mi banco', payload: 'LINK_BANK' },
              { content_type: 'text', title: 'Dejar de compartir', payload: 'STOP_SHARING' },
            ],
    });
  const until = (lang: Lang) => expect.stringMatching(lang === 'en' ? /^First Platypus Bank: alerts, balances, transactions, until \d{1,2} \w{3} \d{4}\.$/ : /^First Platypus Bank: alertas, saldos y movimientos, hasta el \d{1,2} \w{3} \d{4}\.$/);
  const shared = (psid: string, lang: Lang) =>
    response(psid, {
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text: until(lang),
          buttons: [
            { type: 'web_url', title: lang === 'en' ? 'Manage sharing' : 'Gestionar permisos', url: url('/manage'), webview_height_ratio: 'tall' },
            { type: 'postback', title: lang === 'en' ? 'Stop sharing' : 'Dejar de compartir', payload: 'STOP_SHARING' },
          ],
        },
      },
    });
  const confirmStop = (psid: string, consentId: string, lang: Lang) =>
    response(psid, {
      text: lang === 'en' ? 'Stop sharing First Platypus Bank? I will disconnect it and delete your balances and transactions.' : '¿Dejar de compartir First Platypus Bank? Lo desconectaré y borraré tus saldos y movimientos.',
      quick_replies: [
        { content_type: 'text', title: lang === 'en' ? 'Yes, stop sharing' : 'Sí, desconectar', payload: `REVOKE:${consentId}` },
        { content_type: 'text', title: lang === 'en' ? 'No, keep it' : 'No, mantenerlo', payload: 'KEEP_SHARING' },
      ],
    });
  const exported = (psid: string, lang: Lang) =>
    response(psid, {
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text: expect.stringMatching(
            lang === 'en'
              ? /^I hold, for your own questions and alerts only:\nFirst Platypus Bank: 3 accounts, 11 transactions \(alerts, balances, transactions, until .+\)\.\nYour consent history has 2 entries \(no financial data\)\.\nDownload everything as a file \(the link works once, for 15 minutes\):$/
              : /^Guardo, solo para tus propias preguntas y alertas:\nFirst Platypus Bank: 3 cuentas, 11 movimientos \(alertas, saldos y movimientos, hasta el .+\)\.\nTu historial de consentimiento tiene 2 registros \(sin datos financieros\)\.\nDescarga todo en un archivo \(el enlace funciona una sola vez, durante 15 minutos\):$/,
          ),
          buttons: [{ type: 'web_url', title: lang === 'en' ? 'Download my data' : 'Descargar mis datos', url: url('/export'), webview_height_ratio: 'tall' }],
        },
      },
    });
  const linkIt = (psid: string, lang: Lang) =>
    response(psid, {
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text:
            lang === 'en'
              ? 'To answer questions about your money I need your permission to read your bank data. See exactly what is shared, choose, and link your bank. The link works for 30 minutes.'
              : 'Para responder preguntas sobre tu dinero necesito tu permiso para leer los datos de tu banco. Mira exactamente qué se comparte, elige y vincula tu banco. El enlace funciona durante 30 minutos.',
          buttons: [
            { type: 'account_link', url: url('') },
            { type: 'web_url', title: lang === 'en' ? 'Open in browser' : 'Abrir en navegador', url: url(''), webview_height_ratio: 'tall' },
          ],
        },
      },
    });

  it.each<[string, Lang]>([
    ['who else sees my transactions', 'en'],
    ['who sees my data', 'en'],
    ['does facebook see my transactions?', 'en'],
    ['is this secure?', 'en'],
    ['how do you protect my data', 'en'],
    ['facebook ve mis movimientos?', 'es'],
    ['quién más ve mis movimientos', 'es'],
    ['¿es seguro?', 'es'],
  ])('answers the privacy question %j truthfully about Meta and retention, never with transactions', async (words, lang) => {
    const { who } = await linked();
    expect(await ask(who, words)).toEqual([policy(who.psid, lang)]);
  });

  it.each<[string, Lang]>([
    ['which accounts are linked', 'en'],
    ['qué datos estoy compartiendo', 'es'],
  ])('answers %j with what is shared, until when, and Stop sharing', async (words, lang) => {
    const { who } = await linked();
    expect(await ask(who, words)).toEqual([shared(who.psid, lang)]);
  });

  it.each<[string, Lang]>([
    ['take away your access to my bank', 'en'],
    ['cut off your access to my account', 'en'],
    ['cancela el permiso que te di', 'es'],
    ['no quiero que sigas viendo mi cuenta', 'es'],
  ])('takes %j to stop sharing, asking first and ending nothing yet', async (words, lang) => {
    const { who, consent } = await linked();
    expect(await ask(who, words)).toEqual([confirmStop(who.psid, consent.consentId, lang)]);
    expect((await store.getConsent(who.psid, consent.consentId))?.status).toBe('active');
  });

  it.each<[string, Lang]>([
    ['i want all my data', 'en'],
    ['send me my data', 'en'],
    ['quiero todos mis datos', 'es'],
    ['descarga mis datos', 'es'],
  ])('answers %j with what is held and a download link', async (words, lang) => {
    const { who } = await linked();
    expect(await ask(who, words)).toEqual([exported(who.psid, lang)]);
  });

  it.each<[string, Lang]>([
    ['connect my wells fargo', 'en'],
    ['add my credit union', 'en'],
    ['agrega mi cooperativa de crédito', 'es'],
    ['conecta mi banco', 'es'],
  ])('answers %j with the consent link', async (words, lang) => {
    const { who } = await linked();
    expect(await ask(who, words)).toEqual([linkIt(who.psid, lang)]);
  });

  it('offers What I share and Stop sharing when it cannot help a linked person', async () => {
    const { who } = await linked();
    expect(await ask(who, 'what is the weather in Paris?')).toEqual([
      response(who.psid, {
        text: "Sorry, I can't help with that here. I answer questions about your balances and spending, send the alerts you choose, and show or stop what you share. I can't move money. Write \"help\" for examples.",
        quick_replies: [...nextQuestions(''), { content_type: 'text', title: 'What I share', payload: 'MANAGE_SHARING' }, { content_type: 'text', title: 'Stop sharing', payload: 'STOP_SHARING' }],
      }),
    ]);
  });

  it.each<[string, Lang]>([
    ['no entiendo cómo usar esto', 'es'],
    ["I don't understand", 'en'],
  ])('reads a first message %j as asking for help, not as "no"', async (words, lang) => {
    const who = stranger();
    const text = textOf(onlyMessage(await ask(who, words)));
    expect(text).toMatch(
      lang === 'en'
        ? /^I'm an automated assistant — say "agent" any time to talk to a person\.\nI can answer questions about your own accounts/
        : /^Soy un asistente automático; escribe "agente" para hablar con una persona\.\nRespondo preguntas sobre tus propias cuentas/,
    );
  });
});

describe('replays', () => {
  it('sends no reply twice when the same events are delivered again', async () => {
    const { who } = await linked();
    const event = textMessage(who, "what's my balance?", { mid: `m_${randomUUID()}` });
    expect(messagesOf(await say(who, event))).toHaveLength(1);
    expect(messagesOf(await say(who, event))).toHaveLength(0);
  });
});
