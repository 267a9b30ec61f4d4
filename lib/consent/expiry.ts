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

export async function sweepConsents(deps: ExpiryDeps, options = { reminderDays: 7, lookbackDays: 31 }): Promise<{ reminded: number; expired: number }> {
  const now = deps.clock();
  let expired = 0;
  let reminded = 0;

  for (let back = options.lookbackDays; back >= 0; back--) {
    for (const key of await deps.store.listConsentsEndingOn(dayOf(now.getTime() - back * DAY_MS))) {
      const consent = await deps.store.getConsent(key.psid, key.consentId);
      if (!consent || consent.status !== 'active' || !consent.expiresAt || Date.parse(consent.expiresAt) > now.getTime()) continue;
      try {
        await deps.store.commitConsentTransition(expireConsent(consent, { now }));
        expired++;
      } catch (error) {
        if (!(error instanceof ConsentChanged)) throw error; // renewed or revoked meanwhile
      }
    }
  }

  for (const key of await deps.store.listConsentsEndingOn(dayOf(now.getTime() + options.reminderDays * DAY_MS))) {
    const consent = await deps.store.getConsent(key.psid, key.consentId);
    if (!consent || consent.status !== 'active' || !consent.expiresAt) continue;
    // One reminder per end date: a renewal moves the end, and earns its own reminder later.
    await deps.notify(consent.psid, `consent:${consent.consentId}:reminder:${consent.expiresAt}`, [expiryReminderMessage(consent as Consent)]);
    reminded++;
  }
  deps.log.info('Consent sweep done', { expired, reminded });
  return { reminded, expired };
}
