import { createHash } from 'node:crypto';
import type { Consent } from '../consent/model/consent';
import type { Presenter } from '../consent/private-answers';
import type { AlertInbox, FinancialGate } from '../store';
import type { Log } from '../logger';
import type { CountMetric } from '../metrics';
import type { DeliveryOutcome } from '../messenger/deliver';
import { isWindowOpen } from '../messenger/notify';
import type { OutboundMessage, UtilityMessage } from '../messenger/send-api';
import type { Language } from '../text/language';
import { privateWords } from '../text/private';
import { alertMessage, AlertPayloads, alertUtilityMessage, type AlertLanguage, type AlertTemplates } from './messages';
import type { Alert } from './rules';

/**
 * Raising an alert, within Messenger's policy: inside the person's 24-hour window it is sent now
 * (UPDATE); outside it, as a utility message when the deployment configured a template for it,
 * otherwise it is held and delivered with the person's next message — never with the retired
 * message tags. One alert per (transaction, rule),
 * ever: the alert record is written first, conditionally.
 */

export const alertIdOf = (dedupeKey: string) => createHash('sha256').update(dedupeKey).digest('hex').slice(0, 20);

export interface RaiseDeps {
  financial: Pick<FinancialGate, 'recordAlert' | 'holdAlert'>;
  profile(psid: string): Promise<{ lastInboundAt?: number } | undefined>;
  /**
   * The language the person speaks with the assistant, undefined when not known. Read only for an
   * alert about to be sent (never on a sync that raises nothing).
   */
  language(psid: string): Promise<Language | undefined>;
  /**
   * The language when the person's is not known, the locale each language writes money in, and
   * the time zone times of day are shown in (the assistant's).
   */
  languages: { default: Language; locales: Record<Language, string>; timeZone: string };
  notify(psid: string, key: string, messages: OutboundMessage[]): Promise<DeliveryOutcome>;
  /** Outside the window: a utility template, when the deployment configured one for this kind. */
  templates: AlertTemplates;
  notifyUtility(psid: string, key: string, message: UtilityMessage): Promise<DeliveryOutcome>;
  /** Private mode: the person's choice, and the alert kept for the private page. Absent: in the chat. */
  presenter?: Pick<Presenter, 'presentation' | 'privately'>;
  clock: () => Date;
  log: Log;
  /** Business metrics: alerts sent and held. */
  count?: CountMetric;
}

export type RaiseOutcome = 'sent' | 'held' | 'duplicate' | 'undeliverable';

/** Raises the alerts of one transaction (or one balance) as one message; rules already raised are left out. */
export async function raiseAlert(consent: Consent, alerts: Alert[], deps: RaiseDeps): Promise<RaiseOutcome> {
  const fresh: Alert[] = [];
  for (const alert of alerts) {
    const recorded = await deps.financial.recordAlert(consent, {
      alertId: alertIdOf(alert.dedupeKey),
      dedupeKey: alert.dedupeKey,
      rule: alert.rule,
      kind: alert.kind,
      at: deps.clock().toISOString(),
    });
    if (recorded === 'new') fresh.push(alert);
  }
  if (fresh.length === 0) return 'duplicate';
  const alertId = alertIdOf(fresh[0]!.dedupeKey);
  const [profile, language, mode] = await Promise.all([
    deps.profile(consent.psid),
    alertLanguage(consent.psid, deps),
    deps.presenter ? deps.presenter.presentation(consent.psid) : ('messenger' as const),
  ]);
  const message = alertMessage(fresh, alertId, language);
  const presenter = mode === 'private' ? deps.presenter : undefined;
  if (isWindowOpen(profile, deps.clock())) {
    const shown = presenter ? await presenter.privately(consent.psid, message, { kind: privateKindOf(message), lang: language.lang, alertId }) : message;
    const outcome = await deps.notify(consent.psid, `alert:${alertId}`, [shown]);
    if (outcome !== 'undeliverable') return sent(outcome);
  }
  // Private, outside the window: the notice template says only that an alert is waiting (a
  // template's text has no page button), and the alert itself is held for the person's next
  // message, when it goes out in its private form (deliverHeldAlerts).
  const utility = presenter ? privateUtilityMessage(message, deps.templates, language.lang) : alertUtilityMessage(fresh, alertId, deps.templates, language);
  if (utility) {
    const outcome = await deps.notifyUtility(consent.psid, `alert-utility:${alertId}`, utility);
    if (outcome !== 'undeliverable' && !presenter) return sent(outcome);
  }
  await deps.financial.holdAlert(consent, { alertId, message });
  deps.count?.('AlertsHeld');
  deps.log.info('Alert held until the person writes', { alertId, rules: fresh.map((a) => a.rule) });
  return 'held';

  function sent(outcome: DeliveryOutcome): 'sent' {
    // 'already-sent': a retried sync found this alert delivered by the first run; count it once.
    if (outcome === 'sent') deps.count?.('AlertsSent');
    return 'sent';
  }
}

