import { buttonTemplate, type OutboundMessage, type UtilityMessage } from '../messenger/send-api';
import { alertWords } from '../text/alerts';
import { dateAndTime, shortDate } from '../text/format';
import type { Language } from '../text/language';
import { insightLines, paidText, reasonText, type AlertLanguage } from './reasons';
import { currencyCode, INSIGHT_RULES, type Alert, type InsightRule } from './rules';

export type { AlertLanguage } from './reasons';

/** Alert payloads: the alert id only; whose alert it is comes from the sender. */
export const AlertPayloads = {
  itWasMe: (alertId: string) => `FRAUD_YES:${alertId}`,
  /** "Turn these off" under a money insight: restated in the chat, applied only after a yes. */
  insightOff: (rule: InsightRule) => `INSIGHT_OFF:${rule}`,
  insightOn: (rule: InsightRule) => `INSIGHT_ON:${rule}`,
  notMe: (alertId: string) => `FRAUD_NO:${alertId}`,
} as const;

/**
 * An alert as the person reads it, in their language. About a transaction: its facts once (amount,
 * merchant, account, time with its zone), then one short line with every rule it tripped ("Why:
 * 9× your usual spend on electronics · first payment at this merchant in 90 days · over your $500
 * alert"). About a balance: its sentence. The words, in each language, are in lib/text/alerts.ts.
 */
function alertLines(alerts: Alert[], f: AlertLanguage): { facts?: string; why: string } {
  const first = alerts[0];
  if (first?.kind === 'insight' && isInsight(first.reason)) {
    const { facts, why } = insightLines(first.reason, f);
    return { facts, why: `${alertWords[f.lang].why} ${why}` };
  }
  if (!first?.transactionId) return { why: alerts.map((a) => reasonText(a.reason, f)).join(' ') };
  const when = first.datetime ? dateAndTime(new Date(first.datetime), f) : shortDate(first.date, f);
  const paid = paidText({ amount: first.amount, currency: currencyCode(first.currency), payee: first.payee }, f);
  const lead = alerts.some((a) => a.kind === 'fraud') ? '⚠️ ' : `${alertWords[f.lang].largeTransaction} `;
  return {
    facts: lead + [paid, first.account, when].filter(Boolean).join(' · '),
    why: `${alertWords[f.lang].why} ${alerts.map((a) => reasonText(a.reason, f)).join(' · ')}`,
  };
}

const isInsight = (reason: Alert['reason']): reason is Parameters<typeof insightLines>[0] => (INSIGHT_RULES as readonly string[]).includes(reason.type);

/**
 * One message per transaction (or balance), however many rules it tripped. A fraud rule among them
 * makes it a "Was this you?".
 */
export function alertMessage(alerts: Alert[], alertId: string, f: AlertLanguage): OutboundMessage {
  const { facts, why } = alertLines(alerts, f);
  const text = [facts, why].filter(Boolean).join('\n');
  if (alerts.some((a) => a.kind === 'fraud')) {
    const w = alertWords[f.lang];
    return {
      text: `${text}\n${w.wasThisYou}`.slice(0, 2000),
      quick_replies: [
        { content_type: 'text', title: w.itWasMe.slice(0, 20), payload: AlertPayloads.itWasMe(alertId) },
        { content_type: 'text', title: w.notMe.slice(0, 20), payload: AlertPayloads.notMe(alertId) },
      ],
    };
  }
  // A money insight can be turned off from the message itself (a figure-free quick reply).
  const insight = alerts.find((a) => a.kind === 'insight' && (INSIGHT_RULES as readonly string[]).includes(a.rule));
  if (insight) return { text: text.slice(0, 2000), quick_replies: [{ content_type: 'text', title: alertWords[f.lang].titles.turnTheseOff.slice(0, 20), payload: AlertPayloads.insightOff(insight.rule as InsightRule) }] };
  return { text: text.slice(0, 2000) };
}

/**
 * Page-owned utility templates for alerts outside the 24-hour window (configured per deployment).
 * A template is approved in one language, its fixed words (the button titles) included; the
 * `{{1}}` text is still written in the person's language. A deployment serving both languages
 * would configure one template per language and pick it by `lang`.
 */
export interface AlertTemplates {
  /** Body `{{1}}` (the alert) and two postback buttons: "Yes, it was me" and "No, it wasn’t me". */
  fraud?: { name: string; language: string } | undefined;
  /** Body `{{1}}` only: large transactions and low balances. */
  notice?: { name: string; language: string } | undefined;
}

/** The utility message for alerts, or undefined when no template fits (the alert is then held). */
export function alertUtilityMessage(alerts: Alert[], alertId: string, templates: AlertTemplates, f: AlertLanguage): UtilityMessage | undefined {
  const fraud = alerts.some((a) => a.kind === 'fraud');
  const template = fraud ? templates.fraud : templates.notice;
  if (!template) return undefined;
  // One line: a template's parameter is text within a sentence the template frames.
  const { facts, why } = alertLines(alerts, f);
  const text = (facts ? `${facts.replace(/^⚠️ /, '').replace(/\.$/, '')}. ${why}` : why).slice(0, 1024);
  return {
    template: {
      name: template.name,
      language: { code: template.language },
      components: [
        { type: 'body', parameters: [{ type: 'text', text }] },
        ...(fraud
          ? [{ type: 'buttons' as const, parameters: [{ type: 'POSTBACK' as const, payload: AlertPayloads.itWasMe(alertId) }, { type: 'POSTBACK' as const, payload: AlertPayloads.notMe(alertId) }] }]
          : []),
      ],
    },
  };
}

export interface BankFraudSteps {
  cardLockUrl?: string | undefined;
  fraudPhone?: string | undefined;
}

/** "No, it wasn't me": the bank's own next steps (locking the card and the fraud line are the bank's). */
export function notMeMessage(steps: BankFraudSteps, lang: Language): OutboundMessage {
  const w = alertWords[lang];
  const lines = [w.notMeSteps.lead, w.notMeSteps.lock(steps.cardLockUrl), w.notMeSteps.call(steps.fraudPhone)];
  return buttonTemplate(
    lines.join('\n'),
    steps.cardLockUrl ? [{ type: 'web_url', title: w.titles.lockMyCard, url: steps.cardLockUrl }] : [{ type: 'postback', title: w.titles.help, payload: 'HELP' }],
  );
}

export const itWasMeMessage = (lang: Language): OutboundMessage => ({ text: alertWords[lang].itWasMeThanks });
export const unknownAlertMessage = (lang: Language): OutboundMessage => ({ text: alertWords[lang].unknownAlert });
