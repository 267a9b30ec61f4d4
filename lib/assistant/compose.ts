import { alertSettingsOf } from '../alerts/settings';
import type { AlertSettings } from '../alerts/rules';
import { itWasMeMessage, notMeMessage, unknownAlertMessage, type BankFraudSteps } from '../alerts/messages';
import type { BankTransaction } from '../banking/bank-connector';
import { isInForce, type Consent } from '../consent/model/consent';
import type { Holdings } from '../consent/export';
import type { Presenter } from '../consent/private-answers';
import type { PrivateKind } from '../text/private';
import type { Renewal } from '../consent/flows';
import type { Scope } from '../consent/model/scopes';
import { InvalidConsentTransition, NotFound } from '../errors';
import { once } from '../once';
import type { FinancialReads } from '../store';
import type { InboundEvent } from '../messenger/events';
import type { OutboundMessage } from '../messenger/send-api';
import {
  accountLinkRefusedMessage,
  confirmStopMessage,
  dataPolicyMessage,
  keepSharingMessage,
  linkBankMessage,
  manageMessage,
  myDataMessage,
  reconnectMessage,
  reconfirmRenewalMessage,
  renewedMessage,
  stopAcknowledgedMessage,
} from '../consent/messages';
import { intentOf, Payloads, type Intent } from './intents';
import {
  accountNamed,
  accountsOfType,
  balanceReply,
  largestReply,
  recentTransactionsReply,
  searchReply,
  spendingReply,
  type AccountView,
  type MoneyContext,
  type TransactionQuery,
} from './money';
import { billsReply, incomeReply, isRecurringIntent, subscriptionsReply, type RecurringIntent } from './recurring';
import { localToday, resolvePeriod } from './nlu/periods';
import { clarifyMessage } from './clarify';
import { understand, type IntentName, type Slots, type Understanding } from './nlu/understand';
import type { Language } from '../text/language';
import {
  alertAmountInvalid,
  alertAmountQuestion,
  alertSettingsMessage,
  attachmentMessage,
  bankOnlyMessage,
  cardEmergencyMessage,
  changedLine,
  confirmChangeMessage,
  expiredChangeMessage,
  leftAsItWas,
  merchantAlertLead,
  noAlertWaitingMessage,
  nothingChangedMessage,
  fallbackMessage,
  firstSyncNote,
  greetingMessage,
  handoverMessage,
  handoverUnavailableMessage,
  helpMessage,
  missingScopeMessage,
  needsLinkMessage,
  okMessage,
  presentationChoiceMessage,
  presentationMessage,
  refreshingNote,
  thanksMessage,
  updatedLead,
} from './replies';
import { ALERT_AMOUNT_LIMITS, followUp, readState, sameState, standalone, STATE_LIMITS, within, type Change, type ConversationState, type Question } from './state';
import { sayingItIsABot, welcomeMessage } from './welcome';

/** How the assistant speaks and how fresh its figures must be; set per deployment. */
export interface AssistantSettings {
  /** Locale per language, for money and dates (e.g. en → en-US, es → es-US). */
  locales: Record<Language, string>;
  /** The time zone "today", "this week" and "as of 9:14" are in. */
  timeZone: string;
  /** The language until the person's words say otherwise. */
  defaultLanguage: Language;
  /** Figures older than this are refreshed from the bank while the answer says so. */
  freshnessMinutes: number;
  /** The currency alert thresholds are written in. */
  currency: string;
  homeCountry: string;
  brand: string;
  fraudPhone?: string | undefined;
}

/**
 * Decides what to answer. Whose data is read, changed or revoked is always the sender's: an id in
 * a payload only picks among the sender's own (anything else is refused and audited downstream),
 * and every figure comes through the consent-checking financial gate.
 */
