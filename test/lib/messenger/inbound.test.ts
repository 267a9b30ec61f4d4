import { describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../../lib/messenger/events';
import { recordInbound } from '../../../lib/messenger/inbound';

const event = (id: string) => ({ id, pageId: 'p', psid: 'u', timestamp: 1, channel: 'messaging', kind: 'unknown', keys: [] }) as InboundEvent;

/** An inbox whose writes finish when told to, and that knows how many were in flight at once. */
function slowInbox(known: Set<string>) {
  let inFlight = 0;
  let most = 0;
  return {
    most: () => most,
    async putInboundEvent(e: InboundEvent) {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return known.has(e.id) ? ('duplicate' as const) : ('stored' as const);
    },
  };
}

describe('recordInbound', () => {
  it('reports which events were stored and which were already there', async () => {
    const inbox = slowInbox(new Set(['b']));
    const summary = await recordInbound(['a', 'b', 'c'].map(event), inbox, { concurrency: 16 });
    expect(summary).toEqual({ stored: ['a', 'c'], duplicates: ['b'] });
  });

  it('never has more writes in flight than the concurrency allows, for a large delivery', async () => {
    const inbox = slowInbox(new Set());
    const ids = Array.from({ length: 40 }, (_, i) => `e${i}`);
    const summary = await recordInbound(ids.map(event), inbox, { concurrency: 4 });
    expect(inbox.most()).toBe(4);
    expect(summary.stored).toEqual(ids);
  });
});
