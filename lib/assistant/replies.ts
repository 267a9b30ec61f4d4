import type { BankFraudSteps } from '../alerts/messages';
import type { AlertSettings } from '../alerts/rules';
import { AlertPayloads } from '../alerts/messages';
import { INSIGHT_RULES, insightOn, type InsightRule } from '../alerts/rules';
import { privateWords } from '../text/private';
import type { Consent } from '../consent/model/consent';
import type { Scope } from '../consent/model/scopes';
import { Payloads } from '../messenger/payloads';
import { buttonTemplate, qr, type OutboundMessage, type QuickReply } from '../messenger/send-api';
import { chatWords } from '../text/chat';
import { money } from '../text/format';
import type { Language } from '../text/language';
import type { Change } from './state';

/**
 * The assistant's own replies (not about a figure): help, gaps in consent, settings, handover.
 * What to say when, and the buttons; the words, in each language, are in lib/text/chat.ts.
 */

const bank = (c: Consent) => c.institution?.name?.trim() || undefined;

/** The natural next questions, less the one just answered. */
export const askMore = (lang: Language, except = ''): QuickReply[] => {
  const t = chatWords[lang].titles;
  return [
    qr(t.balance, Payloads.balance),
    qr(t.spendingThisMonth, Payloads.spendingThisMonth),
    qr(t.recentTransactions, Payloads.recentTransactions),
    qr(t.alertSettings, Payloads.alertSettings),
  ].filter((q) => q.payload !== except);
};

const startLinking = (lang: Language): QuickReply[] => {
  const t = chatWords[lang].titles;
  return [qr(t.linkMyBank, Payloads.linkBank), qr(t.howMyDataIsUsed, Payloads.dataPolicy)];
};

const manageSharing = (lang: Language): QuickReply[] => {
  const t = chatWords[lang].titles;
  return [qr(t.whatIShare, Payloads.manageSharing), qr(t.stopSharing, Payloads.stopSharing)];
};

export function helpMessage(lang: Language, linked: boolean): OutboundMessage {
  return { text: chatWords[lang].help, quick_replies: linked ? askMore(lang) : startLinking(lang) };
}

export const greetingMessage = (lang: Language): OutboundMessage => ({ text: chatWords[lang].greeting, quick_replies: askMore(lang) });

export const thanksMessage = (lang: Language): OutboundMessage => ({ text: chatWords[lang].thanks });

export const okMessage = (lang: Language): OutboundMessage => ({ text: chatWords[lang].ok, quick_replies: askMore(lang) });

export const attachmentMessage = (lang: Language): OutboundMessage => ({ text: chatWords[lang].attachment, quick_replies: askMore(lang) });

export function fallbackMessage(lang: Language, linked: boolean): OutboundMessage {
  return {
    text: chatWords[lang].fallback,
    // Sharing is offered wherever the assistant is stuck: stopping must never depend on being understood.
    quick_replies: linked ? [...askMore(lang), ...manageSharing(lang)] : startLinking(lang),
  };
}

/** The question needs bank data and nothing is shared: say so, and offer the consent link. */
export function needsLinkMessage(lang: Language, url: string): OutboundMessage {
  const t = chatWords[lang];
  return buttonTemplate(t.needsLink, [{ type: 'web_url', title: t.titles.reviewAndLink, url, webview_height_ratio: 'tall' }]);
}

/** Shared, but not what this question needs: say what is missing and how to add it. */
export function missingScopeMessage(lang: Language, scope: Scope, consents: Consent[], manageUrl: string): OutboundMessage {
  const t = chatWords[lang];
  const shared = t.scopeList([...new Set(consents.flatMap((c) => c.scopes))].map((s) => t.scopeNames[s]));
  const where = consents.length === 1 && bank(consents[0]!) ? bank(consents[0]!)! : undefined;
  return buttonTemplate(t.missingScope(shared, where, t.scopeNames[scope]), [{ type: 'web_url', title: t.titles.changeSharing, url: manageUrl, webview_height_ratio: 'tall' }]);
}