export interface ComposeDeps {
  listConsents(psid: string): Promise<Consent[]>;
  revoke(psid: string, consentId: string): Promise<Consent>;
  /** Renews one of the person's consents, or (given under an older disclosure) links to reading the current one first. */
  renew(psid: string, consentId: string): Promise<Renewal>;
  holdings(psid: string): Promise<Holdings>;
  confirmAccountLink(psid: string, code: string): Promise<'confirmed' | 'refused'>;
  /** Records the person's answer to one of their own fraud alerts. */
  answerAlert(psid: string, alertId: string, answer: 'yes' | 'no'): Promise<'recorded' | 'unknown'>;
  /** The id of the person's most recent fraud alert still waiting for "Was this you?", if any. */
  latestOpenAlert(psid: string): Promise<string | undefined>;
  bankFraudSteps: BankFraudSteps;
  link(psid: string, purpose: 'consent' | 'manage' | 'export'): string;
  /** A link that opens the bank in update mode for one of the person's consents (valid 24 hours). */
  reconnectLink(psid: string, consentId: string): string;
  clock: () => Date;
  financial: Pick<FinancialReads, 'balances' | 'transactions' | 'accountNames' | 'syncedAt' | 'recurringStreams'>;
  conversation: { get(psid: string): Promise<Record<string, unknown> | undefined>; put(psid: string, state: Record<string, unknown>): Promise<void> };
  alertSettings: { get(psid: string): Promise<Record<string, unknown> | undefined>; put(psid: string, settings: Record<string, unknown>): Promise<void> };
  /** Asks the bank for fresh data for one connection (a targeted sync); absent where no sync queue is configured. */
  requestRefresh?: (psid: string, itemId: string) => Promise<void>;
  /**
   * Asks for the person's spending picture (a chart, drawn and sent by the spendingPicture function
   * as the answer to event `key`); the period as understood ('this-month', 'last-30-days'…).
   * Absent where no picture queue is configured.
   */
  requestSpendingPicture?: (ask: { psid: string; period: string; language: Language; key: string; private?: true }) => Promise<void>;
  /** Hands the thread to the Page inbox (handover protocol); rejects if it could not. */
  handover(psid: string): Promise<void>;
  /** Private mode: where the person's figures appear, and the private form of an answer. Absent: in the chat. */
  presenter?: Pick<Presenter, 'presentation' | 'privately'>;
  /** Records the person's confirmed choice of where figures appear. */
  setPresentation?: (psid: string, presentation: 'private' | 'messenger') => Promise<void>;
  /** The typing indicator, while data is read (best effort). */
  typing(psid: string): Promise<void>;
  settings: AssistantSettings;
}

export interface Reply {
  messages: OutboundMessage[];
  /** Runs once the messages are sent (e.g. passing the thread to a person after saying so); may answer more. */
  afterSent?: () => Promise<OutboundMessage[]>;
}

/** A payload naming a consent that is not the sender's (or no longer exists) gets a plain answer. */
async function ownOrNothing<T>(act: () => Promise<T>): Promise<T | undefined> {
  try {
    return await act();
  } catch (error) {
    if (error instanceof NotFound || error instanceof InvalidConsentTransition) return undefined;
    throw error;
  }
}

const isMessage = (m: OutboundMessage | undefined): m is OutboundMessage => m !== undefined;
const only = (...messages: (OutboundMessage | undefined)[]): Reply => ({ messages: messages.filter(isMessage) });

/**
 * Which questions read the person's consents, whatever the conversation state: for these the
 * consents are read beside the state, one round trip instead of two. Every path of each intent
 * either reads them or never does (see answerAsk; "yes" and "no" never do, with or without a
 * pending question), so the read is never wasted. "my-data"/"export" read all consents, with the
 * audit, in holdingsOf. A Record, so a new intent does not compile until it is classified; one
 * marked false that does read them still reads them, once, just later.
 */
const askReadsConsents: Record<IntentName, boolean> = {
  greeting: true,
  help: true,
  fallback: true,
  'what-shared': true,
  'privacy-mode': false,
  'change-scopes': true,
  'stop-sharing': true,
  'alerts-show': true,
  'alerts-fraud': true,
  'alerts-low-balance': true,
  'alerts-large': true,
  balance: true,
  transactions: true,
  spending: true,
  search: true,
  largest: true,
  subscriptions: true,
  bills: true,
  income: true,
  'follow-up': true,
  'card-emergency': false,
  'bank-only': false,
  'it-was-me': false,
  'not-me': false,
  yes: false,
  no: false,
  thanks: false,
  'link-bank': false,
  'data-policy': false,
  'my-data': false,
  export: false,
  human: false,
};

function readsConsents(intent: Intent): boolean {
  if (intent.kind === 'ask') return askReadsConsents[intent.understanding.intent];
  // Postbacks that act on one consent (revoke, renew), answer an alert or link an account do not.
  // A confirmed alert change shows the settings, which say whether alerts are shared at all.
  return intent.kind === 'welcome' || intent.kind === 'account-unlinked' || intent.kind === 'reconnect' || intent.kind === 'confirm-change';
}

/**
 * The person's consents in force, read at most once a turn: started at once when the turn will
 * need them, otherwise on first use.
 */
function consentsOf(psid: string, deps: ComposeDeps, prefetch: boolean): () => Promise<Consent[]> {
  const read = async () => (await deps.listConsents(psid)).filter((c) => isInForce(c, deps.clock()));
  if (!prefetch) return once(read);
  const started = read();
  // A turn that fails before using them (the state read failed) leaves no unhandled rejection;
  // one that uses them gets the read's own error, as before.
  started.catch(() => undefined);
  return () => started;
}

