import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intentOf, intentOfPayload, Payloads, type Intent } from '../../../lib/assistant/intents';
import type { InboundEvent } from '../../../lib/messenger/events';

const base = { pageId: '106123456789012', psid: '6543210987654321', timestamp: 1712345678901, channel: 'messaging' as const };

const postback = (payload: string): InboundEvent => ({ ...base, id: 'm_pb', kind: 'postback', postback: { mid: 'm_pb', title: 'Button', payload } });
const quickReply = (payload: string, text = 'Button title'): InboundEvent => ({ ...base, id: 'm_qr', kind: 'message', message: { mid: 'm_qr', text, quick_reply: { payload } } });
const text = (words: string): InboundEvent => ({ ...base, id: 'm_text', kind: 'message', message: { mid: 'm_text', text: words } });

const WELCOME: Intent = { kind: 'welcome' };
/** What an intent asks, whether it acts (welcome, confirm-revoke…) or stands for words (help, balance…). */
const asked = (intent: Intent | undefined) => (intent?.kind === 'ask' ? intent.understanding.intent : intent?.kind);
const HELP = 'help';

describe('intentOfPayload', () => {
  it.each<[string, Intent]>([
    ['GET_STARTED', { kind: 'welcome' }],
    ['KEEP_SHARING', { kind: 'keep-sharing' }],
    ['REVOKE:c-0f3a9b7e_42', { kind: 'confirm-revoke', consentId: 'c-0f3a9b7e_42' }],
    ['RENEW:c-0f3a9b7e_42', { kind: 'renew', consentId: 'c-0f3a9b7e_42' }],
    ['RECONNECT:c-0f3a9b7e_42', { kind: 'reconnect', consentId: 'c-0f3a9b7e_42' }],
  ])('maps %s to an action', (payload, intent) => {
    expect(intentOfPayload(payload)).toEqual(intent);
  });

  it.each<[string, string, Record<string, unknown>]>([
    ['LINK_BANK', 'link-bank', {}],
    ['DATA_POLICY', 'data-policy', {}],
    ['HELP', 'help', {}],
    ['MANAGE_SHARING', 'what-shared', {}],
    ['STOP_SHARING', 'stop-sharing', {}],
    ['BALANCE', 'balance', {}],
    ['SPENDING_THIS_MONTH', 'spending', { period: 'this-month' }],
    ['FOLLOW_LAST_MONTH', 'follow-up', { period: 'last-month' }],
    ['MORE_TRANSACTIONS', 'follow-up', { count: 10 }],
    ['FRAUD_ALERTS_OFF', 'alerts-fraud', { enabled: false }],
    ['LOW_BALANCE_OFF', 'alerts-low-balance', { enabled: false }],
    ['TALK_TO_PERSON', 'human', {}],
  ])('reads %s as the words it stands for', (payload, intent, slots) => {
    expect(intentOfPayload(payload)).toEqual({ kind: 'ask', understanding: { intent, slots, lang: undefined }, by: 'button' });
  });

  it('does not take an inherited property name for a payload', () => {
    expect(intentOfPayload('constructor')).toBeUndefined();
    expect(intentOfPayload('__proto__')).toBeUndefined();
  });

  it('reads back the consent id Payloads.revoke put in', () => {
    expect(intentOfPayload(Payloads.revoke('01J9Z8Y7X6W5V4T3S2R1Q0P9N8'))).toEqual({ kind: 'confirm-revoke', consentId: '01J9Z8Y7X6W5V4T3S2R1Q0P9N8' });
  });

  it('accepts a consent id of 64 characters', () => {
    expect(intentOfPayload(`REVOKE:${'a'.repeat(64)}`)).toEqual({ kind: 'confirm-revoke', consentId: 'a'.repeat(64) });
  });

  it.each([
    ['an empty id', 'REVOKE:'],
    ['a path', 'REVOKE:../x'],
    ['an id of 65 characters', `REVOKE:${'a'.repeat(65)}`],
    ['an id with a space', 'REVOKE:abc def'],
    ['a second id', 'REVOKE:abc:def'],
    ['a trailing newline', 'REVOKE:abc\n'],
    ['lower case', 'revoke:abc'],
    ['a leading space', ' REVOKE:abc'],
    ['an unknown payload', 'DELETE_EVERYTHING'],
    ['a known payload with a suffix', 'STOP_SHARING_NOW'],
    ['nothing', ''],
    ['RENEW: with an empty id', 'RENEW:'],
    ['RENEW: with a path', 'RENEW:../x'],
    ['RENEW: with an id of 65 characters', `RENEW:${'a'.repeat(65)}`],
  ])('does not understand %s', (_name, payload) => {
    expect(intentOfPayload(payload)).toBeUndefined();
  });

  it('turns a payload into a revocation only in the strict REVOKE:<id> form (property)', () => {
    const idChars = fc.constantFrom(...'abcXYZ019_-./: \n%é');
    const payloads = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc.string({ unit: 'binary', maxLength: 80 }).map((rest) => `REVOKE:${rest}`),
      fc.string({ unit: idChars, maxLength: 70 }).map((rest) => `REVOKE:${rest}`),
    );
    fc.assert(
      fc.property(payloads, (payload) => {
        expect(intentOfPayload(payload)?.kind === 'confirm-revoke').toBe(/^REVOKE:[A-Za-z0-9_-]{1,64}$/.test(payload));
      }),
      { numRuns: 2000 },
    );
  });

  it('turns a payload into a renewal only in the strict RENEW:<id> form (property)', () => {
    const idChars = fc.constantFrom(...'abcXYZ019_-./: \n%é');
    const payloads = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc.string({ unit: idChars, maxLength: 70 }).map((rest) => `RENEW:${rest}`),
    );
    fc.assert(
      fc.property(payloads, (payload) => {
        expect(intentOfPayload(payload)?.kind === 'renew').toBe(/^RENEW:[A-Za-z0-9_-]{1,64}$/.test(payload));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('a "did you mean" reading (MEANT payload)', () => {
  it('reads back the intent and slots Payloads.meant put in, as if the words had been understood', () => {
    const intent = intentOfPayload(Payloads.meant('spending', { period: 'last-month', merchant: 'netflix' }));
    expect(intent).toEqual({ kind: 'ask', understanding: { intent: 'spending', slots: { period: 'last-month', merchant: 'netflix' }, lang: undefined }, by: 'button' });
  });

  it.each([
    ['an unknown intent', 'MEANT:transfer-money:{}'],
    ['slots that are not JSON', 'MEANT:balance:{period'],
    ['a slot of the wrong type', 'MEANT:search:{"minAmount":"all"}'],
    ['a category that does not exist', 'MEANT:spending:{"category":"everything"}'],
    ['no slots at all', 'MEANT:balance'],
    ['slots that are not an object', 'MEANT:balance:[1]'],
  ])('answers %s like an unknown payload', (_, payload) => {
    expect(intentOfPayload(payload)).toBeUndefined();
    expect(asked(intentOf(quickReply(payload)))).toBe(HELP);
  });

  it('keeps only the slots it knows', () => {
    const intent = intentOfPayload('MEANT:balance:{"accountType":"savings","psid":"someone-else"}');
    expect(intent?.kind === 'ask' && intent.understanding.slots).toEqual({ accountType: 'savings' });
  });
});

describe('intentOf', () => {
  it('reads the payload of a postback', () => {
    expect(asked(intentOf(postback('STOP_SHARING')))).toBe('stop-sharing');
  });

  it('reads the payload of a quick reply before its text', () => {
    expect(intentOf(quickReply('REVOKE:c-1', 'Link my bank'))).toEqual({ kind: 'confirm-revoke', consentId: 'c-1' });
  });

  it.each(['REVOKE:', 'REVOKE:../x', `REVOKE:${'a'.repeat(65)}`, 'RENEW:', 'RENEW:../x', 'NOT_A_PAYLOAD'])('answers a postback with the malformed payload %j with help', (payload) => {
    expect(asked(intentOf(postback(payload)))).toBe(HELP);
  });

  it('answers a quick reply with an unknown payload with help, even when its text would mean something', () => {
    expect(asked(intentOf(quickReply('NOT_A_PAYLOAD', 'stop sharing')))).toBe(HELP);
  });

  it.each<[string, string]>([
    ['Stop sharing!', 'stop-sharing'],
    ['STOP SHARING', 'stop-sharing'],
    ['please unlink my account', 'stop-sharing'],
    ['dejar de compartir', 'stop-sharing'],
    ['Quiero DESVINCULAR mi banco.', 'stop-sharing'],
    ['Link my bank', 'link-bank'],
    ['connect my account', 'link-bank'],
    ['vincular mi banco', 'link-bank'],
    ['Vincular Mi Cuenta', 'link-bank'],
    ['What do you do with my data?', 'data-policy'],
    ['¿qué hacéis con mis datos?', 'data-policy'],
    ['¿QUÉ HACÉIS CON MIS DATOS?', 'data-policy'],
    ['Privacidad', 'data-policy'],
    ['What am I sharing?', 'what-shared'],
    ['¿Qué comparto?', 'what-shared'],
    ['help', 'help'],
    ['Ayuda', 'help'],
    ['Menú', 'help'],
    ['hello', 'greeting'],
    ['hola', 'greeting'],
    ["what's my balance?", 'balance'],
    ['thanks 👍', 'thanks'],
    ['what is the capital of France', 'fallback'],
  ])('understands %j', (words, kind) => {
    expect(asked(intentOf(text(words)))).toBe(kind);
  });

  it.each(['', '   '])('welcomes an empty message %j', (words) => {
    expect(intentOf(text(words))).toEqual(WELCOME);
  });

  it('answers a message with only an attachment as such', () => {
    const event: InboundEvent = { ...base, id: 'm_img', kind: 'message', message: { mid: 'm_img', attachments: [{ type: 'image', payload: { url: 'https://example.org/x.png' } }] } };

    expect(intentOf(event)).toEqual({ kind: 'attachment' });
  });

  it('never reads a revocation from words, only from a payload', () => {
    expect(intentOf(text('REVOKE:c-1')).kind).toBe('ask');
  });
});
