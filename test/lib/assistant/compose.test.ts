import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeRefreshed, composeReply as composeFull, type ComposeDeps } from '../../../lib/assistant/compose';
import { Payloads } from '../../../lib/assistant/intents';
import { isInForce, type Consent } from '../../../lib/consent/model/consent';
import { NotFound } from '../../../lib/errors';
import type { InboundEvent } from '../../../lib/messenger/events';
import { createSendApi, type OutboundMessage } from '../../../lib/messenger/send-api';
import { sayingItIsABot } from '../../../lib/assistant/welcome';
import { settle, unhandledDuring } from '../../support/async';

const SENDER = '6543210987654321';
const SOMEONE_ELSE = '1234567890123456';
const NOW = new Date('2026-03-10T12:00:00.000Z');
const DAY_MS = 86_400_000;

type SenderEvent = InboundEvent & { psid: string };
const base = { pageId: '106123456789012', psid: SENDER, timestamp: NOW.getTime(), channel: 'messaging' as const };
const postback = (payload: string): SenderEvent => ({ ...base, id: 'm_pb', kind: 'postback', postback: { mid: 'm_pb', title: 'Button', payload } });
const quickReply = (payload: string): SenderEvent => ({ ...base, id: 'm_qr', kind: 'message', message: { mid: 'm_qr', text: 'title', quick_reply: { payload } } });
const text = (words: string): SenderEvent => ({ ...base, id: 'm_text', kind: 'message', message: { mid: 'm_text', text: words } });

/** The disclosure version of consents given before the words changed (the fakes' renew asks them to re-read). */
const OLDER_DISCLOSURE = '2026-01-01.1';

function consent(consentId: string, overrides: Partial<Consent> & { bank?: string } = {}): Consent {
  const { bank, ...rest } = overrides;
  return {
    consentId,
    psid: SENDER,
    status: 'active',
    scopes: ['balances', 'transactions'],
    durationDays: 90,
    disclosureVersion: '2026-11-21.1',
    disclosureHash: 'h',
    version: 2,
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    itemId: `item-${consentId}`,
    institution: { id: `ins-${consentId}`, name: bank ?? `Bank ${consentId}` },
    authorizedAt: '2026-03-01T10:00:00.000Z',
    expiresAt: new Date(NOW.getTime() + 30 * DAY_MS).toISOString(),
    ...rest,
  };
}

/** The messages of a reply (what the Send API is asked to send). */
const composeReply = async (event: SenderEvent, deps: ComposeDeps) => (await composeFull(event, deps)).messages;

/**
 * Consents of several people; the fakes answer for whoever they are asked about, as the store would.
 * Each person was greeted before (told the assistant is a bot), unless `newPerson`.
 */