export async function composeReply(event: InboundEvent & { psid: string }, deps: ComposeDeps): Promise<Reply> {
  const psid = event.psid;
  const now = deps.clock();
  // The state is asked for first, so that reading the intent (the event's alone: no state needed)
  // overlaps its round trip; the intent then decides whether the consents are asked for alongside.
  const stateRead = deps.conversation.get(psid);
  stateRead.catch(() => undefined); // awaited below; this only keeps a throw in between from leaving it unhandled
  const intent = intentOf(event);
  const consents = consentsOf(psid, deps, readsConsents(intent));
  const state = readState(await stateRead);
  const next: ConversationState = { ...state };
  let reply: Reply;

  if (intent.kind === 'ask') {
    const lang = intent.understanding.lang ?? state.lang ?? deps.settings.defaultLanguage;
    next.lang = lang;
    const text = event.kind === 'message' && !event.message.quick_reply ? event.message.text : undefined;
    reply = await answerAsk(intent.understanding, { psid, lang, text, by: intent.by, key: event.id, now, state, next, consents }, deps);
  } else {
    const lang = state.lang ?? deps.settings.defaultLanguage;
    delete next.pending;
    switch (intent.kind) {
      case 'welcome':
        reply = only((await consents()).length ? greetingMessage(lang) : welcomeMessage(lang));
        break;
      case 'confirm-revoke':
        reply = only(stopAcknowledgedMessage(await ownOrNothing(() => deps.revoke(psid, intent.consentId)), lang));
        break;
      case 'renew': {
        const renewal = await ownOrNothing(() => deps.renew(psid, intent.consentId));
        reply = only(renewal?.kind === 'reconfirm' ? reconfirmRenewalMessage(renewal.consent, renewal.url, lang) : renewedMessage(renewal?.consent, lang));
        break;
      }
      case 'keep-sharing':
        reply = only(keepSharingMessage(lang));
        break;
      case 'reconnect': {
        // Only one of the sender's own connections in force: the link is made for the sender.
        const consent = (await consents()).find((c) => c.consentId === intent.consentId && c.itemId);
        reply = only(reconnectMessage(consent && { consent, url: deps.reconnectLink(psid, consent.consentId) }, lang));
        break;
      }
      case 'fraud-answer': {
        const recorded = await deps.answerAlert(psid, intent.alertId, intent.answer);
        reply = only(recorded === 'unknown' ? unknownAlertMessage(lang) : intent.answer === 'no' ? notMeMessage(deps.bankFraudSteps, lang) : itWasMeMessage(lang));
        break;
      }
      case 'account-linked':
        // Confirmed: the consent's own effects already told the person what they linked.
        reply = (await deps.confirmAccountLink(psid, intent.authorizationCode)) === 'confirmed' ? only() : only(accountLinkRefusedMessage(lang));
        break;
      case 'account-unlinked': {
        // Unlinking in Messenger is a revocation, as easy as the grant (consent rule 4).
        const ended = await Promise.all((await consents()).map((c) => deps.revoke(psid, c.consentId)));
        reply = only(ended.length ? stopAcknowledgedMessage(ended[0], lang) : keepSharingMessage(lang));
        break;
      }
      case 'attachment':
        reply = only(attachmentMessage(lang));
        break;
      case 'confirm-change': {
        // Applied only when it is the very change the person was shown and it is still open: a
        // payload is data the person controls, and a crafted one must not change anything.
        const pending = openPending(state, now);
        const shown = pending?.kind === 'change' && Payloads.confirmChange(pending.change) === Payloads.confirmChange(intent.change);
        const turn: Turn = { psid, lang, text: undefined, by: 'button', key: event.id, now, state, next, consents };
        reply = shown ? await applyChange(intent.change, turn, deps) : only(expiredChangeMessage(lang));
        break;
      }
      case 'cancel-change':
        reply = only(nothingChangedMessage(lang));
        break;
      case 'propose-change': {
        // A button offered the change (e.g. "Turn these off" under an alert): restated, then a yes.
        const turn: Turn = { psid, lang, text: undefined, by: 'button', key: event.id, now, state, next, consents };
        reply = only(await propose(intent.change, turn, deps));
        break;
      }
    }
  }
  // The first reply to someone never greeted says it is a bot, and how to reach a person.
  if (!state.greeted && reply.messages.length > 0) {
    reply = { ...reply, messages: sayingItIsABot(reply.messages, next.lang ?? deps.settings.defaultLanguage) };
    next.greeted = true;
  }
  // Nothing worth a write: the state is unchanged, or all it would hold is the default language.
  const onlyDefaultLanguage = Object.keys(state).length === 0 && Object.keys(next).length === 1 && next.lang === deps.settings.defaultLanguage;
  if (!sameState(state, next) && !onlyDefaultLanguage) await deps.conversation.put(psid, next as Record<string, unknown>);
  return reply;
}

