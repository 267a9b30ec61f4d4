import * as z from 'zod/mini';
import { bankWarningMessage, deletedMessage, expiryReminderMessage, syncFailedMessage } from './messages';
import type { Language } from '../text/language';
import { Payloads } from '../messenger/payloads';
import type { Config } from '../config';
import type { Log } from '../logger';
import { deliverOnce, type DeliverDeps } from '../messenger/deliver';
import { notifyOrHold, type NoticeOutcome } from '../messenger/notify';
import type { OutboundMessage, SendApi, UtilityMessage } from '../messenger/send-api';
import type { Store } from '../store';
import type { HeldNoticeRecord } from '../store/held-notices';
import '../validation';
import { isInForce, type Consent } from './model/consent';

/**
 * The messages the product starts about a person's sharing: the reminders before a consent ends
 * (consent rule 3), what was deleted when it ended (rule 4), and the bank's warnings (log in again;
 * access ends on a date). Each is described by its kind and the consent it is about, so that it
 * can be composed whenever it is sent: now, as a utility message, or from the hold when the person
 * next writes — with a reconnect link made then, and never about a consent that has changed since.
 */
export type AccountNotice =
  | { kind: 'expiry-reminder'; consentId: string; expiresAt: string }
  | { kind: 'data-deleted'; consentId: string }
  | { kind: 'bank-login'; consentId: string }
  | { kind: 'bank-warning'; consentId: string; cause: 'permission-ends' | 'migration' | 'other'; at?: string };

const consentId = z.string().check(z.minLength(1), z.maxLength(64));
const isoDate = z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'));
/** Held notices are read back from the table: checked again, like any stored input. */
const accountNoticeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('expiry-reminder'), consentId, expiresAt: isoDate }),
  z.object({ kind: z.literal('data-deleted'), consentId }),
  z.object({ kind: z.literal('bank-login'), consentId }),
  z.object({ kind: z.literal('bank-warning'), consentId, cause: z.enum(['permission-ends', 'migration', 'other']), at: z.optional(isoDate) }),
]);

export type NoticeTemplate = { name: string; language: string } | undefined;

/**
 * Page-owned utility templates for notices outside the 24-hour window, per deployment. The button
 * titles are fixed in the approved template (in its one language); the `{{1}}` text is written in
 * the person's language. Account status, no marketing: what ends when, what was deleted.
 */
export interface NoticeTemplates {
  /** Body `{{1}}` and two postback buttons: "Renew" and "Let it end". */
  renewal?: NoticeTemplate;
  /** Body `{{1}}` and two postback buttons: "Log in again" (answered with a fresh link) and "Stop sharing". */
  bank?: NoticeTemplate;
  /** Body `{{1}}` only (the alerts' notice template serves): what was deleted. */
  notice?: NoticeTemplate;
}

/** What composing a notice reads: the consent as it is now, and what makes the message the person's. */
export interface ComposeNoticeDeps {
  store: Pick<Store, 'getConsent' | 'getPurgeRecord'>;
  /** The language the person speaks with the assistant, if known; English otherwise. */
  language(psid: string): Promise<Language | undefined>;
  /** A link that opens the bank in update mode for this consent (valid 24 hours from now). */
  reconnectLink(consent: Consent): Promise<string>;
  /** When the consent's connection last synced: after a held "log in again", it says the login was done. */
  syncedAt?: ((consent: Consent) => Promise<string | undefined>) | undefined;
  clock: () => Date;
}

export interface NoticeDeps extends ComposeNoticeDeps {
  store: Pick<Store, 'getConsent' | 'getPurgeRecord' | 'getProfile' | 'holdNotice'> & DeliverDeps['store'];
  messenger: Pick<SendApi, 'send'>;
  templates: NoticeTemplates;
  log: Log;
}

/** The deployment's notice templates, from its configuration. */
export function noticeTemplatesOf(
  config: Pick<Config, 'NOTICE_UTILITY_TEMPLATE_RENEWAL' | 'NOTICE_UTILITY_TEMPLATE_BANK' | 'ALERT_UTILITY_TEMPLATE_NOTICE' | 'ALERT_UTILITY_TEMPLATE_LANGUAGE'>,
): NoticeTemplates {
  const template = (name: string | undefined) => (name ? { name, language: config.ALERT_UTILITY_TEMPLATE_LANGUAGE } : undefined);
  return { renewal: template(config.NOTICE_UTILITY_TEMPLATE_RENEWAL), bank: template(config.NOTICE_UTILITY_TEMPLATE_BANK), notice: template(config.ALERT_UTILITY_TEMPLATE_NOTICE) };
}

