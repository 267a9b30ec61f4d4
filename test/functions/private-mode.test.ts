import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GraphStub, RecordedRequest } from '../../dev/graph-stub';
import type { LocalSqs } from '../../dev/local-sqs';
import { quickReply, textMessage, type Person } from '../../dev/messenger-payloads';
import type { SandboxBank } from '../../dev/sandbox-bank/server';
import type { SqsDelivery } from '../../dev/sqs-delivery';
import { messagesSentTo, newPerson, postEvents } from '../support/chat';
import { personItems, type TestTables } from '../support/dynamodb';
import { lambdaContext, loadHandler, type QueueHandler, type StreamHandler } from '../support/functions';
import { startHttpFront, type HttpFront, type HttpHandler } from '../support/http-front';
import { loginAtBank } from '../support/linking';
import { servicesEnv, startServices, stopServices } from '../support/services';
import { streamTo } from '../support/stream';
import { syncQueueTo } from '../support/sync-queue';

/**
 * Private mode's proof, not its promise: whole conversations and alert flows, through the real
 * handlers (signed webhook → inbox stream → conversation; consent pages and the bank's hosted link;
 * consent effects; the bank's signed webhooks → sync queue → sync worker → alerts), for a person who
 * chose "Private" on the consent page, then for one who chose "In Messenger". Every request the
 * Graph API stub received is scanned for the person's figures, merchants, masks, dates and account
 * names, taken from the sandbox bank's own records: none for the private person, and the same scan
 * finds them for the Messenger one. The private pages, opened over HTTP with the chat's links, do
 * show the figures, once.
 */
const PAGE = '100000000000001';
const DAY = 86_400_000;
const usd = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);
const grouped = (n: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
const shortDate = (iso: string) => new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' }).format(new Date(`${iso}T00:00:00Z`));

let tables: TestTables;
let graph: GraphStub;
let bank: SandboxBank;
let sqs: LocalSqs;
let front: HttpFront;
let webhook: HttpHandler;
let consentPages: HttpHandler;
let bankWebhook: HttpHandler;
let conversation: Awaited<ReturnType<typeof streamTo>>;
let effects: Awaited<ReturnType<typeof streamTo>>;
let syncs: SqsDelivery;

beforeAll(async () => {
  const services = await startServices('pm');
  ({ tables, graph, bank, sqs } = services);
  // The chat's links (consent, bank return, private pages) and the bank's webhooks lead here.
  front = await startHttpFront((path) => (path === '/bank/webhook' ? { handler: bankWebhook, name: 'bankWebhook' } : { handler: consentPages, name: 'consent' }));
  const env = servicesEnv(services, {
    PUBLIC_BASE_URL: front.url,
    ASSISTANT_TIME_ZONE: 'UTC',
    // Outside the 24-hour window: the fraud template carries the alert (Messenger mode); the
    // notice template, only that one is waiting (private mode).
    ALERT_UTILITY_TEMPLATE_FRAUD: 'bank_fraud_check',
    ALERT_UTILITY_TEMPLATE_NOTICE: 'bank_notice',
  });
  webhook = await loadHandler<HttpHandler>(() => import('../../functions/messenger-webhook'), env);
  consentPages = await loadHandler<HttpHandler>(() => import('../../functions/consent'), env);
  bankWebhook = await loadHandler<HttpHandler>(() => import('../../functions/bank-webhook'), env);
  const conversationHandler = await loadHandler<StreamHandler>(() => import('../../functions/conversation'), env);
  const effectsHandler = await loadHandler<StreamHandler>(() => import('../../functions/consent-effects'), env);
  const syncWorker = await loadHandler<QueueHandler>(() => import('../../functions/sync-worker'), env);
  conversation = await streamTo(tables, (event) => conversationHandler(event, lambdaContext('conversation')));
  effects = await streamTo(tables, (event) => effectsHandler(event, lambdaContext('consentEffects')), 'consentEffects');
  syncs = syncQueueTo(sqs, (event) => syncWorker(event, lambdaContext('syncWorker')));
}, 120_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await conversation?.stop();
  await effects?.stop();
  await syncs?.stop();
  await front?.close();
  await stopServices({ tables, graph, bank, sqs });
});

// ---- driving the product ------------------------------------------------------------------------

