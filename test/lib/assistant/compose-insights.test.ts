import { describe, expect, it } from 'vitest';
import { composeReply } from '../../../lib/assistant/compose';
import { AlertPayloads, alertMessage } from '../../../lib/alerts/messages';
import { alertSettingsOf } from '../../../lib/alerts/settings';
import type { Alert } from '../../../lib/alerts/rules';
import type { InboundEvent } from '../../../lib/messenger/events';
import { text, world } from './money-world';

/**
 * "Turn these off" under a money insight: the tap restates which alerts stop and changes nothing;
 * only the yes that names exactly that change turns them off, and the settings then say so.
 */
const tap = (payload: string, id: string): InboundEvent & { psid: string } => ({
  ...text('button'),
  id,
  kind: 'message',
  message: { mid: id, text: 'tap', quick_reply: { payload } },
});

function withSettings() {
  const { deps } = world('messenger');
  let stored: Record<string, unknown> | undefined;
  deps.alertSettings = { get: async () => stored, put: async (_psid, settings) => void (stored = settings) };
  return { deps, stored: () => stored };
}

describe('turning a money insight off from its alert', () => {
  const priceUp: Alert = {
    rule: 'price-up',
    kind: 'insight',
    accountId: 'acc-1',
    dedupeKey: 'price-up:stream-1:2026-03-01',
    reason: { type: 'price-up', name: 'Netflix', before: 15.49, after: 17.99, currency: 'USD', since: '2026-03-01' },
    amount: 17.99,
    currency: 'USD',
    date: '2026-03-01',
  };

  it('offers "Turn these off" under the alert, a payload naming the rule and no figure', () => {
    const message = alertMessage([priceUp], 'a'.repeat(20), { lang: 'en', locale: 'en-US', timeZone: 'UTC' });
    expect('text' in message && message.text).toContain('Netflix went from $15.49 to $17.99');
    expect(message.quick_replies).toEqual([{ content_type: 'text', title: 'Turn these off', payload: AlertPayloads.insightOff('price-up') }]);
  });

  it('restates the change on the tap, applies it only on the yes, and shows it in the settings', async () => {
    const { deps, stored } = withSettings();
    const asked = (await composeReply(tap(AlertPayloads.insightOff('price-up'), 'm_1'), deps)).messages;
    expect(JSON.stringify(asked)).toContain('Stop alerts about subscription price rises? The other alerts stay as they are.');
    expect(JSON.stringify(asked)).toContain('CONFIRM:price-up:off');
    expect(stored()).toBeUndefined();

    const done = (await composeReply(tap('CONFIRM:price-up:off', 'm_2'), deps)).messages;
    expect(stored()).toMatchObject({ insights: { 'price-up': false } });
    expect(alertSettingsOf(stored(), 'US').insights).toEqual({ 'price-up': false });
    const said = JSON.stringify(done);
    expect(said).toContain('Alerts about subscription price rises are off.');
    expect(said).toContain('• Money alerts: subscription price rises off, new recurring charges on, double charges on, bills due with a low balance on');
    expect(said).toContain(AlertPayloads.insightOn('price-up'));

    // And back on, the same way.
    const again = (await composeReply(tap(AlertPayloads.insightOn('price-up'), 'm_6'), deps)).messages;
    expect(JSON.stringify(again)).toContain('Turn alerts about subscription price rises back on?');
    expect(stored()).toMatchObject({ insights: { 'price-up': false } });
    await composeReply(tap('CONFIRM:price-up:on', 'm_7'), deps);
    expect(stored()).toMatchObject({ insights: { 'price-up': true } });
  });

  it('changes nothing on No, or for a payload it did not restate', async () => {
    const { deps, stored } = withSettings();
    await composeReply(tap(AlertPayloads.insightOff('double-charge'), 'm_3'), deps);
    await composeReply(tap('CANCEL_CHANGE', 'm_4'), deps);
    await composeReply(tap('CONFIRM:price-up:off', 'm_5'), deps);
    expect(stored()).toBeUndefined();
  });
});