interface Turn {
  psid: string;
  lang: Language;
  /** The person's own words, when they typed (a button has none). */
  text: string | undefined;
  /** A tap is an explicit choice; words may be misread, so what they would change is asked first. */
  by: 'words' | 'button';
  /** The inbound event's id: the key of a promised refresh. */
  key: string;
  now: Date;
  state: ConversationState;
  next: ConversationState;
  consents: () => Promise<Consent[]>;
}

/** The question waiting for a yes, if it was asked recently enough for a yes to still mean it. */
const openPending = (state: ConversationState, now: Date) =>
  state.pending && within(state.pending.at, STATE_LIMITS.confirmationMinutes, now) ? state.pending : undefined;

async function answerAsk(u: Understanding, turn: Turn, deps: ComposeDeps): Promise<Reply> {
  const pending = openPending(turn.state, turn.now);
  delete turn.next.pending;
  const reply = await answerWords(u, turn, deps, pending);
  // Anything but a yes or a no to a restated change drops it, and says so before the answer.
  if (pending?.kind === 'change' && u.intent !== 'yes' && u.intent !== 'no') return { ...reply, messages: [leftAsItWas(turn.lang), ...reply.messages] };
  return reply;
}

async function answerWords(u: Understanding, turn: Turn, deps: ComposeDeps, pending: ConversationState['pending']): Promise<Reply> {
  const { psid, lang, state, next, now } = turn;
  // Two readings about as likely: the person chooses rather than the assistant guessing.
  if (u.unsure) return only(clarifyMessage(u.unsure, lang));

  switch (u.intent) {
    case 'yes': {
      if (!pending) return only(greetingMessage(lang));
      if (pending.kind === 'change') return applyChange(pending.change, turn, deps);
      const ended = await Promise.all(pending.consentIds.map((id) => ownOrNothing(() => deps.revoke(psid, id))));
      return only(stopAcknowledgedMessage(ended.find(isConsent), lang));
    }
    case 'no':
      return only(!pending ? okMessage(lang) : pending.kind === 'change' ? nothingChangedMessage(lang) : keepSharingMessage(lang));
    case 'it-was-me':
    case 'not-me': {
      // The answer to the alert waiting for one, never a settings change.
      const alertId = await deps.latestOpenAlert(psid);
      const answer = u.intent === 'it-was-me' ? 'yes' : 'no';
      const recorded = alertId === undefined ? 'unknown' : await deps.answerAlert(psid, alertId, answer);
      if (answer === 'no') return only(recorded === 'recorded' ? notMeMessage(deps.bankFraudSteps, lang) : cardEmergencyMessage(deps.bankFraudSteps, lang));
      return only(recorded === 'recorded' ? itWasMeMessage(lang) : noAlertWaitingMessage(lang));
    }
    case 'card-emergency':
      return only(cardEmergencyMessage(deps.bankFraudSteps, lang));
    case 'bank-only':
      return only(bankOnlyMessage(deps.bankFraudSteps, lang));
    case 'greeting':
      return only((await turn.consents()).length ? greetingMessage(lang) : welcomeMessage(lang));
    case 'help':
      return only(helpMessage(lang, (await turn.consents()).length > 0));
    case 'thanks':
      return only(thanksMessage(lang));
    case 'fallback':
      return only(fallbackMessage(lang, (await turn.consents()).length > 0));
    case 'link-bank':
      return only(linkBankMessage(deps.link(psid, 'consent'), lang));
    case 'data-policy':
      return only(dataPolicyMessage(lang));
    case 'my-data':
    case 'export':
      return only(myDataMessage(await deps.holdings(psid), deps.link(psid, 'export'), lang));
    case 'privacy-mode':
      return only(await choosePresentation(u.slots.enabled, turn, deps));
    case 'what-shared':
    case 'change-scopes':
      return only(manageMessage(await turn.consents(), deps.link(psid, 'manage'), lang));
    case 'stop-sharing': {
      const inForce = await turn.consents();
      // A typed "yes" can confirm only an unambiguous question; with several banks, the buttons choose.
      if (inForce.length === 1) next.pending = { kind: 'stop-sharing', consentIds: [inForce[0]!.consentId], at: now.toISOString() };
      return only(confirmStopMessage(inForce, lang));
    }
    case 'human':
      // Tapping "Talk to a person" is the yes; words asking for one are restated first.
      if (turn.by === 'button') return handOver(turn, deps);
      return only(await propose({ kind: 'handover' }, turn, deps));
    case 'alerts-show':
    case 'alerts-fraud':
    case 'alerts-low-balance':
    case 'alerts-large':
      return only(await changeAlertSettings(u.intent, u.slots, turn, deps));
    case 'follow-up': {
      const question = followUp(state, u.slots, now) ?? standalone(u.slots);
      // "And this month?" after "what bills are due this week?" asks about bills again.
      if (isRecurringIntent(question.intent)) return answerRecurring(question.intent, question.slots, turn, deps);
      return answerMoney(question, turn, deps);
    }
    case 'balance':
    case 'transactions':
    case 'spending':
    case 'search':
    case 'largest':
      return answerMoney({ intent: u.intent, slots: u.slots, text: turn.text }, turn, deps);
    case 'subscriptions':
    case 'bills':
    case 'income':
      return answerRecurring(u.intent, u.slots, turn, deps);
  }
}