const DAY_MS = 86_400_000;

/** How long a held notice is worth delivering: a reminder until its end date, the others a while. */
export function holdUntil(notice: AccountNotice, now: Date): Date {
  const days = (n: number) => new Date(now.getTime() + n * DAY_MS);
  switch (notice.kind) {
    case 'expiry-reminder':
      return new Date(notice.expiresAt);
    case 'data-deleted':
    case 'bank-login':
      return days(30);
    case 'bank-warning':
      return notice.at ? new Date(Math.min(Date.parse(notice.at), days(30).getTime())) : days(7);
  }
}

/**
 * The notice as it reads now, or undefined when it no longer applies: a reminder for a consent that
 * was renewed, revoked or has ended; a bank warning for a consent no longer in force, or whose date
 * has passed; a "log in again" the person has already done (a sync since it was held).
 */
export async function composeNotice(psid: string, notice: AccountNotice, deps: ComposeNoticeDeps, heldAt?: string): Promise<OutboundMessage | undefined> {
  const now = deps.clock();
  const consent = await deps.store.getConsent(psid, notice.consentId);
  if (!consent) return undefined;
  const lang = async () => (await deps.language(psid)) ?? 'en';
  switch (notice.kind) {
    case 'expiry-reminder': {
      const stillEnding = consent.status === 'active' && consent.expiresAt === notice.expiresAt && Date.parse(notice.expiresAt) > now.getTime();
      return stillEnding ? expiryReminderMessage(consent, await lang()) : undefined;
    }
    case 'data-deleted': {
      if (consent.status !== 'revoked' && consent.status !== 'expired') return undefined;
      const record = await deps.store.getPurgeRecord(psid, consent.consentId);
      return record ? deletedMessage(consent, record, record.removedAtBank, await lang()) : undefined;
    }
    case 'bank-login': {
      if (!isInForce(consent, now) || !consent.itemId) return undefined;
      const synced = heldAt && deps.syncedAt ? await deps.syncedAt(consent) : undefined;
      if (synced && heldAt && synced > heldAt) return undefined;
      return syncFailedMessage(consent, await deps.reconnectLink(consent), await lang());
    }
    case 'bank-warning': {
      if (!isInForce(consent, now) || !consent.itemId) return undefined;
      if (notice.at && Date.parse(notice.at) <= now.getTime()) return undefined;
      const warning = { cause: notice.cause, ...(notice.at ? { at: new Date(notice.at) } : {}) };
      return bankWarningMessage(consent, warning, await deps.reconnectLink(consent), await lang());
    }
  }
}

const textOf = (message: OutboundMessage) => ('text' in message ? message.text : message.attachment.payload.text);

/**
 * The notice as a utility message, or undefined when the deployment has no template for its kind.
 * Template buttons are postbacks: the bank's "Log in again" is answered, when tapped, with a link
 * made then (a URL in a message read days later would have expired).
 */
export function noticeUtilityMessage(notice: AccountNotice, message: OutboundMessage, templates: NoticeTemplates): UtilityMessage | undefined {
  const template = templateFor(notice, templates);
  if (!template) return undefined;
  const buttons =
    notice.kind === 'expiry-reminder'
      ? [Payloads.renew(notice.consentId), Payloads.keepSharing]
      : notice.kind === 'bank-login' || notice.kind === 'bank-warning'
        ? [Payloads.reconnect(notice.consentId), Payloads.stopSharing]
        : [];
  return {
    template: {
      name: template.name,
      language: { code: template.language },
      components: [
        { type: 'body', parameters: [{ type: 'text', text: textOf(message).slice(0, 1024) }] },
        ...(buttons.length ? [{ type: 'buttons' as const, parameters: buttons.map((payload) => ({ type: 'POSTBACK' as const, payload })) }] : []),
      ],
    },
  };
}

function templateFor(notice: AccountNotice, templates: NoticeTemplates): NoticeTemplate {
  switch (notice.kind) {
    case 'expiry-reminder':
      return templates.renewal;
    case 'bank-login':
    case 'bank-warning':
      return templates.bank;
    case 'data-deleted':
      return templates.notice;
  }
}

