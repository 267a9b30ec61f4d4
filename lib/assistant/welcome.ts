import type { OutboundMessage } from '../messenger/send-api';
import { Payloads as Payload } from './payloads';
import type { Language } from './nlu/understand';

const welcome: Record<Language, { text: string; linkMyBank: string; howMyDataIsUsed: string; help: string }> = {
  en: {
    text:
      "Hi! I'm your bank's assistant in Messenger. Once you link your bank account — only with your " +
      'permission, and you can stop sharing at any time — I can tell you your balances and spending ' +
      'and alert you to unusual payments. Your financial data is never used for ads, sold or shared.',
    linkMyBank: 'Link my bank',
    howMyDataIsUsed: 'How my data is used',
    help: 'Help',
  },
  es: {
    text:
      '¡Hola! Soy el asistente de tu banco en Messenger. Cuando vincules tu cuenta bancaria (solo con tu ' +
      'permiso, y puedes dejar de compartir cuando quieras), puedo decirte tus saldos y gastos ' +
      'y avisarte de pagos inusuales. Tus datos financieros nunca se usan para publicidad, ni se venden ni se comparten.',
    linkMyBank: 'Vincular mi banco',
    howMyDataIsUsed: 'Uso de mis datos',
    help: 'Ayuda',
  },
};

/**
 * The placeholder answer to every message until the assistant lands: who we are, what the
 * person can do, and the promise about their data, with the natural next steps as quick replies.
 */
export function welcomeMessage(lang: Language = 'en'): OutboundMessage {
  const t = welcome[lang];
  return {
    text: t.text,
    quick_replies: [
      { content_type: 'text', title: t.linkMyBank, payload: Payload.linkBank },
      { content_type: 'text', title: t.howMyDataIsUsed, payload: Payload.dataPolicy },
      { content_type: 'text', title: t.help, payload: Payload.help },
    ],
  };
}
