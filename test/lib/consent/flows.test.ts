import { describe, expect, it } from 'vitest';
import type { CreateLinkTokenInput } from '../../../lib/banking/bank-connector';
import { disclosure } from '../../../lib/consent/disclosure';
import {
  accountLinkReturn,
  changeOwnScopes,
  completeLinking,
  confirmAccountLink,
  consentLink,
  finishReconnect,
  ownConsent,
  reconfirmOwnConsent,
  reconnectLink,
  renewOwnConsent,
  startLinking,
  startReconnect,
  verifyAccountLink,
  verifyLink,
  type LinkingChoice,
} from '../../../lib/consent/flows';
import { bankUserId, issueLinkToken, readLinkToken } from '../../../lib/consent/link-token';
import { requestConsent, revokeConsent, type Consent } from '../../../lib/consent/model/consent';
import {
  BankAccessRevoked,
  BankLoginRequired,
  BankUnavailable,
  ConsentChanged,
  DisclosureChanged,
  InvalidConsentTransition,
  InvalidInput,
  LinkingNotFinished,
  LinkRefused,
  NotFound,
} from '../../../lib/errors';
import type { Log } from '../../../lib/logger';
import type { TransactItem } from '../../../lib/store';
import { activeConsent, BANK_LINK, consentWorld, linkToken, NOW, PSID, SECRET } from './page-fakes';

/**
 * The consent use-cases with their ports in memory: links, the consent page's answer, the round
 * trips to the bank, and the person's own renewals and scope changes.
 */
const MINUTE = 60_000;
const later = (ms: number) => new Date(NOW.getTime() + ms);
const OTHER = 'p-2';
const MESSENGER_RETURN = 'https://www.facebook.com/messenger_platform/account_linking/?account_linking_token=alt-1';

const pending = (): Consent =>
  requestConsent({
    consentId: 'c-1',
    psid: PSID,
    scopes: ['balances', 'transactions'],
    durationDays: 90,
    disclosure: { version: 'v', hash: 'h' },
    bankLinkToken: 'link-token-1',
    now: NOW,
  }).consent;

/** A log that keeps what was written at ERROR. */
function recordingLog() {
  const errors: { message: string; detail: unknown }[] = [];
  const log = { debug() {}, info() {}, warn() {}, error: (message: string, detail: unknown) => void errors.push({ message, detail }) } as unknown as Log;
  return { log, errors };
}

/** The consent world, with the flows' own deps and what the bank was asked. */
async function world(options: Parameters<typeof consentWorld>[0] = {}) {
  const linkRequests: CreateLinkTokenInput[] = [];
  const removed: { accessToken: string; reason: string }[] = [];
  const fakes = consentWorld({
    ...options,
    bank: {
      createLinkToken: async (input) => (linkRequests.push(input), { linkToken: 'link-token-1', expiration: NOW, hostedLinkUrl: BANK_LINK }),
      removeItem: async (accessToken, reason) => void removed.push({ accessToken, reason }),
      ...options.bank,
    },
  });
  const deps = await fakes.deps.linking();
  const financial = await fakes.deps.financial();
  const reconnect = { ...deps, financial, reschedule: async (key: { psid: string; itemId: string }) => void fakes.rescheduled.push(key.itemId) };
  return { ...fakes, deps, reconnect, linkRequests, removed };
}

const choice = (overrides: Partial<LinkingChoice> = {}): LinkingChoice => ({ token: linkToken('consent'), scopes: ['transactions', 'balances'], durationDays: '90', ...overrides });
const at = <T extends { clock: () => Date }>(deps: T, now: Date): T => ({ ...deps, clock: () => now });
const tokenOf = (url: string) => new URL(url).searchParams.get('t') ?? '';