function fakeDeps(consents: Consent[], options: { newPerson?: boolean } = {}) {
  const revocations: { psid: string; consentId: string }[] = [];
  const conversations = new Map<string, Record<string, unknown>>();
  const greeted = (state: Record<string, unknown> | undefined) => (options.newPerson ? state : { greeted: true, ...state });
  const renewals: { psid: string; consentId: string }[] = [];
  const own = (psid: string, consentId: string) => {
    const found = consents.find((c) => c.psid === psid && c.consentId === consentId);
    if (!found) throw new NotFound('No such consent');
    return found;
  };
  const deps: ComposeDeps = {
    async listConsents(psid) {
      return consents.filter((c) => c.psid === psid);
    },
    async confirmAccountLink() {
      return 'confirmed' as const;
    },
    async answerAlert() {
      return 'recorded' as const;
    },
    latestOpenAlert: async () => undefined,
    bankFraudSteps: {},
    async holdings(psid) {
      const mine = consents.filter((c) => c.psid === psid);
      return { consents: mine, inForce: mine.filter((c) => isInForce(c, NOW)).map((consent) => ({ consent, accounts: 3, transactions: 120 })), auditEntries: mine.length * 2 };
    },
    async revoke(psid, consentId) {
      revocations.push({ psid, consentId });
      const found = own(psid, consentId);
      return { ...found, status: 'revoked', endedBy: 'person', endedAt: NOW.toISOString(), version: found.version + 1 };
    },
    async renew(psid, consentId) {
      renewals.push({ psid, consentId });
      const found = own(psid, consentId);
      // A consent given under an older disclosure is not renewed: a link to read the current one.
      if (found.disclosureVersion === OLDER_DISCLOSURE) return { kind: 'reconfirm' as const, consent: found, url: `https://consent.example.org/consent/renew?t=token-for-${psid}-${consentId}` };
      const expiresAt = new Date(NOW.getTime() + found.durationDays * DAY_MS).toISOString();
      return { kind: 'renewed' as const, consent: { ...found, authorizedAt: NOW.toISOString(), expiresAt, version: found.version + 1 } };
    },
    link: (psid, purpose) => `https://consent.example.org/${purpose}?t=token-for-${psid}`,
    reconnectLink: (psid, consentId) => `https://consent.example.org/link/reconnect?t=token-for-${psid}-${consentId}`,
    clock: () => NOW,
    financial: {
      balances: async () => [],
      transactions: async () => [],
      accountNames: async () => [],
      syncedAt: async () => NOW.toISOString(),
      recurringStreams: async () => ({ streams: [] }),
    },
    conversation: {
      get: async (psid) => greeted(conversations.get(psid)),
      put: async (psid, state) => void conversations.set(psid, state),
    },
    alertSettings: { get: async () => undefined, put: async () => undefined },
    handover: async () => undefined,
    typing: async () => undefined,
    settings: { locales: { en: 'en-US', es: 'es-US' }, timeZone: 'UTC', defaultLanguage: 'en', freshnessMinutes: 60, currency: 'USD', homeCountry: 'US', brand: 'Demo Bank' },
  };
  return { deps, revocations, renewals };
}

const only = (messages: OutboundMessage[]) => {
  expect(messages).toHaveLength(1);
  return messages[0]!;
};
const buttonsOf = (message: OutboundMessage) => ('attachment' in message ? message.attachment.payload.buttons : []);
const textOf = (message: OutboundMessage) => ('text' in message ? message.text : message.attachment.payload.text);

describe('saying it is a bot', () => {
  const BOT = { en: 'I\'m an automated assistant — say "agent" any time to talk to a person.', es: 'Soy un asistente automático; escribe "agente" para hablar con una persona.' };

  it('says so first, and how to reach a person, in the first reply to someone new, whatever they wrote', async () => {
    const { deps } = fakeDeps([], { newPerson: true });

    const messages = await composeReply(text("what's my balance?"), deps);

    expect(messages).toHaveLength(1);
    expect(textOf(messages[0]!).startsWith(`${BOT.en}\nTo answer that I need to read your bank data`)).toBe(true);
  });

  it('says it in the person’s language', async () => {
    const { deps } = fakeDeps([consent('c-1')], { newPerson: true });

    const [first] = await composeReply(text('no quiero que sigas viendo mi cuenta'), deps);

    expect(textOf(first!).startsWith(`${BOT.es}\n`)).toBe(true);
  });

  it('gives the line a message of its own when the answer has no room left for it, rather than cut the answer', () => {
    const full: OutboundMessage = { text: 'x'.repeat(1990), quick_replies: [] };

    expect(sayingItIsABot([full], 'en')).toEqual([{ text: BOT.en }, full]);
  });

  it('lets the welcome say it, once, at its start', async () => {
    const { deps } = fakeDeps([], { newPerson: true });

    const message = only(await composeReply(postback(Payloads.getStarted), deps));

    expect(textOf(message).startsWith(`Hi! ${BOT.en}\n`)).toBe(true);
  });

  it('says it only once', async () => {
    const { deps } = fakeDeps([], { newPerson: true });
    await composeReply(text('hi'), deps);

    const messages = await composeReply(text("what's my balance?"), deps);

    expect(messages.map(textOf)).toEqual([expect.stringMatching(/^To answer that I need to read your bank data/)]);
  });

  it.each([
    ['agent', 'Pass this chat to a person at Demo Bank? Until they hand it back, I stay quiet.'],
    ['agente', '¿Te paso con una persona de Demo Bank? Hasta que me devuelva el chat, no intervengo.'],
  ])('understands the word it names: "%s" asks for a person', async (word, question) => {
    const { deps } = fakeDeps([consent('c-1')]);
    if (word === 'agente') await deps.conversation.put(SENDER, { lang: 'es' });

    expect(textOf(only(await composeReply(text(word), deps)))).toBe(question);
  });
});

