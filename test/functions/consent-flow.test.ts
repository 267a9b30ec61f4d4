import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GraphStub } from '../../dev/graph-stub';
import { accountLinking, httpApiEvent, metaJson, postback, quickReply, signedWebhookEvent, textMessage, webhookBody, type Person } from '../../dev/messenger-payloads';
import type { LocalSqs } from '../../dev/local-sqs';
import type { SandboxBank } from '../../dev/sandbox-bank/server';
import type { SqsDelivery } from '../../dev/sqs-delivery';
import { disclosure } from '../../lib/consent/disclosure';
import { sweepConsents } from '../../lib/consent/expiry';
import { issueLinkToken } from '../../lib/consent/link-token';
import { SecretUnreadable } from '../../lib/errors';
import { open, type SealedSecret } from '../../lib/security/envelope';
import { createLocalKeyProvider } from '../../lib/security/local-key-provider';
import { messagesSentTo, newPerson, postEvents } from '../support/chat';
import { personItems, type TestTables } from '../support/dynamodb';
import { APP_SECRET, LINK_SECRET, lambdaContext, loadHandler, MASTER_KEY, PAGE_TOKEN, PLAID_SECRET, type QueueHandler, type StreamHandler } from '../support/functions';
import type { HttpHandler } from '../support/http-front';
import { loginAtBank } from '../support/linking';
import { captureOutput } from '../support/output';
import { servicesEnv, startServices, stopServices } from '../support/services';
import { streamTo } from '../support/stream';
import { syncQueueTo } from '../support/sync-queue';

/**
 * The consent journey through the real handlers: chat → consent page → the sandbox bank's hosted
 * link → callback → consent effects → chat; revocation from the chat and from the page; expiry.
 * Everything runs against DynamoDB Local, the sandbox bank (Plaid's API) and the Graph API stub.
 */
const PUBLIC = 'https://assistant.test';
const PAGE = '100000000000001';
let tables: TestTables;
let graph: GraphStub;
let bank: SandboxBank;
let webhook: HttpHandler;
let consent: HttpHandler;
let conversation: Awaited<ReturnType<typeof streamTo>>;
let effects: Awaited<ReturnType<typeof streamTo>>;
let effectsHandler: StreamHandler;
let sqs: LocalSqs;
let syncWorker: QueueHandler;
let syncs: SqsDelivery;
let bankWebhook: HttpHandler;
let bankWebhooks: Server;
let bankWebhookUrl: string;
let output: ReturnType<typeof captureOutput>;
const person = () => newPerson(PAGE, '88');

const drain = async () => {
  // Effects start syncs, syncs raise messages, revocations start effects: run all until none has work.
  for (let round = 0; round < 6; round++) {
    const delivered = (await conversation.drain()) + (await effects.drain()) + (await syncs.drain());
    if (delivered === 0) return;
  }
};
const deliver = async (...messaging: unknown[]) => {
  await postEvents(webhook, PAGE, messaging);
  await drain();
};
const say = (who: Person, text: string) => deliver(textMessage(who, text));
const tap = (who: Person, payload: string, title = payload) => deliver(quickReply(who, title, payload));
type Message = { text?: string; quick_replies?: { title: string; payload: string }[]; attachment?: { payload: { text: string; buttons: { url?: string }[] } } };
const messagesTo = (psid: string) => messagesSentTo<Message>(graph, psid);
const lastMessage = (psid: string) => messagesTo(psid).at(-1);
const get = (path: string, query: Record<string, string>) => consent(httpApiEvent({ method: 'GET', path, query }), lambdaContext());
const post = (path: string, form: [string, string][]) =>
  consent(
    httpApiEvent({ method: 'POST', path, body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    lambdaContext(),
  );
const tokenOf = (url: string) => new URL(url).searchParams.get('t')!;
const itemsOf = (psid: string) => personItems(tables, psid);
const financialItemsOf = async (psid: string) => (await itemsOf(psid)).filter((i) => ['connection', 'account', 'transaction'].includes(String(i.type)));
const consentsOf = async (psid: string) => (await itemsOf(psid)).filter((i) => i.type === 'consent');
const auditOf = (psid: string) => tables.store().listAudit(psid);

/** From "link my bank" to an active consent: consent page, the bank's login, back. */
async function linkBank(who: Person, options: { scopes?: string[]; duration?: string; username?: string; figures?: 'private' | 'messenger' } = {}) {
  await say(who, 'link my bank');
  const url = lastMessage(who.psid)!.attachment!.payload.buttons[0]!.url!;
  expect(url.startsWith(`${PUBLIC}/consent?t=`)).toBe(true);
  const page = await get('/consent', { t: tokenOf(url) });
  expect(page.statusCode).toBe(200);
  const confirmed = await post('/consent', [['t', tokenOf(url)], ...(options.scopes ?? ['balances', 'transactions']).map((s): [string, string] => ['scope', s]), ['duration', options.duration ?? '90'], ...(options.figures ? [['figures', options.figures] as [string, string]] : [])]);
  expect(confirmed.statusCode).toBe(303);
  const hostedLink = String(confirmed.headers?.Location);
  expect(hostedLink.startsWith(bank.url)).toBe(true);
  const login = await loginAtBank(hostedLink, options.username);
  expect(login.status).toBe(303);
  const back = login.headers.get('location')!;
  expect(back.startsWith(`${PUBLIC}/link/complete?t=`)).toBe(true);
  const done = await get('/link/complete', { t: tokenOf(back) });
  expect(done.statusCode).toBe(200);
  expect(done.body).toContain('Your bank is linked');
  await drain();
  const [active] = (await consentsOf(who.psid)).filter((c) => c.status === 'active');
  const item = bank.controls.listItems().find((i) => i.item_id === active?.itemId)!;
  return { consentId: String(active!.consentId), itemId: item.item_id, accessToken: item.access_token!, completeUrl: back };
}

beforeAll(async () => {
  const services = await startServices('c');
  ({ tables, graph, bank, sqs } = services);
  output = captureOutput();
  const env = servicesEnv(services, { PUBLIC_BASE_URL: PUBLIC, POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_DEV: 'false' });
  webhook = await loadHandler<HttpHandler>(() => import('../../functions/messenger-webhook'), env);
  const conversationHandler = await loadHandler<StreamHandler>(() => import('../../functions/conversation'), env);
  consent = await loadHandler<HttpHandler>(() => import('../../functions/consent'), env);
  effectsHandler = await loadHandler<StreamHandler>(() => import('../../functions/consent-effects'), env);
  conversation = await streamTo(tables, (event) => conversationHandler(event, lambdaContext('conversation')));
  effects = await streamTo(tables, (event) => effectsHandler(event, lambdaContext('consentEffects')), 'consentEffects');
  syncWorker = await loadHandler(() => import('../../functions/sync-worker'), env);
  syncs = syncQueueTo(sqs, (event) => syncWorker(event, lambdaContext('syncWorker')));
  // The sandbox bank's signed webhooks arrive here and go to the handler as API Gateway passes them.
  bankWebhook = await loadHandler<HttpHandler>(() => import('../../functions/bank-webhook'), env);
  bankWebhooks = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const event = httpApiEvent({ method: 'POST', path: '/bank/webhook', body: Buffer.concat(chunks).toString('utf8'), headers: req.headers as Record<string, string> });
      void bankWebhook(event, lambdaContext('bankWebhook')).then((answer) => res.writeHead(answer.statusCode ?? 500).end(answer.body));
    });
  });
  await new Promise<void>((resolve) => bankWebhooks.listen(0, '127.0.0.1', resolve));
  bankWebhookUrl = `http://127.0.0.1:${(bankWebhooks.address() as AddressInfo).port}/bank/webhook`;
});