/** Runs every consumer until none has work: the bank's webhooks, the streams, the sync queue. */
async function drain() {
  for (let round = 0; round < 10; round++) {
    await bank.controls.flushWebhooks();
    const delivered = (await conversation.drain()) + (await effects.drain()) + (await syncs.drain());
    if (delivered === 0) return;
  }
  throw new Error('the consumers still had work after 10 rounds');
}

async function deliver(event: unknown) {
  await postEvents(webhook, PAGE, [event]);
  await drain();
}

type Button = { type: string; url?: string; title?: string; payload?: string };
type Message = { text?: string; quick_replies?: { title: string; payload: string }[]; attachment?: { payload: { text?: string; buttons?: Button[] } }; template?: unknown };
const messagesTo = (psid: string) => messagesSentTo<Message>(graph, psid);
const urlsIn = (messages: Message[], path: string) => messages.flatMap((m) => m.attachment?.payload.buttons ?? []).map((b) => b.url ?? '').filter((url) => url.includes(path));

/** What the chat sent the person while `act` ran. */
async function during(who: Person, act: () => Promise<unknown>): Promise<Message[]> {
  const before = messagesTo(who.psid).length;
  await act();
  return messagesTo(who.psid).slice(before);
}
const say = (who: Person, text: string) => during(who, () => deliver(textMessage(who, text)));
const tap = (who: Person, title: string, payload: string) => during(who, () => deliver(quickReply(who, title, payload)));

/** A page's readable text: tags dropped, the escaping of lib/http/html.ts undone. */
const textOfPage = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/\s+/g, ' ');

/** A private page, opened as the person's phone would: once, then once more with the same link. */
interface OpenedPage {
  heading: string;
  status: number;
  html: string;
  text: string;
  again: { status: number; text: string };
}
async function openTwice(url: string): Promise<OpenedPage> {
  expect(url.startsWith(`${front.url}/private/answer?t=`)).toBe(true);
  const first = await fetch(url);
  const html = await first.text();
  const second = await fetch(url);
  return { heading: /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? '', status: first.status, html, text: textOfPage(html), again: { status: second.status, text: textOfPage(await second.text()) } };
}

const postForm = (path: string, fields: [string, string][]) =>
  fetch(`${front.url}${path}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const hiddenField = (html: string, name: string) => new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html)?.[1] ?? '';

const itemsOf = (psid: string) => personItems(tables, psid);

// ---- the needles: the person's data at the sandbox bank, as the chat writes it ------------------

type NeedleKind = 'amount' | 'merchant' | 'account' | 'mask' | 'date';
interface Needle {
  kind: NeedleKind;
  shown: string;
  pattern: RegExp;
}
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A figure stands alone: not inside a longer number, a word, an id or a link's token. */
const figure = (kind: NeedleKind, shown: string): Needle => ({ kind, shown, pattern: new RegExp(`(?<![\\w.,\\-])${escapeRegExp(shown)}(?![\\w]|[.,]\\d)`) });
const words = (kind: NeedleKind, shown: string): Needle => ({ kind, shown, pattern: new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(shown)}(?![\\p{L}\\p{N}])`, 'iu') });
const literal = (kind: NeedleKind, shown: string): Needle => ({ kind, shown, pattern: new RegExp(escapeRegExp(shown)) });

/** Every amount, merchant, account name, mask and transaction date the bank holds for the item. */
function needlesAtBank(itemId: string): Needle[] {
  const item = bank.controls.getItem(itemId);
  const transactions = bank.controls.listTransactions(itemId);
  const amounts = [
    ...item.accounts.flatMap((a) => [a.balances.current, a.balances.available, a.balances.limit]),
    ...transactions.map((t) => Math.abs(t.amount)),
  ].filter((a): a is number => typeof a === 'number' && a !== 0);
  const merchants = transactions.flatMap((t) => [t.merchant_name, t.name, ...t.counterparties.map((c) => c.name)]);
  const dates = transactions.flatMap((t) => [t.date, t.authorized_date]).filter((d): d is string => !!d);
  return [
    ...amounts.flatMap((a) => [literal('amount', usd(a)), figure('amount', grouped(a)), figure('amount', a.toFixed(2))]),
    ...merchants.filter((m): m is string => !!m).map((m) => words('merchant', m)),
    ...item.accounts.flatMap((a) => [a.name, a.official_name]).filter((name): name is string => !!name).map((name) => words('account', name)),
    ...item.accounts.flatMap((a) => (a.mask ? [literal('mask', `••${a.mask}`), figure('mask', a.mask)] : [])),
    ...dates.flatMap((d) => [words('date', shortDate(d)), figure('date', d)]),
  ];
}