describe('links for the chat', () => {
  it('opens the page of its purpose, with a token bound to the person', async () => {
    const { deps } = await world();

    const urls = (['consent', 'manage', 'export'] as const).map((purpose) => consentLink(PSID, purpose, deps));

    expect(urls.map((url) => url.split('?')[0])).toEqual(['https://assistant.test/consent', 'https://assistant.test/consent/manage', 'https://assistant.test/consent/export']);
    expect((['consent', 'manage', 'export'] as const).map((purpose, i) => readLinkToken(tokenOf(urls[i]!), purpose, SECRET, NOW).psid)).toEqual([PSID, PSID, PSID]);
  });

  it('is refused for any other purpose than its own', async () => {
    const { deps } = await world();
    const manage = tokenOf(consentLink(PSID, 'manage', deps));

    await expect(verifyLink(manage, 'consent', deps)).rejects.toThrow(/not valid here/);
    await expect(verifyLink(manage, 'export', deps)).rejects.toThrow(/not valid here/);
  });

  it('expires: a consent link after 30 minutes, an export link after 15', async () => {
    const { deps } = await world();
    const consent = tokenOf(consentLink(PSID, 'consent', deps));
    const exported = tokenOf(consentLink(PSID, 'export', deps));

    await expect(verifyLink(consent, 'consent', at(deps, later(29 * MINUTE)))).resolves.toMatchObject({ psid: PSID });
    await expect(verifyLink(consent, 'consent', at(deps, later(30 * MINUTE)))).rejects.toThrow(/expired/);
    await expect(verifyLink(exported, 'export', at(deps, later(14 * MINUTE)))).resolves.toMatchObject({ psid: PSID });
    await expect(verifyLink(exported, 'export', at(deps, later(15 * MINUTE)))).rejects.toThrow(/expired/);
  });

  it('cannot be forged: a token signed with another secret, or with its person changed, is refused', async () => {
    const { deps } = await world();
    const forged = issueLinkToken({ purpose: 'consent', psid: PSID, ttlSeconds: 600, now: NOW }, 'another-secret').token;
    const [version, body, signature] = tokenOf(consentLink(PSID, 'consent', deps)).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const retargeted = `${version}.${Buffer.from(JSON.stringify({ ...claims, psid: OTHER })).toString('base64url')}.${signature}`;

    await expect(verifyLink(forged, 'consent', deps)).rejects.toThrow(/not valid/);
    await expect(verifyLink(retargeted, 'consent', deps)).rejects.toThrow(/not valid/);
    await expect(verifyLink(undefined, 'consent', deps)).rejects.toBeInstanceOf(LinkRefused);
  });

  it('is refused once used', async () => {
    const { deps } = await world();
    const token = tokenOf(consentLink(PSID, 'consent', deps));
    await startLinking(choice({ token }), deps);

    await expect(verifyLink(token, 'consent', deps)).rejects.toThrow(/already used/);
  });

  it('links to logging in at the bank again for one consent, for a day', async () => {
    const { deps } = await world();

    const url = reconnectLink(PSID, 'c-1', deps);

    expect(url.split('?')[0]).toBe('https://assistant.test/link/reconnect');
    expect(readLinkToken(tokenOf(url), 'reconnect', SECRET, later(24 * 60 * MINUTE - 1000))).toMatchObject({ psid: PSID, consentId: 'c-1' });
    expect(() => readLinkToken(tokenOf(url), 'reconnect', SECRET, later(24 * 60 * MINUTE))).toThrow(/expired/);
  });
});