afterAll(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await conversation.stop();
  await effects.stop();
  await syncs.stop();
  bankWebhooks.closeAllConnections();
  await new Promise((resolve) => bankWebhooks.close(resolve));
  await stopServices({ tables, graph, bank, sqs });
});

describe('linking a bank', () => {
  it('activates the consent, confirms in chat with the accounts, and runs the first sync once', async () => {
    const who = person();
    const { consentId, accessToken } = await linkBank(who, { figures: 'messenger' });

    const [stored] = await consentsOf(who.psid);
    const shown = disclosure({ recipient: 'Demo Bank' });
    expect(stored).toMatchObject({ consentId, status: 'active', scopes: ['balances', 'transactions'], durationDays: 90, disclosureVersion: shown.version, disclosureHash: shown.hash });
    expect(lastMessage(who.psid)?.text).toMatch(/^Your First Platypus Bank account is linked: .*Everyday Checking ••\d{4}/);
    expect(bank.apiCalls().filter((c) => c.accessToken === accessToken && c.path === '/accounts/balance/get')).toHaveLength(1);
    const accounts = (await financialItemsOf(who.psid)).filter((i) => i.type === 'account');
    expect(accounts.length).toBeGreaterThan(0);
    expect((await auditOf(who.psid)).map((a) => a.action).reverse()).toEqual(['requested', 'granted']);
  });

  it('in private mode (the form default), confirms the link in chat without the account names, behind a private page', async () => {
    const who = person();
    await linkBank(who);
    const message = JSON.stringify(lastMessage(who.psid));
    expect(message).toContain('Your bank is linked. The accounts I can see are on your private page.');
    expect(message).toContain('/private/answer?t=');
    expect(message).not.toMatch(/Everyday Checking|••\d{4}/);
  });

  it('stores no plaintext bank token, and the sealed token opens only with its own person and item', async () => {
    const who = person();
    const { accessToken, itemId } = await linkBank(who);

    const dump = JSON.stringify(await tables.items());
    expect(dump).not.toContain(accessToken);
    const connection = (await financialItemsOf(who.psid)).find((i) => i.type === 'connection')!;
    const keys = createLocalKeyProvider(MASTER_KEY);
    const sealed = connection.accessToken as SealedSecret;
    await expect(open(sealed, { psid: who.psid, itemId, purpose: 'bank-access-token' }, keys)).resolves.toBe(accessToken);
    await expect(open(sealed, { psid: person().psid, itemId, purpose: 'bank-access-token' }, keys)).rejects.toThrow(SecretUnreadable);
  });

  it('keeps only what was granted: a balances-only consent stores no balances scope beyond it', async () => {
    const who = person();
    await linkBank(who, { scopes: ['transactions'] });

    const accounts = (await financialItemsOf(who.psid)).filter((i) => i.type === 'account');
    expect(accounts.every((a) => (a.balances as { current: unknown }).current === null)).toBe(true);
  });
});