describe('link-bank', () => {
  it('answers with a button opening the consent link made for the sender', async () => {
    const { deps } = fakeDeps([]);

    const message = only(await composeReply(postback(Payloads.linkBank), deps));

    expect(buttonsOf(message)).toEqual([
      { type: 'account_link', url: deps.link(SENDER, 'consent') },
      expect.objectContaining({ type: 'web_url', url: deps.link(SENDER, 'consent') }),
    ]);
  });

  it('offers only the web link when the consent page is not on HTTPS (Messenger account linking needs it)', async () => {
    const { deps } = fakeDeps([]);
    const local = { ...deps, link: (psid: string, purpose: string) => `http://localhost:3000/${purpose}?t=${psid}` };

    const message = only(await composeReply(postback(Payloads.linkBank), local));

    expect(buttonsOf(message)).toEqual([expect.objectContaining({ type: 'web_url', url: local.link(SENDER, 'consent') })]);
  });

  it('is understood from words too', async () => {
    const { deps } = fakeDeps([]);

    const message = only(await composeReply(text('Link my bank'), deps));

    expect(buttonsOf(message).map((b) => ('url' in b ? b.url : undefined))).toEqual([deps.link(SENDER, 'consent'), deps.link(SENDER, 'consent')]);
  });
});

describe('stop-sharing', () => {
  it('offers to stop the one consent in force, and a way to keep it', async () => {
    const { deps } = fakeDeps([consent('c-1', { bank: 'First Platypus Bank' })]);

    const message = only(await composeReply(postback(Payloads.stopSharing), deps));

    expect([textOf(message), message.quick_replies]).toEqual([
      expect.stringContaining('First Platypus Bank'),
      [
        { content_type: 'text', title: 'Yes, stop sharing', payload: 'REVOKE:c-1' },
        { content_type: 'text', title: 'No, keep it', payload: Payloads.keepSharing },
      ],
    ]);
  });

  it('offers only the consents in force, one quick reply each', async () => {
    const { deps } = fakeDeps([
      consent('c-live-1', { bank: 'Tartan Bank' }),
      consent('c-past-end', { bank: 'Old Bank', expiresAt: new Date(NOW.getTime() - 1).toISOString() }),
      consent('c-revoked', { bank: 'Gone Bank', status: 'revoked' }),
      consent('c-pending', { bank: 'Half Bank', status: 'pending', expiresAt: undefined }),
      consent('c-live-2', { bank: 'Platypus' }),
      consent('c-other', { bank: 'Not Yours Bank', psid: SOMEONE_ELSE }),
    ]);

    const message = only(await composeReply(text('stop sharing'), deps));

    expect(message.quick_replies?.map((q) => [q.title, q.payload])).toEqual([
      ['1. Tartan Bank', 'REVOKE:c-live-1'],
      ['2. Platypus', 'REVOKE:c-live-2'],
      ['No, keep it', Payloads.keepSharing],
    ]);
  });

  it('does not offer an active consent that is past its end date', async () => {
    const { deps } = fakeDeps([consent('c-past-end', { expiresAt: NOW.toISOString() })]);

    const message = only(await composeReply(text('stop sharing'), deps));

    expect(message.quick_replies?.some((q) => q.payload.startsWith('REVOKE:'))).toBe(false);
  });

  it('says there is nothing to stop when nothing is in force', async () => {
    const { deps } = fakeDeps([consent('c-revoked', { status: 'revoked' }), consent('c-other', { psid: SOMEONE_ELSE })]);

    const message = only(await composeReply(text('dejar de compartir'), deps));

    expect(textOf(message)).toContain('nada que detener');
  });
});