/** The figures the private pages showed (totals the assistant worked out among them). */
const needlesOnPages = (pages: OpenedPage[]) => pages.flatMap((p) => [...p.text.matchAll(/\$\d[\d,]*\.\d\d/g)].map((m) => literal('amount', m[0])));

const unique = (needles: Needle[]) => [...new Map(needles.map((x) => [`${x.kind}|${x.pattern.source}|${x.pattern.flags}`, x])).values()];

interface Hit {
  kind: NeedleKind;
  shown: string;
  request: string;
}
function scan(requests: RecordedRequest[], needles: Needle[]): Hit[] {
  return requests.flatMap((r) => {
    const haystack = `${r.path} ${JSON.stringify(r.body)}`;
    return needles.filter((x) => x.pattern.test(haystack)).map((x) => ({ kind: x.kind, shown: x.shown, request: haystack.slice(0, 300) }));
  });
}

// ---- a whole conversation -----------------------------------------------------------------------

interface Run {
  who: Person;
  itemId: string;
  /** Every request the Graph API stub received while the run went on. */
  requests: RecordedRequest[];
  needles: Needle[];
  /** The private pages the chat linked to, in order, each opened twice. */
  pages: OpenedPage[];
  /** A private answer left unopened until after the person stopped sharing. */
  unopened?: { status: number; text: string };
  /** What the chat sent at each step. */
  chat: Record<string, Message[]>;
  answers: { inWindow: unknown; held: unknown };
  heldAfterAlert: number;
  /** Private answers kept (asked for, not opened) just before the person stopped sharing. */
  keptBeforeStop: number;
}

const QUESTIONS = {
  balance: "what's my balance?",
  spending: 'how much did I spend this month?',
  followUp: 'and last month?',
  transactions: 'show my recent transactions',
  search: 'show my Netflix purchases',
  largest: 'what were my biggest purchases this month?',
} as const;