export const refreshingNote = (lang: Language) => chatWords[lang].refreshing;

export const firstSyncNote = (lang: Language) => chatWords[lang].firstSync;

export const updatedLead = (lang: Language) => chatWords[lang].updated;

// ── alert settings ───────────────────────────────────────────────────────────────────────────────

export function alertSettingsMessage(settings: AlertSettings, f: { lang: Language; locale: string }, currency: string, sharesAlerts: boolean, changed?: string): OutboundMessage {
  const t = chatWords[f.lang];
  const m = (n: number | null) => (n === null ? null : money(n, currency, f));
  const lines = [
    ...(changed ? [changed] : []),
    t.alertSettings.title,
    t.alertSettings.fraud(settings.fraudAlerts),
    t.alertSettings.large(m(settings.largeTransactionThreshold)),
    t.alertSettings.low(m(settings.lowBalanceThreshold)),
    t.alertSettings.insights(Object.fromEntries(INSIGHT_RULES.map((rule) => [rule, insightOn(settings, rule)])) as Record<InsightRule, boolean>),
    ...(sharesAlerts ? [] : [t.alertSettings.notShared]),
  ];
  const quick = [
    settings.fraudAlerts ? qr(t.titles.fraudAlertsOff, Payloads.fraudAlertsOff) : qr(t.titles.fraudAlertsOn, Payloads.fraudAlertsOn),
    ...(settings.lowBalanceThreshold !== null ? [qr(t.titles.lowBalanceOff, Payloads.lowBalanceOff)] : []),
    ...(settings.largeTransactionThreshold !== null ? [qr(t.titles.largeAlertsOff, Payloads.largeAlertsOff)] : []),
    // A money insight turned off (from its alert's "Turn these off") comes back on the same way: restated, then a yes.
    ...INSIGHT_RULES.filter((rule) => !insightOn(settings, rule)).map((rule) => qr(t.titles.insightOn[rule], AlertPayloads.insightOn(rule))),
  ];
  return { text: lines.join('\n'), quick_replies: quick };
}

export const alertAmountQuestion = (lang: Language, kind: 'low' | 'large', lead?: string): OutboundMessage => {
  const question = chatWords[lang].alertAmount[kind];
  return { text: lead ? `${lead}\n${question}` : question };
};

export const alertAmountInvalid = (lang: Language): OutboundMessage => ({ text: chatWords[lang].alertAmount.invalid });

// ── handover ─────────────────────────────────────────────────────────────────────────────────────

export const handoverMessage = (lang: Language, brand: string): OutboundMessage => ({ text: chatWords[lang].handover(brand) });

export const handoverUnavailableMessage = (lang: Language, phone: string | undefined): OutboundMessage => ({ text: chatWords[lang].handoverUnavailable(phone) });

// ── changes wait for a yes ───────────────────────────────────────────────────────────────────────

/**
 * A change restated in plain words with its effect, and the two answers: Yes names the exact change
 * (applied only if it is the one waiting), No changes nothing. `lead` says why it is asked this way.
 */
export function confirmChangeMessage(change: Change, current: AlertSettings, f: { lang: Language; locale: string }, currency: string, brand: string, lead?: string): OutboundMessage {
  const t = chatWords[f.lang];
  const m = (n: number | null) => (n === null ? null : money(n, currency, f));
  let question: string;
  switch (change.kind) {
    case 'fraud':
      question = change.on ? t.confirm.fraudOn : t.confirm.fraudOff;
      break;
    case 'large':
      question = change.amount === null ? t.confirm.largeOff : t.confirm.large(m(change.amount)!, m(current.largeTransactionThreshold));
      break;
    case 'low':
      question = change.amount === null ? t.confirm.lowOff : t.confirm.low(m(change.amount)!, m(current.lowBalanceThreshold));
      break;
    case 'handover':
      question = t.confirm.handover(brand);
      break;
    case 'private':
      question = privateWords[f.lang].mode.confirm(change.on ? 'private' : 'messenger');
      break;
    default:
      question = t.confirm.insight(change.kind, change.on);
  }
  return {
    text: [lead, question].filter(Boolean).join('\n').slice(0, 2000),
    quick_replies: [qr(t.titles.yes, Payloads.confirmChange(change)), qr(t.titles.no, Payloads.cancelChange)],
  };
}

