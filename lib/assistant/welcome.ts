import type { OutboundMessage } from '../messenger/send-api';
import { Payloads as Payload } from './intents';


/**
 * The placeholder answer to every message until the assistant lands: who we are, what the
 * person can do, and the promise about their data, with the natural next steps as quick replies.
 */
export function welcomeMessage(): OutboundMessage {
  return {
    text:
      "Hi! I'm your bank's assistant in Messenger. Once you link your bank account — only with your " +
      'permission, and you can stop sharing at any time — I can tell you your balances and spending ' +
      'and alert you to unusual payments. Your financial data is never used for ads, sold or shared.',
    quick_replies: [
      { content_type: 'text', title: 'Link my bank', payload: Payload.linkBank },
      { content_type: 'text', title: 'How my data is used', payload: Payload.dataPolicy },
      { content_type: 'text', title: 'Help', payload: Payload.help },
    ],
  };
}