async function converse(mode: 'private' | 'messenger'): Promise<Run> {
  const who = newPerson(PAGE, '55');
  const fromRequest = graph.received().length;
  const chat: Record<string, Message[]> = {};
  const pages: OpenedPage[] = [];
  const openAll = async (messages: Message[]) => {
    for (const url of urlsIn(messages, '/private/answer')) pages.push(await openTwice(url));
  };

  // Linking, with the choice made on the consent page.
  chat.link = await say(who, 'link my bank');
  const [consentUrl] = urlsIn(chat.link, '/consent?t=');
  expect(consentUrl, 'the chat links to the consent page').toBeDefined();
  const form = await fetch(consentUrl!);
  expect(form.status).toBe(200);
  expect(await form.text()).toMatch(/<input type="radio" name="figures" value="private" checked>/);
  const t = new URL(consentUrl!).searchParams.get('t')!;
  const confirmed = await postForm('/consent', [['t', t], ['scope', 'balances'], ['scope', 'transactions'], ['scope', 'alerts'], ['duration', '90'], ['figures', mode]]);
  expect(confirmed.status).toBe(303);
  const login = await loginAtBank(String(confirmed.headers.get('location')));
  expect(login.status).toBe(303);
  chat.linked = await during(who, async () => {
    const back = await fetch(login.headers.get('location')!);
    expect([back.status, await back.text()]).toEqual([200, expect.stringContaining('Your bank is linked')]);
    await drain();
  });
  await openAll(chat.linked);
  const consent = (await itemsOf(who.psid)).find((i) => i.type === 'consent' && i.status === 'active')!;
  const itemId = String(consent.itemId);
  const needles = needlesAtBank(itemId);

  // The questions, each answer's page opened as it comes.
  for (const [name, question] of Object.entries(QUESTIONS)) {
    chat[name] = await say(who, question);
    await openAll(chat[name]);
  }

  // A fraud alert inside the window (the person has just written), answered "It was me".
  chat.alert = await during(who, async () => {
    bank.controls.postTransaction(itemId, { amount: 912.4, merchant: 'ELECTRO-WORLD', category: 'GENERAL_MERCHANDISE_ELECTRONICS' });
    await drain();
  });
  /** The answer on record for the alert whose "Was this you?" these messages carry. */
  const answerOf = async (messages: Message[]) => {
    const alertId = /FRAUD_YES:(\w+)/.exec(JSON.stringify(messages))?.[1];
    expect(alertId, 'the alert asks "Was this you?"').toBeDefined();
    return (await itemsOf(who.psid)).find((i) => i.type === 'alert' && i.alertId === alertId)?.answer;
  };
  if (mode === 'private') {
    const [url] = urlsIn(chat.alert, '/private/answer');
    expect(url, 'the alert links to its private page').toBeDefined();
    const page = await openTwice(url!);
    pages.push(page);
    const fields: [string, string][] = [['t', hiddenField(page.html, 't')], ['lang', hiddenField(page.html, 'lang')]];
    const answered = await postForm('/private/alert', [...fields, ['answer', 'yes']]);
    expect([answered.status, textOfPage(await answered.text())]).toEqual([200, expect.stringContaining('Thanks, your answer is recorded')]);
    const again = await postForm('/private/alert', [...fields, ['answer', 'no']]);
    expect([again.status, textOfPage(await again.text())]).toEqual([410, expect.stringContaining('Nothing to show')]);
  } else {
    const yes = chat.alert.flatMap((m) => m.quick_replies ?? []).find((q) => q.payload.startsWith('FRAUD_YES:'));
    expect(yes, 'the alert asks "Was this you?"').toBeDefined();
    chat.alertAnswer = await tap(who, yes!.title, yes!.payload);
  }
  const inWindow = await answerOf(chat.alert);

  // A second one after the person's window closed: a utility template now, then, in private mode,
  // the alert itself with their next message.
  await tables.db.send(
    new UpdateCommand({ TableName: tables.names.main, Key: { pk: `USER#${who.psid}`, sk: 'PROFILE' }, UpdateExpression: 'SET lastInboundAt = :at', ExpressionAttributeValues: { ':at': Date.now() - DAY - 3_600_000 } }),
  );
  chat.closedWindow = await during(who, async () => {
    bank.controls.postTransaction(itemId, { amount: 1287.65, merchant: 'GADGET-HUB', category: 'GENERAL_MERCHANDISE_ELECTRONICS' });
    await drain();
  });
  const heldAfterAlert = (await itemsOf(who.psid)).filter((i) => i.type === 'held-alert').length;
  chat.nextMessage = await say(who, 'hi');
  if (mode === 'private') {
    const [url] = urlsIn(chat.nextMessage, '/private/answer');
    expect(url, 'the held alert links to its private page').toBeDefined();
    const page = await openTwice(url!);
    pages.push(page);
    const answered = await postForm('/private/alert', [['t', hiddenField(page.html, 't')], ['lang', 'en'], ['answer', 'no']]);
    expect(answered.status).toBe(200);
  }
  const held = await answerOf(mode === 'private' ? chat.nextMessage : chat.closedWindow);

  // An answer asked for and never opened, then stopping sharing: the answer goes with the data.
  chat.lastQuestion = await say(who, QUESTIONS.balance);
  const [unopenedUrl] = urlsIn(chat.lastQuestion, '/private/answer');
  const allNeedles = unique([...needles, ...needlesAtBank(itemId), ...needlesOnPages(pages)]);
  const keptBeforeStop = (await itemsOf(who.psid)).filter((i) => i.type === 'private-answer').length;
  chat.stop = await say(who, 'stop sharing');
  const revoke = chat.stop.flatMap((m) => m.quick_replies ?? []).find((q) => q.payload.startsWith('REVOKE:'));
  expect(revoke, 'stopping asks for a confirmation').toBeDefined();
  chat.stopped = await tap(who, revoke!.title, revoke!.payload);
  expect((await itemsOf(who.psid)).find((i) => i.type === 'consent')?.status).toBe('revoked');
  const unopened = unopenedUrl ? await fetch(unopenedUrl).then(async (r) => ({ status: r.status, text: textOfPage(await r.text()) })) : undefined;

  return {
    who,
    itemId,
    requests: graph.received().slice(fromRequest),
    needles: allNeedles,
    pages,
    ...(unopened ? { unopened } : {}),
    chat,
    answers: { inWindow, held },
    heldAfterAlert,
    keptBeforeStop,
  };
}