describe('startLinking: the person confirmed the consent page', () => {
  it('records a pending consent of what they chose, with the disclosure they were shown, and sends them to the bank', async () => {
    const { deps, consents, committed } = await world();

    const result = await startLinking(choice(), deps);

    const shown = disclosure({ recipient: 'Demo Bank' });
    expect(result).toEqual({ redirectTo: BANK_LINK, consentId: 'c-new' });
    expect(consents.get('c-new')).toMatchObject({
      psid: PSID,
      status: 'pending',
      scopes: ['balances', 'transactions'],
      durationDays: 90,
      disclosureVersion: shown.version,
      disclosureHash: shown.hash,
      bankLinkToken: 'link-token-1',
    });
    expect(committed.map((c) => c.transition.audit.action)).toEqual(['requested']);
  });

  it('asks the bank for a link under a pseudonym, in the person’s language, returning to a completion link for this consent', async () => {
    const { deps, linkRequests } = await world();

    await startLinking(choice({ language: 'es' }), { ...deps, settings: { ...deps.settings, bankWebhookUrl: 'https://assistant.test/bank/webhook' } });

    const [request] = linkRequests;
    expect(request).toMatchObject({
      userId: bankUserId(PSID, SECRET),
      language: 'es',
      products: ['transactions'],
      countryCodes: ['US'],
      clientName: 'Demo Bank',
      webhookUrl: 'https://assistant.test/bank/webhook',
    });
    expect(request?.userId).not.toContain(PSID);
    expect(request?.redirectUri.split('?')[0]).toBe('https://assistant.test/link/complete');
    expect(readLinkToken(tokenOf(request!.redirectUri), 'complete', SECRET, later(119 * MINUTE))).toMatchObject({ psid: PSID, consentId: 'c-new' });
  });

  it('names no webhook when none is configured, and asks in English by default', async () => {
    const { deps, linkRequests } = await world();

    await startLinking(choice(), deps);

    expect(linkRequests[0]?.language).toBe('en');
    expect(linkRequests[0]).not.toHaveProperty('webhookUrl');
  });

  it('uses the link up: the same confirmation cannot start a second linking', async () => {
    const { deps, consents } = await world();
    const token = linkToken('consent');
    await startLinking(choice({ token }), deps);

    await expect(startLinking(choice({ token }), { ...deps, newId: () => 'c-second' })).rejects.toBeInstanceOf(LinkRefused);
    expect(consents.has('c-second')).toBe(false);
  });

  it.each([
    ['nothing chosen', []],
    ['an unknown scope among known ones', ['balances', 'investments']],
    ['a scope that is not a string', ['balances', 1]],
  ])('refuses %s, before using the link or calling the bank', async (_case, scopes) => {
    const { deps, consents, usedNonces, linkRequests } = await world();

    await expect(startLinking(choice({ scopes }), deps)).rejects.toThrow(InvalidInput);
    expect({ consents: consents.size, usedNonces: usedNonces.size, bank: linkRequests.length }).toEqual({ consents: 0, usedNonces: 0, bank: 0 });
  });

  it.each([[45], ['400'], ['a year'], [undefined]])('refuses a duration that is not offered (%s), before using the link', async (durationDays) => {
    const { deps, consents, usedNonces } = await world();

    await expect(startLinking(choice({ durationDays }), deps)).rejects.toThrow('Choose how long to share');
    expect({ consents: consents.size, usedNonces: usedNonces.size }).toEqual({ consents: 0, usedNonces: 0 });
  });

  it('accepts each offered duration, up to a year, as the form posts it', async () => {
    const { deps, consents } = await world();
    let n = 0;

    for (const days of ['30', '90', '180', '365']) await startLinking(choice({ token: linkToken('consent'), durationDays: days }), { ...deps, newId: () => `c-${++n}` });

    expect([...consents.values()].map((c) => c.durationDays)).toEqual([30, 90, 180, 365]);
  });

  it('refuses a link made for another page', async () => {
    const { deps, consents } = await world();

    await expect(startLinking(choice({ token: linkToken('manage') }), deps)).rejects.toBeInstanceOf(LinkRefused);
    expect(consents.size).toBe(0);
  });

  it('records no consent when the bank gives no page to send the person to', async () => {
    const { deps, consents } = await world({ bank: { createLinkToken: async () => ({ linkToken: 'link-token-1', expiration: NOW }) } });

    await expect(startLinking(choice(), deps)).rejects.toThrow(/no hosted link URL/);
    expect(consents.size).toBe(0);
  });

  it('remembers where to hand the person back to Messenger when they came from its account_link button', async () => {
    const { deps, consents } = await world();

    await startLinking(choice({ accountLink: { accountLinkingToken: 'alt-1', redirectUri: MESSENGER_RETURN } }), deps);

    expect(consents.get('c-new')?.accountLinkRedirect).toBe(MESSENGER_RETURN);
  });
});

