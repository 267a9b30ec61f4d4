import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Consent } from '../../../lib/consent/model/consent';
import { sweepConsents, type ExpiryDeps } from '../../../lib/consent/expiry';
import type { OutboundMessage } from '../../../lib/messenger/send-api';
import type { Store } from '../../../lib/store';
import { consentSweepPk } from '../../../lib/store/keys';
import { createTestTables, type TestTables } from '../../support/dynamodb';

/**
 * The consent sweep's watermark, against DynamoDB Local: which day buckets a run reads given the
 * last day swept, what it expires and reminds, and when the watermark moves.
 */
const NOW = new Date('2026-11-21T04:00:00.000Z');
const DAY_MS = 86_400_000;
const day = (offset: number) => new Date(NOW.getTime() + offset * DAY_MS).toISOString().slice(0, 10);
const days = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => day(from + i));
const silent = { debug() {}, info() {}, warn() {}, error() {} } as unknown as ExpiryDeps['log'];

let tables: TestTables;
let store: Store;
/** What reached each person, once per key, as the reply ledger lets through (notifyOnce). */
let delivered: Map<string, { psid: string; messages: OutboundMessage[] }>;

beforeEach(async () => {
  tables = await createTestTables();
  store = tables.store(() => NOW);
  delivered = new Map();
});

afterEach(async () => {
  await tables.dispose();
});

/** An active consent granted in the summer, ending at `expiresAt` (so in that day's bucket). */
async function grant(id: string, expiresAt: string, authorizedAt = '2026-08-01T00:00:00.000Z'): Promise<Consent> {
  const consent: Consent = {
    consentId: id,
    psid: `psid-${id}`,
    status: 'active',
    scopes: ['balances'],
    durationDays: 90,
    disclosureVersion: 'v1',
    disclosureHash: 'h',
    version: 1,
    createdAt: authorizedAt,
    updatedAt: authorizedAt,
    authorizedAt,
    institution: { id: 'ins_1', name: 'First Platypus Bank' },
    expiresAt,
  };
  await store.commitConsentTransition({ consent, audit: { action: 'granted', psid: consent.psid, consentId: id, at: consent.createdAt, actor: 'person' } });
  return consent;
}

/**
 * Runs a sweep at `now` on the real store, recording the day buckets it reads; `failOn` fails one,
 * `watermarkSeen` is the watermark the run read (as an overlapping run would have).
 */
async function sweep(options: { now?: Date; failOn?: string; watermarkSeen?: string } = {}) {
  const asked: string[] = [];
  const reminded: string[] = [];
  const recorded: string[] = [];
  const observed: ExpiryDeps['store'] = {
    ...store,
    consentSweepWatermark: async () => options.watermarkSeen ?? store.consentSweepWatermark(),
    async recordConsentSweep(d) {
      recorded.push(d);
      return store.recordConsentSweep(d);
    },
    async listConsentsEndingOn(d) {
      asked.push(d);
      if (d === options.failOn) throw new Error('DynamoDB is down');
      return store.listConsentsEndingOn(d);
    },
  };
  const notify = async (psid: string, key: string, compose: () => Promise<OutboundMessage[]>) => {
    if (delivered.has(key)) return;
    delivered.set(key, { psid, messages: await compose() });
    reminded.push(psid);
  };
  const run = sweepConsents({ store: observed, notify, clock: () => options.now ?? NOW, log: silent });
  return { run, asked, reminded, recorded };
}

const statusOf = async (c: Consent) => (await store.getConsent(c.psid, c.consentId))?.status;
const watermarkItem = async () => (await tables.items()).find((item) => item.pk === consentSweepPk());

