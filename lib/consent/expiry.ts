import { forEachBounded } from '../bounded';
import { ConsentChanged } from '../errors';
import type { Log } from '../logger';
import type { OutboundMessage } from '../messenger/send-api';
import { expiryReminderMessage } from './messages';
import type { Language } from '../text/language';
import { expireConsent, type Consent } from './model/consent';
import type { ConsentStorePort } from './flows';
import type { AccountNotice } from './notices';

/**
 * The scheduled sweep of consent rule 3: remind a person 30 days and again 7 days before their
 * consent ends (each with a one-tap renewal), and expire consents whose end has passed — expiry
 * then runs the same purge as a revocation (consentEffects). Reads are filtered by end date too,
 * so data is never used after the end even if a sweep is late.
 *
 * Consents sit in day buckets by end date. A watermark W, the UTC day of the last sweep that
 * completed, tells a sweep on day T how far to look: a consent only ever enters the bucket of a
 * future day, so buckets before W were emptied then, and W's own bucket may have gained consents
 * that ended after its last sweep. The hourly run of a day reads W = T and the three buckets of
 * the day (expiry T, reminders T+7 and T+30); the first run of a day, or the first after an
 * outage, also reads the days in between, bounded by a month.
 *
 * Each reminder is a stage that owns a band of end days: the 7-day stage the days T..T+7, the
 * 30-day stage T+8..T+30. A bucket is read by one stage only, so a catch-up sends each consent the
 * reminder of the band it is in now: one 7 days away gets the 7-day reminder, never also the
 * 30-day one it missed; one 20 days away gets the 30-day reminder, late, and the 7-day one on its
 * day. Each is sent once per end date (notify dedupes by key); a renewal moves the end date and
 * earns its own reminders.
 */
export interface ExpiryDeps {
  store: Pick<ConsentStorePort, 'getConsent' | 'commitConsentTransition'> & {
    listConsentsEndingOn(day: string): Promise<{ psid: string; consentId: string }[]>;
    /** The UTC day (YYYY-MM-DD) of the last sweep that completed, if any. */
    consentSweepWatermark(): Promise<string | undefined>;
    /** Moves the watermark forward to `day` (never back; losing a race is not an error). */
    recordConsentSweep(day: string): Promise<unknown>;
  };
  /**
   * Sends what `compose` makes at most once per key. Every hourly run of a day meets the day's
   * reminders again; composing only under the key's claim spares those runs the language read.
   * The reminder describes itself too: outside the person's 24-hour window it goes as a utility
   * message or is held for their next message, and composed again then.
   */
  notify(psid: string, key: string, compose: () => Promise<OutboundMessage[]>, notice: AccountNotice): Promise<unknown>;
  /** The language the person speaks with the assistant, if known; English otherwise. */
  language?: (psid: string) => Promise<Language | undefined>;
  clock: () => Date;
  log: Log;
}

const DAY_MS = 86_400_000;
const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);
const startOf = (day: string) => Date.parse(`${day}T00:00:00.000Z`);
const plusDays = (day: string, days: number) => dayOf(startOf(day) + days * DAY_MS);
/** Every day from `from` to `to`, both included (none if `from` is later). */
const daysFrom = (from: string, to: string) =>
  Array.from({ length: Math.max(0, Math.round((startOf(to) - startOf(from)) / DAY_MS) + 1) }, (_, i) => dayOf(startOf(from) + i * DAY_MS));
const latest = (...days: string[]) => days.reduce((a, b) => (b > a ? b : a));
const earliest = (...days: string[]) => days.reduce((a, b) => (b < a ? b : a));

/**
 * Day buckets read at once, when a run has several (the first of a day, a catch-up). Before the
 * watermark every run read ~33: one after another they made a cold start's first event ~100 ms
 * (cold-start bench), eight at a time ~80 ms, the rest being the SDK's CPU per request, which
 * concurrency does not hide. A handful keeps the sweep's read rate small.
 */
const BUCKET_CONCURRENCY = 8;

/** Consent rule 3 and FDX's guidance: a first reminder 30 days ahead, and a last one a week ahead. */
export const REMINDER_DAYS = [30, 7] as const;

export interface SweepOptions {
  /** How many days before the end each reminder goes out. */
  reminderDays?: readonly number[];
  lookbackDays?: number;
  concurrency?: number;
}

