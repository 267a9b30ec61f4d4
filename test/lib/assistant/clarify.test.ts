import { describe, expect, it } from 'vitest';
import { clarifyMessage, readings } from '../../../lib/assistant/clarify';
import { intentOfPayload, Payloads } from '../../../lib/assistant/intents';

describe('"did you mean…?"', () => {
  it('offers the two readings as quick replies carrying their slots, and a way out', () => {
    const message = clarifyMessage(
      [
        { intent: 'spending', slots: { merchant: 'rappi', period: 'last-month' } },
        { intent: 'search', slots: { merchant: 'rappi', period: 'last-month' } },
      ],
      'es',
    );

    expect(message).toEqual({
      text: 'Quiero entenderte bien. ¿Te refieres a:',
      quick_replies: [
        { content_type: 'text', title: 'Cuánto gasté', payload: 'MEANT:spending:{"merchant":"rappi","period":"last-month"}' },
        { content_type: 'text', title: 'Buscar movimientos', payload: 'MEANT:search:{"merchant":"rappi","period":"last-month"}' },
        { content_type: 'text', title: 'Otra cosa', payload: Payloads.help },
      ],
    });
  });

  it('turns each quick reply back into the question it stands for', () => {
    const message = clarifyMessage([{ intent: 'largest', slots: { count: 3, period: 'this-year' } }, { intent: 'transactions', slots: { count: 3 } }], 'en');

    const [first, second] = 'quick_replies' in message ? message.quick_replies! : [];
    expect(intentOfPayload(first!.payload)).toEqual({ kind: 'ask', understanding: { intent: 'largest', slots: { count: 3, period: 'this-year' }, lang: undefined }, by: 'button' });
    expect(intentOfPayload(second!.payload)).toEqual({ kind: 'ask', understanding: { intent: 'transactions', slots: { count: 3 }, lang: undefined }, by: 'button' });
  });

  it('offers only the meaningful reading when the other is "something else", once', () => {
    const message = clarifyMessage([{ intent: 'balance', slots: {} }, { intent: 'fallback', slots: {} }], 'en');

    expect('quick_replies' in message && message.quick_replies!.map((q) => q.title)).toEqual(['My balance', 'Something else']);
  });

  it('names every reading within Messenger’s 20 characters, in both languages, so no title is cut', () => {
    for (const { en, es } of Object.values(readings)) {
      expect(en.length).toBeLessThanOrEqual(20);
      expect(es.length).toBeLessThanOrEqual(20);
    }
  });
});
