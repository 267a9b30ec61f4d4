import { describe, expect, it } from 'vitest';
import type { Consent } from '../../../lib/consent/model/consent';
import { sweepConsents, type ExpiryDeps } from '../../../lib/consent/expiry';
import { ConsentChanged } from '../../../lib/errors';

const NOW = new Date('2026-11-21T04:00:00.000Z');
const DAY_MS = 86_400_000;
const day = (offset: number) => new Date(NOW.getTime() + offset * DAY_MS).toISOString().slice(0, 10);
const silent = { debug() {}, info() {}, warn() {}, error() {} } as unknown as ExpiryDeps['log'];

const consent = (id: string, expiresAt: string, status: Consent['status'] = 'active'): Consent => ({
  consentId: id,
  psid: `psid-${id}`,
  status,
  scopes: ['balances'],
  durationDays: 90,
  disclosureVersion: 'v1',
  disclosureHash: 'h',
  version: 3,
  createdAt: '2026-08-01T00:00:00.000Z',
  updatedAt: '2026-08-01T00:00:00.000Z',
  institution: { id: 'ins_1', name: 'First Platypus Bank' },
  expiresAt,
});

/**
 * A store whose bucket queries answer after a tick, recording the days asked and how many were in
 * flight. No sweep has completed before (no watermark); test/lib/consent/expiry-watermark.test.ts
 * covers the watermark against DynamoDB Local.
 */
function fakeStore(consents: Consent[], options: { changed?: string[]; failOn?: string } = {}) {
  const asked: string[] = [];
  const committed: string[] = [];
  const flight = { now: 0, most: 0 };
  let watermark: string | undefined;
  const store: ExpiryDeps['store'] = {
    consentSweepWatermark: async () => watermark,
    async recordConsentSweep(d) {
      if (watermark === undefined || watermark < d) watermark = d;
    },
    async listConsentsEndingOn(d) {
      asked.push(d);
      flight.now++;
      flight.most = Math.max(flight.most, flight.now);
      await new Promise((resolve) => setTimeout(resolve, 2));
      flight.now--;
      if (d === options.failOn) throw new Error('DynamoDB is down');
      return consents.filter((c) => c.expiresAt!.slice(0, 10) === d).map((c) => ({ psid: c.psid, consentId: c.consentId }));
    },
    getConsent: async (psid, id) => consents.find((c) => c.psid === psid && c.consentId === id),
    async commitConsentTransition(transition) {
      if (options.changed?.includes(transition.consent.consentId)) throw new ConsentChanged('renewed meanwhile');
      committed.push(`${transition.consent.consentId}:${transition.consent.status}`);
    },
  };
  return { store, asked, committed, flight };
}