describe('consent sweep watermark', () => {
  it('in steady state (swept earlier today) reads only today and the two reminder days, and does not rewrite the watermark', async () => {
    await store.recordConsentSweep(day(0));
    const before = await watermarkItem();
    const endedThisHour = await grant('a', `${day(0)}T03:30:00.000Z`);
    const endsInAWeek = await grant('b', `${day(7)}T10:00:00.000Z`);

    const { run, asked, reminded, recorded } = await sweep();

    expect(await run).toEqual({ expired: 1, reminded: 1 });
    expect(asked.sort()).toEqual([day(0), day(7), day(30)]);
    expect(recorded).toEqual([]);
    expect(await statusOf(endedThisHour)).toBe('expired');
    expect(reminded).toEqual([endsInAWeek.psid]);
    expect(await watermarkItem()).toEqual(before);
  });

  it("on a new day reads from the watermark's day, expiring what ended after its last sweep, and records today", async () => {
    await store.recordConsentSweep(day(-1));
    const endedLateYesterday = await grant('a', `${day(-1)}T23:30:00.000Z`);
    const endedToday = await grant('b', `${day(0)}T02:00:00.000Z`);
    const endsLaterToday = await grant('c', `${day(0)}T09:00:00.000Z`);
    const endedTwoDaysAgo = await grant('d', `${day(-2)}T12:00:00.000Z`); // before the watermark: its sweep was done

    const { run, asked } = await sweep();

    expect(await run).toEqual({ expired: 2, reminded: 0 });
    expect(asked.sort()).toEqual([day(-1), day(0), day(6), day(7), day(29), day(30)]);
    expect([await statusOf(endedLateYesterday), await statusOf(endedToday), await statusOf(endsLaterToday), await statusOf(endedTwoDaysAgo)]).toEqual([
      'expired',
      'expired',
      'active',
      'active',
    ]);
    expect(await store.consentSweepWatermark()).toBe(day(0));
  });

  it('after a three-day outage, expires what ended meanwhile and sends the reminders that were missed', async () => {
    await store.recordConsentSweep(day(-3));
    const ended = [await grant('a', `${day(-2)}T08:00:00.000Z`), await grant('b', `${day(-1)}T08:00:00.000Z`)];
    // Their reminders were due two days ago and yesterday, and today's is due now.
    const missedReminders = [await grant('c', `${day(5)}T08:00:00.000Z`), await grant('d', `${day(6)}T08:00:00.000Z`)];
    const dueReminder = await grant('e', `${day(7)}T08:00:00.000Z`);

    const { run, asked, reminded } = await sweep();

    expect(await run).toEqual({ expired: 2, reminded: 3 });
    expect(asked.sort()).toEqual([...days(-3, 0), ...days(4, 7), ...days(27, 30)]);
    expect(await Promise.all(ended.map(statusOf))).toEqual(['expired', 'expired']);
    expect(reminded.sort()).toEqual([...missedReminders, dueReminder].map((c) => c.psid));
    expect(await store.consentSweepWatermark()).toBe(day(0));
  });

  it('fails when a bucket fails, leaving the watermark where it was, so the next run reads those days again', async () => {
    await store.recordConsentSweep(day(-3));
    const endedYesterday = await grant('a', `${day(-1)}T08:00:00.000Z`);

    const failed = await sweep({ failOn: day(-1) });
    await expect(failed.run).rejects.toThrow('DynamoDB is down');
    expect(await store.consentSweepWatermark()).toBe(day(-3));

    const retried = await sweep({ now: new Date(NOW.getTime() + 3_600_000) });
    await retried.run;
    expect(retried.asked.sort()).toEqual([...days(-3, 0), ...days(4, 7), ...days(27, 30)]);
    expect(await statusOf(endedYesterday)).toBe('expired');
    expect(await store.consentSweepWatermark()).toBe(day(0));
  });

  it('with no watermark (the first run), looks back a month and reminds only 7 and 30 days ahead, then records today', async () => {
    const endedAMonthAgo = await grant('a', `${day(-31)}T08:00:00.000Z`);
    const endsInSixDays = await grant('b', `${day(6)}T08:00:00.000Z`); // reminded by the sweeps before this one

    const { run, asked, reminded } = await sweep();

    expect(await run).toEqual({ expired: 1, reminded: 0 });
    expect(asked.sort()).toEqual([...days(-31, 0), day(7), day(30)]);
    expect(await statusOf(endedAMonthAgo)).toBe('expired');
    expect(reminded).not.toContain(endsInSixDays.psid);
    expect(await store.consentSweepWatermark()).toBe(day(0));
  });

  it('looks back at most a month after a longer outage, and reminds no consent that has already ended', async () => {
    await store.recordConsentSweep(day(-60));
    const endedToday = await grant('a', `${day(0)}T02:00:00.000Z`);

    const { run, asked, reminded } = await sweep();

    expect(await run).toEqual({ expired: 1, reminded: 0 });
    expect(asked.sort()).toEqual([...days(-31, 0), ...days(0, 7), ...days(8, 30)].sort());
    expect(reminded).toEqual([]);
    expect(await statusOf(endedToday)).toBe('expired');
  });

  it('never moves the watermark backwards, and a run that loses that race still succeeds', async () => {
    expect(await store.recordConsentSweep(day(0))).toBe('recorded');
    expect(await store.recordConsentSweep(day(-1))).toBe('superseded');
    expect(await store.recordConsentSweep(day(0))).toBe('superseded');
    expect(await store.consentSweepWatermark()).toBe(day(0));

    // A run that began before midnight and read the watermark of the day before, while today's
    // run finished first: it records yesterday, which loses to today without failing the run.
    const late = await sweep({ now: new Date(NOW.getTime() - DAY_MS), watermarkSeen: day(-2) });
    await expect(late.run).resolves.toEqual({ expired: 0, reminded: 0 });
    expect(late.asked.sort()).toEqual([day(-2), day(-1), day(5), day(6), day(28), day(29)]);
    expect(await store.consentSweepWatermark()).toBe(day(0));
    expect(await store.recordConsentSweep(day(1))).toBe('recorded');
    expect(await store.consentSweepWatermark()).toBe(day(1));
  });
});

