import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxBank } from '../../../dev/sandbox-bank/server';
import { validateSchema } from '../../support/plaid-spec';
import { errorOf, linkItem, plaid, startBank, startWebhookReceiver } from './support';
import type { WebhookReceiver } from './receiver';

const DONE = 'https://messenger-bank.example/consent/linked';
let bank: SandboxBank;
let receiver: WebhookReceiver;
let clock = new Date('2026-11-20T15:30:00Z').getTime();

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  bank = await startBank({ now: () => new Date(clock) });
});

afterAll(async () => {
  await bank.close();
  await receiver.close();
});

interface LinkTokenGet {
  link_token: string;
  expiration: string;
  metadata: { initial_products: string[]; webhook: string | null; client_name: string };
  link_sessions: {
    link_session_id: string;
    finished_at: string | null;
    events: { event_name: string }[];
    results?: { item_add_results: { public_token: string; accounts: { subtype: string }[]; institution: { institution_id: string } }[] };
    exit?: unknown;
  }[];
}

function linkTokenRequest(overrides: Record<string, unknown> = {}) {
  return {
    client_name: 'Messenger Bank',
    language: 'en',
    country_codes: ['US'],
    user: { client_user_id: 'psid-5500000000000001' },
    products: ['transactions'],
    webhook: receiver.url,
    hosted_link: { completion_redirect_uri: DONE },
    ...overrides,
  };
}

async function createLink(overrides: Record<string, unknown> = {}) {
  const res = await plaid<{ link_token: string; expiration: string; hosted_link_url: string }>(bank, '/link/token/create', linkTokenRequest(overrides));
  expect(res.status).toBe(200);
  return res.body;
}

async function getPage(url: string) {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

async function login(link: { link_token: string }, institutionId: string, username: string, password: string) {
  const res = await fetch(`${bank.url}/link/${link.link_token}/institutions/${institutionId}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

async function linkTokenGet(token: string) {
  const res = await plaid<LinkTokenGet>(bank, '/link/token/get', { link_token: token });
  expect(res.status).toBe(200);
  return res.body;
}

describe('/link/token/create', () => {
  it('returns a link-sandbox token valid for 4 hours, and a hosted_link_url only for Hosted Link', async () => {
    const hosted = await createLink();
    const plain = await plaid(bank, '/link/token/create', linkTokenRequest({ hosted_link: undefined }));
    expect(hosted.link_token).toMatch(/^link-sandbox-[0-9a-f-]{36}$/);
    expect(Date.parse(hosted.expiration) - clock).toBe(4 * 3_600_000);
    expect(hosted.hosted_link_url).toBe(`${bank.url}/link/${hosted.link_token}`);
    expect(plain.body).not.toHaveProperty('hosted_link_url');
  });

  it('names what is missing: client_name, user.client_user_id, products', async () => {
    const noName = await plaid(bank, '/link/token/create', linkTokenRequest({ client_name: undefined }), { invalidRequest: true });
    const noUser = await plaid(bank, '/link/token/create', linkTokenRequest({ user: {} }), { invalidRequest: true });
    const noProducts = await plaid(bank, '/link/token/create', linkTokenRequest({ products: [] }));
    expect(errorOf(noName)).toEqual({ status: 400, type: 'INVALID_REQUEST', code: 'MISSING_FIELDS' });
    expect(noUser.body.error_message).toContain('user.client_user_id');
    expect(noProducts.body.error_message).toContain('products');
  });

  it('uses publicUrl for the hosted link when the bank is reached through another address', async () => {
    const proxied = await startBank({ publicUrl: 'https://bank.tunnel.example/' });
    try {
      const res = await plaid<{ link_token: string; hosted_link_url: string }>(proxied, '/link/token/create', linkTokenRequest());
      expect(res.body.hosted_link_url).toBe(`https://bank.tunnel.example/link/${res.body.link_token}`);
    } finally {
      await proxied.close();
    }
  });
});