/**
 * Sends a notice within Messenger's policy (see notifyOrHold): now when the person's window is
 * open, else as a utility message when a template fits, else held for their next message. `compose`
 * is the caller's own composition for a send now (it may already hold what it needs); without it,
 * the notice is composed from its description, as a utility message and a held notice always are.
 */
export function sendNotice(psid: string, key: string, notice: AccountNotice, deps: NoticeDeps, compose?: () => Promise<OutboundMessage[]>): Promise<NoticeOutcome> {
  const composed = async () => {
    const message = await composeNotice(psid, notice, deps);
    return message && [message];
  };
  const template = templateFor(notice, deps.templates);
  return notifyOrHold(
    {
      psid,
      key,
      compose: compose ?? composed,
      utility: template
        ? async () => {
            const message = await composeNotice(psid, notice, deps);
            return message && noticeUtilityMessage(notice, message, deps.templates);
          }
        : undefined,
      hold: async () => {
        const now = deps.clock();
        const until = holdUntil(notice, now);
        // A warning whose date has already passed is not worth keeping for anyone.
        if (until > now) await deps.store.holdNotice(psid, { key, notice, until });
      },
    },
    { ...deps, profile: deps.store.getProfile },
  );
}

export interface HeldNotice {
  key: string;
  notice: AccountNotice;
  heldAt: string;
}

export interface HeldNoticeDeps extends ComposeNoticeDeps {
  store: Pick<Store, 'getConsent' | 'getPurgeRecord' | 'listHeldNotices' | 'dropHeldNotice'> & DeliverDeps['store'];
  messenger: Pick<SendApi, 'send'>;
  log: Log;
}

/**
 * Starts reading the notices held for the person as their turn starts, for deliverHeldNotices to
 * send after the reply (see readHeldAlerts: the same reasoning, the same race, nothing lost).
 */
export function readHeldNotices(psid: string, deps: Pick<HeldNoticeDeps, 'store'>): Promise<HeldNoticeRecord[]> {
  const read = deps.store.listHeldNotices(psid);
  read.catch(() => undefined);
  return read;
}

/** Notices that say the same thing of one consent: only the newest is worth reading. */
const topicOf = (notice: AccountNotice) =>
  `${notice.kind === 'bank-login' || notice.kind === 'bank-warning' ? 'bank' : notice.kind}:${notice.consentId}`;

/**
 * With the person's next message (their window is open again): the held notices, each composed now
 * and sent once under its own key, oldest first. Of several about the same thing (the 30-day and
 * the 7-day reminder; two days' "log in again"), only the newest is sent; one that no longer
 * applies is dropped unsent. Each is dropped from the hold only once it is settled, so a failure
 * leaves it for the retry, which the ledger keeps from sending twice.
 */
export async function deliverHeldNotices(psid: string, deps: HeldNoticeDeps, held: Promise<HeldNoticeRecord[]> = readHeldNotices(psid, deps)): Promise<number> {
  const newest = new Map<string, HeldNotice>();
  const superseded: string[] = [];
  for (const record of await held) {
    const parsed = accountNoticeSchema.safeParse(record.notice);
    if (!parsed.success) {
      deps.log.warn('A held notice is not one we know; dropped', { key: record.key });
      superseded.push(record.key);
      continue;
    }
    const topic = topicOf(parsed.data);
    const older = newest.get(topic);
    if (older) superseded.push(older.key);
    newest.set(topic, { key: record.key, notice: parsed.data, heldAt: record.heldAt });
  }

  let delivered = 0;
  let dropped = 0;
  const inOrder = [...newest.values()].sort((a, b) => a.heldAt.localeCompare(b.heldAt));
  for (const { key, notice, heldAt } of inOrder) {
    let stale = false;
    const outcome = await deliverOnce(
      {
        psid,
        key,
        messagingType: 'UPDATE',
        whenWindowClosed: 'release',
        compose: async () => {
          const message = await composeNotice(psid, notice, deps, heldAt);
          stale = message === undefined;
          return message ? [message] : [];
        },
      },
      deps,
    );
    // Closed again already (a message that opened no window): the rest stay held for the next one.
    if (outcome === 'window-closed') break;
    await deps.store.dropHeldNotice(psid, key);
    if (outcome === 'sent' && stale) dropped++;
    else if (outcome === 'sent') delivered++;
  }
  for (const key of superseded) await deps.store.dropHeldNotice(psid, key);
  if (delivered || dropped || superseded.length) deps.log.info('Held notices delivered', { delivered, dropped, superseded: superseded.length });
  return delivered;
}