describe('confirm-revoke', () => {
  it("revokes the payload's consent for the sender", async () => {
    const { deps, revocations } = fakeDeps([consent('c-1', { bank: 'Tartan Bank' })]);

    const message = only(await composeReply(quickReply('REVOKE:c-1'), deps));

    expect([revocations, textOf(message)]).toEqual([[{ psid: SENDER, consentId: 'c-1' }], expect.stringContaining('stopped reading Tartan Bank')]);
  });

  it("asks to revoke as the sender even when the id is someone else's consent", async () => {
    const { deps, revocations } = fakeDeps([consent('c-theirs', { psid: SOMEONE_ELSE })]);

    await composeReply(postback('REVOKE:c-theirs'), deps);

    expect(revocations).toEqual([{ psid: SENDER, consentId: 'c-theirs' }]);
  });

  it("answers that nothing changed when the id is not one of the sender's consents", async () => {
    const { deps } = fakeDeps([consent('c-theirs', { psid: SOMEONE_ELSE })]);

    const message = only(await composeReply(postback('REVOKE:c-theirs'), deps));

    expect(textOf(message)).toContain('Nothing was changed');
  });

  it('revokes nothing for a malformed revoke payload', async () => {
    const { deps, revocations } = fakeDeps([consent('c-1')]);

    await composeReply(postback('REVOKE:../c-1'), deps);

    expect(revocations).toEqual([]);
  });
});

describe('renew', () => {
  it('renews the payload\'s consent for the sender and tells the new end date', async () => {
    const { deps, renewals } = fakeDeps([consent('c-1', { bank: 'Tartan Bank', durationDays: 90 })]);

    const message = only(await composeReply(quickReply(Payloads.renew('c-1')), deps));

    expect([renewals, textOf(message)]).toEqual([[{ psid: SENDER, consentId: 'c-1' }], expect.stringContaining('Tartan Bank until 8 Jun 2026')]);
  });

  it("renews nothing of someone else's and says it cannot be renewed", async () => {
    const { deps, renewals } = fakeDeps([consent('c-theirs', { psid: SOMEONE_ELSE })]);

    const message = only(await composeReply(postback(Payloads.renew('c-theirs')), deps));

    expect([renewals, textOf(message)]).toEqual([[{ psid: SENDER, consentId: 'c-theirs' }], expect.stringContaining('cannot be renewed')]);
  });

  it('asks to read the current disclosure first when the consent was given under an older one, with the link and a way to let it end', async () => {
    const { deps } = fakeDeps([consent('c-1', { bank: 'Tartan Bank', durationDays: 90, disclosureVersion: OLDER_DISCLOSURE })]);

    const message = only(await composeReply(postback(Payloads.renew('c-1')), deps));

    expect([textOf(message), buttonsOf(message)]).toEqual([
      expect.stringMatching(/^Before I renew your sharing of Tartan Bank \(balances, transactions\): .*has changed since you agreed\. Tap "Read and renew" to read it; .* for 90 days from today\. Nothing changes until you do\./),
      [
        { type: 'web_url', title: 'Read and renew', url: `https://consent.example.org/consent/renew?t=token-for-${SENDER}-c-1`, webview_height_ratio: 'tall' },
        { type: 'postback', title: 'Let it end', payload: 'KEEP_SHARING' },
      ],
    ]);
  });
});