describe('revocation', () => {
  it('from the chat, with one confirmation: stops at once, removes the item, deletes the data and says what went', async () => {
    const who = person();
    const { consentId, accessToken, itemId } = await linkBank(who);

    await say(who, 'stop sharing');
    expect(lastMessage(who.psid)?.quick_replies?.map((q) => q.payload)).toEqual([`REVOKE:${consentId}`, 'KEEP_SHARING']);
    await tap(who, `REVOKE:${consentId}`, 'Yes, stop sharing');

    expect(bank.apiCalls().filter((c) => c.accessToken === accessToken && c.path === '/item/remove')).toHaveLength(1);
    expect(bank.controls.getItem(itemId).removal).toMatchObject({ reason_code: 'OTHER', reason_note: 'The end user revoked their consent to share this data.' });
    expect(await financialItemsOf(who.psid)).toEqual([]);
    expect(messagesTo(who.psid).at(-1)?.text).toMatch(/^You stopped sharing First Platypus Bank\. I disconnected it at the bank and deleted 3 accounts/);
    expect((await auditOf(who.psid)).map((a) => a.action).reverse()).toEqual(['requested', 'granted', 'revoked', 'deleted']);

    const callsAfter = bank.apiCalls().length;
    await say(who, 'hello');
    await tap(who, `REVOKE:${consentId}`);
    expect(bank.apiCalls().slice(callsAfter).filter((c) => c.accessToken === accessToken)).toEqual([]);
  });

  it('from the manage page, once: the link cannot be replayed', async () => {
    const who = person();
    const { consentId } = await linkBank(who);
    await say(who, 'what am i sharing');
    const manage = lastMessage(who.psid)!.attachment!.payload.buttons[0]!.url!;
    const page = await get('/consent/manage', { t: tokenOf(manage) });
    expect(page.body).toContain('Stop sharing and delete my data');

    const revoked = await post('/consent/revoke', [['t', tokenOf(manage)], ['consent', consentId]]);
    expect(revoked.statusCode).toBe(200);
    await drain();
    expect(await financialItemsOf(who.psid)).toEqual([]);
    expect((await post('/consent/revoke', [['t', tokenOf(manage)], ['consent', consentId]])).statusCode).toBe(403);
  });

  it('gives the record of a consent from the page right after linking, and from the manage page as a file, without using the link up', async () => {
    const who = person();
    const { consentId, completeUrl } = await linkBank(who);
    const linked = String((await get('/link/complete', { t: tokenOf(completeUrl) })).body);
    const inPage = /<a\b[^>]*\bdownload="([^"]*)"[^>]*\bhref="data:application\/json;base64,([^"]*)"/.exec(linked);
    expect(inPage?.[1]).toMatch(/^consent-record-\d{4}-\d{2}-\d{2}-/);
    const fromLinkedPage = JSON.parse(Buffer.from(inPage![2]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))), 'base64').toString('utf8'));
    await say(who, 'what am i sharing');
    const manage = tokenOf(lastMessage(who.psid)!.attachment!.payload.buttons[0]!.url!);

    const file = await post('/consent/record', [['t', manage], ['consent', consentId]]);

    expect([file.statusCode, file.headers?.['Content-Type'], file.headers?.['Content-Disposition'], file.headers?.['Cache-Control']]).toEqual([
      200,
      'application/json; charset=utf-8',
      expect.stringMatching(/^attachment; filename="consent-record-\d{4}-\d{2}-\d{2}-[\w-]{1,8}\.json"$/),
      'no-store',
    ]);
    const record = JSON.parse(String(file.body));
    const shown = disclosure({ recipient: 'Demo Bank' });
    expect([record.recordId, record.state, record.events.map((e: { type: string; disclosureVersion: string }) => [e.type, e.disclosureVersion])]).toEqual([
      consentId,
      'dpv:ConsentGiven',
      [
        ['requested', shown.version],
        ['given', shown.version],
      ],
    ]);
    expect([record.piiPrincipal.id, fromLinkedPage.piiPrincipal.id === record.piiPrincipal.id, String(file.body).includes(who.psid)]).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/), true, false]);
    // Reading used nothing up: the page's other buttons still work with the same link.
    expect((await post('/consent/scopes', [['t', manage], ['consent', consentId], ['scope', 'balances']])).statusCode).toBe(200);
  });

  it('refuses the record without a valid, unused manage link', async () => {
    const who = person();
    const { consentId } = await linkBank(who);
    const other = issueLinkToken({ purpose: 'export', psid: who.psid, ttlSeconds: 600, now: new Date() }, LINK_SECRET).token;
    const forged = issueLinkToken({ purpose: 'manage', psid: who.psid, ttlSeconds: 600, now: new Date() }, 'not-the-secret').token;
    const used = issueLinkToken({ purpose: 'manage', psid: who.psid, ttlSeconds: 600, now: new Date() }, LINK_SECRET).token;
    await post('/consent/scopes', [['t', used], ['consent', consentId], ['scope', 'balances']]);

    const answers = await Promise.all([[], [['t', other]], [['t', forged]], [['t', used]]].map((t) => post('/consent/record', [...(t as [string, string][]), ['consent', consentId]])));

    expect(answers.map((a) => [a.statusCode, a.headers?.['Content-Type']])).toEqual(Array.from({ length: 4 }, () => [403, 'text/html; charset=utf-8']));
    expect(answers.filter((a) => String(a.body).includes(consentId))).toEqual([]);
  });

  it('narrows what is shared from the manage page, deleting what is no longer covered, audited', async () => {
    const who = person();
    const { consentId } = await linkBank(who, { scopes: ['balances', 'transactions'] });
    await say(who, 'what am i sharing');
    const manage = lastMessage(who.psid)!.attachment!.payload.buttons[0]!.url!;

    const saved = await post('/consent/scopes', [['t', tokenOf(manage)], ['consent', consentId], ['scope', 'transactions']]);
    await drain();

    expect(saved.statusCode).toBe(200);
    expect((await consentsOf(who.psid))[0]).toMatchObject({ status: 'active', scopes: ['transactions'] });
    const accounts = (await financialItemsOf(who.psid)).filter((i) => i.type === 'account');
    expect(accounts.length).toBe(3);
    expect(accounts.every((a) => (a.balances as { current: unknown }).current === null)).toBe(true);
    expect((await auditOf(who.psid)).map((a) => a.action)).toContain('scopes-changed');
  });

  it('wins over a sync in flight: a slow bank answer after the revocation writes nothing', async () => {
    const who = person();
    let snapshot: Record<string, unknown>[] | undefined;
    const watched = syncQueueTo(sqs, async (event) => {
      const result = await syncWorker(event, lambdaContext('syncWorker'));
      snapshot ??= await financialItemsOf(who.psid);
      return result;
    });

    await say(who, 'link my bank');
    const url = lastMessage(who.psid)!.attachment!.payload.buttons[0]!.url!;
    const confirmed = await post('/consent', [['t', tokenOf(url)], ['scope', 'balances'], ['scope', 'transactions'], ['duration', '90']]);
    const login = await loginAtBank(String(confirmed.headers?.Location));
    await get('/link/complete', { t: tokenOf(login.headers.get('location')!) });
    await effects.drain(); // the first sync is requested
    const [active] = await consentsOf(who.psid);
    const linkedAt = (await financialItemsOf(who.psid)).filter((i) => i.type === 'account').map((a) => a.balancesAsOf);

    bank.controls.setLatency(2_000); // the bank is slow: the first sync is in flight
    const inFlight = watched.drain();
    await new Promise((resolve) => setTimeout(resolve, 500));
    bank.controls.setLatency(0);
    await webhook(signedWebhookEvent(metaJson(webhookBody([{ pageId: PAGE, messaging: [quickReply(who, 'Yes', `REVOKE:${String(active!.consentId)}`)] }])), APP_SECRET), lambdaContext());
    await conversation.drain();
    expect((await consentsOf(who.psid))[0]?.status).toBe('revoked');
    await inFlight;
    await watched.stop();

    // The sync finished after the revocation: nothing it fetched was written (the accounts still
    // carry the activation's figures, no transaction was stored), then the purge removed all.
    expect(snapshot?.filter((i) => i.type === 'account').map((a) => a.balancesAsOf)).toEqual(linkedAt);
    expect(snapshot?.filter((i) => i.type === 'transaction')).toEqual([]);
    await drain();
    expect(await financialItemsOf(who.psid)).toEqual([]);
  }, 30_000);
});