describe('consent sweep', () => {
  it('with no watermark, reads each day of the last month and the two reminder days once, a few at a time', async () => {
    const { store, asked, flight } = fakeStore([]);

    await sweepConsents({ store, notify: async () => undefined, clock: () => NOW, log: silent });

    // Today's three buckets first (they go out beside the watermark's read), then the oldest first.
    const expected = [day(0), day(7), day(30), ...Array.from({ length: 31 }, (_, i) => day(i - 31))];
    expect(asked).toEqual(expected);
    expect(flight.most).toBeGreaterThan(1);
    expect(flight.most).toBeLessThanOrEqual(8);
  });

  it("reads today's three buckets while the watermark is read: a steady-state run is one round trip", async () => {
    const { store, asked } = fakeStore([]);
    let answer!: (day: string) => void;
    store.consentSweepWatermark = () => new Promise((resolve) => (answer = resolve));

    const run = sweepConsents({ store, notify: async () => undefined, clock: () => NOW, log: silent });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(asked).toEqual([day(0), day(7), day(30)]);
    answer(day(0));

    await run;
    expect(asked).toEqual([day(0), day(7), day(30)]);
  });

  it("fails the run once today's buckets are done when the watermark cannot be read, and moves nothing", async () => {
    const { store, asked } = fakeStore([]);
    const recorded: string[] = [];
    store.consentSweepWatermark = async () => {
      throw new Error('DynamoDB is down');
    };
    store.recordConsentSweep = async (d) => void recorded.push(d);

    await expect(sweepConsents({ store, notify: async () => undefined, clock: () => NOW, log: silent })).rejects.toThrow('DynamoDB is down');
    expect(asked).toEqual([day(0), day(7), day(30)]);
    expect(recorded).toEqual([]);
  });

  it('never has more bucket queries in flight than asked for', async () => {
    const { store, flight } = fakeStore([]);
    await sweepConsents({ store, notify: async () => undefined, clock: () => NOW, log: silent }, { concurrency: 3 });
    expect(flight.most).toBe(3);
  });

  it('expires every ended active consent and reminds every consent ending in a week, counting each once', async () => {
    const ended = [consent('a', `${day(-31)}T01:00:00.000Z`), consent('b', `${day(-3)}T09:00:00.000Z`), consent('c', `${day(0)}T03:00:00.000Z`)];
    const notYet = consent('d', `${day(0)}T05:00:00.000Z`);
    const alreadyRevoked = consent('e', `${day(-2)}T00:00:00.000Z`, 'revoked');
    const renewedMeanwhile = consent('f', `${day(-1)}T00:00:00.000Z`);
    const endingInAWeek = [consent('g', `${day(7)}T10:00:00.000Z`), consent('h', `${day(7)}T11:00:00.000Z`)];
    const { store, committed } = fakeStore([...ended, notYet, alreadyRevoked, renewedMeanwhile, ...endingInAWeek], { changed: ['f'] });
    const reminders: string[] = [];

    const swept = await sweepConsents({ store, notify: async (psid, key) => void reminders.push(`${psid} ${key}`), clock: () => NOW, log: silent });

    expect(swept).toEqual({ expired: 3, reminded: 2 });
    expect(committed.sort()).toEqual(['a:expired', 'b:expired', 'c:expired']);
    expect(reminders.sort()).toEqual([
      `psid-g consent:g:reminder:${day(7)}T10:00:00.000Z`,
      `psid-h consent:h:reminder:${day(7)}T11:00:00.000Z`,
    ]);
  });

  it('reminds consents ending in 30 days and in 7 days, each under its own key', async () => {
    const in30 = consent('i', `${day(30)}T10:00:00.000Z`);
    const in7 = consent('j', `${day(7)}T10:00:00.000Z`);
    const { store } = fakeStore([in30, in7]);
    const reminders: string[] = [];

    const swept = await sweepConsents({ store, notify: async (psid, key) => void reminders.push(`${psid} ${key}`), clock: () => NOW, log: silent });

    expect(swept.reminded).toBe(2);
    expect(reminders.sort()).toEqual([`psid-i consent:i:reminder-30:${in30.expiresAt}`, `psid-j consent:j:reminder:${in7.expiresAt}`]);
  });

  it('sends no 30-day reminder to a consent granted 30 days before its end, only the 7-day one later', async () => {
    const justGranted = { ...consent('k', `${day(30)}T10:00:00.000Z`), durationDays: 30, authorizedAt: `${day(0)}T10:00:00.000Z` };
    const { store } = fakeStore([justGranted]);
    const reminders: string[] = [];
    const notify = async (_psid: string, key: string) => void reminders.push(key);

    await sweepConsents({ store, notify, clock: () => NOW, log: silent });
    await sweepConsents({ store, notify, clock: () => new Date(NOW.getTime() + 23 * DAY_MS), log: silent });

    expect(reminders).toEqual([`consent:k:reminder:${justGranted.expiresAt}`]);
  });

  it('sends the reminder in the person’s language, with a Renew button that renews this consent', async () => {
    const { store } = fakeStore([consent('l', `${day(30)}T10:00:00.000Z`)]);
    const sent: unknown[] = [];

    await sweepConsents({ store, notify: async (_psid, _key, compose) => void sent.push(...(await compose())), language: async () => 'es', clock: () => NOW, log: silent });

    expect(sent).toEqual([
      {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'button',
            text: expect.stringMatching(/^El permiso para compartir First Platypus Bank \(saldos\) termina el 21 dic 2026\. Toca "Renovar"/),
            buttons: [
              { type: 'postback', title: 'Renovar', payload: 'RENEW:l' },
              { type: 'postback', title: 'Dejar que termine', payload: 'KEEP_SHARING' },
            ],
          },
        },
      },
    ]);
  });

  it('fails when a bucket cannot be read, after the queries in flight have answered', async () => {
    const { store, flight } = fakeStore([], { failOn: day(-20) });

    await expect(sweepConsents({ store, notify: async () => undefined, clock: () => NOW, log: silent })).rejects.toThrow('DynamoDB is down');
    expect(flight.now).toBe(0);
  });

  it('logs its counts at INFO when it expired or reminded someone, and only at DEBUG when it found nothing', async () => {
    const levels: string[] = [];
    const log = { debug: () => void levels.push('debug'), info: () => void levels.push('info'), warn() {}, error() {} } as unknown as ExpiryDeps['log'];

    await sweepConsents({ store: fakeStore([]).store, notify: async () => undefined, clock: () => NOW, log });
    await sweepConsents({ store: fakeStore([consent('m', `${day(-1)}T10:00:00.000Z`)]).store, notify: async () => undefined, clock: () => NOW, log });

    expect(levels).toEqual(['debug', 'info']);
  });
});