describe('completeLinking: the bank sent the person back', () => {
  const complete = (consentId = 'c-1') => linkToken('complete', { consentId });

  it('activates the consent together with what the financial gate writes for the item', async () => {
    const sealed = { Put: { TableName: 'test', Item: { pk: 'sealed-token' } } } as TransactItem;
    const given: { accessToken: string; accounts: number; status: string }[] = [];
    const { deps, consents, committed } = await world({
      consents: [pending()],
      bank: { getAccounts: async () => [{ accountId: 'a-1', name: 'Checking', type: 'depository', balances: { available: 1, current: 1, limit: null, currency: 'USD' } }] },
      financial: {
        activationItems: async (consent, bank) => (given.push({ accessToken: bank.accessToken, accounts: bank.accounts.length, status: consent.status }), [sealed]),
      },
    });

    const consent = await completeLinking(complete(), deps);

    expect(consent).toMatchObject({ status: 'active', itemId: 'item-1', institution: { id: 'ins_1', name: 'First Platypus Bank' } });
    expect(consents.get('c-1')?.status).toBe('active');
    expect(given).toEqual([{ accessToken: 'access-1', accounts: 1, status: 'active' }]);
    expect(committed.map((c) => [c.transition.audit.action, c.items])).toEqual([['granted', [sealed]]]);
  });

  it('names the bank the person chose in the link session before the item’s own', async () => {
    const { deps } = await world({
      consents: [pending()],
      bank: { getLinkSession: async () => ({ status: 'completed', publicTokens: ['public-1'], institution: { id: 'ins_9', name: 'Chosen Bank' } }) },
    });

    expect((await completeLinking(complete(), deps)).institution).toEqual({ id: 'ins_9', name: 'Chosen Bank' });
  });

  it('answers a reload of the completion page with the active consent, without calling the bank again', async () => {
    let exchanges = 0;
    const { deps, committed } = await world({ consents: [activeConsent()], bank: { exchangePublicToken: async () => (exchanges++, { accessToken: 'access-2', itemId: 'item-2' }) } });

    const consent = await completeLinking(complete(), deps);

    expect({ itemId: consent.itemId, exchanges, committed: committed.length }).toEqual({ itemId: 'item-1', exchanges: 0, committed: 0 });
  });

  it('refuses a linking the person cancelled meanwhile', async () => {
    const revoked = revokeConsent(pending(), { now: NOW, by: 'person' }).consent;
    const { deps, consents } = await world({ consents: [revoked] });

    await expect(completeLinking(complete(), deps)).rejects.toThrow(/cancelled/);
    expect(consents.get('c-1')?.status).toBe('revoked');
  });

  it('refuses a pending consent that holds no bank link', async () => {
    const { bankLinkToken: _none, ...withoutLink } = pending();
    const { deps } = await world({ consents: [withoutLink] });

    await expect(completeLinking(complete(), deps)).rejects.toBeInstanceOf(LinkRefused);
  });

  it.each([
    ['still open, with no public token', { status: 'pending' as const, publicTokens: [] }],
    ['still open, with a public token', { status: 'pending' as const, publicTokens: ['public-1'] }],
    ['completed, with no public token', { status: 'completed' as const, publicTokens: [] }],
  ])('says the linking is not finished while the bank’s session is %s, and exchanges nothing', async (_case, session) => {
    let exchanges = 0;
    const { deps, consents } = await world({
      consents: [pending()],
      bank: { getLinkSession: async () => session, exchangePublicToken: async () => (exchanges++, { accessToken: 'a', itemId: 'i' }) },
    });

    await expect(completeLinking(complete(), deps)).rejects.toBeInstanceOf(LinkingNotFinished);
    expect({ exchanges, status: consents.get('c-1')?.status }).toEqual({ exchanges: 0, status: 'pending' });
  });

  it('removes the item at the bank when the bank fails after the exchange, and leaves the consent pending', async () => {
    const failure = new BankUnavailable('bank down');
    const { deps, consents, removed } = await world({ consents: [pending()], bank: { getAccounts: async () => Promise.reject(failure) } });

    await expect(completeLinking(complete(), deps)).rejects.toBe(failure);
    expect(removed).toEqual([{ accessToken: 'access-1', reason: 'linking-failed' }]);
    expect(consents.get('c-1')?.status).toBe('pending');
  });

  it('removes the item at the bank when the consent changed before activation could commit', async () => {
    const { deps, removed } = await world({ consents: [pending()] });
    const changed = new ConsentChanged('revoked meanwhile');
    const failing = { ...deps, store: { ...deps.store, commitConsentTransition: async () => Promise.reject(changed) } };

    await expect(completeLinking(complete(), failing)).rejects.toBe(changed);
    expect(removed).toEqual([{ accessToken: 'access-1', reason: 'linking-failed' }]);
  });

  it('reports the first failure, and logs a removal that failed unless the item is already gone', async () => {
    const failure = new BankUnavailable('bank down');
    const outcomes: { thrown: unknown; logged: string[] }[] = [];
    for (const removal of [new BankUnavailable('still down'), new BankAccessRevoked('already removed')]) {
      const { deps } = await world({ consents: [pending()], bank: { getAccounts: async () => Promise.reject(failure), removeItem: async () => Promise.reject(removal) } });
      const { log, errors } = recordingLog();
      const thrown = await completeLinking(complete(), { ...deps, log }).catch((error: unknown) => error);
      outcomes.push({ thrown, logged: errors.map((e) => `${e.message}: ${(e.detail as { error: string }).error}`) });
    }

    expect(outcomes).toEqual([
      { thrown: failure, logged: ['Could not remove an unconsented item at the bank: BankUnavailable'] },
      { thrown: failure, logged: [] },
    ]);
  });

  it('never completes someone else’s consent: answered as not found, and audited', async () => {
    const { deps, consents, audit } = await world({ consents: [{ ...pending(), psid: OTHER }] });

    await expect(completeLinking(complete(), deps)).rejects.toBeInstanceOf(NotFound);
    expect(consents.get('c-1')?.status).toBe('pending');
    expect(audit).toMatchObject([{ action: 'access-refused', psid: PSID, details: { attemptedConsentId: 'c-1' } }]);
  });
});