describe('revocation by the bank', () => {
  it('after USER_PERMISSION_REVOKED: deletes the data, closes what is left at the bank saying why, and says the bank ended it and what went', async () => {
    const who = person();
    const { itemId } = await linkBank(who);
    bank.controls.setWebhookUrl(itemId, bankWebhookUrl);

    bank.controls.revokePermission(itemId);
    await bank.controls.flushWebhooks();
    await drain();

    expect((await consentsOf(who.psid))[0]).toMatchObject({ status: 'revoked', endedBy: 'bank' });
    expect(await financialItemsOf(who.psid)).toEqual([]);
    expect(bank.controls.getItem(itemId)).toMatchObject({ removed: true, removal: { reason_code: 'CONNECTION_IS_NON_FUNCTIONAL' } });
    const told = messagesTo(who.psid).at(-1)?.text;
    expect(told).toMatch(
      /^First Platypus Bank ended my access to your accounts \(it was withdrawn at the bank or through Plaid\), so I stopped reading them\. I closed what was left of the connection at the bank and deleted 3 accounts with their balances, \d+ transactions, the bank access token and sync position\. To share again, link your bank/,
    );
    expect(told).not.toMatch(/you stopped/i);
    expect((await auditOf(who.psid)).map((a) => `${a.action} by ${a.actor}`).reverse()).toEqual(['requested by person', 'granted by person', 'revoked by bank', 'deleted by system']);
  });

  it('a manage page left open says the sharing had already ended when the bank ended it meanwhile, not "you stopped"', async () => {
    const who = person();
    const { itemId, consentId } = await linkBank(who);
    bank.controls.setWebhookUrl(itemId, bankWebhookUrl);
    await say(who, 'what am i sharing');
    const manage = lastMessage(who.psid)!.attachment!.payload.buttons[0]!.url!;
    expect((await get('/consent/manage', { t: tokenOf(manage) })).body).toContain('Stop sharing and delete my data');

    bank.controls.revokePermission(itemId);
    await bank.controls.flushWebhooks();
    await drain();
    const pressed = await post('/consent/revoke', [['t', tokenOf(manage)], ['consent', consentId]]);

    expect(pressed.statusCode).toBe(200);
    expect(pressed.body).toContain('This sharing had already ended');
    expect(pressed.body).toContain('your bank ended our access');
    expect(pressed.body).not.toMatch(/You stopped sharing/);
    expect((await auditOf(who.psid)).filter((a) => a.action === 'revoked').map((a) => a.actor)).toEqual(['bank']);
  });
});