describe('consent reminders, 30 and 7 days ahead', () => {
  const hours = (n: number) => new Date(NOW.getTime() + n * 3_600_000);
  const daysLater = (n: number) => new Date(NOW.getTime() + n * DAY_MS);
  const keysTo = (psid: string) => [...delivered.entries()].filter(([, d]) => d.psid === psid).map(([key]) => key);
  const textOf = (message: OutboundMessage) => ('text' in message ? message.text : message.attachment.payload.text);

  it('reminds 30 days before the end once, however many runs that day, with the end date and a Renew button', async () => {
    await store.recordConsentSweep(day(-1));
    const c = await grant('a', `${day(30)}T10:00:00.000Z`);

    for (const at of [hours(0), hours(1), hours(5)]) await (await sweep({ now: at })).run;

    expect(keysTo(c.psid)).toEqual([`consent:a:reminder-30:${c.expiresAt}`]);
    const [message] = delivered.get(`consent:a:reminder-30:${c.expiresAt}`)!.messages;
    expect(textOf(message!)).toMatch(/^Your sharing of First Platypus Bank \(balances\) ends on 21 Dec 2026\. Tap "Renew"/);
    expect('attachment' in message! && message.attachment.payload.buttons[0]).toEqual({ type: 'postback', title: 'Renew', payload: 'RENEW:a' });
  });

  it('reminds again 7 days before the end, once', async () => {
    await store.recordConsentSweep(day(-1));
    const c = await grant('a', `${day(30)}T10:00:00.000Z`);

    for (let d = 0; d <= 29; d++) await (await sweep({ now: daysLater(d) })).run;

    expect(keysTo(c.psid)).toEqual([`consent:a:reminder-30:${c.expiresAt}`, `consent:a:reminder:${c.expiresAt}`]);
  }, 30_000);

  it('after an outage, sends each consent the reminder of where it is now: never the missed 30-day one to a consent 7 days away', async () => {
    await store.recordConsentSweep(day(-24));
    const sevenDaysAway = await grant('a', `${day(7)}T10:00:00.000Z`); // its 30-day reminder was due 23 days ago
    const fiveDaysAway = await grant('b', `${day(5)}T10:00:00.000Z`); // both of its reminders were missed
    const twentyDaysAway = await grant('c', `${day(20)}T10:00:00.000Z`); // its 30-day reminder was due 10 days ago

    const { run } = await sweep();
    expect(await run).toEqual({ expired: 0, reminded: 3 });
    // The next day's run, and the one that catches up again after a failed day, send nothing new.
    await (await sweep({ now: daysLater(1) })).run;
    await (await sweep({ now: daysLater(2), watermarkSeen: day(0) })).run;

    expect(keysTo(sevenDaysAway.psid)).toEqual([`consent:a:reminder:${sevenDaysAway.expiresAt}`]);
    expect(keysTo(fiveDaysAway.psid)).toEqual([`consent:b:reminder:${fiveDaysAway.expiresAt}`]);
    expect(keysTo(twentyDaysAway.psid)).toEqual([`consent:c:reminder-30:${twentyDaysAway.expiresAt}`]);
  });

  it('gives a renewed consent its own reminders for its new end date', async () => {
    await store.recordConsentSweep(day(-1));
    const c = await grant('a', `${day(30)}T10:00:00.000Z`);
    await (await sweep()).run;
    const renewedEnd = `${day(120)}T10:00:00.000Z`;
    await store.commitConsentTransition({
      consent: { ...c, version: 2, authorizedAt: daysLater(1).toISOString(), expiresAt: renewedEnd, durationDays: 119 },
      audit: { action: 'renewed', psid: c.psid, consentId: c.consentId, at: daysLater(1).toISOString(), actor: 'person' },
    });

    await (await sweep({ now: daysLater(23) })).run; // the old end's 7-day day: no longer its end
    await (await sweep({ now: daysLater(90) })).run;

    expect(keysTo(c.psid)).toEqual([`consent:a:reminder-30:${c.expiresAt}`, `consent:a:reminder-30:${renewedEnd}`]);
  });
});