describe('accountLinkReturn: back to Messenger after linking', () => {
  it('adds a code only the same person can redeem, for ten minutes, keeping Messenger’s own parameters', async () => {
    const { deps } = await world();

    const back = new URL(accountLinkReturn({ ...activeConsent(), accountLinkRedirect: MESSENGER_RETURN }, deps)!);

    const code = back.searchParams.get('authorization_code') ?? '';
    expect(back.searchParams.get('account_linking_token')).toBe('alt-1');
    expect(readLinkToken(code, 'account-link', SECRET, later(9 * MINUTE))).toMatchObject({ psid: PSID, consentId: 'c-1' });
    expect(() => readLinkToken(code, 'account-link', SECRET, later(10 * MINUTE))).toThrow(/expired/);
  });

  it('is not used when the person did not come from Messenger’s button', async () => {
    const { deps } = await world();

    expect(accountLinkReturn(activeConsent(), deps)).toBeUndefined();
  });
});

describe('verifyAccountLink: the consent page opened from Messenger’s account_link button', () => {
  const request = (redirectUri = MESSENGER_RETURN) => ({ accountLinkingToken: 'alt-1', redirectUri });
  const messengerSaying = (holder: string, asked: string[] = []) => ({ accountLinkingPsid: async (token: string) => (asked.push(token), holder) });

  it('accepts the account the link was issued to', async () => {
    const { deps, audit } = await world();

    await expect(verifyAccountLink(PSID, request(), { ...deps, messenger: messengerSaying(PSID) })).resolves.toEqual(request());
    expect(audit).toEqual([]);
  });

  it('refuses, and audits under the holder, a link opened by another Messenger account', async () => {
    const { deps, audit } = await world();

    await expect(verifyAccountLink(PSID, request(), { ...deps, messenger: messengerSaying(OTHER) })).rejects.toThrow(/another Messenger account/);
    expect(audit).toMatchObject([{ action: 'access-refused', psid: OTHER, actor: 'person', details: { reason: 'consent link issued to another person' } }]);
  });

  it.each([
    'https://evil.test/messenger_platform/account_linking/',
    'http://www.facebook.com/messenger_platform/account_linking/',
    'https://www.facebook.com.evil.test/messenger_platform/account_linking/',
    'https://www.facebook.com/messenger_platform/account_linking_elsewhere',
  ])('refuses to send the person back anywhere but Messenger (%s), without asking Meta', async (redirectUri) => {
    const { deps } = await world();
    const asked: string[] = [];

    await expect(verifyAccountLink(PSID, request(redirectUri), { ...deps, messenger: messengerSaying(PSID, asked) })).rejects.toBeInstanceOf(LinkRefused);
    expect(asked).toEqual([]);
  });

  it('accepts Messenger’s other hosts', async () => {
    const { deps } = await world();
    const uri = 'https://m.messenger.com/messenger_platform/account_linking?account_linking_token=alt-1';

    await expect(verifyAccountLink(PSID, request(uri), { ...deps, messenger: messengerSaying(PSID) })).resolves.toMatchObject({ redirectUri: uri });
  });
});

describe('confirmAccountLink: the account_linking event with our code', () => {
  const code = (options: { psid?: string; consentId?: string; ttlSeconds?: number } = {}) =>
    issueLinkToken({ purpose: 'account-link', psid: options.psid ?? PSID, consentId: options.consentId ?? 'c-1', ttlSeconds: options.ttlSeconds ?? 600, now: NOW }, SECRET).token;

  it('confirms a valid code for the sender’s own consent', async () => {
    const { deps, audit } = await world({ consents: [activeConsent()] });

    expect(await confirmAccountLink(PSID, code(), deps)).toBe('confirmed');
    expect(audit).toEqual([]);
  });

  it.each([
    ['issued to another person', () => code({ psid: OTHER })],
    ['expired', () => code({ ttlSeconds: -1 })],
    ['made for another purpose', () => linkToken('complete', { consentId: 'c-1' })],
    ['not ours', () => 'v1.forged.code'],
  ])('refuses, and audits, a code %s', async (_case, make) => {
    const { deps, audit } = await world({ consents: [activeConsent()] });

    expect(await confirmAccountLink(PSID, make(), deps)).toBe('refused');
    expect(audit).toMatchObject([{ action: 'access-refused', psid: PSID, details: { reason: 'account linking code refused' } }]);
  });

  it('refuses a code naming a consent the sender does not have, audited once', async () => {
    const { deps, audit } = await world({ consents: [activeConsent('c-1', OTHER)] });

    expect(await confirmAccountLink(PSID, code(), deps)).toBe('refused');
    expect(audit).toMatchObject([{ action: 'access-refused', psid: PSID, details: { attemptedConsentId: 'c-1' } }]);
  });

  it('lets a store failure through, to be retried, rather than refusing', async () => {
    const { deps } = await world({ consents: [activeConsent()] });
    const down = new Error('store unavailable');

    await expect(confirmAccountLink(PSID, code(), { ...deps, store: { ...deps.store, getConsent: async () => Promise.reject(down) } })).rejects.toBe(down);
  });
});

