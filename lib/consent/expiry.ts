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
 * the end even if a sweep is late; the sweep looks back a month to catch up after an outage.
 */
export interface ExpiryDeps {
  store: Pick<ConsentStorePort, 'getConsent' | 'commitConsentTransition'> & {
    listConsentsEndingOn(day: string): Promise<{ psid: string; consentId: string }[]>;
  };
  notify(psid: string, key: string, messages: OutboundMessage[]): Promise<unknown>;
  clock: () => Date;
  log: Log;
}

const DAY_MS = 86_400_000;
const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * Day buckets read at once. One after another, the ~33 bucket queries made a cold start's first
 * event ~100 ms (cold-start bench); eight at a time ~80 ms: the rest is the SDK's CPU per request,
 * which concurrency does not hide. A handful keeps the sweep's read rate small.
 */
const BUCKET_CONCURRENCY = 8;

export async function sweepConsents(
  deps: ExpiryDeps,
  options: { reminderDays?: number; lookbackDays?: number; concurrency?: number } = {},
): Promise<{ reminded: number; expired: number }> {
  const { reminderDays = 7, lookbackDays = 31, concurrency = BUCKET_CONCURRENCY } = options;
  const now = deps.clock();
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
      if (!consent || consent.status !== 'active' || !consent.expiresAt) continue;
      // One reminder per end date: a renewal moves the end, and earns its own reminder later.
      await deps.notify(consent.psid, `consent:${consent.consentId}:reminder:${consent.expiresAt}`, [expiryReminderMessage(consent as Consent)]);
      reminded++;
    }
  };

  // Each consent sits in the bucket of its one end day, so the buckets are independent: the
  // oldest first, the reminder day last, a few in flight; within a bucket, one consent at a time.
  const past = Array.from({ length: lookbackDays + 1 }, (_, i) => dayOf(now.getTime() - (lookbackDays - i) * DAY_MS));
  const buckets = [...past.map((day) => () => expireEndedOn(day)), () => remindEndingOn(dayOf(now.getTime() + reminderDays * DAY_MS))];
  await forEachBounded(buckets, concurrency, (sweep) => sweep());

  deps.log.info('Consent sweep done', { expired, reminded });
  return { reminded, expired };
}