describe('another person’s data', () => {
  it('cannot be revoked from the manage page by swapping the consent id, and the attempt is audited', async () => {
    const owner = person();
    const other = person();
    const { consentId } = await linkBank(owner);
    await say(other, 'what am i sharing');
    const manage = lastMessage(other.psid)!.attachment?.payload.buttons[0]?.url ?? '';
    const otherToken = manage ? tokenOf(manage) : issueLinkToken({ purpose: 'manage', psid: other.psid, ttlSeconds: 600, now: new Date() }, LINK_SECRET).token;

    const attempt = await post('/consent/revoke', [['t', otherToken], ['consent', consentId]]);
    expect(attempt.statusCode).toBe(404);
    expect((await consentsOf(owner.psid))[0]?.status).toBe('active');
    expect((await auditOf(other.psid)).map((a) => [a.action, a.details?.attemptedConsentId])).toContainEqual(['access-refused', consentId]);
  });

  it('cannot be revoked from the chat with a crafted payload', async () => {
    const owner = person();
    const other = person();
    const { consentId } = await linkBank(owner);

    await tap(other, `REVOKE:${consentId}`, 'Yes, stop sharing');

    expect(lastMessage(other.psid)?.text).toMatch(/could not find that sharing/);
    expect((await consentsOf(owner.psid))[0]?.status).toBe('active');
    expect((await auditOf(other.psid)).map((a) => a.action)).toContain('access-refused');
  });

  it('cannot be completed with a link bound to another person', async () => {
    const owner = person();
    const other = person();
    await say(owner, 'link my bank');
    const url = lastMessage(owner.psid)!.attachment!.payload.buttons[0]!.url!;
    await post('/consent', [['t', tokenOf(url)], ['scope', 'balances'], ['duration', '30']]);
    const [pending] = await consentsOf(owner.psid);
    const forged = issueLinkToken({ purpose: 'complete', psid: other.psid, consentId: String(pending!.consentId), ttlSeconds: 600, now: new Date() }, LINK_SECRET);

    const response = await get('/link/complete', { t: forged.token });

    expect(response.statusCode).toBe(404);
    expect((await consentsOf(owner.psid))[0]?.status).toBe('pending');
  });
});

