import type { DeliverDeps } from '../../lib/messenger/deliver';
import type { ReplyKey } from '../../lib/store/replies';

export type LedgerEntry = { status: 'pending' } | { status: 'sent'; messageIds: string[] } | { status: 'failed'; reason: string };

/**
 * The reply ledger and the unreachable list in memory, with the claim semantics of
 * lib/store/replies (first claim wins; sent and failed are final; a pending claim can be released).
 */
export function fakeLedger(options: { leaseExpiresAt?: number } = {}) {
  const ledger = new Map<string, LedgerEntry>();
  const unreachable = new Map<string, string>();
  const keyOf = ({ psid, eventId }: ReplyKey) => `${psid}/${eventId}`;
  const store: DeliverDeps['store'] = {
    async claimReply(key) {
      const entry = ledger.get(keyOf(key));
      if (!entry) {
        ledger.set(keyOf(key), { status: 'pending' });
        return { outcome: 'claimed' };
      }
      if (entry.status === 'sent') return { outcome: 'already-sent' };
      if (entry.status === 'failed') return { outcome: 'already-failed' };
      return { outcome: 'in-progress', leaseExpiresAt: options.leaseExpiresAt ?? 0 };
    },
    async markReplySent(key, messageIds) {
      ledger.set(keyOf(key), { status: 'sent', messageIds });
    },
    async markReplyFailed(key, reason) {
      ledger.set(keyOf(key), { status: 'failed', reason });
    },
    async releaseReply(key) {
      if (ledger.get(keyOf(key))?.status === 'pending') ledger.delete(keyOf(key));
    },
    async markRecipientUnreachable(psid, reason) {
      unreachable.set(psid, reason);
    },
  };
  return { store, ledger, unreachable, entryOf: (key: ReplyKey) => ledger.get(keyOf(key)) };
}