const isConsent = (c: Consent | undefined): c is Consent => c !== undefined;

// ── money ────────────────────────────────────────────────────────────────────────────────────────

interface MoneyOptions {
  /** Answering a promised refresh: the data was just fetched, so it is not refreshed again. */
  refreshed?: boolean;
}

async function answerMoney(question: Question, turn: Turn, deps: ComposeDeps, options: MoneyOptions = {}): Promise<Reply> {
  const { psid, lang, now, next } = turn;
  const inForce = await turn.consents();
  if (inForce.length === 0) return only(needsLinkMessage(lang, deps.link(psid, 'consent')));
  const scope: Scope = question.intent === 'balance' ? 'balances' : 'transactions';
  const granted = inForce.filter((c) => c.scopes.includes(scope) && c.itemId);
  if (granted.length === 0) return only(missingScopeMessage(lang, scope, inForce, deps.link(psid, 'manage')));

  // The indicator goes out while the data is read; it is awaited before the answer is sent. The
  // person's mode is read alongside the data, not after it.
  const typing = deps.typing(psid).catch(() => undefined);
  const mode = deps.presenter ? deps.presenter.presentation(psid) : Promise.resolve('messenger' as const);
  mode.catch(() => undefined);
  const ctx = moneyContext(lang, now, deps.settings);
  const limitMs = deps.settings.freshnessMinutes * 60_000;
  const refresh = options.refreshed ? undefined : deps.requestRefresh;
  const bankOf = (c: Consent) => (granted.length > 1 ? c.institution?.name : undefined);

  if (!options.refreshed) next.last = { intent: question.intent, slots: question.slots, ...(question.text ? { text: question.text.slice(0, 1000) } : {}), at: now.toISOString() };

  let message: OutboundMessage;
  let stale: string[];
  let firstSync = false;
  if (question.intent === 'balance') {
    const accounts: AccountView[] = (
      await Promise.all(granted.map(async (c) => (await deps.financial.balances(c)).map((a) => ({ ...a, ...(bankOf(c) ? { bank: bankOf(c)! } : {}) }))))
    ).flat();
    stale = granted.filter((c) => accounts.some((a) => a.itemId === c.itemId && now.getTime() - Date.parse(a.balancesAsOf) > limitMs)).map((c) => c.itemId!);
    const note = stale.length && refresh ? refreshingNote(lang) : undefined;
    message = balanceReply(accounts, { type: question.slots.accountType, named: question.text ? accountNamed(accounts, question.text) : undefined }, ctx, note);
  } else {
    const [lists, synced, names] = await Promise.all([
      Promise.all(granted.map((c) => deps.financial.transactions(c))),
      Promise.all(granted.map((c) => deps.financial.syncedAt(c))),
      Promise.all(granted.map((c) => deps.financial.accountNames(c))),
    ]);
    const transactions = lists.flat();
    firstSync = synced.some((at) => at === undefined) && transactions.length === 0;
    stale = granted.filter((_, i) => synced[i] === undefined || now.getTime() - Date.parse(synced[i]!) > limitMs).map((c) => c.itemId!);
    const slots = withOwnMerchant(question, transactions);
    const accounts = names.flat() as AccountView[];
    const named = question.text ? accountNamed(accounts, question.text) : undefined;
    const ofType = slots.accountType ? accountsOfType(accounts, slots.accountType) : undefined;
    const query: TransactionQuery & { count?: number } = {
      ...(slots.period ? { period: resolvePeriod(slots.period, ctx.today)! } : {}),
      ...(slots.category ? { category: slots.category } : {}),
      ...(slots.merchant ? { merchant: slots.merchant } : {}),
      ...(named ? { accountIds: new Set([named.accountId]) } : ofType ? { accountIds: new Set(ofType.map((a) => a.accountId)) } : {}),
      ...(slots.minAmount !== undefined ? { minAmount: slots.minAmount } : {}),
      ...(slots.maxAmount !== undefined ? { maxAmount: slots.maxAmount } : {}),
      ...(slots.count !== undefined ? { count: slots.count } : {}),
    };
    const note = firstSync ? firstSyncNote(lang) : stale.length && refresh ? refreshingNote(lang) : undefined;
    message =
      question.intent === 'spending'
        ? spendingReply(transactions, query, ctx, note)
        : question.intent === 'search'
          ? searchReply(transactions, query, ctx, note)
          : question.intent === 'largest'
            ? largestReply(transactions, query, ctx, note)
            : recentTransactionsReply(transactions, query, ctx, note);
  }

  if (stale.length && refresh) {
    const recently = turn.state.refresh && within(turn.state.refresh.at, STATE_LIMITS.refreshDebounceMinutes, now);
    if (!recently) await Promise.all(stale.map((itemId) => refresh(psid, itemId)));
    next.refresh = { intent: question.intent, slots: question.slots, ...(question.text ? { text: question.text.slice(0, 1000) } : {}), key: turn.key, itemIds: stale, at: now.toISOString(), lang };
  }
  await typing;
  // While the first sync is still running, the figure would be wrong: only the note goes now.
  if (firstSync && !options.refreshed) return only({ text: firstSyncNote(lang) });
  const privateMode = (await mode) === 'private' && deps.presenter !== undefined;
  if (!options.refreshed && deps.requestSpendingPicture && wantsPicture(question)) {
    try {
      // In private mode the picture goes to the person's private page, never to Messenger.
      await deps.requestSpendingPicture({ psid, period: question.slots.period ?? 'this-month', language: lang, key: turn.key, ...(privateMode ? { private: true as const } : {}) });
      // The picture worker sends the chart and its summary (the same figures, from the same data).
      return only();
    } catch {
      // No picture (the queue refused, or a period it does not draw): the same figures as text.
    }
  }
  if (privateMode) {
    const kind: PrivateKind = options.refreshed ? 'updated' : privateKinds[question.intent] ?? 'transactions';
    return only(await deps.presenter!.privately(psid, message, { kind, lang }));
  }
  return only(message);
}