describe('reconnect (the "Log in again" postback of a utility message)', () => {
  it('answers with a link made now to log in at the sender’s bank again', async () => {
    const { deps } = fakeDeps([consent('c-1', { bank: 'Tartan Bank' })]);

    const message = only(await composeReply(postback(Payloads.reconnect('c-1')), deps));

    expect([textOf(message), buttonsOf(message)]).toEqual([
      expect.stringMatching(/^Here is your link to log in at Tartan Bank again\. It works for 24 hours\./),
      [
        { type: 'web_url', title: 'Log in again', url: deps.reconnectLink(SENDER, 'c-1'), webview_height_ratio: 'tall' },
        { type: 'postback', title: 'Stop sharing', payload: 'STOP_SHARING' },
      ],
    ]);
  });

  it.each([
    ['someone else’s consent', consent('c-1', { psid: SOMEONE_ELSE })],
    ['a consent that has ended', consent('c-1', { status: 'expired' })],
  ])('makes no link for %s, and says the sharing has ended', async (_what, other) => {
    const { deps } = fakeDeps([other]);

    const message = only(await composeReply(postback(Payloads.reconnect('c-1')), deps));

    expect([textOf(message), buttonsOf(message)]).toEqual([expect.stringContaining('That sharing has ended'), []]);
  });
});

describe('manage-sharing', () => {
  it('answers with a button opening the manage link made for the sender', async () => {
    const { deps } = fakeDeps([consent('c-1')]);

    const message = only(await composeReply(postback(Payloads.manageSharing), deps));

    expect(buttonsOf(message)).toContainEqual(expect.objectContaining({ type: 'web_url', url: deps.link(SENDER, 'manage') }));
  });

  it('lists only the consents in force', async () => {
    const { deps } = fakeDeps([consent('c-1', { bank: 'Tartan Bank' }), consent('c-2', { bank: 'Gone Bank', status: 'revoked' })]);

    const message = only(await composeReply(postback(Payloads.manageSharing), deps));

    expect([textOf(message).includes('Tartan Bank'), textOf(message).includes('Gone Bank')]).toEqual([true, false]);
  });

  it('says nothing is shared when nothing is in force', async () => {
    const { deps } = fakeDeps([]);

    const message = only(await composeReply(postback(Payloads.manageSharing), deps));

    expect(textOf(message)).toContain('not sharing any bank data');
  });
});

describe('other intents', () => {
  it('explains the data policy', async () => {
    const { deps } = fakeDeps([]);

    expect(textOf(only(await composeReply(text('What do you do with my data?'), deps)))).toContain('never sold');
  });

  it('acknowledges keeping the consent without changing anything', async () => {
    const { deps, revocations } = fakeDeps([consent('c-1')]);

    const message = only(await composeReply(quickReply(Payloads.keepSharing), deps));

    expect([textOf(message), revocations]).toEqual(['OK, nothing changed.', []]);
  });

  it('welcomes anything else', async () => {
    const { deps } = fakeDeps([]);

    expect(textOf(only(await composeReply(text('hello'), deps)))).toContain('link your bank account');
  });
});

describe('fraud answers', () => {
  const ALERT_ID = 'a1b2c3d4e5f6a7b8c9d0';
  const inSpanish = async (deps: ComposeDeps) => deps.conversation.put(SENDER, { lang: 'es' });

  it('"No, it wasn’t me" gives the bank’s next steps in the person’s language', async () => {
    const { deps } = fakeDeps([consent('c-1')]);
    await inSpanish(deps);
    deps.bankFraudSteps = { cardLockUrl: 'https://bank.example.org/lock', fraudPhone: '+1 800 555 0100' };

    const message = only(await composeReply(quickReply(`FRAUD_NO:${ALERT_ID}`), deps));

    expect(textOf(message)).toBe(
      'Gracias por avisarme. Anoté que no hiciste este pago.\nBloquea tu tarjeta ahora: https://bank.example.org/lock\n' +
        'Luego llama a la línea de fraude de tu banco, abierta 24/7: +1 800 555 0100.',
    );
    expect(buttonsOf(message)).toEqual([{ type: 'web_url', title: 'Bloquear tarjeta', url: 'https://bank.example.org/lock' }]);
    await expectDeliverable([message]);
  });

  it('"Yes, it was me" is acknowledged in the person’s language', async () => {
    const { deps } = fakeDeps([consent('c-1')]);
    await inSpanish(deps);

    expect(textOf(only(await composeReply(quickReply(`FRAUD_YES:${ALERT_ID}`), deps)))).toBe('Gracias, anotado: no hace falta hacer nada.');
  });

  it('an answer to an alert that is not the person’s is refused in their language', async () => {
    const { deps } = fakeDeps([consent('c-1')]);
    await inSpanish(deps);
    deps.answerAlert = async () => 'unknown';

    expect(textOf(only(await composeReply(quickReply(`FRAUD_NO:${ALERT_ID}`), deps)))).toBe('No encontré esa alerta. Si un pago te parece incorrecto, llama a tu banco.');
  });

  it('answers in the default language when the person’s is not known', async () => {
    const { deps } = fakeDeps([consent('c-1')]);

    const message = only(await composeReply(quickReply(`FRAUD_NO:${ALERT_ID}`), deps));

    expect(textOf(message)).toBe('Thank you for telling me. I have noted that you did not make this payment.\nLock your card now in your bank’s app.\nThen call the fraud number on the back of your card.');
    expect(buttonsOf(message)).toEqual([{ type: 'postback', title: 'Help', payload: 'HELP' }]);
  });
});

