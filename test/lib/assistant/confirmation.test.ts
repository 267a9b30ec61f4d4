import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeReply, type ComposeDeps } from '../../../lib/assistant/compose';
import { Payloads } from '../../../lib/messenger/payloads';
import type { Consent } from '../../../lib/consent/model/consent';
import type { InboundEvent } from '../../../lib/messenger/events';
import type { OutboundMessage } from '../../../lib/messenger/send-api';

/**
 * Nothing the chat changes (alert settings, sharing, a handover, an alert's answer) happens on
 * words alone: it is restated, and applied only after the person's yes to exactly that change.
 */
const SENDER = '6543210987654321';
const NOW = new Date('2026-03-10T12:00:00.000Z');
const ALERT_ID = 'a1b2c3d4e5f6a7b8c9d0';
type SenderEvent = InboundEvent & { psid: string };
const base = { pageId: '106123456789012', psid: SENDER, timestamp: NOW.getTime(), channel: 'messaging' as const };
const text = (words: string): SenderEvent => ({ ...base, id: `m_${words.length}`, kind: 'message', message: { mid: 'm_text', text: words } });
const quickReply = (payload: string): SenderEvent => ({ ...base, id: 'm_qr', kind: 'message', message: { mid: 'm_qr', text: 'Yes', quick_reply: { payload } } });
const postback = (payload: string): SenderEvent => ({ ...base, id: 'm_pb', kind: 'postback', postback: { mid: 'm_pb', title: 'Button', payload } });

const consent: Consent = {
  consentId: 'c1',
  psid: SENDER,
  status: 'active',
  scopes: ['balances', 'transactions', 'alerts'],
  durationDays: 90,
  disclosureVersion: '2026-11-21.1',
  disclosureHash: 'h',
  version: 2,
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  itemId: 'item-c1',
  institution: { id: 'ins-1', name: 'First Platypus Bank' },
  authorizedAt: '2026-03-01T10:00:00.000Z',
  expiresAt: '2026-05-01T10:00:00.000Z',
};

/** Fakes that record every change the conversation makes. */
function world(options: { openAlert?: boolean } = {}) {
  let now = NOW;
  const changes: string[] = [];
  let settings: Record<string, unknown> | undefined;
  // Greeted before: the bot line of a first reply is compose.test.ts's concern.
  let conversation: Record<string, unknown> | undefined = { greeted: true };
  let openAlert = options.openAlert ?? false;
  const deps: ComposeDeps = {
    listConsents: async () => [consent],
    revoke: async (_psid, consentId) => {
      changes.push(`revoke ${consentId}`);
      return { ...consent, status: 'revoked', endedBy: 'person', endedAt: now.toISOString(), version: 3 };
    },
    renew: async () => {
      changes.push('renew');
      return { kind: 'renewed', consent };
    },
    holdings: async () => ({ consents: [consent], inForce: [{ consent, accounts: 1, transactions: 1 }], auditEntries: 1 }),
    confirmAccountLink: async () => {
      changes.push('link');
      return 'confirmed';
    },
    answerAlert: async (_psid, alertId, answer) => {
      if (!openAlert || alertId !== ALERT_ID) return 'unknown';
      openAlert = false;
      changes.push(`alert ${answer}`);
      return 'recorded';
    },
    latestOpenAlert: async () => (openAlert ? ALERT_ID : undefined),
    bankFraudSteps: { cardLockUrl: 'https://bank.example.org/lock', fraudPhone: '+1 800 555 0100' },
    link: (psid, purpose) => `https://consent.example.org/${purpose}?t=${psid}`,
    reconnectLink: (psid) => `https://consent.example.org/reconnect?t=${psid}`,
    clock: () => now,
    financial: { balances: async () => [], transactions: async () => [], accountNames: async () => [], syncedAt: async () => NOW.toISOString(), recurringStreams: async () => ({ streams: [] }) },
    conversation: { get: async () => conversation, put: async (_psid, state) => void (conversation = state) },
    alertSettings: {
      get: async () => settings,
      put: async (_psid, value) => {
        changes.push(`settings ${JSON.stringify(value)}`);
        settings = value;
      },
    },
    handover: async () => void changes.push('handover'),
    typing: async () => undefined,
    settings: { locales: { en: 'en-US', es: 'es-US' }, timeZone: 'UTC', defaultLanguage: 'en', freshnessMinutes: 60, currency: 'USD', homeCountry: 'US', brand: 'Demo Bank' },
  };
  /** One turn, with what runs after it is sent (a handover) run too, as the handler does. */
  const send = async (event: SenderEvent) => {
    const reply = await composeReply(event, deps);
    const after = reply.afterSent ? await reply.afterSent() : [];
    return [...reply.messages, ...after];
  };
  return {
    deps,
    send,
    changes,
    settings: () => settings,
    pending: () => conversation?.pending,
    forget: () => void (conversation = undefined),
    later: (minutes: number) => void (now = new Date(now.getTime() + minutes * 60_000)),
  };
}

