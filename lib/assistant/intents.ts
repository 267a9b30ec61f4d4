import type { InboundEvent } from '../messenger/events';
import { intentNames } from './nlu/intent-names';
import { understand, type Slots, type Understanding, type UnderstandContext } from './nlu/understand';
import { Payloads } from '../messenger/payloads';
import { changeSchema, slotsSchema, type Change } from './state';
import { INSIGHT_RULES } from '../alerts/rules';

/**
 * What the person asked for, from a button payload or their words. Payloads are data the person
 * controls: they are parsed strictly here and never decide whose data is touched (that is always
 * the sender). A payload either acts (revoke this consent, answer this alert) or stands for words
 * ("Spending this month"), in which case it becomes the same Understanding that typing them would.
 */
export type Intent =
  | { kind: 'ask'; understanding: Understanding; by: 'words' | 'button' }
  | { kind: 'welcome' }
  | { kind: 'confirm-revoke'; consentId: string }
  | { kind: 'renew'; consentId: string }
  | { kind: 'reconnect'; consentId: string }
  | { kind: 'keep-sharing' }
  | { kind: 'account-linked'; authorizationCode: string }
  | { kind: 'account-unlinked' }
  | { kind: 'fraud-answer'; alertId: string; answer: 'yes' | 'no' }
  | { kind: 'confirm-change'; change: Change }
  | { kind: 'cancel-change' }
  /** A change offered by a button (e.g. "Turn these off" under an alert): restated for a yes, not applied. */
  | { kind: 'propose-change'; change: Change }
  | { kind: 'attachment' };

// Defined below every capability (lib/messenger/payloads.ts); importers of intents.ts keep finding them here.
export { Payloads };

const asked = (intent: Understanding['intent'], slots: Slots = {}): Intent => ({ kind: 'ask', understanding: { intent, slots, lang: undefined }, by: 'button' });

const fixed: Record<string, Intent> = {
  [Payloads.getStarted]: { kind: 'welcome' },
  [Payloads.keepSharing]: { kind: 'keep-sharing' },
  [Payloads.linkBank]: asked('link-bank'),
  [Payloads.dataPolicy]: asked('data-policy'),
  [Payloads.myData]: asked('my-data'),
  [Payloads.help]: asked('help'),
  [Payloads.manageSharing]: asked('what-shared'),
  [Payloads.stopSharing]: asked('stop-sharing'),
  [Payloads.balance]: asked('balance'),
  [Payloads.spendingThisMonth]: asked('spending', { period: 'this-month' }),
  [Payloads.recentTransactions]: asked('transactions'),
  [Payloads.moreTransactions]: asked('follow-up', { count: 10 }),
  [Payloads.followLastMonth]: asked('follow-up', { period: 'last-month' }),
  [Payloads.largest]: asked('largest'),
  [Payloads.subscriptions]: asked('subscriptions'),
  [Payloads.upcomingBills]: asked('bills'),
  [Payloads.alertSettings]: asked('alerts-show'),
  [Payloads.fraudAlertsOn]: asked('alerts-fraud', { enabled: true }),
  [Payloads.fraudAlertsOff]: asked('alerts-fraud', { enabled: false }),
  [Payloads.lowBalanceOff]: asked('alerts-low-balance', { enabled: false }),
  [Payloads.largeAlertsOff]: asked('alerts-large', { enabled: false }),
  [Payloads.talkToPerson]: asked('human'),
  [Payloads.exportData]: asked('export'),
  [Payloads.cancelChange]: { kind: 'cancel-change' },
};

const CONFIRM_PAYLOAD = new RegExp(`^CONFIRM:(fraud|large|low|handover|private|${INSIGHT_RULES.join('|')})(?::(on|off|\\d{1,7}(?:\\.\\d{1,2})?))?$`);
const INSIGHT_PAYLOAD = new RegExp(`^INSIGHT_(OFF|ON):(${INSIGHT_RULES.join('|')})$`);

/** "CONFIRM:large:250" → the change it names, within the settings' own limits; anything else → undefined. */
function changeOfPayload(payload: string): Change | undefined {
  const m = CONFIRM_PAYLOAD.exec(payload);
  if (!m) return undefined;
  const [, kind, value] = m;
  const candidate =
    kind === 'handover'
      ? value === undefined ? { kind } : undefined
      : kind === 'fraud' || kind === 'private' || (INSIGHT_RULES as readonly string[]).includes(kind!)
        ? value === 'on' || value === 'off' ? { kind, on: value === 'on' } : undefined
        : value === 'off' ? { kind, amount: null } : value !== undefined && value !== 'on' ? { kind, amount: Number(value) } : undefined;
  const parsed = changeSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

/** "MEANT:spending:{"period":"this-month"}" → that question, if the intent and every slot validate. */
function meantOfPayload(payload: string): Intent | undefined {
  const m = /^MEANT:([a-z-]{2,24}):(\{.{0,800}\})$/.exec(payload);
  if (!m) return undefined;
  const intent = intentNames.find((name) => name === m[1]);
  let slots: unknown;
  try {
    slots = JSON.parse(m[2]!);
  } catch {
    return undefined;
  }
  const parsed = slotsSchema.safeParse(slots);
  return intent && parsed.success ? asked(intent, parsed.data) : undefined;
}

export function intentOfPayload(payload: string): Intent | undefined {
  if (Object.hasOwn(fixed, payload)) return fixed[payload];
  if (payload.startsWith('MEANT:')) return meantOfPayload(payload);
  const insight = INSIGHT_PAYLOAD.exec(payload);
  if (insight) {
    const change = changeSchema.safeParse({ kind: insight[2], on: insight[1] === 'ON' });
    return change.success ? { kind: 'propose-change', change: change.data } : undefined;
  }
  if (payload.startsWith('CONFIRM:')) {
    const change = changeOfPayload(payload);
    return change ? { kind: 'confirm-change', change } : undefined;
  }
  const fraud = /^FRAUD_(YES|NO):([a-f0-9]{20})$/.exec(payload);
  if (fraud) return { kind: 'fraud-answer', alertId: fraud[2]!, answer: fraud[1] === 'YES' ? 'yes' : 'no' };
  const withId = /^(REVOKE|RENEW|RECONNECT):([\w-]{1,64})$/.exec(payload);
  if (!withId) return undefined;
  const kind = ({ REVOKE: 'confirm-revoke', RENEW: 'renew', RECONNECT: 'reconnect' } as const)[withId[1] as 'REVOKE' | 'RENEW' | 'RECONNECT'];
  return { kind, consentId: withId[2]! };
}

/** A payload we did not make (an old button, a forged request) is answered like "help". */
const unknownPayload = asked('help');

export function intentOf(event: InboundEvent, context: UnderstandContext = {}): Intent {
  if (event.kind === 'account_linking') {
    return event.account_linking.status === 'linked'
      ? { kind: 'account-linked', authorizationCode: event.account_linking.authorization_code }
      : { kind: 'account-unlinked' };
  }
  if (event.kind === 'postback') return intentOfPayload(event.postback.payload) ?? unknownPayload;
  if (event.kind === 'message') {
    const payload = event.message.quick_reply?.payload;
    if (payload) return intentOfPayload(payload) ?? unknownPayload;
    const text = event.message.text?.trim();
    if (text) return { kind: 'ask', understanding: understand(text.slice(0, 1_000), context), by: 'words' };
    if (event.message.attachments?.length) return { kind: 'attachment' };
  }
  return { kind: 'welcome' };
}
