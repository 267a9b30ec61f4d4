import type { RaiseDeps } from '../../lib/alerts/deliver';
import type { Alert } from '../../lib/alerts/rules';
import type { Consent } from '../../lib/consent/model/consent';
import type { OutboundMessage, UtilityMessage } from '../../lib/messenger/send-api';

/** The moment the alert tests raise their alerts. */
export const NOW = new Date('2026-11-21T12:00:00Z');

/** A person's last message an hour before NOW: Messenger's 24-hour window is open. */
export const IN_WINDOW = NOW.getTime() - 3_600_000;

/** An active consent that shares transactions and alerts, as far as raising an alert reads it. */
export const consent = { consentId: 'c-1', psid: 'p-1', itemId: 'i-1', status: 'active', scopes: ['transactions', 'alerts'] } as unknown as Consent;

const payee = { name: 'ELECTRO-WORLD', paidTo: false };

/** A first payment of $912.40 at a merchant not paid in 90 days: "Was this you?". */
export const fraud: Alert = {
  rule: 'new-merchant-high-amount',
  kind: 'fraud',
  transactionId: 't-1',
  accountId: 'a-1',
  dedupeKey: 'txn:t-1:new-merchant-high-amount',
  reason: { type: 'new-merchant', amount: 912.4, currency: 'USD', payee, days: 90 },
  amount: 912.4,
  currency: 'USD',
  merchant: 'ELECTRO-WORLD',
  payee,
  account: 'Everyday Checking',
  date: '2026-11-21',
  // 6:55 AM in New York, the deployment's time zone here.
  datetime: '2026-11-21T11:55:00Z',
};

/** The same payment, over the default $500 threshold: a notice, not a question. */
export const large: Alert = {
  ...fraud,
  rule: 'large-transaction',
  kind: 'large-transaction',
  dedupeKey: 'txn:t-1:large-transaction',
  reason: { type: 'large-transaction', amount: 912.4, currency: 'USD', payee, threshold: 500, exact: false, isDefault: true },
};

/** A logger that writes nothing. */
export const silentLog = { debug() {}, info() {}, warn() {}, error() {} } as never;

/** What the fake Messenger of raiseDepsFake was asked to send: each notify call's messages, each utility message. */
export interface Sent {
  notify: OutboundMessage[][];
  utility: UtilityMessage[];
}

/**
 * raiseAlert's deps with a recording fake of Messenger, in English, at NOW, for a person who last
 * wrote at `lastInboundAt` (never, when undefined); `parts` gives the alert store and replaces any other dep.
 */
export function raiseDepsFake(
  options: { lastInboundAt?: number; templates?: RaiseDeps['templates']; utility?: 'sent' | 'undeliverable'; defaultLanguage?: 'en' | 'es' },
  parts: Pick<RaiseDeps, 'financial'> & Partial<RaiseDeps>,
): { deps: RaiseDeps; sent: Sent } {
  const sent: Sent = { notify: [], utility: [] };
  const deps: RaiseDeps = {
    profile: async () => (options.lastInboundAt === undefined ? undefined : { lastInboundAt: options.lastInboundAt }),
    language: async () => 'en',
    languages: { default: options.defaultLanguage ?? 'en', locales: { en: 'en-US', es: 'es-US' }, timeZone: 'America/New_York' },
    notify: async (_p, _k, messages) => (sent.notify.push(messages), 'sent'),
    templates: options.templates ?? {},
    notifyUtility: async (_p, _k, message) => (sent.utility.push(message), options.utility ?? 'sent'),
    clock: () => NOW,
    log: silentLog,
    ...parts,
  };
  return { deps, sent };
}
