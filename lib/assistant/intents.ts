import type { InboundEvent } from '../messenger/events';

/**
 * What the person asked for, from a button payload or their words. Payloads are data the person
 * controls: they are parsed strictly here and never decide whose data is touched (that is always
 * the sender). Words are matched in English and Spanish; the full assistant replaces this with
 * table-driven understanding.
 */
export type Intent =
  | { kind: 'welcome' }
  | { kind: 'help' }
  | { kind: 'link-bank' }
  | { kind: 'data-policy' }
  | { kind: 'my-data' }
  | { kind: 'manage-sharing' }
  | { kind: 'stop-sharing' }
  | { kind: 'confirm-revoke'; consentId: string }
  | { kind: 'renew'; consentId: string }
  | { kind: 'keep-sharing' }
  | { kind: 'account-linked'; authorizationCode: string }
  | { kind: 'account-unlinked' }
  | { kind: 'fraud-answer'; alertId: string; answer: 'yes' | 'no' };

export const Payloads = {
  getStarted: 'GET_STARTED',
  linkBank: 'LINK_BANK',
  dataPolicy: 'DATA_POLICY',
  myData: 'MY_DATA',
  help: 'HELP',
  manageSharing: 'MANAGE_SHARING',
  stopSharing: 'STOP_SHARING',
  keepSharing: 'KEEP_SHARING',
  revoke: (consentId: string) => `REVOKE:${consentId}`,
  renew: (consentId: string) => `RENEW:${consentId}`,
} as const;

const fixed: Record<string, Intent> = {
  [Payloads.getStarted]: { kind: 'welcome' },
  [Payloads.linkBank]: { kind: 'link-bank' },
  [Payloads.dataPolicy]: { kind: 'data-policy' },
  [Payloads.myData]: { kind: 'my-data' },
  [Payloads.help]: { kind: 'help' },
  [Payloads.manageSharing]: { kind: 'manage-sharing' },
  [Payloads.stopSharing]: { kind: 'stop-sharing' },
  [Payloads.keepSharing]: { kind: 'keep-sharing' },
};

export function intentOfPayload(payload: string): Intent | undefined {
  if (fixed[payload]) return fixed[payload];
  const fraud = /^FRAUD_(YES|NO):([a-f0-9]{20})$/.exec(payload);
  if (fraud) return { kind: 'fraud-answer', alertId: fraud[2]!, answer: fraud[1] === 'YES' ? 'yes' : 'no' };
  const withId = /^(REVOKE|RENEW):([\w-]{1,64})$/.exec(payload);
  if (!withId) return undefined;
  return withId[1] === 'REVOKE' ? { kind: 'confirm-revoke', consentId: withId[2]! } : { kind: 'renew', consentId: withId[2]! };
}

const normalise = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const patterns: [RegExp, Intent][] = [
  [/\b(stop shar\w*|unlink|disconnect|revoke|dejar de compartir|desvincular|desconectar|revocar)\b/, { kind: 'stop-sharing' }],
  [/\b(link|connect|add) (my )?(bank|account)|\b(vincular|conectar) (mi )?(banco|cuenta)/, { kind: 'link-bank' }],
  [/\b(what (do you|you) (hold|have|keep|store|know) (about|on|of) me|export|download my data|copy of my data|exportar|descargar mis datos|que (datos )?(tienes|guardas|sabes) (de|sobre) mi)\b/, { kind: 'my-data' }],
  [/\b(what (do you|you) do with|my data|privacy|mis datos|privacidad)\b/, { kind: 'data-policy' }],
  [/\b(what (am i|i am) sharing|manage|sharing settings|que comparto|gestionar)\b/, { kind: 'manage-sharing' }],
  [/^(help|ayuda|menu)$/, { kind: 'help' }],
];

export function intentOf(event: InboundEvent): Intent {
  if (event.kind === 'account_linking') {
    return event.account_linking.status === 'linked'
      ? { kind: 'account-linked', authorizationCode: event.account_linking.authorization_code }
      : { kind: 'account-unlinked' };
  }
  if (event.kind === 'postback') return intentOfPayload(event.postback.payload) ?? { kind: 'welcome' };
  if (event.kind === 'message') {
    const payload = event.message.quick_reply?.payload;
    if (payload) return intentOfPayload(payload) ?? { kind: 'welcome' };
    const text = normalise(event.message.text ?? '');
    for (const [pattern, intent] of patterns) if (pattern.test(text)) return intent;
  }
  return { kind: 'welcome' };
}