/**
 * "Show my spending this month", "chart of my spending", "muéstrame mis gastos": the whole
 * picture by category, as a chart. A question about one category, merchant or account, or "how
 * much did I spend", is answered in words.
 */
const PICTURE = /\b(?:show|see|chart|graph|picture|visual|breakdown|pie|muestra\w*|ensena\w*|ver|grafic[ao]s?|imagen|dibuj\w*)\b/;
function wantsPicture(question: Question): boolean {
  const { slots } = question;
  if (question.intent !== 'spending' || !question.text || slots.category || slots.merchant || slots.accountType) return false;
  return PICTURE.test(question.text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, ''));
}

/** The private page's heading for each money question. */
const privateKinds: Partial<Record<IntentName, PrivateKind>> = {
  balance: 'balances',
  transactions: 'transactions',
  spending: 'spending',
  search: 'search',
  largest: 'largest',
  subscriptions: 'subscriptions',
  bills: 'bills',
  income: 'income',
};

/** A merchant the built-in list does not know may still be one of the person's own ("Oakwood Apartments"). */
function withOwnMerchant(question: Question, transactions: BankTransaction[]): Slots {
  if (!question.text || question.slots.merchant || question.slots.category || !['spending', 'search', 'transactions'].includes(question.intent)) return question.slots;
  const names = [...new Set(transactions.map((t) => t.merchantName).filter((n): n is string => !!n))];
  const again = understand(question.text, { merchants: names });
  return again.slots.merchant ? { ...question.slots, merchant: again.slots.merchant } : question.slots;
}

// ── recurring payments ───────────────────────────────────────────────────────────────────────────

/**
 * Subscriptions, upcoming bills and pay, from the recurring streams the bank found in the
 * transactions of each consent in force that shares them (the transactions scope); for bills, the
 * balances of the consents that share balances too, to say when an account holds less than a bill
 * it pays. Gaps in consent, the typing indicator and private mode as for any money answer.
 */
