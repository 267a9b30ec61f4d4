import { Payloads as Payload } from '../messenger/payloads';
import type { OutboundMessage } from '../messenger/send-api';
import { chatWords } from '../text/chat';
import type { Language } from '../text/language';

/**
 * The answer to someone who has not linked a bank: that this is a bot, who we are, what the person
 * can do, and the promise about their data, with the natural next steps as quick replies.
 */
export function welcomeMessage(lang: Language = 'en'): OutboundMessage {
  const t = chatWords[lang];
  return {
    text: t.welcome,
    quick_replies: [
      { content_type: 'text', title: t.titles.linkMyBank, payload: Payload.linkBank },
      { content_type: 'text', title: t.titles.howMyDataIsUsed, payload: Payload.dataPolicy },
      { content_type: 'text', title: t.titles.help, payload: Payload.help },
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
  const line = chatWords[lang].botLine;
  const textOf = (m: OutboundMessage) => ('text' in m ? m.text : m.attachment.payload.text);
  const [first, ...rest] = messages;
  if (!first || messages.some((m) => textOf(m).includes(line))) return messages;
  const text = `${line}\n${textOf(first)}`;
  if ('text' in first && text.length <= MAX_TEXT) return [{ ...first, text }, ...rest];
  if ('attachment' in first && text.length <= MAX_BUTTON_TEXT) return [{ ...first, attachment: { ...first.attachment, payload: { ...first.attachment.payload, text } } }, ...rest];
  return [{ text: line }, ...messages];
}