describe('reading the consents', () => {
  /** A promise settled from outside, to hold a read in flight while the test looks at what was asked. */
  function deferred<T>() {
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  }

  /** The state read waits for the test; every read of the store is noted in order. */
  function slowState(consents: Consent[]) {
    const { deps } = fakeDeps(consents);
    const asked: string[] = [];
    const state = deferred<Record<string, unknown> | undefined>();
    const { listConsents } = deps;
    deps.conversation = { ...deps.conversation, get: () => (asked.push('state'), state.promise) };
    deps.listConsents = (psid) => (asked.push('consents'), listConsents(psid));
    return { deps, asked, state };
  }

  const asking = [
    { name: 'a balance question', event: text("what's my balance?") },
    { name: 'a spending question', event: text('what did I spend on groceries this month?') },
    { name: 'a greeting', event: text('hi') },
    { name: 'help', event: postback(Payloads.help) },
    { name: 'alert settings', event: postback(Payloads.alertSettings) },
    { name: 'stop sharing', event: text('stop sharing') },
    { name: 'Get Started', event: postback(Payloads.getStarted) },
    { name: 'unlinking in Messenger', event: { ...base, id: 'm_unlink', kind: 'account_linking', account_linking: { status: 'unlinked' } } as SenderEvent },
  ];

  it.each(asking)('asks for the consents alongside the state, before it arrives, for $name', async ({ event }) => {
    const { deps, asked, state } = slowState([consent('c-1')]);

    const replying = composeReply(event, deps);
    await settle();
    const beforeState = [...asked];
    state.resolve(undefined);
    await replying;

    expect(beforeState).toEqual(['state', 'consents']);
  });

  it.each(asking)('reads the consents once in the turn for $name', async ({ event }) => {
    const { deps, asked, state } = slowState([consent('c-1'), consent('c-2', { bank: 'Tartan Bank' })]);
    state.resolve(undefined);

    await composeReply(event, deps);

    expect(asked.filter((a) => a === 'consents')).toHaveLength(1);
  });

  it('answers from the consents read alongside the state', async () => {
    const { deps, state } = slowState([consent('c-1', { bank: 'Tartan Bank' })]);
    state.resolve({ greeted: true });

    const message = only(await composeReply(postback(Payloads.manageSharing), deps));

    expect(textOf(message)).toContain('Tartan Bank');
  });

  it.each([
    { name: 'a revoke button', event: postback('REVOKE:c-1') },
    { name: 'a renew button', event: postback(Payloads.renew('c-1')) },
    { name: 'keep sharing', event: quickReply(Payloads.keepSharing) },
    { name: 'an answer to a fraud alert', event: quickReply('FRAUD_YES:a1b2c3d4e5f6a7b8c9d0') },
    { name: 'a linked account', event: { ...base, id: 'm_link', kind: 'account_linking', account_linking: { status: 'linked', authorization_code: 'code-1' } } as SenderEvent },
    { name: 'thanks', event: text('thanks') },
    { name: 'link my bank', event: postback(Payloads.linkBank) },
    { name: 'a yes with no question pending', event: text('yes') },
  ])('reads no consents for $name', async ({ event }) => {
    const { deps, asked, state } = slowState([consent('c-1')]);
    state.resolve(undefined);

    await composeReply(event, deps);

    expect(asked).toEqual(['state']);
  });

  it('fails the turn with the consents read’s own error, and leaves no unhandled rejection', async () => {
    const { deps, state } = slowState([consent('c-1')]);
    const failure = new Error('ProvisionedThroughputExceededException');
    deps.listConsents = () => Promise.reject(failure);

    const unhandled = await unhandledDuring(async () => {
      const replying = composeReply(text("what's my balance?"), deps);
      await settle(); // the consents read fails while the state is still on its way
      state.resolve(undefined);
      await expect(replying).rejects.toBe(failure);
    });

    expect(unhandled).toEqual([]);
  });

  it('fails the turn with the state read’s error when both reads fail, with no unhandled rejection from the unused consents', async () => {
    const { deps, state } = slowState([consent('c-1')]);
    const stateFailure = new Error('state unavailable');
    const consents = deferred<Consent[]>();
    consents.promise.catch(() => undefined); // the fake's own promise; what is checked is the code's handling of it
    deps.listConsents = () => consents.promise;

    const unhandled = await unhandledDuring(async () => {
      const replying = composeReply(text("what's my balance?"), deps);
      state.reject(stateFailure);
      await expect(replying).rejects.toBe(stateFailure);
      consents.reject(new Error('consents unavailable'));
    });

    expect(unhandled).toEqual([]);
  });
});