describe('logging in at the bank again', () => {
  const token = () => linkToken('reconnect', { consentId: 'c-1' });

  it('opens the bank’s link in update mode for the item, returning to a reconnected link, once per link', async () => {
    const { reconnect, linkRequests } = await world({ consents: [activeConsent()], financial: { accessToken: async () => 'access-of-item-1' } });
    const used = token();

    expect(await startReconnect(used, reconnect)).toEqual({ redirectTo: BANK_LINK });
    expect(linkRequests[0]).toMatchObject({ accessToken: 'access-of-item-1', userId: bankUserId(PSID, SECRET), clientName: 'Demo Bank' });
    expect(linkRequests[0]?.redirectUri.split('?')[0]).toBe('https://assistant.test/link/reconnected');
    expect(readLinkToken(tokenOf(linkRequests[0]!.redirectUri), 'reconnect', SECRET, NOW)).toMatchObject({ psid: PSID, consentId: 'c-1' });
    await expect(startReconnect(used, reconnect)).rejects.toThrow(/already used/);
  });

  it.each([
    ['ended by the person', () => revokeConsent(activeConsent(), { now: NOW, by: 'person' }).consent, NOW],
    ['past its end date', () => activeConsent(), later(91 * 24 * 60 * MINUTE)],
  ])('refuses for a sharing %s, without using the link or calling the bank', async (_case, make, now) => {
    const { reconnect, usedNonces, linkRequests } = await world({ consents: [make()] });
    const notExpiredToken = issueLinkToken({ purpose: 'reconnect', psid: PSID, consentId: 'c-1', ttlSeconds: 100 * 24 * 3600, now: NOW }, SECRET).token;

    await expect(startReconnect(notExpiredToken, at(reconnect, now))).rejects.toThrow(/has ended/);
    expect({ used: usedNonces.size, bank: linkRequests.length }).toEqual({ used: 0, bank: 0 });
  });

  it('refuses a consent that is not the link holder’s, audited', async () => {
    const { reconnect, audit, linkRequests } = await world({ consents: [activeConsent('c-1', OTHER)] });

    await expect(startReconnect(token(), reconnect)).rejects.toBeInstanceOf(NotFound);
    expect({ audited: audit.map((a) => a.action), bank: linkRequests.length }).toEqual({ audited: ['access-refused'], bank: 0 });
  });

  it('back from the bank, checks the bank answers for the item again and puts it back on the schedule', async () => {
    const asked: string[] = [];
    const { reconnect, rescheduled } = await world({
      consents: [activeConsent()],
      bank: { getAccounts: async (accessToken) => (asked.push(accessToken), []) },
      financial: { accessToken: async () => 'access-of-item-1' },
    });

    const consent = await finishReconnect(token(), reconnect);

    expect({ consentId: consent.consentId, asked, rescheduled }).toEqual({ consentId: 'c-1', asked: ['access-of-item-1'], rescheduled: ['item-1'] });
  });

  it('does not put the item back on the schedule while the bank still wants a login', async () => {
    const { reconnect, rescheduled } = await world({ consents: [activeConsent()], bank: { getAccounts: async () => Promise.reject(new BankLoginRequired('login')) } });

    await expect(finishReconnect(token(), reconnect)).rejects.toBeInstanceOf(BankLoginRequired);
    expect(rescheduled).toEqual([]);
  });

  it('does not put an ended sharing back on the schedule', async () => {
    const { reconnect, rescheduled } = await world({ consents: [revokeConsent(activeConsent(), { now: NOW, by: 'person' }).consent] });

    await expect(finishReconnect(token(), reconnect)).rejects.toThrow(/has ended/);
    expect(rescheduled).toEqual([]);
  });
});