async function answerRecurring(intent: RecurringIntent, slots: Slots, turn: Turn, deps: ComposeDeps): Promise<Reply> {
  const { psid, lang, now, next } = turn;
  const inForce = await turn.consents();
  if (inForce.length === 0) return only(needsLinkMessage(lang, deps.link(psid, 'consent')));
  const granted = inForce.filter((c) => c.scopes.includes('transactions') && c.itemId);
  if (granted.length === 0) return only(missingScopeMessage(lang, 'transactions', inForce, deps.link(psid, 'manage')));

  const typing = deps.typing(psid).catch(() => undefined);
  const mode = deps.presenter ? deps.presenter.presentation(psid) : Promise.resolve('messenger' as const);
  mode.catch(() => undefined);
  const bankOf = (c: Consent) => (granted.length > 1 ? c.institution?.name : undefined);
  const showsBalances = intent === 'bills' ? granted.filter((c) => c.scopes.includes('balances')) : [];
  const [held, synced, balances] = await Promise.all([
    Promise.all(granted.map((c) => deps.financial.recurringStreams(c))),
    Promise.all(granted.map((c) => deps.financial.syncedAt(c))),
    Promise.all(showsBalances.map(async (c) => (await deps.financial.balances(c)).map((a): AccountView => ({ ...a, ...(bankOf(c) ? { bank: bankOf(c)! } : {}) })))),
  ]);
  const streams = held.flatMap((h) => h.streams);
  next.last = { intent, slots, at: now.toISOString() };
  await typing;
  // Until the first sync has brought the transactions in, "no subscriptions" would be wrong.
  if (streams.length === 0 && synced.some((at) => at === undefined)) return only({ text: firstSyncNote(lang) });

  const ctx = moneyContext(lang, now, deps.settings);
  const message =
    intent === 'subscriptions' ? subscriptionsReply(streams, slots, ctx) : intent === 'bills' ? billsReply(streams, slots, balances.flat(), ctx) : incomeReply(streams, slots, ctx);
  if ((await mode) === 'private' && deps.presenter) return only(await deps.presenter.privately(psid, message, { kind: privateKinds[intent]!, lang }));
  return only(message);
}