describe('answering a promised refresh', () => {
  /** A balance question answered from stale data, its refresh waiting on these connections. */
  const waitingOn = (itemIds: string[], minutesAgo = 1) => ({
    refresh: { intent: 'balance', slots: {}, key: 'm_question', itemIds, at: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString(), lang: 'en' },
  });

  /** The state write waits for the test; every call to the store is noted in order. */
  function slowWrite(state: Record<string, unknown>) {
    const { deps } = fakeDeps([consent('c-1', { itemId: 'item-1' })]);
    const asked: string[] = [];
    let written!: () => void;
    const write = new Promise<void>((resolve) => (written = resolve));
    const { listConsents } = deps;
    deps.conversation = { get: async () => (asked.push('state'), state), put: () => (asked.push('write'), write) };
    deps.listConsents = (psid) => (asked.push('consents'), listConsents(psid));
    return { deps, asked, written };
  }

  it('reads the consents while the state is written, then answers', async () => {
    const { deps, asked, written } = slowWrite(waitingOn(['item-1']));

    const answering = composeRefreshed(SENDER, 'item-1', deps);
    await settle();
    const beforeWritten = [...asked];
    written();
    const answer = await answering;

    expect(beforeWritten).toEqual(['state', 'consents', 'write']);
    expect(asked.filter((a) => a === 'consents')).toHaveLength(1);
    expect(answer?.key).toBe('refresh:m_question');
    expect(textOf(answer!.messages[0]!)).toMatch(/^Updated:/);
  });

  it.each([
    { name: 'another connection is still syncing', state: waitingOn(['item-1', 'item-2']) },
    { name: 'the question was asked too long ago', state: waitingOn(['item-1'], 60) },
  ])('reads no consents and answers nothing when $name', async ({ state }) => {
    const { deps, asked, written } = slowWrite(state);
    written();

    expect(await composeRefreshed(SENDER, 'item-1', deps)).toBeUndefined();
    expect(asked).toEqual(['state', 'write']);
  });
});

// ---- Send API limits ----------------------------------------------------------------------------