describe('Hosted Link', () => {
  it('goes from institution picker to login, refuses a wrong password, then links and redirects', async () => {
    const link = await createLink();
    const itemsBefore = bank.controls.listItems().length;

    const picker = await getPage(link.hosted_link_url);
    expect(picker.status).toBe(200);
    for (const name of ['First Platypus Bank', 'First Gingham Credit Union', 'Tattersall Federal Credit Union']) expect(picker.html).toContain(name);
    for (const user of ['user_good', 'user_custom_saver', 'user_big_spender']) expect(picker.html).toContain(user);
    const href = /href="(\/link\/[^"]+\/institutions\/ins_109508)"/.exec(picker.html)?.[1];
    expect(href).toBeDefined();

    const form = await getPage(`${bank.url}${href}`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('name="password"');

    const wrong = await login(link, 'ins_109508', 'user_good', 'pass_bad');
    expect(wrong.status).toBe(200);
    expect(wrong.html).toContain('not correct');
    expect(bank.controls.listItems()).toHaveLength(itemsBefore);
    expect((await linkTokenGet(link.link_token)).link_sessions[0]).toMatchObject({ finished_at: null });

    const right = await login(link, 'ins_109508', 'user_good', 'pass_good');
    expect(right.status).toBe(303);
    expect(right.location).toBe(DONE);
    expect(bank.controls.listItems()).toHaveLength(itemsBefore + 1);

    const session = (await linkTokenGet(link.link_token)).link_sessions[0]!;
    expect(session.finished_at).toEqual(expect.any(String));
    expect(session.events.map((e) => e.event_name)).toEqual(['OPEN', 'SELECT_INSTITUTION', 'SUBMIT_CREDENTIALS', 'ERROR', 'SUBMIT_CREDENTIALS', 'HANDOFF']);
    const result = session.results!.item_add_results[0]!;
    expect(result.institution.institution_id).toBe('ins_109508');
    expect(result.accounts.map((a) => a.subtype)).toEqual(['checking', 'savings', 'credit card']);

    const first = await plaid(bank, '/item/public_token/exchange', { public_token: result.public_token });
    const second = await plaid(bank, '/item/public_token/exchange', { public_token: result.public_token });
    expect(first.status).toBe(200);
    expect(errorOf(second)).toEqual({ status: 400, type: 'INVALID_INPUT', code: 'INVALID_PUBLIC_TOKEN' });
    expect((await getPage(link.hosted_link_url)).status).toBe(409);
  });

  it('sends Hosted Link’s ITEM_ADD_RESULT and SESSION_FINISHED webhooks, valid per the spec', async () => {
    const link = await createLink();
    await getPage(link.hosted_link_url);
    await login(link, 'ins_109509', 'user_custom_saver', 'pass_good');
    await bank.controls.flushWebhooks();
    const forLink = receiver.received.filter((w) => w.body.link_token === link.link_token);
    const added = forLink.find((w) => w.body.webhook_code === 'ITEM_ADD_RESULT')!;
    const finished = forLink.find((w) => w.body.webhook_code === 'SESSION_FINISHED')!;
    expect(validateSchema('ItemAddResultWebhook', added.body, { strict: true })).toEqual([]);
    expect(validateSchema('LinkSessionFinishedWebhook', finished.body, { strict: true })).toEqual([]);
    expect(finished.body).toMatchObject({ status: 'SUCCESS', public_tokens: [added.body.public_token] });
  });

  it('links other test people with their own accounts', async () => {
    const link = await createLink();
    await login(link, 'ins_109510', 'user_big_spender', 'pass_good');
    const result = (await linkTokenGet(link.link_token)).link_sessions[0]!.results!.item_add_results[0]!;
    expect(result.accounts.map((a) => a.subtype)).toEqual(['checking', 'credit card', 'credit card']);
  });

  it('pages are phone-sized, script-free and load nothing from elsewhere', async () => {
    const link = await createLink();
    const pages = [await getPage(link.hosted_link_url), await getPage(`${link.hosted_link_url}/institutions/ins_109511`)];
    for (const page of pages) {
      expect(page.html).toContain('name="viewport"');
      expect(page.html).not.toMatch(/<script|<link|<img|<iframe|src=/i);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
  });

  it('speaks Spanish when the link token asks for it', async () => {
    const link = await createLink({ language: 'es', country_codes: ['US', 'ES'] });
    expect((await getPage(link.hosted_link_url)).html).toContain('Elige tu banco');
  });

  it('records an exit and sends the person back without an item', async () => {
    const link = await createLink();
    const itemsBefore = bank.controls.listItems().length;
    await getPage(link.hosted_link_url);
    const res = await fetch(`${link.hosted_link_url}/exit`, { method: 'POST', redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(DONE);
    expect(bank.controls.listItems()).toHaveLength(itemsBefore);
    const session = (await linkTokenGet(link.link_token)).link_sessions[0]!;
    expect(session.exit).toMatchObject({ error: null, metadata: { status: 'requires_credentials' } });
    await bank.controls.flushWebhooks();
    const finished = receiver.received.find((w) => w.body.link_token === link.link_token && w.body.webhook_code === 'SESSION_FINISHED');
    expect(finished?.body).toMatchObject({ status: 'EXITED', public_tokens: [] });
  });

  it('stops working once the hosted link lifetime is over', async () => {
    const link = await createLink({ hosted_link: { completion_redirect_uri: DONE, url_lifetime_seconds: 600 } });
    clock += 601_000;
    expect((await getPage(link.hosted_link_url)).status).toBe(410);
  });

  it('answers 404 for a link token it never issued', async () => {
    expect((await getPage(`${bank.url}/link/link-sandbox-00000000-0000-0000-0000-000000000000`)).status).toBe(404);
  });
});

describe('update mode', () => {
  it('repairs an item in ITEM_LOGIN_REQUIRED without creating a new one', async () => {
    const { accessToken, itemId } = await linkItem(bank, { institutionId: 'ins_109510' });
    bank.controls.forceLoginRequired(accessToken);
    expect((await plaid(bank, '/accounts/get', { access_token: accessToken })).body.error_code).toBe('ITEM_LOGIN_REQUIRED');
    const itemsBefore = bank.controls.listItems().length;

    const link = await createLink({ products: undefined, access_token: accessToken });
    const opened = await getPage(link.hosted_link_url);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(`/link/${link.link_token}/institutions/ins_109510`);
    const done = await login(link, 'ins_109510', 'user_good', 'pass_good');
    expect(done.location).toBe(DONE);

    expect((await plaid(bank, '/accounts/get', { access_token: accessToken })).status).toBe(200);
    expect(bank.controls.listItems()).toHaveLength(itemsBefore);
    const session = (await linkTokenGet(link.link_token)).link_sessions[0]!;
    expect(session.finished_at).toEqual(expect.any(String));
    expect(session.results?.item_add_results).toEqual([]);
    expect(bank.controls.getItem(itemId).error_code).toBeNull();
  });

  it('does not accept another person’s credentials for the item', async () => {
    const { accessToken } = await linkItem(bank);
    bank.controls.forceLoginRequired(accessToken);
    const link = await createLink({ products: undefined, access_token: accessToken });
    const attempt = await login(link, 'ins_109508', 'user_custom_saver', 'pass_good');
    expect(attempt.status).toBe(200);
    expect(attempt.html).toContain('not correct');
    expect(bank.controls.getItem(accessToken).error_code).toBe('ITEM_LOGIN_REQUIRED');
  });
});
