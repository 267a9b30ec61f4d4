import { forEachBounded } from '../bounded';
import { ConsentChanged } from '../errors';
import type { Log } from '../logger';
import type { OutboundMessage } from '../messenger/send-api';
import { expiryReminderMessage } from '../assistant/consent-replies';
import { expireConsent, type Consent } from './consent';
import type { ConsentStorePort } from './flows';

/**
 * The scheduled sweep of consent rule 3: remind a person a week before their consent ends (with a
 * one-tap renewal), and expire consents whose end has passed — expiry then runs the same purge as
 * a revocation (consentEffects). Reads are filtered by end date too, so data is never used after
 * the end even if a sweep is late.
 *
 * A watermark W, the UTC day of the last sweep that completed, tells a sweep on day T how far to
 * look: a consent only ever enters the bucket of a future day, so buckets before W were emptied
 * then, and W's own bucket may have gained consents that ended after its last sweep. The hourly
 * run of a day reads W = T and the two buckets of the day (expiry T, reminder T+7); the first run
 * of a day, or the first after an outage, also reads the days in between, bounded by a month.
 */
export interface ExpiryDeps {
  store: Pick<ConsentStorePort, 'getConsent' | 'commitConsentTransition'> & {
    listConsentsEndingOn(day: string): Promise<{ psid: string; consentId: string }[]>;
    /** The UTC day (YYYY-MM-DD) of the last sweep that completed, if any. */
    consentSweepWatermark(): Promise<string | undefined>;
    /** Moves the watermark forward to `day` (never back; losing a race is not an error). */
    recordConsentSweep(day: string): Promise<unknown>;
  };
  notify(psid: string, key: string, messages: OutboundMessage[]): Promise<unknown>;
  clock: () => Date;
  log: Log;
}

const DAY_MS = 86_400_000;
const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);
const startOf = (day: string) => Date.parse(`${day}T00:00:00.000Z`);
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

export async function sweepConsents(
  deps: ExpiryDeps,
  options: { reminderDays?: number; lookbackDays?: number; concurrency?: number } = {},
): Promise<{ reminded: number; expired: number }> {
  const { reminderDays = 7, lookbackDays = 31, concurrency = BUCKET_CONCURRENCY } = options;
  const now = deps.clock();
  const today = dayOf(now.getTime());
  const reminderDay = dayOf(now.getTime() + reminderDays * DAY_MS);
  const oldest = dayOf(now.getTime() - lookbackDays * DAY_MS);
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

  const remindEndingOn = async (day: string) => {
    for (const key of await deps.store.listConsentsEndingOn(day)) {
      const consent = await deps.store.getConsent(key.psid, key.consentId);
      // Ended (a catch-up of today's bucket): the expiry notice is the message, not a reminder.
      if (!consent || consent.status !== 'active' || !consent.expiresAt || Date.parse(consent.expiresAt) <= now.getTime()) continue;
      // One reminder per end date: a renewal moves the end, and earns its own reminder later.
      await deps.notify(consent.psid, `consent:${consent.consentId}:reminder:${consent.expiresAt}`, [expiryReminderMessage(consent as Consent)]);
      reminded++;
    }
  };

  // Today's two buckets (expiry T, reminder T+7) are read whatever the watermark says: they go out
  // beside its read, so a steady-state run waits on one round trip, not two. A failure is
  // reported only once both are done, so no bucket is left running behind a failed run.
  const [read, todays] = await Promise.allSettled([
    deps.store.consentSweepWatermark(),
    forEachBounded([() => expireEndedOn(today), () => remindEndingOn(reminderDay)], concurrency, (sweep) => sweep()),
  ]);
  for (const outcome of [read, todays]) if (outcome.status === 'rejected') throw outcome.reason;
  const watermark = (read as PromiseFulfilledResult<string | undefined>).value;
  // Expiry: W..T, never more than the lookback. No watermark (the first run) is a full lookback.
  // A watermark later than today (a clock set back) still reads today.
  const expiryDays = daysFrom(earliest(latest(watermark ?? oldest, oldest), today), today);
  // Reminders: W+7..T+7, so an outage's missed reminders are sent late (notify dedupes by key),
  // but never for a day before today: a consent that has ended gets the expiry notice instead.
  // No watermark: only T+7, as before — earlier days were reminded by the sweeps before this one.
  const reminderFrom = watermark === undefined ? reminderDay : earliest(latest(dayOf(startOf(watermark) + reminderDays * DAY_MS), today), reminderDay);
  const reminderDaysToRead = daysFrom(reminderFrom, reminderDay);
  // Each consent sits in the bucket of its one end day, so the buckets are independent: after
  // today's, the oldest first, the reminder days last, a few in flight; within a bucket, one
  // consent at a time.
  const buckets = [
    ...expiryDays.filter((day) => day !== today).map((day) => () => expireEndedOn(day)),
    ...reminderDaysToRead.filter((day) => day !== reminderDay).map((day) => () => remindEndingOn(day)),
  ];
  await forEachBounded(buckets, concurrency, (sweep) => sweep());
  // Only a run whose every bucket succeeded moves the watermark (a failure above has thrown), and
  // only once a day: the other hourly runs of the day find it already there.
  if (watermark === undefined || watermark < today) await deps.store.recordConsentSweep(today);

  deps.log.info('Consent sweep done', { expired, reminded, watermark: watermark ?? null, expiryDays: expiryDays.length, reminderDays: reminderDaysToRead.length });
  return { reminded, expired };
}