describe('consent links', () => {
  const linkFor = async (who: Person) => {
    await say(who, 'link my bank');
    return tokenOf(lastMessage(who.psid)!.attachment!.payload.buttons[0]!.url!);
  };
  const confirm = (token: string) => post('/consent', [['t', token], ['scope', 'balances'], ['duration', '30']]);

  it('is refused when expired', async () => {
    const expired = issueLinkToken({ purpose: 'consent', psid: person().psid, ttlSeconds: 1_800, now: new Date(Date.now() - 1_801_000) }, LINK_SECRET);
    const page = await get('/consent', { t: expired.token });
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('expired');
    expect((await confirm(expired.token)).statusCode).toBe(403);
  });

  it('is refused when replayed', async () => {
    const token = await linkFor(person());
    expect((await confirm(token)).statusCode).toBe(303);
    expect((await confirm(token)).statusCode).toBe(403);
    expect((await get('/consent', { t: token })).statusCode).toBe(403);
  });

  it('is refused when tampered with', async () => {
    const token = await linkFor(person());
    const [version, body, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const otherBody = Buffer.from(JSON.stringify({ ...claims, psid: person().psid })).toString('base64url');
    expect((await get('/consent', { t: `${version}.${otherBody}.${signature}` })).statusCode).toBe(403);
    expect((await get('/consent', { t: `${version}.${body}.${signature.slice(0, -2)}xx` })).statusCode).toBe(403);
  });

  it('is refused for another purpose', async () => {
    const manage = issueLinkToken({ purpose: 'manage', psid: person().psid, ttlSeconds: 600, now: new Date() }, LINK_SECRET);
    expect((await get('/consent', { t: manage.token })).statusCode).toBe(403);
  });

  it('asks again, without using up the link, when nothing was chosen', async () => {
    const token = await linkFor(person());
    const response = await post('/consent', [['t', token], ['duration', '30']]);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Choose at least one thing to share');
    expect((await confirm(token)).statusCode).toBe(303);
  });

  it('lets the re-shown form go on to the bank: the same form-action as the first page', async () => {
    const token = await linkFor(person());
    const formAction = (r: { headers?: Record<string, unknown> }) => /form-action ([^;]+)/.exec(String(r.headers?.['Content-Security-Policy']))?.[1];
    const first = await get('/consent', { t: token });
    const again = await post('/consent', [['t', token], ['duration', '30']]);
    expect(again.statusCode).toBe(400);
    expect(formAction(first)).toContain(new URL(bank.url).origin);
    expect(formAction(again)).toBe(formAction(first));
  });
});

describe('expiry', () => {
  it('one year and one second after consent: no bank call but the removal, and the data is gone', async () => {
    const who = person();
    const { consentId, accessToken, itemId } = await linkBank(who, { duration: '365' });
    const [granted] = await consentsOf(who.psid);
    const store = tables.store();
    const later = new Date(Date.parse(String(granted!.authorizedAt)) + 365 * 86_400_000 + 1_000);
    const callsBefore = bank.apiCalls().length;

    const swept = await sweepConsents({ store, notify: async () => undefined, clock: () => later, log: { debug() {}, info() {}, warn() {}, error() {} } as never });
    await drain();

    expect(swept.expired).toBeGreaterThanOrEqual(1);
    expect((await consentsOf(who.psid)).find((c) => c.consentId === consentId)?.status).toBe('expired');
    expect(await financialItemsOf(who.psid)).toEqual([]);
    expect(bank.apiCalls().slice(callsBefore).filter((c) => c.accessToken === accessToken).map((c) => c.path)).toEqual(['/item/remove']);
    expect(bank.controls.getItem(itemId).removal).toMatchObject({ reason_code: 'OTHER', reason_note: 'The end user consent reached the end date they chose and was not renewed.' });
    expect(messagesTo(who.psid).at(-1)?.text).toMatch(
      /^Your sharing of First Platypus Bank ended on \d{1,2} \w{3} \d{4}, the end date you chose, and was not renewed, so I stopped reading it\. I disconnected it at the bank and deleted 3 accounts with their balances, .*To share again, link your bank/,
    );
  });

  it('reminds 30 and again 7 days before the end, each with a Renew button that renews it in one tap', async () => {
    const who = person();
    const { consentId } = await linkBank(who, { duration: '90' });
    const [granted] = await consentsOf(who.psid);
    const store = tables.store();
    const before = (days: number) => new Date(Date.parse(String(granted!.expiresAt)) - days * 86_400_000);
    const reminders: { psid: string; text?: string; payloads?: (string | undefined)[] }[] = [];
    const sweepAt = (now: Date) =>
      sweepConsents({
        store,
        notify: async (psid, _key, compose) => {
          const [message] = await compose();
          const { text, buttons } = (message as { attachment: { payload: { text: string; buttons: { payload?: string }[] } } }).attachment.payload;
          reminders.push({ psid, text, payloads: buttons.map((b) => b.payload) });
        },
        clock: () => now,
        log: { debug() {}, info() {}, warn() {}, error() {} } as never,
      });

    await sweepAt(before(30));
    await sweepAt(before(7));
    const reminder = { psid: who.psid, text: expect.stringMatching(/^Your sharing of First Platypus Bank \(balances, transactions\) ends on .*Tap "Renew"/), payloads: [`RENEW:${consentId}`, 'KEEP_SHARING'] };
    expect(reminders.filter((r) => r.psid === who.psid)).toEqual([reminder, reminder]);

    await deliver(postback(who, `RENEW:${consentId}`, { title: 'Renew' }));
    expect(lastMessage(who.psid)?.text).toMatch(/^Renewed: you share balances, transactions of First Platypus Bank until/);
    const [renewed] = await consentsOf(who.psid);
    expect(Date.parse(String(renewed!.expiresAt))).toBeGreaterThan(Date.parse(String(granted!.expiresAt)));
    expect((await auditOf(who.psid)).map((a) => a.action)).toContain('renewed');
  });

  it('asks a consent given under an older disclosure to read the current one at its renewal, and renews it only on "I agree" there', async () => {
    const who = person();
    const { consentId } = await linkBank(who, { duration: '90' });
    // As if granted before the disclosure changed: the consent records the words it was given under.
    await tables.db.send(
      new UpdateCommand({
        TableName: tables.names.main,
        Key: { pk: `USER#${who.psid}`, sk: `CONSENT#${consentId}` },
        UpdateExpression: 'SET disclosureVersion = :version, disclosureHash = :hash',
        ExpressionAttributeValues: { ':version': '2026-12-07.1', ':hash': 'a'.repeat(64) },
      }),
    );
    await drain();
    const [before] = await consentsOf(who.psid);
    const sentBefore = graph.sentTo(who.psid).length;

    await deliver(postback(who, `RENEW:${consentId}`, { title: 'Renew' }));

    expect(graph.sentTo(who.psid).slice(sentBefore).map((s) => s.body)).toEqual([
      {
        recipient: { id: who.psid },
        messaging_type: 'RESPONSE',
        message: {
          attachment: {
            type: 'template',
            payload: {
              template_type: 'button',
              text:
                'Before I renew your sharing of First Platypus Bank (balances, transactions): what I tell you about how your bank data is handled has changed since you agreed. ' +
                'Tap "Read and renew" to read it; if you agree there, you keep sharing the same for 90 days from today. Nothing changes until you do. The link works for 30 minutes.',
              buttons: [
                { type: 'web_url', title: 'Read and renew', url: expect.stringMatching(/^https:\/\/assistant\.test\/consent\/renew\?t=[\w.%-]+$/), webview_height_ratio: 'tall' },
                { type: 'postback', title: 'Let it end', payload: 'KEEP_SHARING' },
              ],
            },
          },
        },
      },
    ]);
    expect(await consentsOf(who.psid)).toEqual([before]);

    const url = lastMessage(who.psid)!.attachment!.payload.buttons[0]!.url!;
    const page = await get('/consent/renew', { t: tokenOf(url) });
    const shown = disclosure({ recipient: 'Demo Bank' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Like any Messenger message, they pass through Meta’s servers');
    expect(page.body).toContain(`name="disclosure" value="${shown.hash}"`);
    expect(await consentsOf(who.psid)).toEqual([before]);

    const agreed = await post('/consent/renew', [['t', tokenOf(url)], ['disclosure', shown.hash]]);
    expect(agreed.statusCode).toBe(200);
    expect(agreed.body).toMatch(/You share balances, transactions of First Platypus Bank until/);
    const [renewed] = await consentsOf(who.psid);
    expect(renewed).toMatchObject({ status: 'active', disclosureVersion: shown.version, disclosureHash: shown.hash, version: Number(before!.version) + 1 });
    expect(Date.parse(String(renewed!.expiresAt))).toBeGreaterThan(Date.parse(String(before!.expiresAt)));
    const [audit] = await auditOf(who.psid);
    expect(audit).toMatchObject({ action: 'renewed', actor: 'person', consentId, disclosureVersion: shown.version, details: { reconfirmed: true, disclosureHash: shown.hash, previousDisclosureVersion: '2026-12-07.1' } });
    expect((await post('/consent/renew', [['t', tokenOf(url)], ['disclosure', shown.hash]])).statusCode).toBe(403);

    // Under the disclosure now agreed to, the next Renew renews in one tap.
    await deliver(postback(who, `RENEW:${consentId}`, { title: 'Renew' }));
    expect(lastMessage(who.psid)?.text).toMatch(/^Renewed: you share balances, transactions of First Platypus Bank until/);
  });
});

describe('Messenger account linking', () => {
  const messengerRedirect = (token: string) => `https://www.facebook.com/messenger_platform/account_linking/?account_linking_token=${token}`;

  it('links through the account_link button, returns to Messenger with a code, and the code is accepted', async () => {
    const who = person();
    await say(who, 'link my bank');
    const [accountLink, fallback] = lastMessage(who.psid)!.attachment!.payload.buttons as { type?: string; url?: string }[];
    expect([accountLink?.type, fallback?.type]).toEqual(['account_link', 'web_url']);
    const t = tokenOf(accountLink!.url!);
    const alt = graph.issueAccountLinkingToken(who.psid);

    const page = await get('/consent', { t, account_linking_token: alt, redirect_uri: messengerRedirect(alt) });
    expect(page.statusCode).toBe(200);
    const confirmed = await post('/consent', [['t', t], ['scope', 'balances'], ['duration', '90'], ['account_linking_token', alt], ['redirect_uri', messengerRedirect(alt)]]);
    const login = await loginAtBank(String(confirmed.headers?.Location));
    const done = await get('/link/complete', { t: tokenOf(login.headers.get('location')!) });

    expect(done.statusCode).toBe(303);
    const back = new URL(String(done.headers?.Location));
    expect(`${back.origin}${back.pathname}`).toBe('https://www.facebook.com/messenger_platform/account_linking/');
    const code = back.searchParams.get('authorization_code')!;
    await drain();
    const sentBefore = messagesTo(who.psid).length;
    await deliver(accountLinking(who, { authorizationCode: code }));
    expect(messagesTo(who.psid)).toHaveLength(sentBefore); // the linked confirmation already went
    expect((await consentsOf(who.psid))[0]?.status).toBe('active');
    expect((await auditOf(who.psid)).map((a) => a.action)).not.toContain('access-refused');
  });

  it('refuses a consent link opened from another person’s Messenger account, and audits it', async () => {
    const owner = person();
    const other = person();
    await say(owner, 'link my bank');
    const t = tokenOf(lastMessage(owner.psid)!.attachment!.payload.buttons[0]!.url!);
    const alt = graph.issueAccountLinkingToken(other.psid);

    const page = await get('/consent', { t, account_linking_token: alt, redirect_uri: messengerRedirect(alt) });
    const confirm = await post('/consent', [['t', t], ['scope', 'balances'], ['duration', '90'], ['account_linking_token', alt], ['redirect_uri', messengerRedirect(alt)]]);

    expect([page.statusCode, confirm.statusCode]).toEqual([403, 403]);
    expect(page.body).toContain('another Messenger account');
    expect(await consentsOf(owner.psid)).toEqual([]);
    expect((await auditOf(other.psid)).map((a) => a.action)).toContain('access-refused');
  });

  it('refuses to send the person anywhere but Messenger', async () => {
    const who = person();
    await say(who, 'link my bank');
    const t = tokenOf(lastMessage(who.psid)!.attachment!.payload.buttons[0]!.url!);
    const alt = graph.issueAccountLinkingToken(who.psid);

    const page = await get('/consent', { t, account_linking_token: alt, redirect_uri: 'https://evil.example/messenger_platform/account_linking/' });

    expect(page.statusCode).toBe(403);
  });

  it('refuses a linking code made for someone else', async () => {
    const owner = person();
    const other = person();
    const { consentId } = await linkBank(owner);
    const code = issueLinkToken({ purpose: 'account-link', psid: owner.psid, consentId, ttlSeconds: 600, now: new Date() }, LINK_SECRET).token;

    await deliver(accountLinking(other, { authorizationCode: code }));

    expect(lastMessage(other.psid)?.text).toMatch(/not made for this Messenger account/);
    expect((await auditOf(other.psid)).map((a) => a.action)).toContain('access-refused');
  });

  it('treats unlinking in Messenger as revocation', async () => {
    const who = person();
    await linkBank(who);

    await deliver(accountLinking(who, 'unlinked'));

    expect((await consentsOf(who.psid))[0]?.status).toBe('revoked');
    expect(await financialItemsOf(who.psid)).toEqual([]);
  });
});

describe('access and export (consent rule 7)', () => {
  /** The JSON file the export page carries in its download link. */
  const downloadOf = (body: string) => {
    const link = /<a\b[^>]*\bdownload="([^"]*)"[^>]*\bhref="data:application\/json;base64,([^"]*)"/.exec(body);
    const decode = (value: string) => value.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    return link ? { fileName: link[1], json: Buffer.from(decode(link[2]!), 'base64').toString('utf8') } : undefined;
  };
  const textOf = (body: string) => body.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ').replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/\s+/g, ' ');

  it('summarises in chat what is held, and shows it once as a readable page with the JSON file beside it, without the bank token', async () => {
    const who = person();
    const { consentId, accessToken } = await linkBank(who);

    await say(who, 'What do you hold about me?');
    const summary = lastMessage(who.psid)!.attachment!.payload;
    expect(summary.text).toMatch(/First Platypus Bank: 3 accounts, \d+ transactions \(balances, transactions, until/);
    const url = summary.buttons[0]!.url!;
    expect(url.startsWith(`${PUBLIC}/consent/export?t=`)).toBe(true);

    const shown = await get('/consent/export', { t: tokenOf(url) });
    expect([shown.statusCode, shown.headers?.['Content-Type']]).toEqual([200, 'text/html; charset=utf-8']);
    const file = downloadOf(String(shown.body));
    expect(file?.fileName).toMatch(/^my-bank-assistant-data-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(file!.json);
    expect(data.format).toBe('messenger-banking-export/2');
    expect(data.subject).toEqual({ messengerPageScopedId: who.psid });
    expect(data.consents.map((c: { consentId: string; status: string }) => [c.consentId, c.status])).toEqual([[consentId, 'active']]);
    expect(data.consentHistory.map((r: { recordId: string; events: { type: string }[] }) => [r.recordId, r.events.map((e) => e.type)])).toEqual([[consentId, ['requested', 'given']]]);
    expect(data.otherHistory).toEqual([]);
    expect(data.financialData[0].accounts).toHaveLength(3);
    const transactions = bank.controls.listTransactions(data.consents[0].itemId).length;
    expect(data.financialData[0].transactions.length).toBe(transactions);
    expect(data.messaging.messagesReceived.map((m: { event: { message?: { text?: string } } }) => m.event.message?.text)).toContain('What do you hold about me?');
    // The page says the same in plain words.
    const text = textOf(String(shown.body));
    for (const said of ['What you share', 'First Platypus Bank', 'Accounts and balances', `${transactions} transactions, from`, 'History of your consents', 'You agreed to share', 'What do you hold about me?']) {
      expect(text).toContain(said);
    }
    for (const secret of [accessToken, '"edk"']) expect([String(shown.body), file!.json].filter((body) => body.includes(secret))).toEqual([]);

    expect((await get('/consent/export', { t: tokenOf(url) })).statusCode).toBe(403);
    expect((await auditOf(who.psid)).map((a) => a.action)).toContain('exported');
  });

  it('answers with the JSON file alone for machine use, on the link’s one use', async () => {
    const who = person();
    await linkBank(who);
    const token = issueLinkToken({ purpose: 'export', psid: who.psid, ttlSeconds: 600, now: new Date() }, LINK_SECRET).token;

    const file = await get('/consent/export', { t: token, format: 'json' });

    expect([file.statusCode, file.headers?.['Content-Type'], file.headers?.['Content-Disposition']]).toEqual([
      200,
      'application/json; charset=utf-8',
      expect.stringMatching(/^attachment; filename="my-bank-assistant-data-/),
    ]);
    expect(JSON.parse(String(file.body)).financialData[0].accounts).toHaveLength(3);
    expect((await get('/consent/export', { t: token })).statusCode).toBe(403);
  });

  it('exports only the holder’s own data', async () => {
    const owner = person();
    await linkBank(owner);
    const other = person();
    const token = issueLinkToken({ purpose: 'export', psid: other.psid, ttlSeconds: 600, now: new Date() }, LINK_SECRET).token;

    const shown = String((await get('/consent/export', { t: token })).body);
    const data = JSON.parse(downloadOf(shown)!.json);

    expect(data.consents).toEqual([]);
    expect(data.financialData).toEqual([]);
    expect([JSON.stringify(data), shown].filter((body) => body.includes(owner.psid))).toEqual([]);
    expect(textOf(shown)).toContain('You have not shared a bank with us.');
  });
});

describe('logs of the whole journey', () => {
  it('never contain a bank access token, a public token or a secret', async () => {
    const tokens = bank.controls.listItems().map((i) => i.access_token).filter((t): t is string => !!t);
    expect(tokens.length).toBeGreaterThan(3);
    expect(output.text().length).toBeGreaterThan(1_000);
    for (const secret of [...tokens, PLAID_SECRET, LINK_SECRET, MASTER_KEY, PAGE_TOKEN, 'public-sandbox-']) expect(output.text()).not.toContain(secret);
  });

  it('stay clean on the error path of a failing bank', async () => {
    const who = person();
    await say(who, 'link my bank');
    const url = lastMessage(who.psid)!.attachment!.payload.buttons[0]!.url!;
    const confirmed = await post('/consent', [['t', tokenOf(url)], ['scope', 'balances'], ['duration', '30']]);
    const login = await loginAtBank(String(confirmed.headers?.Location));
    bank.controls.failNext('/accounts/get', 5, 'API_ERROR');
    const before = output.text().length;

    const page = await get('/link/complete', { t: tokenOf(login.headers.get('location')!) });

    expect(page.statusCode).toBe(502);
    expect((await consentsOf(who.psid))[0]?.status).toBe('pending');
    // The half-linked item was removed at the bank: no access remains that no consent covers.
    expect(bank.controls.listItems().filter((i) => i.removed).length).toBeGreaterThan(0);
    const errorLogs = output.text().slice(before);
    expect(errorLogs).toContain('Bank error on a consent page');
    for (const item of bank.controls.listItems()) if (item.access_token) expect(errorLogs).not.toContain(item.access_token);
    bank.controls.clearFailures();
  });
});