describe('renewOwnConsent', () => {
  /** The disclosure in force for the fakes' recipient. */
  const current = disclosure({ recipient: 'Demo Bank' });

  it('renews a consent given under the disclosure in force for its own duration from now, with an audit entry', async () => {
    const { deps, committed } = await world({ consents: [activeConsent('c-1', PSID, current)] });
    const renewedAt = later(80 * 24 * 60 * MINUTE);

    const renewal = await renewOwnConsent(PSID, 'c-1', at(deps, renewedAt));

    expect(renewal.kind).toBe('renewed');
    expect({ authorizedAt: renewal.consent.authorizedAt, expiresAt: renewal.consent.expiresAt, disclosureHash: renewal.consent.disclosureHash }).toEqual({
      authorizedAt: renewedAt.toISOString(),
      expiresAt: new Date(renewedAt.getTime() + 90 * 24 * 60 * MINUTE).toISOString(),
      disclosureHash: current.hash,
    });
    expect(committed.map((c) => c.transition.audit.action)).toEqual(['renewed']);
  });

  it('renews nothing of a consent given under an older disclosure: a link to the renewal page for this person and consent, for 30 minutes', async () => {
    const old = activeConsent();
    const { deps, committed, consents } = await world({ consents: [old] });

    const renewal = await renewOwnConsent(PSID, 'c-1', deps);

    expect({ committed: committed.length, stored: consents.get('c-1') }).toEqual({ committed: 0, stored: old });
    if (renewal.kind !== 'reconfirm') throw new Error(`expected a link, got ${renewal.kind}`);
    expect([renewal.consent, renewal.url.split('?')[0]]).toEqual([old, 'https://assistant.test/consent/renew']);
    expect(readLinkToken(tokenOf(renewal.url), 'renew', SECRET, later(30 * MINUTE - 1000))).toMatchObject({ purpose: 'renew', psid: PSID, consentId: 'c-1' });
    expect(() => readLinkToken(tokenOf(renewal.url), 'renew', SECRET, later(30 * MINUTE))).toThrow(/expired/);
  });

  it('offers no link for a consent of an older disclosure that has ended: it cannot be renewed', async () => {
    const old = activeConsent();
    const { deps, committed } = await world({ consents: [old] });

    await expect(renewOwnConsent(PSID, 'c-1', at(deps, new Date(old.expiresAt!)))).rejects.toBeInstanceOf(InvalidConsentTransition);
    expect(committed).toEqual([]);
  });

  it('never renews someone else’s consent: answered as not found, audited, nothing committed', async () => {
    const { deps, committed, audit } = await world({ consents: [activeConsent('c-1', OTHER, current)] });

    await expect(renewOwnConsent(PSID, 'c-1', deps)).rejects.toBeInstanceOf(NotFound);
    expect({ committed: committed.length, audit: audit.map((a) => [a.action, a.psid]) }).toEqual({ committed: 0, audit: [['access-refused', PSID]] });
  });
});

describe('reconfirmOwnConsent: the person agreed to the current disclosure on the renewal page', () => {
  const current = disclosure({ recipient: 'Demo Bank' });
  const claims = (consentId = 'c-1') => readLinkToken(linkToken('renew', { consentId }), 'renew', SECRET, NOW);

  it('renews from now under the disclosure shown, recording its version and hash in the consent and in the audit entry', async () => {
    const { deps, committed } = await world({ consents: [activeConsent()] });
    const renewedAt = later(80 * 24 * 60 * MINUTE);

    const consent = await reconfirmOwnConsent(claims(), current.hash, at(deps, renewedAt));

    expect(consent).toMatchObject({ disclosureVersion: current.version, disclosureHash: current.hash, authorizedAt: renewedAt.toISOString(), expiresAt: new Date(renewedAt.getTime() + 90 * 24 * 60 * MINUTE).toISOString() });
    expect(committed.map((c) => c.transition.audit)).toEqual([
      expect.objectContaining({ action: 'renewed', actor: 'person', psid: PSID, disclosureVersion: current.version, details: { reconfirmed: true, disclosureHash: current.hash, previousDisclosureVersion: 'v' } }),
    ]);
  });

  it('uses the link up', async () => {
    const { deps } = await world({ consents: [activeConsent()] });
    const used = claims();

    await reconfirmOwnConsent(used, current.hash, deps);

    await expect(reconfirmOwnConsent(used, current.hash, deps)).rejects.toThrow(/already used/);
  });

  it.each([
    ['another text', 'f'.repeat(64)],
    ['no text at all', undefined],
  ])('renews nothing when the person agreed to %s than the one in force, and leaves the link unused', async (_what, shown) => {
    const { deps, committed, usedNonces } = await world({ consents: [activeConsent()] });

    await expect(reconfirmOwnConsent(claims(), shown, deps)).rejects.toBeInstanceOf(DisclosureChanged);
    expect({ committed: committed.length, used: usedNonces.size }).toEqual({ committed: 0, used: 0 });
  });

  it('refuses a consent that has ended', async () => {
    const old = activeConsent();
    const { deps, committed } = await world({ consents: [old] });

    await expect(reconfirmOwnConsent(claims(), current.hash, at(deps, new Date(old.expiresAt!)))).rejects.toThrow(/has ended/);
    expect(committed).toEqual([]);
  });

  it('never renews someone else’s consent named in a link: answered as not found, audited', async () => {
    const { deps, committed, audit } = await world({ consents: [activeConsent('c-9', OTHER)] });

    await expect(reconfirmOwnConsent(claims('c-9'), current.hash, deps)).rejects.toBeInstanceOf(NotFound);
    expect({ committed: committed.length, audit: audit.map((a) => [a.action, a.psid]) }).toEqual({ committed: 0, audit: [['access-refused', PSID]] });
  });
});