const textOf = (m: OutboundMessage) => ('text' in m ? m.text : m.attachment.payload.text);
const quickOf = (m: OutboundMessage) => ('quick_replies' in m ? (m.quick_replies ?? []).map((q) => [q.title, q.payload]) : []);

describe('an alert change waits for the person’s yes', () => {
  it('restates turning fraud alerts off with its effect, and changes nothing yet', async () => {
    const w = world();
    const [message, ...rest] = await w.send(text('turn off fraud alerts'));
    expect(rest).toEqual([]);
    expect(textOf(message!)).toBe('Turn fraud alerts off? You won’t be told about suspicious payments.');
    expect(quickOf(message!)).toEqual([
      ['Yes', 'CONFIRM:fraud:off'],
      ['No', 'CANCEL_CHANGE'],
    ]);
    expect(w.changes).toEqual([]);
  });

  it.each(['yes', 'sí', 'yeah', 'dale', 'ok'])('applies it after a typed %j', async (yes) => {
    const w = world();
    await w.send(text('turn off fraud alerts'));
    const [done] = await w.send(text(yes));
    expect(textOf(done!)).toMatch(/^(Fraud alerts are off|Las alertas de fraude están desactivadas)/);
    expect(w.changes).toEqual(['settings {"fraudAlerts":false,"largeTransactionThreshold":500,"lowBalanceThreshold":null}']);
  });

  it('applies it after the Yes quick reply naming that change', async () => {
    const w = world();
    await w.send(text('alert me if my balance drops below $100'));
    const [done] = await w.send(quickReply('CONFIRM:low:100'));
    expect(textOf(done!)).toBe('Done.\nYour alerts:\n• Fraud alerts: on\n• Large transactions: from $500.00\n• Low balance: below $100.00\n• Money alerts (price rises, new recurring charges, double charges, bills with a low balance): on');
    expect(w.settings()).toEqual({ fraudAlerts: true, largeTransactionThreshold: 500, lowBalanceThreshold: 100 });
  });

  it.each(['no', 'nope', 'cancel'])('changes nothing after %j, and says so', async (no) => {
    const w = world();
    await w.send(text('turn off fraud alerts'));
    const [answer] = await w.send(text(no));
    expect(textOf(answer!)).toBe('OK, nothing changed.');
    expect(w.changes).toEqual([]);
  });

  it('changes nothing after the No quick reply', async () => {
    const w = world();
    await w.send(text('desactiva las alertas de fraude'));
    expect(textOf((await w.send(quickReply(Payloads.cancelChange)))[0]!)).toBe('Vale, no cambié nada.');
    expect(w.changes).toEqual([]);
  });

  it('drops the change when the person writes anything else, says nothing changed, and a later "yes" applies nothing', async () => {
    const w = world();
    await w.send(text('turn off fraud alerts'));
    const messages = await w.send(text('what is the weather in Paris?'));
    expect(textOf(messages[0]!)).toBe('I left that as it was: nothing changed.');
    await w.send(text('yes'));
    expect(w.changes).toEqual([]);
  });

  it('changes nothing when the yes comes after the question has expired', async () => {
    const w = world();
    await w.send(text('turn off fraud alerts'));
    w.later(11);
    await w.send(text('yes'));
    const [expired] = await w.send(quickReply('CONFIRM:fraud:off'));
    expect(textOf(expired!)).toMatch(/^That question is no longer open, so nothing changed/);
    expect(w.changes).toEqual([]);
  });

  it('applies no crafted confirmation that was never asked', async () => {
    const w = world();
    await w.send(quickReply('CONFIRM:fraud:off'));
    await w.send(postback('CONFIRM:handover'));
    expect(w.changes).toEqual([]);
  });

  it('applies no confirmation naming another change than the one shown', async () => {
    const w = world();
    await w.send(text('alert me about charges over $300'));
    const [refused] = await w.send(quickReply('CONFIRM:large:1'));
    expect(textOf(refused!)).toMatch(/^That question is no longer open/);
    expect(w.changes).toEqual([]);
  });

  it.each(['CONFIRM:large:0', 'CONFIRM:large:1000001', 'CONFIRM:low:-5', 'CONFIRM:fraud:maybe', 'CONFIRM:handover:now', 'CONFIRM:large:1e3'])(
    'reads %j as no change at all (outside the settings’ limits or malformed)',
    async (payload) => {
      const w = world();
      await w.send(text('alert me about charges over $300'));
      await w.send(quickReply(payload));
      expect(w.changes).toEqual([]);
    },
  );
});

