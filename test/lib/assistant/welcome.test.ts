import { describe, expect, it } from 'vitest';
import { sayingItIsABot, welcomeMessage } from '../../../lib/assistant/welcome';
import { Payloads } from '../../../lib/messenger/payloads';

describe('welcome', () => {
  it('is in English by default', () => {
    expect(welcomeMessage()).toEqual(welcomeMessage('en'));
  });

  it('has the same quick replies and payloads in Spanish as in English, in other words', () => {
    const [en, es] = [welcomeMessage('en'), welcomeMessage('es')];
    const payloads = (m: typeof en) => m.quick_replies?.map((q) => q.payload);
    expect(payloads(es)).toEqual(payloads(en));
    expect('text' in es && es.text).not.toBe('text' in en && en.text);
  });

  it('says it is a bot, what it does and the promise about data, in Spanish', () => {
    expect(welcomeMessage('es')).toEqual({
      text:
        '¡Hola! Soy un asistente automático; escribe "agente" para hablar con una persona.\n' +
        'Cuando vincules tu cuenta bancaria (solo con tu permiso, ' +
        'y puedes dejar de compartir cuando quieras), puedo decirte tus saldos y gastos y avisarte de pagos inusuales. ' +
        'Tus datos financieros nunca se usan para publicidad, ni se venden ni se comparten.',
      quick_replies: [
        { content_type: 'text', title: 'Vincular mi banco', payload: Payloads.linkBank },
        { content_type: 'text', title: 'Uso de mis datos', payload: Payloads.dataPolicy },
        { content_type: 'text', title: 'Ayuda', payload: Payloads.help },
      ],
    });
  });

});

describe('sayingItIsABot', () => {
  it('starts a new person’s first answer with the bot line, in their language', () => {
    const [first] = sayingItIsABot([{ text: 'Tu saldo: $10.00' }], 'es');
    expect(first).toEqual({ text: 'Soy un asistente automático; escribe "agente" para hablar con una persona.\nTu saldo: $10.00' });
  });

  it('adds nothing to the welcome, which already says it', () => {
    expect(sayingItIsABot([welcomeMessage('en')], 'en')).toEqual([welcomeMessage('en')]);
  });

  it('sends the line on its own when it would not fit in the first message, cutting nothing', () => {
    const long = { text: 'x'.repeat(1990) };
    expect(sayingItIsABot([long], 'en')).toEqual([{ text: 'I\'m an automated assistant — say "agent" any time to talk to a person.' }, long]);
  });
});