/** A "Was this you?" alert has its two answers as quick replies; anything else is a notice. */
const privateKindOf = (message: OutboundMessage) => (message.quick_replies?.some((q) => q.payload.startsWith(AlertPayloads.itWasMe(''))) ? 'alert-fraud' : 'alert-notice');

function privateUtilityMessage(message: OutboundMessage, templates: AlertTemplates, lang: Language): UtilityMessage | undefined {
  if (!templates.notice) return undefined;
  const w = privateWords[lang];
  const text = `${w.ready[privateKindOf(message)]} ${w.writeToSee}`;
  return { template: { name: templates.notice.name, language: { code: templates.notice.language }, components: [{ type: 'body', parameters: [{ type: 'text', text }] }] } };
}

async function alertLanguage(psid: string, deps: RaiseDeps): Promise<AlertLanguage> {
  let lang: Language | undefined;
  try {
    lang = await deps.language(psid);
  } catch (error) {
    // The alert is recorded already (a retry would find it raised): better in the default language than lost.
    deps.log.warn('Alert language not read; the default is used', { error: (error as Error).name });
  }
  lang ??= deps.languages.default;
  return { lang, locale: deps.languages.locales[lang], timeZone: deps.languages.timeZone };
}

export type HeldAlert = Awaited<ReturnType<AlertInbox['held']>>[number];

export interface HeldAlertDeps {
  inbox: Pick<AlertInbox, 'held' | 'dropHeld'>;
  notify(psid: string, key: string, messages: OutboundMessage[]): Promise<DeliveryOutcome>;
  /** Private mode: the held alert as the person's mode wants it, made at delivery (its page link lives minutes). */
  present?: (psid: string, message: OutboundMessage, alertId: string) => Promise<OutboundMessage>;
  log: Log;
  /** Business metrics: held alerts sent. */
  count?: CountMetric;
}

/**
 * Starts reading the alerts held for the person, for deliverHeldAlerts to send after the reply to
 * the message that opened their window. Reading as the turn starts (beside its activity record)
 * rather than once the reply is sent widens one race without changing its outcome: an alert that a
 * sync holds after the read (it saw the window still closed) stays held until the person's next
 * message. That could already happen to an alert held just after the old, later read; the moment
 * is now earlier by the length of the turn. A sync that reads the activity once it is recorded
 * sends its alert at once instead. Nothing is lost or sent twice: each held alert is dropped only
 * after its own send, which is keyed by the alert.
 */
export function readHeldAlerts(psid: string, deps: Pick<HeldAlertDeps, 'inbox'>): Promise<HeldAlert[]> {
  const read = deps.inbox.held(psid);
  // Unused when the turn is not answered: no unhandled rejection. Used, it fails the delivery with its own error.
  read.catch(() => undefined);
  return read;
}

/** A held alert in the person's mode: as held, or (private) the ready line and the page, in their language. */
export async function presentHeld(
  psid: string,
  message: OutboundMessage,
  alertId: string,
  deps: { presenter: Pick<Presenter, 'presentation' | 'privately'>; language(psid: string): Promise<Language> },
): Promise<OutboundMessage> {
  if ((await deps.presenter.presentation(psid)) !== 'private') return message;
  return deps.presenter.privately(psid, message, { kind: privateKindOf(message), lang: await deps.language(psid), alertId });
}

/** With the person's next message: every held alert, once, oldest first (read now, or already being read). */
export async function deliverHeldAlerts(psid: string, deps: HeldAlertDeps, held: Promise<HeldAlert[]> = readHeldAlerts(psid, deps)): Promise<number> {
  let delivered = 0;
  for (const alert of await held) {
    const message = alert.message as OutboundMessage;
    const outcome = await deps.notify(psid, `alert-held:${alert.alertId}`, [deps.present ? await deps.present(psid, message, alert.alertId) : message]);
    await deps.inbox.dropHeld(psid, alert.sk);
    if (outcome === 'sent') delivered++;
  }
  deps.count?.('AlertsSent', delivered);
  if (delivered) deps.log.info('Held alerts delivered', { delivered });
  return delivered;
}