export async function sweepConsents(deps: ExpiryDeps, options: SweepOptions = {}): Promise<{ reminded: number; expired: number }> {
  const { reminderDays = REMINDER_DAYS, lookbackDays = 31, concurrency = BUCKET_CONCURRENCY } = options;
  const now = deps.clock();
  const today = dayOf(now.getTime());
  const oldest = dayOf(now.getTime() - lookbackDays * DAY_MS);
  // Closest first: each stage owns the end days after the previous stage's, up to its own.
  const ahead = [...new Set(reminderDays)].filter((d) => Number.isInteger(d) && d > 0).sort((a, b) => a - b);
  const stages = ahead.map((days, i) => ({ days, from: i === 0 ? 0 : ahead[i - 1]! + 1, due: plusDays(today, days) }));
  let expired = 0;
  let reminded = 0;

  const expireEndedOn = async (day: string) => {
    for (const key of await deps.store.listConsentsEndingOn(day)) {
      const consent = await deps.store.getConsent(key.psid, key.consentId);
      if (!consent || consent.status !== 'active' || !consent.expiresAt || Date.parse(consent.expiresAt) > now.getTime()) continue;
      try {
        await deps.store.commitConsentTransition(expireConsent(consent, { now }));
        expired++;
      } catch (error) {
        if (!(error instanceof ConsentChanged)) throw error; // renewed or revoked meanwhile
      }
    }
  };

  const remindEndingOn = async (day: string, stage: number) => {
    for (const key of await deps.store.listConsentsEndingOn(day)) {
      const consent = await deps.store.getConsent(key.psid, key.consentId);
      // Ended (a catch-up of today's bucket): the expiry notice is the message, not a reminder.
      if (!consent || consent.status !== 'active' || !consent.expiresAt || Date.parse(consent.expiresAt) <= now.getTime()) continue;
      // Renewed since the index was read: its new end day has its own bucket, and stage.
      if (dayOf(Date.parse(consent.expiresAt)) !== day) continue;
      // Granted or renewed less than `stage` days before its end (a 30-day consent): no reminder
      // that early, the person has only just said yes.
      if (consent.authorizedAt && Date.parse(consent.authorizedAt) >= Date.parse(consent.expiresAt) - stage * DAY_MS) continue;
      // Once per end date and stage: a renewal moves the end, and earns its own reminders later.
      await deps.notify(consent.psid, reminderKey(consent, stage, ahead[0]), async () => [expiryReminderMessage(consent, (await deps.language?.(consent.psid)) ?? 'en')], {
        kind: 'expiry-reminder',
        consentId: consent.consentId,
        expiresAt: consent.expiresAt,
      });
      reminded++;
    }
  };

  // Today's buckets (expiry T, each reminder's T+n) are read whatever the watermark says: they go
  // out beside its read, so a steady-state run waits on one round trip, not two. A failure is
  // reported only once all are done, so no bucket is left running behind a failed run.
  const todaysBuckets = [() => expireEndedOn(today), ...stages.map(({ days, due }) => () => remindEndingOn(due, days))];
  const [read, todays] = await Promise.allSettled([deps.store.consentSweepWatermark(), forEachBounded(todaysBuckets, concurrency, (sweep) => sweep())]);
  for (const outcome of [read, todays]) if (outcome.status === 'rejected') throw outcome.reason;
  const watermark = (read as PromiseFulfilledResult<string | undefined>).value;
  // Expiry: W..T, never more than the lookback. No watermark (the first run) is a full lookback.
  // A watermark later than today (a clock set back) still reads today.
  const expiryDays = daysFrom(earliest(latest(watermark ?? oldest, oldest), today), today);
  // Reminders: each stage reads W+n..T+n, so an outage's missed reminders are sent late (notify
  // dedupes by key), but only within its own band: a day that has moved into a closer stage's
  // band gets that stage's reminder instead, and a day before today the expiry notice. No
  // watermark (the first run): only T+n, rather than a burst of late reminders.
  const reminderBuckets = stages.map(({ days, from, due }) => ({
    days,
    due,
    dates: daysFrom(watermark === undefined ? due : earliest(latest(plusDays(watermark, days), plusDays(today, from)), due), due),
  }));
  // Each consent sits in the bucket of its one end day, so the buckets are independent: after
  // today's, the oldest first, the reminder days last, a few in flight; within a bucket, one
  // consent at a time.
  const buckets = [
    ...expiryDays.filter((day) => day !== today).map((day) => () => expireEndedOn(day)),
    ...reminderBuckets.flatMap(({ days, due, dates }) => dates.filter((day) => day !== due).map((day) => () => remindEndingOn(day, days))),
  ];
  await forEachBounded(buckets, concurrency, (sweep) => sweep());
  // Only a run whose every bucket succeeded moves the watermark (a failure above has thrown), and
  // only once a day: the other hourly runs of the day find it already there.
  if (watermark === undefined || watermark < today) await deps.store.recordConsentSweep(today);

  const reminderBucketsRead = reminderBuckets.reduce((n, b) => n + b.dates.length, 0);
  // Most sweeps find nothing ending; those are not worth a line at INFO.
  deps.log[expired + reminded > 0 ? 'info' : 'debug']('Consent sweep done', { expired, reminded, watermark: watermark ?? null, expiryDays: expiryDays.length, reminderDays: reminderBucketsRead });
  return { reminded, expired };
}

/**
 * One key per consent, end date and stage. The closest stage keeps the key of the single reminder
 * sent before there were two, so the sweep does not repeat one that went out before this change.
 */
const reminderKey = (consent: Consent, stage: number, closest: number | undefined) =>
  stage === closest ? `consent:${consent.consentId}:reminder:${consent.expiresAt}` : `consent:${consent.consentId}:reminder-${stage}:${consent.expiresAt}`;
