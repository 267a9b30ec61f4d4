import { Payloads } from '../messenger/payloads';
import { qr, type OutboundMessage } from '../messenger/send-api';
import { chatWords } from '../text/chat';
import type { Language } from '../text/language';
import { intentNames, type IntentName } from './nlu/intent-names';
import type { Meaning } from './nlu/understand';

/**
 * "Did you mean…?": asked instead of guessing when the classifier finds two readings of a message
 * about as likely. Each reading is a quick reply carrying the slots already read, so one tap
 * answers the question; a reading that changes something is restated for a yes like any other.
 * Each intent's name in both languages (the training corpus also learns them as examples).
 */
export const readings = Object.fromEntries(
  intentNames.map((intent) => [intent, { en: chatWords.en.clarify.readings[intent], es: chatWords.es.clarify.readings[intent] }]),
) as Record<IntentName, Record<Language, string>>;

export function clarifyMessage(unsure: readonly Meaning[], lang: Language): OutboundMessage {
  const t = chatWords[lang];
  return {
    text: t.clarify.question,
    quick_replies: [
      ...unsure.filter(({ intent }) => intent !== 'fallback').map(({ intent, slots }) => qr(t.clarify.readings[intent], Payloads.meant(intent, slots))),
      qr(t.titles.somethingElse, Payloads.help),
    ],
  };
}
