import { describe, expect, it } from 'vitest';
import { alertIdOf, raiseAlert, type RaiseDeps } from '../../../lib/alerts/deliver';
import type { Alert } from '../../../lib/alerts/rules';
import type { Consent } from '../../../lib/consent/consent';
import type { OutboundMessage, UtilityMessage } from '../../../lib/messenger/send-api';

const NOW = new Date('2026-11-21T12:00:00Z');
const consent = { consentId: 'c-1', psid: 'p-1', itemId: 'i-1', status: 'active', scopes: ['transactions', 'alerts'] } as unknown as Consent;
const fraud: Alert = { rule: 'unusual-amount', kind: 'fraud', transactionId: 't-1', accountId: 'a-1', dedupeKey: 'txn:t-1:unusual-amount', reason: '$912.40 at ELECTRO-WORLD is 11× your usual.', amount: 912.4, currency: 'USD', date: '2026-11-21' };
const large: Alert = { ...fraud, rule: 'large-transaction', kind: 'large-transaction', dedupeKey: 'txn:t-1:large-transaction', reason: '$912.40 is over the $500.00 you set.' };

function fakes(options: { lastInboundAt?: number; templates?: RaiseDeps['templates']; utility?: 'sent' | 'undeliverable'; recorded?: Set<string> } = {}) {
  const recorded = options.recorded ?? new Set<string>();
  const calls = { notify: [] as OutboundMessage[][], utility: [] as UtilityMessage[], held: [] as unknown[] };
  const deps: RaiseDeps = {
    financial: {
      async recordAlert(_c, record) {
        if (recorded.has(record.dedupeKey)) return 'duplicate';
        recorded.add(record.dedupeKey);
        return 'new';
      },
      async holdAlert(_c, held) {
        calls.held.push(held.message);
      },
    },
    profile: async () => (options.lastInboundAt === undefined ? undefined : { lastInboundAt: options.lastInboundAt }),
    notify: async (_p, _k, messages) => (calls.notify.push(messages), 'sent'),
    templates: options.templates ?? {},
    notifyUtility: async (_p, _k, message) => (calls.utility.push(message), options.utility ?? 'sent'),
    clock: () => NOW,
    log: { debug() {}, info() {}, warn() {}, error() {} } as never,
  };
  return { deps, calls };
}

describe('raising an alert', () => {
  it('sends at once inside the 24-hour window', async () => {
    const { deps, calls } = fakes({ lastInboundAt: NOW.getTime() - 3_600_000 });

    expect(await raiseAlert(consent, [fraud], deps)).toBe('sent');
    expect(calls.notify).toHaveLength(1);
    expect([calls.utility, calls.held]).toEqual([[], []]);
  });

  it('outside the window, sends the configured utility template with the alert text and yes/no buttons', async () => {
    const { deps, calls } = fakes({ lastInboundAt: NOW.getTime() - 25 * 3_600_000, templates: { fraud: { name: 'bank_fraud_check', language: 'en_US' } } });

    expect(await raiseAlert(consent, [fraud, large], deps)).toBe('sent');

    const id = alertIdOf(fraud.dedupeKey);
    expect(calls.utility).toEqual([
      {
        template: {
          name: 'bank_fraud_check',
          language: { code: 'en_US' },
          components: [
            { type: 'body', parameters: [{ type: 'text', text: `${fraud.reason} Large transaction: ${large.reason}` }] },
            { type: 'buttons', parameters: [{ type: 'POSTBACK', payload: `FRAUD_YES:${id}` }, { type: 'POSTBACK', payload: `FRAUD_NO:${id}` }] },
          ],
        },
      },
    ]);
    expect([calls.notify, calls.held]).toEqual([[], []]);
  });

  it('uses the notice template, without buttons, for an alert that is not about fraud', async () => {
    const { deps, calls } = fakes({ templates: { fraud: { name: 'f', language: 'en_US' }, notice: { name: 'bank_notice', language: 'es_ES' } } });

    await raiseAlert(consent, [large], deps);

    expect(calls.utility[0]?.template).toMatchObject({ name: 'bank_notice', language: { code: 'es_ES' }, components: [{ type: 'body' }] });
    expect(calls.utility[0]?.template.components).toHaveLength(1);
  });

  it('holds the alert outside the window when no template fits', async () => {
    const { deps, calls } = fakes({ templates: { notice: { name: 'bank_notice', language: 'en_US' } } });

    expect(await raiseAlert(consent, [fraud], deps)).toBe('held');
    expect([calls.notify, calls.utility, calls.held.length]).toEqual([[], [], 1]);
  });

  it('holds the alert when the utility message cannot be delivered', async () => {
    const { deps, calls } = fakes({ templates: { fraud: { name: 'f', language: 'en_US' } }, utility: 'undeliverable' });

    expect(await raiseAlert(consent, [fraud], deps)).toBe('held');
    expect(calls.held).toHaveLength(1);
  });

  it('raises a transaction and rule once, ever', async () => {
    const recorded = new Set<string>();
    const first = fakes({ lastInboundAt: NOW.getTime(), recorded });
    const second = fakes({ lastInboundAt: NOW.getTime(), recorded });

    await raiseAlert(consent, [fraud], first.deps);
    expect(await raiseAlert(consent, [fraud], second.deps)).toBe('duplicate');
    expect(second.calls.notify).toEqual([]);
  });
});
