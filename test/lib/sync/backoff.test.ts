import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

// The worker module wires AWS clients at import; only its pure backoff is under test here.
vi.stubEnv('TABLE_NAME', 't');
vi.stubEnv('AUDIT_TABLE_NAME', 'a');
vi.stubEnv('GRAPH_API_URL', 'http://127.0.0.1:9/v25.0');
vi.stubEnv('SYNC_QUEUE_URL', 'http://127.0.0.1:9/000000000000/sync');
const { backoffSeconds } = await import('../../../functions/sync-worker');

describe('sync retry backoff', () => {
  it('starts at 15–30 s, doubles per receive, and never exceeds 15 minutes', () => {
    expect([backoffSeconds(1, () => 0), backoffSeconds(1, () => 1)]).toEqual([15, 30]);
    expect([backoffSeconds(2, () => 1), backoffSeconds(3, () => 1), backoffSeconds(5, () => 1)]).toEqual([60, 120, 480]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (count, r) => {
        const seconds = backoffSeconds(count, () => r);
        return seconds >= 15 && seconds <= 900;
      }),
    );
  });
});