/** What a change the person said yes to did, as the first line of their settings. */
export function changedLine(change: Exclude<Change, { kind: 'handover' } | { kind: 'private' }>, lang: Language): string {
  const t = chatWords[lang].changed;
  if (change.kind === 'fraud') return change.on ? t.fraudOn : t.fraudOff;
  if ('on' in change) return t.insight(change.kind, change.on);
  if (change.amount !== null) return t.done;
  return change.kind === 'low' ? t.lowOff : t.largeOff;
}

/** Private mode: the choice of where figures appear, already as asked, applied, or to be chosen. */
export const presentationMessage = (lang: Language, shown: { already?: 'private' | 'messenger'; done?: 'private' | 'messenger' }): OutboundMessage => {
  const w = privateWords[lang].mode;
  return { text: shown.done ? w.done(shown.done) : w.already(shown.already ?? 'messenger'), quick_replies: askMore(lang) };
};

/** "Where should my figures appear?", when the words did not say which: each choice is then restated for a yes. */
export const presentationChoiceMessage = (lang: Language): OutboundMessage => {
  const w = privateWords[lang].mode;
  return {
    text: w.which,
    quick_replies: [qr(w.private, Payloads.meant('privacy-mode', { enabled: true })), qr(w.messenger, Payloads.meant('privacy-mode', { enabled: false }))],
  };
};

export const merchantAlertLead = (lang: Language, merchant: string) => chatWords[lang].merchantAlert(merchant);

export const nothingChangedMessage = (lang: Language): OutboundMessage => ({ text: chatWords[lang].nothingChanged, quick_replies: askMore(lang) });

export const leftAsItWas = (lang: Language): OutboundMessage => ({ text: chatWords[lang].leftAsItWas });

export const expiredChangeMessage = (lang: Language): OutboundMessage => ({ text: chatWords[lang].expiredChange, quick_replies: askMore(lang) });

/** "It was me" with no alert waiting for an answer: say so, and change nothing. */
export const noAlertWaitingMessage = (lang: Language): OutboundMessage => ({ text: chatWords[lang].noAlertWaiting, quick_replies: askMore(lang, Payloads.balance) });

// ── what only the bank can do ────────────────────────────────────────────────────────────────────

const talkToPerson = (lang: Language) => ({ type: 'postback' as const, title: chatWords[lang].titles.talkToPerson, payload: Payloads.talkToPerson });

/**
 * A lost, stolen, locked or misused card, or a charge the person does not recognise: the bank's
 * own steps first (its card-lock link and fraud line, when configured), and a person.
 */
export function cardEmergencyMessage(steps: BankFraudSteps, lang: Language): OutboundMessage {
  const t = chatWords[lang];
  const lines = [t.cardEmergency.lead, t.cardEmergency.lock(steps.cardLockUrl), t.cardEmergency.call(steps.fraudPhone), t.cardEmergency.onlyRead];
  // After the steps, a look at recent charges (for others the person does not recognise); never instead of them.
  return buttonTemplate(lines.join('\n'), [
    ...(steps.cardLockUrl ? [{ type: 'web_url' as const, title: t.titles.lockMyCard, url: steps.cardLockUrl }] : []),
    talkToPerson(lang),
    { type: 'postback' as const, title: t.titles.seeRecentTransactions, payload: Payloads.recentTransactions },
  ]);
}

/** Paying, sending or transferring money, a loan, a credit score: the bank does these, not this chat. */
export function bankOnlyMessage(steps: BankFraudSteps, lang: Language): OutboundMessage {
  const text = chatWords[lang].bankOnly(steps.fraudPhone);
  return buttonTemplate(text, [talkToPerson(lang)]);
}
