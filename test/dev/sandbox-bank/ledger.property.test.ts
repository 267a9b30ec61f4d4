/**
 * The change log behind /transactions/sync, checked as a property: whatever changes land between
 * (or during) a client's paged syncs, a client that follows Plaid's rules — apply pages, restart
 * the run from its first cursor on TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION — ends holding
 * exactly the bank's transactions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlaidApiError } from '../../../dev/sandbox-bank/errors';
import { Ledger } from '../../../dev/sandbox-bank/ledger';
import type { Transaction } from '../../../dev/sandbox-bank/types';

type Action =
  | { kind: 'add'; amount: number }
  | { kind: 'modify'; pick: number; amount: number }
  | { kind: 'remove'; pick: number }
  | { kind: 'page'; count: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), amount: fc.integer({ min: -500, max: 500 }) }),
  fc.record({ kind: fc.constant('modify' as const), pick: fc.nat(), amount: fc.integer({ min: -500, max: 500 }) }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('page' as const), count: fc.integer({ min: 1, max: 6 }) }),
);

function transaction(id: number, amount: number): Transaction {
  return { transaction_id: `t${id}`, account_id: `a${id % 3}`, amount } as Transaction;
}

/** A client mid-way through syncs: its applied state, resting cursor, and the run in progress. */
class Client {
  state = new Map<string, Transaction>();
  private resting: string | undefined;
  private run: { staged: Map<string, Transaction>; cursor: string } | undefined;
  restarts = 0;

  constructor(private readonly ledger: Ledger) {}

  /** One /transactions/sync call; returns whether the client is now up to date. */
  page(count: number): boolean {
    const staged = this.run?.staged ?? new Map(this.state);
    let page;
    try {
      page = this.ledger.sync(this.run?.cursor ?? this.resting, count);
    } catch (error) {
      expect(error).toBeInstanceOf(PlaidApiError);
      expect((error as PlaidApiError).errorCode).toBe('TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION');
      this.run = undefined;
      this.restarts += 1;
      return false;
    }
    const ids = [...page.added, ...page.modified].map((t) => t.transaction_id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of page.added) {
      expect(staged.has(t.transaction_id)).toBe(false);
      staged.set(t.transaction_id, t);
    }
    for (const t of page.modified) {
      expect(staged.has(t.transaction_id)).toBe(true);
      staged.set(t.transaction_id, t);
    }
    for (const r of page.removed) {
      expect(staged.has(r.transaction_id)).toBe(true);
      staged.delete(r.transaction_id);
    }
    if (page.has_more) {
      this.run = { staged, cursor: page.next_cursor };
      return false;
    }
    this.state = staged;
    this.resting = page.next_cursor;
    this.run = undefined;
    return true;
  }
}

describe('ledger sync', () => {
  it('a Plaid-conforming client always converges on the bank’s transactions', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 80 }), fc.integer({ min: 1, max: 6 }), (actions, drainCount) => {
        const ledger = new Ledger('prop');
        const client = new Client(ledger);
        let next = 0;
        const live = () => ledger.list();
        for (const a of actions) {
          if (a.kind === 'add') ledger.add(transaction(next++, a.amount));
          else if (a.kind === 'modify' && live().length > 0) {
            const target = live()[a.pick % live().length]!;
            ledger.modify({ ...target, amount: a.amount });
          } else if (a.kind === 'remove' && live().length > 0) ledger.remove(live()[a.pick % live().length]!.transaction_id);
          else if (a.kind === 'page') client.page(a.count);
        }
        let guard = 0;
        while (!client.page(drainCount)) expect((guard += 1)).toBeLessThan(1000);

        const expected = new Map(live().map((t) => [t.transaction_id, t]));
        expect(client.state).toEqual(expected);
        expect(client.page(drainCount)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('fails a page with the mutation error only when the log grew during the run', () => {
    const ledger = new Ledger('unit');
    for (let i = 0; i < 5; i += 1) ledger.add(transaction(i, 1));
    const first = ledger.sync(undefined, 2);
    expect(ledger.sync(first.next_cursor, 2).has_more).toBe(true);
    ledger.add(transaction(99, 1));
    expect(() => ledger.sync(first.next_cursor, 2)).toThrow(PlaidApiError);
    // The run's first cursor (none, here) still works and now includes the new transaction.
    const restarted = ledger.sync(undefined, 10);
    expect(restarted.added.map((t) => t.transaction_id)).toContain('t99');
  });
});