// ---- the proof ----------------------------------------------------------------------------------

describe('private mode: the person’s figures never pass through Meta', () => {
  let run: Run;

  beforeAll(async () => {
    run = await converse('private');
  }, 240_000);

  it('sent Meta none of the person’s figures, merchants, masks, dates or account names, in any request', () => {
    expect(run.requests.length).toBeGreaterThan(20);
    // Every request reached the stub as JSON it could read: nothing was sent that the scan cannot see.
    expect(run.requests.filter((r) => r.status !== 200)).toEqual([]);
    expect(run.needles.length).toBeGreaterThan(100);

    expect(scan(run.requests, run.needles)).toEqual([]);
  });

  it('answered every question and alert with a ready line and a page that showed the figures once', () => {
    expect(run.pages.map((p) => p.heading)).toEqual([
      'Your linked accounts',
      'Your balances',
      'Your spending',
      'Your spending',
      'Your transactions',
      'What I found',
      'Your largest purchases',
      'A card payment to review',
      'A card payment to review',
    ]);
    const checking = bank.controls.getItem(run.itemId).accounts.find((a) => a.subtype === 'checking')!;
    expect(run.pages[0]!.text).toContain(`${checking.name} ••${checking.mask}`);
    expect(run.pages.at(-2)!.text).toContain('$912.40');
    expect(run.pages.at(-1)!.text).toContain('$1,287.65');
    for (const page of run.pages) {
      expect(page.status, page.heading).toBe(200);
      expect(scan([{ at: '', path: '', status: 200, body: page.text }], run.needles).length, `${page.heading} shows the person’s data`).toBeGreaterThan(0);
      expect(page.again, `${page.heading} opened a second time`).toEqual({ status: 410, text: expect.stringContaining('Nothing to show') });
      expect(scan([{ at: '', path: '', status: 200, body: page.again.text }], run.needles)).toEqual([]);
    }
  });

  it('recorded the answers given on the alerts’ pages, as the chat would', () => {
    expect(run.answers).toEqual({ inWindow: 'yes', held: 'no' });
  });

  it('told of the alert outside the window with the notice template only, and held the alert for the next message', () => {
    const templates = run.requests.map((r) => (r.body as { message?: { template?: { name: string } } }).message?.template).filter((x) => x !== undefined);
    expect(templates.map((x) => x.name)).toEqual(['bank_notice']);
    expect(JSON.stringify(templates[0])).toContain('A card payment needs your review. Write to me here to see it.');
    expect(run.heldAfterAlert).toBe(1);
  });

  it('deleted the answer left unopened when the person stopped sharing', async () => {
    expect(run.keptBeforeStop).toBe(1);
    expect(run.unopened).toEqual({ status: 410, text: expect.stringContaining('Nothing to show') });
    expect((await itemsOf(run.who.psid)).filter((i) => i.type === 'private-answer' || i.type === 'held-alert')).toEqual([]);
  });
});

describe('the same scan, in Messenger mode, finds the figures (so the check can fail)', () => {
  let run: Run;

  beforeAll(async () => {
    run = await converse('messenger');
  }, 240_000);

  it('finds amounts, merchants, account names, masks and dates in what Meta was sent', () => {
    const hits = scan(run.requests, run.needles);

    expect(hits.length).toBeGreaterThan(0);
    expect([...new Set(hits.map((h) => h.kind))].sort()).toEqual(['account', 'amount', 'date', 'mask', 'merchant']);
    expect(run.pages).toEqual([]);
  });

  it('asked and recorded the same alerts in the chat (the fraud template outside the window)', () => {
    expect(run.answers).toEqual({ inWindow: 'yes', held: undefined });
    expect(run.heldAfterAlert).toBe(0);
    expect(JSON.stringify(run.chat.closedWindow)).toContain('bank_fraud_check');
    expect(JSON.stringify(run.chat.closedWindow)).toContain('$1,287.65');
  });
});
