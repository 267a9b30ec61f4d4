import type { OutboundMessage } from '../messenger/send-api';
import { Payloads as Payload } from './payloads';
import type { Language } from './nlu/understand';

/**
 * Said first to someone new, in one line: this is a bot, and how to reach a person (Meta asks every
 * bot to say so; California and Germany require it). "agent" and "agente" are words the assistant
 * reads as asking for a person.
 */
const botLine: Record<Language, string> = {
  en: 'I\'m an automated assistant — say "agent" any time to talk to a person.',
  es: 'Soy un asistente automático; escribe "agente" para hablar con una persona.',
};

const welcome: Record<Language, { text: string; linkMyBank: string; howMyDataIsUsed: string; help: string }> = {
  en: {
    text:
      `Hi! ${botLine.en}\n` +
      'Once you link your bank account — only with your ' +
      'permission, and you can stop sharing at any time — I can tell you your balances and spending ' +
      'and alert you to unusual payments. Your financial data is never used for ads, sold or shared.',
    linkMyBank: 'Link my bank',
    howMyDataIsUsed: 'How my data is used',
    help: 'Help',
  },
  es: {
    text:
      `¡Hola! ${botLine.es}\n` +
      'Cuando vincules tu cuenta bancaria (solo con tu ' +
      'permiso, y puedes dejar de compartir cuando quieras), puedo decirte tus saldos y gastos ' +
      'y avisarte de pagos inusuales. Tus datos financieros nunca se usan para publicidad, ni se venden ni se comparten.',
    linkMyBank: 'Vincular mi banco',
    howMyDataIsUsed: 'Uso de mis datos',
    help: 'Ayuda',
  },
};

/**
 * The answer to someone who has not linked a bank: that this is a bot, who we are, what the person
 * can do, and the promise about their data, with the natural next steps as quick replies.
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

/** Messenger's limits on a text message and on a button template's text. */
const MAX_TEXT = 2000;
const MAX_BUTTON_TEXT = 640;

/**
 * The first reply to someone new says it is a bot before anything else: the welcome already does;
 * any other answer starts with the line, or, when the line would not fit in its first message, gets
 * it as a message of its own ahead of it. Nothing of the answer is cut for it.
 */
export function sayingItIsABot(messages: OutboundMessage[], lang: Language): OutboundMessage[] {
  const line = botLine[lang];
  const textOf = (m: OutboundMessage) => ('text' in m ? m.text : m.attachment.payload.text);
  const [first, ...rest] = messages;
  if (!first || messages.some((m) => textOf(m).includes(line))) return messages;
  const text = `${line}\n${textOf(first)}`;
  if ('text' in first && text.length <= MAX_TEXT) return [{ ...first, text }, ...rest];
  if ('attachment' in first && text.length <= MAX_BUTTON_TEXT) return [{ ...first, attachment: { ...first.attachment, payload: { ...first.attachment.payload, text } } }, ...rest];
  return [{ text: line }, ...messages];
}
