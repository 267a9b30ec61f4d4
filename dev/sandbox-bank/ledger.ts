/**
 * An item's transactions as an append-only change log, and `/transactions/sync` over it.
 *
 * Every change (a transaction added, modified or removed) gets the next sequence number. A cursor
 * is a position in that log, so "what changed since my cursor" is a slice of the log, folded into
 * Plaid's net view: a transaction added and modified since the cursor is one `added`; one that
 * existed before and was removed is one `removed`; one added and removed in between is nothing.
 *
 * Paging: the first call from a resting cursor fixes the window [start, end) at the log's current
 * length; `has_more` pages carry the window and an offset in their cursor. If the log grows while
 * a client is between pages, its next page call fails with
 * TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION, and it must restart from the cursor it began with —
 * exactly what Plaid asks of clients, so the adapter's restart logic gets exercised.
 */
import { invalidField, mutationDuringPagination } from './errors';
import type { RemovedTransaction, Transaction } from './types';

type ChangeKind = 'added' | 'modified' | 'removed';

interface Change {
  kind: ChangeKind;
  /** The transaction after the change (its last state, for a removal). */
  transaction: Transaction;
}

export interface SyncPage {
  added: Transaction[];
  modified: Transaction[];
  removed: RemovedTransaction[];
  next_cursor: string;
  has_more: boolean;
}

interface Cursor {
  start: number;
  /** Set while paginating: the log length when this pagination run began. */
  end?: number;
  offset: number;
}

interface FoldedChange {
  kind: ChangeKind;
  transaction: Transaction;
}

export class Ledger {
  private readonly log: Change[] = [];
  private readonly live = new Map<string, Transaction>();
  /** Sequence number at which each transaction id was first added. */
  private readonly addedAt = new Map<string, number>();
  /** Folding is O(window); pages of one run share a window, so keep the last fold. */
  private folded: { start: number; end: number; changes: FoldedChange[] } | undefined;

  /** @param tag distinguishes this item's cursors from another item's */
  constructor(private readonly tag: string) {}

  get length(): number {
    return this.log.length;
  }

  get(transactionId: string): Transaction | undefined {
    return this.live.get(transactionId);
  }

  /** Every current transaction, oldest change first (the order a full sync yields them). */
  list(): Transaction[] {
    return [...this.live.values()];
  }

  add(transaction: Transaction): void {
    if (this.live.has(transaction.transaction_id) || this.addedAt.has(transaction.transaction_id)) {
      throw new Error(`transaction ${transaction.transaction_id} already exists`);
    }
    this.addedAt.set(transaction.transaction_id, this.log.length);
    this.live.set(transaction.transaction_id, transaction);
    this.log.push({ kind: 'added', transaction });
  }

  modify(transaction: Transaction): void {
    if (!this.live.has(transaction.transaction_id)) throw new Error(`no transaction ${transaction.transaction_id}`);
    // Re-insert so list() keeps "ascending last modified" order, like sync's output.
    this.live.delete(transaction.transaction_id);
    this.live.set(transaction.transaction_id, transaction);
    this.log.push({ kind: 'modified', transaction });
  }

  remove(transactionId: string): Transaction {
    const transaction = this.live.get(transactionId);
    if (!transaction) throw new Error(`no transaction ${transactionId}`);
    this.live.delete(transactionId);
    this.log.push({ kind: 'removed', transaction });
    return transaction;
  }

  /** One `/transactions/sync` page. Throws Plaid errors for bad cursors and mid-run mutations. */
  sync(cursorText: string | undefined, count: number): SyncPage {
    const cursor = this.parseCursor(cursorText);
    const { start } = cursor;
    const end = cursor.end ?? this.log.length;
    if (cursor.end !== undefined && this.log.length !== cursor.end) throw mutationDuringPagination();
    if (start > end) throw invalidField('cursor is invalid: it points past the end of this item\'s updates');

    const changes = this.fold(start, end);
    const page = changes.slice(cursor.offset, cursor.offset + count);
    const hasMore = cursor.offset + count < changes.length;
    const next: Cursor = hasMore ? { start, end, offset: cursor.offset + count } : { start: end, offset: 0 };
    return {
      added: page.filter((c) => c.kind === 'added').map((c) => c.transaction),
      modified: page.filter((c) => c.kind === 'modified').map((c) => c.transaction),
      removed: page
        .filter((c) => c.kind === 'removed')
        .map((c) => ({ transaction_id: c.transaction.transaction_id, account_id: c.transaction.account_id })),
      next_cursor: this.encode(next),
      has_more: hasMore,
    };
  }

  /** Net changes in [start, end), ordered by the position of each transaction's last change. */
  private fold(start: number, end: number): FoldedChange[] {
    if (this.folded?.start === start && this.folded.end === end) return this.folded.changes;
    const last = new Map<string, { seq: number; change: Change }>();
    for (let seq = start; seq < end; seq += 1) {
      const change = this.log[seq]!;
      last.set(change.transaction.transaction_id, { seq, change });
    }
    const changes: FoldedChange[] = [];
    for (const [id, { change }] of [...last.entries()].sort((a, b) => a[1].seq - b[1].seq)) {
      const existedBefore = (this.addedAt.get(id) ?? Infinity) < start;
      if (change.kind === 'removed') {
        if (existedBefore) changes.push({ kind: 'removed', transaction: change.transaction });
      } else {
        changes.push({ kind: existedBefore ? 'modified' : 'added', transaction: change.transaction });
      }
    }
    this.folded = { start, end, changes };
    return changes;
  }

  private encode(cursor: Cursor): string {
    const parts = [1, this.tag, cursor.start, cursor.end ?? '', cursor.offset];
    return Buffer.from(parts.join('.'), 'utf8').toString('base64url');
  }

  private parseCursor(text: string | undefined): Cursor {
    if (text === undefined || text === '') return { start: 0, offset: 0 };
    // Plaid's documented fast-forward value for migrations from /transactions/get.
    if (text === 'now') return { start: this.log.length, offset: 0 };
    const parts = Buffer.from(text, 'base64url').toString('utf8').split('.');
    const [version, tag, start, end, offset] = parts;
    const number = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : NaN);
    const parsed: Cursor = { start: number(start), offset: number(offset), ...(end === '' ? {} : { end: number(end) }) };
    if (parts.length !== 5 || version !== '1' || !Number.isInteger(parsed.start) || !Number.isInteger(parsed.offset) || Number.isNaN(parsed.end)) {
      throw invalidField('cursor is invalid: use the next_cursor value from a previous /transactions/sync response');
    }
    if (tag !== this.tag) throw invalidField('cursor is invalid: it belongs to a different Item');
    return parsed;
  }
}
