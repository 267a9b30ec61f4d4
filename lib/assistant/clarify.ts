import type { OutboundMessage } from '../messenger/send-api';
import type { IntentName } from './nlu/intent-names';
import type { Language, Meaning } from './nlu/understand';
import { Payloads } from './payloads';
import { qr } from './replies';

/**
 * "Did you mean…?": asked instead of guessing when the classifier finds two readings of a message
 * about as likely. Each reading is a quick reply carrying the slots already read, so one tap
 * answers the question; a reading that changes something is restated for a yes like any other.
 */
export const readings: Record<IntentName, { en: string; es: string }> = {
  greeting: { en: 'Just saying hi', es: 'Solo saludar' },
  help: { en: 'What you can do', es: 'Qué puedes hacer' },
  thanks: { en: 'Just thanks', es: 'Solo gracias' },
  yes: { en: 'Yes', es: 'Sí' },
  no: { en: 'No', es: 'No' },
  balance: { en: 'My balance', es: 'Mi saldo' },
  transactions: { en: 'Recent transactions', es: 'Movimientos' },
  spending: { en: 'How much I spent', es: 'Cuánto gasté' },
  search: { en: 'Find transactions', es: 'Buscar movimientos' },
  largest: { en: 'Biggest purchases', es: 'Compras más grandes' },
  'alerts-show': { en: 'My alerts', es: 'Mis alertas' },
  'alerts-fraud': { en: 'Fraud alerts', es: 'Alertas de fraude' },
  'alerts-low-balance': { en: 'Low balance alert', es: 'Alerta saldo bajo' },
  'alerts-large': { en: 'Large purchase alert', es: 'Alerta compra grande' },
  'what-shared': { en: 'What I share', es: 'Qué comparto' },
  'change-scopes': { en: 'Change what I share', es: 'Cambiar permisos' },
  'stop-sharing': { en: 'Stop sharing', es: 'Dejar de compartir' },
  'data-policy': { en: 'How my data is used', es: 'Uso de mis datos' },
  'my-data': { en: 'My data', es: 'Mis datos' },
  export: { en: 'Download my data', es: 'Descargar mis datos' },
  human: { en: 'Talk to a person', es: 'Hablar con alguien' },
  'link-bank': { en: 'Link a bank', es: 'Vincular un banco' },
  'follow-up': { en: 'Same, for that', es: 'Lo mismo, para eso' },
  'card-emergency': { en: 'Card problem', es: 'Problema con tarjeta' },
  'bank-only': { en: 'Pay or move money', es: 'Pagar o mover dinero' },
  'it-was-me': { en: 'It was me', es: 'Fui yo' },
  'not-me': { en: "It wasn't me", es: 'No fui yo' },
  fallback: { en: 'Something else', es: 'Otra cosa' },
};

export function clarifyMessage(unsure: readonly Meaning[], lang: Language): OutboundMessage {
  return {
    text: lang === 'en' ? 'I want to get this right. Did you mean:' : 'Quiero entenderte bien. ¿Te refieres a:',
    quick_replies: [
      ...unsure.filter(({ intent }) => intent !== 'fallback').map(({ intent, slots }) => qr(readings[intent][lang], Payloads.meant(intent, slots))),
      qr(lang === 'en' ? 'Something else' : 'Otra cosa', Payloads.help),
    ],
  };
}
