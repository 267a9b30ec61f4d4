import { describe, expect, it } from 'vitest';
import { deliverHeldAlerts, raiseAlert, type RaiseDeps } from '../../../lib/alerts/deliver';
import type { Alert } from '../../../lib/alerts/rules';
import type { Consent } from '../../../lib/consent/model/consent';
import type { DeliveryOutcome } from '../../../lib/messenger/deliver';
import type { BusinessMetric } from '../../../lib/metrics';

/** Alerts sent and held, as the business metrics count them. */
const NOW = new Date('2026-11-21T12:00:00Z');
const consent = { consentId: 'c-1', psid: 'p-1', itemId: 'i-1', status: 'active', scopes: ['transactions', 'alerts'] } as unknown as Consent;
const fraud: Alert = { rule: 'unusual-amount', kind: 'fraud', transactionId: 't-1', accountId: 'a-1', dedupeKey: 'txn:t-1:unusual-amount', reason: { type: 'new-merchant', amount: 912.4, currency: 'USD', days: 90 }, amount: 912.4, currency: 'USD', date: '2026-11-21' };
const silentLog = { debug() {}, info() {}, warn() {}, error() {} } as never;

function counted() {
  const counts: Partial<Record<BusinessMetric, number>> = {};
  return { counts, count: (name: BusinessMetric, n = 1) => void (counts[name] = (counts[name] ?? 0) + n) };
}

function raiseDeps(options: { inWindow: boolean; delivery?: DeliveryOutcome; recorded?: Set<string> }, count: RaiseDeps['count']): RaiseDeps {
  const recorded = options.recorded ?? new Set<string>();
  return {
    financial: {
      async recordAlert(_c, record) {
        if (recorded.has(record.dedupeKey)) return 'duplicate';
        recorded.add(record.dedupeKey);
        return 'new';
      },
      async holdAlert() {},
    },
    profile: async () => (options.inWindow ? { lastInboundAt: NOW.getTime() - 60_000 } : undefined),
    language: async () => 'en',
    languages: { default: 'en', locales: { en: 'en-US', es: 'es-US' }, timeZone: 'UTC' },
    notify: async () => options.delivery ?? 'sent',
    templates: {},
    notifyUtility: async () => 'sent',
    clock: () => NOW,
    log: silentLog,
    count,
  };
}

describe('alert metrics', () => {
  it('count an alert sent inside the window as sent', async () => {
    const { counts, count } = counted();
    await raiseAlert(consent, [fraud], raiseDeps({ inWindow: true }, count));
    expect(counts).toEqual({ AlertsSent: 1 });
  });

  it('count an alert held outside the window as held', async () => {
    const { counts, count } = counted();
    await raiseAlert(consent, [fraud], raiseDeps({ inWindow: false }, count));
    expect(counts).toEqual({ AlertsHeld: 1 });
  });

  it('count nothing for an alert already raised, or one a previous run already delivered', async () => {
    const { counts, count } = counted();
    const recorded = new Set<string>();
    await raiseAlert(consent, [fraud], raiseDeps({ inWindow: true, recorded }, () => undefined));
    await raiseAlert(consent, [fraud], raiseDeps({ inWindow: true, recorded }, count));
    await raiseAlert(consent, [{ ...fraud, dedupeKey: 'txn:t-2:unusual-amount' }], raiseDeps({ inWindow: true, delivery: 'already-sent' }, count));
    expect(counts).toEqual({});
  });

  it('count held alerts delivered with the next message as sent', async () => {
    const { counts, count } = counted();
    const held = [
      { sk: 'a', alertId: 'a', message: { text: 'one' } },
      { sk: 'b', alertId: 'b', message: { text: 'two' } },
    ];
    const outcomes: DeliveryOutcome[] = ['sent', 'undeliverable'];
    await deliverHeldAlerts('p-1', { inbox: { held: async () => held, dropHeld: async () => {} }, notify: async () => outcomes.shift()!, log: silentLog, count });
    expect(counts).toEqual({ AlertsSent: 1 });
  });
});