/** Messenger's limits, as Meta documents them; returns what a message breaks. */
function limitViolations(message: OutboundMessage): string[] {
  const problems: string[] = [];
  const title = (where: string, value: string) => {
    if (value.length < 1 || value.length > 20) problems.push(`${where} title has ${value.length} characters`);
  };
  if ('text' in message && (message.text.length < 1 || message.text.length > 2000)) problems.push(`text has ${message.text.length} characters`);
  if ('attachment' in message) {
    const { text: body, buttons } = message.attachment.payload;
    if (body.length < 1 || body.length > 640) problems.push(`button template text has ${body.length} characters`);
    if (buttons.length < 1 || buttons.length > 3) problems.push(`${buttons.length} buttons`);
    buttons.forEach((b, i) => 'title' in b && title(`button ${i}`, b.title));
  }
  const replies = message.quick_replies ?? [];
  if (replies.length > 13) problems.push(`${replies.length} quick replies`);
  replies.forEach((q, i) => {
    title(`quick reply ${i}`, q.title);
    if (q.payload.length < 1 || q.payload.length > 1000) problems.push(`quick reply ${i} payload has ${q.payload.length} characters`);
  });
  return problems;
}

/** The production Send API client, whose own limit check runs before anything leaves the process. */
const sendApi = createSendApi(
  { graphApiUrl: 'https://graph.example.org/v25.0', pageAccessToken: 'EAAG-test', maxAttempts: 1 },
  { http: async () => new Response(JSON.stringify({ recipient_id: SENDER, message_id: 'm_out' }), { status: 200 }) },
);

async function expectDeliverable(messages: OutboundMessage[]) {
  expect(messages.flatMap(limitViolations)).toEqual([]);
  for (const message of messages) await sendApi.send({ recipient: { id: SENDER }, messaging_type: 'RESPONSE', message });
}

const INTENT_EVENTS = [
  postback(Payloads.getStarted),
  postback(Payloads.linkBank),
  postback(Payloads.dataPolicy),
  postback(Payloads.help),
  postback(Payloads.manageSharing),
  postback(Payloads.stopSharing),
  postback(Payloads.keepSharing),
  text('hello'),
];

describe('Send API limits', () => {
  const LONG_NAME = 'Banco Cooperativo Internacional de Desarrollo, Crédito y Ahorro del Noroeste y Sur, Sociedad Anónima de Capital Variable';

  it.each(INTENT_EVENTS.map((event) => [event.kind === 'postback' ? event.postback.payload : 'text', event] as const))(
    'keeps the %s answer within the limits with 40 consents with long bank names',
    async (_name, event) => {
      const { deps } = fakeDeps(Array.from({ length: 40 }, (_, i) => consent(`c-${i}`, { bank: `${LONG_NAME} ${i}` })));

      await expectDeliverable(await composeReply(event, deps));
    },
  );

  it('keeps the stop-sharing answer within the limits for one consent with a long bank name', async () => {
    const { deps } = fakeDeps([consent('c-1', { bank: LONG_NAME })]);

    await expectDeliverable(await composeReply(postback(Payloads.stopSharing), deps));
  });

  it.each(['REVOKE:c-1', 'RENEW:c-1', 'REVOKE:c-unknown', 'RENEW:c-unknown'])('keeps the %s answer within the limits with a long bank name', async (payload) => {
    const { deps } = fakeDeps([consent('c-1', { bank: LONG_NAME })]);

    await expectDeliverable(await composeReply(postback(payload), deps));
  });

  it('keeps every answer within the limits for any number of consents and bank names up to 200 characters (property)', async () => {
    const consentsArb = fc.array(fc.string({ minLength: 1, maxLength: 200 }), { maxLength: 30 }).map((names) => names.map((bank, i) => consent(`c-${i}`, { bank })));
    await fc.assert(
      fc.asyncProperty(consentsArb, fc.constantFrom(...INTENT_EVENTS, postback('REVOKE:c-0'), postback('RENEW:c-0')), async (consents, event) => {
        const { deps } = fakeDeps(consents);

        await expectDeliverable(await composeReply(event, deps));
      }),
      { numRuns: 300 },
    );
  });
});