function moneyContext(lang: Language, now: Date, settings: AssistantSettings): MoneyContext {
  const today = localToday(now, settings.timeZone);
  const heldFrom = new Date(Date.parse(`${today}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
  return { lang, locale: settings.locales[lang], timeZone: settings.timeZone, now, today, heldFrom };
}

/**
 * The answer a refresh promised, once the bank's data is in: the same question, asked again of the
 * fresh data, led by "Updated:". Nothing when no refresh is waiting for this connection (a
 * scheduled sync, or a question answered long ago).
 */
export async function composeRefreshed(psid: string, itemId: string, deps: ComposeDeps): Promise<{ key: string; messages: OutboundMessage[] } | undefined> {
  const now = deps.clock();
  const state = readState(await deps.conversation.get(psid));
  const waiting = state.refresh;
  if (!waiting || !waiting.itemIds.includes(itemId)) return undefined;
  const next: ConversationState = { ...state };
  const remaining = waiting.itemIds.filter((id) => id !== itemId);
  if (remaining.length) next.refresh = { ...waiting, itemIds: remaining };
  else delete next.refresh;
  const answering = !remaining.length && within(waiting.at, STATE_LIMITS.refreshMinutes, now);
  // An answer needs the consents: they are read while the state is written, not after it.
  const consents = consentsOf(psid, deps, answering);
  await deps.conversation.put(psid, next as Record<string, unknown>);
  if (!answering) return undefined;

  const turn: Turn = { psid, lang: waiting.lang, text: waiting.text, by: 'words', key: waiting.key, now, state, next: { ...next }, consents };
  const reply = await answerMoney({ intent: waiting.intent, slots: waiting.slots, text: waiting.text }, turn, deps, { refreshed: true });
  const messages = reply.messages.map((m) => ('text' in m && m.text ? { ...m, text: `${updatedLead(waiting.lang)}\n${m.text}`.slice(0, 2000) } : m));
  return { key: `refresh:${waiting.key}`, messages };
}

// ── alert settings ───────────────────────────────────────────────────────────────────────────────

/** The alert settings as stored over the defaults, and whether alerts are shared at all. */
async function alertSettingsNow(turn: Turn, deps: ComposeDeps) {
  const [raw, consents] = await Promise.all([deps.alertSettings.get(turn.psid), turn.consents()]);
  return { current: alertSettingsOf(raw, deps.settings.homeCountry), sharesAlerts: consents.some((c) => c.scopes.includes('alerts')) };
}

/** Restates a change and waits for the person's yes (kept in the conversation state). */
async function propose(change: Change, turn: Turn, deps: ComposeDeps, lead?: string): Promise<OutboundMessage> {
  turn.next.pending = { kind: 'change', change, at: turn.now.toISOString() };
  const current = change.kind === 'handover' ? alertSettingsOf(undefined, deps.settings.homeCountry) : alertSettingsOf(await deps.alertSettings.get(turn.psid), deps.settings.homeCountry);
  return confirmChangeMessage(change, current, { lang: turn.lang, locale: deps.settings.locales[turn.lang] }, deps.settings.currency, deps.settings.brand, lead);
}

function handOver(turn: Turn, deps: ComposeDeps): Reply {
  const { psid, lang } = turn;
  return {
    messages: [handoverMessage(lang, deps.settings.brand)],
    afterSent: async () => {
      try {
        await deps.handover(psid);
        return [];
      } catch {
        return [handoverUnavailableMessage(lang, deps.settings.fraudPhone)];
      }
    },
  };
}

/** Private mode on or off, as the words said: restated for a yes, unless it already is so. */
async function choosePresentation(toPrivate: boolean | undefined, turn: Turn, deps: ComposeDeps): Promise<OutboundMessage> {
  if (toPrivate === undefined || !deps.presenter) return presentationChoiceMessage(turn.lang);
  const now = await deps.presenter.presentation(turn.psid);
  const wanted = toPrivate ? 'private' : 'messenger';
  if (now === wanted) return presentationMessage(turn.lang, { already: now });
  return propose({ kind: 'private', on: toPrivate }, turn, deps);
}

/** A change the person said yes to, exactly as it was restated to them. */
async function applyChange(change: Change, turn: Turn, deps: ComposeDeps): Promise<Reply> {
  if (change.kind === 'handover') return handOver(turn, deps);
  if (change.kind === 'private') {
    const to = change.on ? 'private' : 'messenger';
    await deps.setPresentation?.(turn.psid, to);
    return only(presentationMessage(turn.lang, { done: to }));
  }
  const { lang } = turn;
  const { current, sharesAlerts } = await alertSettingsNow(turn, deps);
  const updated: AlertSettings =
    change.kind === 'fraud'
      ? { ...current, fraudAlerts: change.on }
      : 'on' in change
        ? { ...current, insights: { ...current.insights, [change.kind]: change.on } }
        : { ...current, [change.kind === 'low' ? 'lowBalanceThreshold' : 'largeTransactionThreshold']: change.amount };
  const changed = changedLine(change, lang);
  await deps.alertSettings.put(turn.psid, {
    fraudAlerts: updated.fraudAlerts,
    largeTransactionThreshold: updated.largeTransactionThreshold,
    lowBalanceThreshold: updated.lowBalanceThreshold,
    ...(updated.insights ? { insights: updated.insights } : {}),
  });
  return only(alertSettingsMessage(updated, { locale: deps.settings.locales[lang], lang }, deps.settings.currency, sharesAlerts, changed));
}

/** Shows the alert settings, or restates the change asked for and waits for a yes: nothing is written here. */
async function changeAlertSettings(intent: 'alerts-show' | 'alerts-fraud' | 'alerts-low-balance' | 'alerts-large', slots: Slots, turn: Turn, deps: ComposeDeps): Promise<OutboundMessage> {
  const { lang } = turn;
  const { current, sharesAlerts } = await alertSettingsNow(turn, deps);
  const show = () => alertSettingsMessage(current, { locale: deps.settings.locales[lang], lang }, deps.settings.currency, sharesAlerts);
  if (intent === 'alerts-show') return show();

  const amount = slots.amount;
  if (amount !== undefined && (amount < ALERT_AMOUNT_LIMITS.min || amount > ALERT_AMOUNT_LIMITS.max)) return alertAmountInvalid(lang);
  if (intent === 'alerts-fraud') return propose({ kind: 'fraud', on: slots.enabled !== false }, turn, deps);
  const kind = intent === 'alerts-low-balance' ? 'low' : 'large';
  const field = kind === 'low' ? 'lowBalanceThreshold' : 'largeTransactionThreshold';
  // One merchant cannot be watched: the global alert is offered instead, as a choice.
  const lead = kind === 'large' && slots.merchant ? merchantAlertLead(lang, slots.merchant) : undefined;
  if (slots.enabled === false) return propose({ kind, amount: null }, turn, deps, lead);
  if (amount === undefined) {
    if (current[field] === null || slots.enabled !== true || lead) return alertAmountQuestion(lang, kind, lead);
    return show();
  }
  return propose({ kind, amount }, turn, deps, lead);
}