describe('a number is a threshold only when it reads as money', () => {
  it('does not read a day of the month as an amount', async () => {
    const w = world();
    const messages = await w.send(text('avísame el 15 para pagar la tarjeta'));
    expect(messages.map(textOf).join('\n')).not.toMatch(/\$15/);
    expect(w.pending()).toBeUndefined();
    expect(w.changes).toEqual([]);
  });

  it('offers the global large-purchase alert, as a choice, when asked about one merchant', async () => {
    const w = world();
    const [offer] = await w.send(text('tell me if netflix charges me more than $20'));
    expect(textOf(offer!)).toBe(
      'I can’t set alerts for one merchant (netflix) yet. I can tell you about any large transaction instead.\nAlert you about every transaction of $20.00 or more, from any merchant? (Now: from $500.00.)',
    );
    expect(w.changes).toEqual([]);
  });

  it('reads "dont alert me for purchases under 20" as a floor for purchase alerts, never a low-balance alert', async () => {
    const w = world();
    const [offer] = await w.send(text('dont alert me for purchases under 20'));
    expect(quickOf(offer!)[0]).toEqual(['Yes', 'CONFIRM:large:20']);
    await w.send(text('yes'));
    expect(w.settings()).toEqual({ fraudAlerts: true, largeTransactionThreshold: 20, lowBalanceThreshold: null });
  });
});

describe('"it was me" answers the alert waiting for one', () => {
  it.each(['it was me, stop the fraud alert', 'fui yo', 'yes that was me', "that's mine"])('records %j as "yes, it was me", leaving the settings alone', async (words) => {
    const w = world({ openAlert: true });
    await w.send(text(words));
    expect(w.changes).toEqual(['alert yes']);
  });

  it('changes nothing when no alert is waiting, and says so', async () => {
    const w = world();
    const [answer] = await w.send(text('it was me, stop the fraud alert'));
    expect(textOf(answer!)).toMatch(/^Thanks\. I have no alert waiting for your answer/);
    expect(w.changes).toEqual([]);
  });

  it('records "No, it wasn’t me" and gives the bank’s steps', async () => {
    const w = world({ openAlert: true });
    const [answer] = await w.send(text('No, it wasn’t me'));
    expect(textOf(answer!)).toContain('Lock your card now: https://bank.example.org/lock');
    expect(w.changes).toEqual(['alert no']);
  });
});

describe('a person', () => {
  it('is asked for in words: restated, then handed over after the yes', async () => {
    const w = world();
    const [question] = await w.send(text('I want to talk to a real person'));
    expect(textOf(question!)).toBe('Pass this chat to a person at Demo Bank? Until they hand it back, I stay quiet.');
    expect(w.changes).toEqual([]);
    await w.send(text('yes'));
    expect(w.changes).toEqual(['handover']);
  });

  it('is asked for by tapping "Talk to a person": the tap is the yes', async () => {
    const w = world();
    await w.send(postback(Payloads.talkToPerson));
    expect(w.changes).toEqual(['handover']);
  });
});

// ── the property: no message, alone, changes anything ───────────────────────────────────────────

const fragments = [
  'turn off', 'turn on', 'alerts', 'alert me', 'fraud', 'stop', 'stop sharing', 'it was me', 'fui yo', 'not me', 'no fui yo',
  'netflix', 'starbucks', 'amazon', '$20', '20', '15', 'el 15', 'the 15th', '2026', '20 bucks', 'usd 500', '20.50', 'under', 'over',
  'below', 'more than', 'menos de', 'más de', 'desactiva', 'apaga', 'activa', 'avísame', 'alertas de fraude', 'saldo bajo',
  'low balance', 'large purchases', 'compras grandes', 'yes', 'sí', 'dale', 'ok', 'no', 'cancel', 'human', 'person', 'agente',
  'hablar con una persona', 'unlink', 'revoke', 'dejar de compartir', 'transactions', 'balances', 'my card', 'mi tarjeta',
  'lost', 'perdí', 'send', 'pay', 'yeah', 'please', 'lol', '!!', '?', 'stop the fraud alert',
];
const message = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 8 }).map((words) => words.join(' ')),
  fc.tuple(fc.array(fc.constantFrom(...fragments), { maxLength: 4 }), fc.string({ maxLength: 10 }), fc.array(fc.constantFrom(...fragments), { maxLength: 4 })).map(([a, b, c]) => [...a, b, ...c].join(' ')),
);

describe('no single message changes a setting, a consent, a handover or an alert answer (property)', () => {
  it('from a conversation with nothing waiting for a yes, any one message changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(message, async (words) => {
        fc.pre(words.trim().length > 0);
        const w = world({ openAlert: false });
        await w.send(text(words));
        expect(w.changes).toEqual([]);
      }),
      { numRuns: 600 },
    );
  });
});
