import { describe, expect, it } from 'vitest';
import type { Log } from '../../../lib/logger';
import type { BusinessMetric } from '../../../lib/metrics';
import type { InboundEvent } from '../../../lib/messenger/events';
import { receiveWebhook } from '../../../lib/messenger/receive-webhook';

/** A verified delivery of Meta's webhook: recorded in the inbox, once, and counted as people's messages. */
const base = { pageId: '106123456789012', psid: '6543210987654321', timestamp: 1712345678901, channel: 'messaging' as const };
const text = (id: string): InboundEvent => ({ ...base, id, kind: 'message', message: { mid: id, text: 'hello' } });
const echo = (id: string): InboundEvent => ({ ...base, id, kind: 'message', message: { mid: id, text: 'Hi!', is_echo: true } });
const postback = (id: string): InboundEvent => ({ ...base, id, kind: 'postback', postback: { mid: id, title: 'Help', payload: 'HELP' } });

function world(options: { failWrites?: boolean } = {}) {
  const stored = new Set<string>();
  const counted: [BusinessMetric, number | undefined][] = [];
  const lines: [string, unknown][] = [];
  const record = (message: string, fields?: unknown) => void lines.push([message, fields]);
  const deps = {
    inbox: {
      putInboundEvent: async (event: InboundEvent) => {
        if (options.failWrites) throw new Error('DynamoDB is down');
        if (stored.has(event.id)) return 'duplicate' as const;
        stored.add(event.id);
        return 'stored' as const;
      },
    },
    concurrency: 2,
    log: { debug() {}, info: record, warn: record, error: record } as unknown as Log,
    count: (name: BusinessMetric, n?: number) => void counted.push([name, n]),
  };
  return { deps, stored, counted, lines };
}

describe('a webhook delivery', () => {
  it('records every event, and counts as received only people’s new messages and taps', async () => {
    const { deps, stored, counted } = world();

    await receiveWebhook({ object: 'page', events: [text('m_1'), echo('m_2'), postback('m_3'), text('m_4')] }, deps);

    expect([...stored].sort()).toEqual(['m_1', 'm_2', 'm_3', 'm_4']);
    expect(counted).toEqual([['MessagesReceived', 3]]);
  });

  it('counts nothing again for a redelivery, and says it was one', async () => {
    const { deps, counted, lines } = world();
    const delivery = { object: 'page', events: [text('m_1')] };

    await receiveWebhook(delivery, deps);
    await receiveWebhook(delivery, deps);

    expect(counted).toEqual([
      ['MessagesReceived', 1],
      ['MessagesReceived', 0],
    ]);
    expect(lines.filter(([message]) => message === 'Webhook redelivered')).toEqual([['Webhook redelivered', { duplicates: ['m_1'] }]]);
  });

  it('records nothing for another object type, and says to check the subscription', async () => {
    const { deps, stored, lines } = world();

    await receiveWebhook({ object: 'instagram', events: [text('m_1')] }, deps);

    expect(stored.size).toBe(0);
    expect(lines.map(([message]) => message)).toEqual(['Ignoring a delivery for another object type; check the app subscription']);
  });

  it('fails the delivery when a write fails, so Meta delivers it again', async () => {
    const { deps, counted } = world({ failWrites: true });

    await expect(receiveWebhook({ object: 'page', events: [text('m_1')] }, deps)).rejects.toThrow('DynamoDB is down');
    expect(counted).toEqual([]);
  });
});