describe('changeOwnScopes', () => {
  it('changes what is shared, recording what was shared before', async () => {
    const { deps, consents, committed } = await world({ consents: [activeConsent()] });

    const consent = await changeOwnScopes(PSID, 'c-1', ['balances', 'alerts', 'balances'], deps);

    expect(consent.scopes).toEqual(['alerts', 'balances']);
    expect(consents.get('c-1')?.scopes).toEqual(['alerts', 'balances']);
    expect(committed.map((c) => c.transition.audit)).toMatchObject([{ action: 'scopes-changed', details: { previousScopes: ['balances', 'transactions'] } }]);
  });

  it.each([
    ['nothing', []],
    ['an unknown scope', ['balances', 'everything']],
  ])('refuses %s and keeps what is shared', async (_case, scopes) => {
    const { deps, consents, committed } = await world({ consents: [activeConsent()] });

    await expect(changeOwnScopes(PSID, 'c-1', scopes, deps)).rejects.toThrow(InvalidInput);
    expect({ scopes: consents.get('c-1')?.scopes, committed: committed.length }).toEqual({ scopes: ['balances', 'transactions'], committed: 0 });
  });

  it('never changes someone else’s consent', async () => {
    const { deps, consents, audit } = await world({ consents: [activeConsent('c-1', OTHER)] });

    await expect(changeOwnScopes(PSID, 'c-1', ['balances'], deps)).rejects.toBeInstanceOf(NotFound);
    expect({ scopes: consents.get('c-1')?.scopes, audited: audit.map((a) => a.action) }).toEqual({ scopes: ['balances', 'transactions'], audited: ['access-refused'] });
  });
});

describe('ownConsent', () => {
  it('returns the person’s own consent, unaudited', async () => {
    const { deps, audit } = await world({ consents: [activeConsent()] });

    expect((await ownConsent(PSID, 'c-1', deps)).consentId).toBe('c-1');
    expect(audit).toEqual([]);
  });

  it('answers someone else’s consent id like a missing one, and audits the attempt', async () => {
    const { deps, audit } = await world({ consents: [activeConsent('c-9', OTHER)] });

    await expect(ownConsent(PSID, 'c-9', deps)).rejects.toBeInstanceOf(NotFound);
    expect(audit).toEqual([{ action: 'access-refused', psid: PSID, at: NOW.toISOString(), actor: 'person', details: { attemptedConsentId: 'c-9' } }]);
  });

  it('does not look up an id that cannot be one, and audits at most 64 characters of it', async () => {
    const lookedUp: string[] = [];
    const { deps, audit } = await world({ consents: [activeConsent()] });
    const watched = { ...deps, store: { ...deps.store, getConsent: async (psid: string, consentId: string) => (lookedUp.push(consentId), deps.store.getConsent(psid, consentId)) } };
    const long = 'c'.repeat(65);

    for (const id of ['c-1#USER', long, '', undefined]) await expect(ownConsent(PSID, id, watched)).rejects.toBeInstanceOf(NotFound);

    expect(lookedUp).toEqual([]);
    expect(audit.map((a) => a.details?.attemptedConsentId)).toEqual(['c-1#USER', 'c'.repeat(64), '', '']);
  });
});

