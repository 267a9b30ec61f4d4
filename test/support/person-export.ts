import { consentRecord } from '../../lib/consent/consent-record';
import type { PersonExport } from '../../lib/consent/export';
import type { AuditEntry, Consent } from '../../lib/consent/model/consent';

/** A name that must come out of the export page as text, never as markup. */
export const HOSTILE = '<img src=x onerror=alert(1)>';

const CONSENT: Consent = {
  consentId: 'c-1',
  psid: '5500000000000001',
  status: 'active',
  scopes: ['balances', 'transactions', 'alerts'],
  durationDays: 90,
  disclosureVersion: '2026-11-21.1',
  disclosureHash: 'hash',
  version: 2,
  createdAt: '2026-11-01T12:00:00.000Z',
  updatedAt: '2026-11-01T12:05:00.000Z',
  itemId: 'item-1',
  institution: { id: 'ins_1', name: 'First Platypus Bank' },
  authorizedAt: '2026-11-01T12:05:00.000Z',
  expiresAt: '2027-01-30T12:05:00.000Z',
};

/** The audit of that consent, newest first as the store lists it. */
const HISTORY: AuditEntry[] = [
  { action: 'granted', psid: CONSENT.psid, consentId: 'c-1', at: '2026-11-01T12:05:00.000Z', actor: 'person', disclosureVersion: '2026-11-21.1', scopes: CONSENT.scopes, validity: { from: CONSENT.authorizedAt!, until: CONSENT.expiresAt! } },
  { action: 'requested', psid: CONSENT.psid, consentId: 'c-1', at: '2026-11-01T12:00:00.000Z', actor: 'person', disclosureVersion: '2026-11-21.1', scopes: CONSENT.scopes },
];

/** One person's export, with something of every section, as the export page receives it. */
export const personExport = (overrides: Partial<PersonExport> = {}): PersonExport => ({
  format: 'messenger-banking-export/2',
  exportedAt: '2026-11-21T15:00:00.000Z',
  subject: { messengerPageScopedId: '5500000000000001' },
  consents: [CONSENT],
  consentHistory: [consentRecord(CONSENT, HISTORY, { principalId: '0f3c9a1d5e7b2c4a6f8e0d1b3a5c7e9f', controller: { name: 'Demo Bank' }, countries: ['US'] }, new Date('2026-11-21T15:00:00.000Z'))],
  otherHistory: [{ action: 'access-refused', psid: '5500000000000001', at: '2026-11-10T08:00:00.000Z', actor: 'person', details: { attemptedConsentId: 'c-9' } }],
  financialData: [
    {
      consentId: 'c-1',
      institution: { id: 'ins_1', name: 'First Platypus Bank' },
      connection: { itemId: 'item-1', institution: { id: 'ins_1', name: 'First Platypus Bank' }, linkedAt: '2026-11-01T12:05:00.000Z', lastSyncAt: '2026-11-21T14:00:00.000Z', syncStatus: 'ok' },
      accounts: [
        { accountId: 'acc-1', itemId: 'item-1', name: 'Everyday Checking', mask: '0042', type: 'depository', subtype: 'checking', balances: { available: 820.5, current: 900, limit: null, currency: 'USD' }, balancesAsOf: '2026-11-21T14:00:00.000Z' },
      ],
      transactions: [
        { transactionId: 't-1', accountId: 'acc-1', amount: 4.5, currency: 'USD', date: '2026-11-20', name: 'BEAN THERE', merchantName: 'Bean There', category: null, pending: false },
        { transactionId: 't-2', accountId: 'acc-1', amount: -2450, currency: 'USD', date: '2026-08-24', name: 'PAYROLL', category: null, pending: false },
        { transactionId: 't-3', accountId: 'acc-1', amount: 19.99, currency: 'USD', date: '2026-10-02', name: HOSTILE, category: null, pending: true },
      ],
      recurringStreams: [
        {
          streamId: 's-1',
          accountId: 'acc-1',
          direction: 'outflow',
          description: 'NETFLIX.COM',
          merchantName: 'Netflix',
          category: { primary: 'ENTERTAINMENT', detailed: 'ENTERTAINMENT_TV_AND_MOVIES' },
          frequency: 'monthly',
          averageAmount: 16.32,
          lastAmount: 17.99,
          currency: 'USD',
          firstDate: '2026-09-12',
          lastDate: '2026-11-12',
          predictedNextDate: '2026-12-12',
          isActive: true,
          status: 'mature',
          transactionIds: ['t-9', 't-10', 't-11'],
        },
      ],
      alerts: [{ alertId: 'a-1', itemId: 'item-1', dedupeKey: 'txn:t-3:large-transaction', rule: 'large-transaction', kind: 'large-transaction', at: '2026-10-02T13:00:00.000Z', answer: 'no', answeredAt: '2026-10-02T13:05:00.000Z' }],
      heldAlerts: [{ alertId: 'a-2', itemId: 'item-1', at: '2026-11-21T03:00:00.000Z', message: { text: 'Low balance' } }],
    },
  ],
  alertSettings: { fraudAlerts: false, largeTransactionThreshold: 250, updatedAt: '2026-11-10T09:00:00.000Z' },
  messaging: {
    profile: { lastInboundAt: Date.parse('2026-11-21T14:30:00.000Z') },
    conversation: { lang: 'en', last: { intent: 'spending', slots: {}, text: 'how much on coffee?', at: '2026-11-21T14:30:00.000Z' } },
    messagesReceived: [{ eventId: 'm-1', receivedAt: '2026-11-21T14:30:00.000Z', event: { kind: 'message', message: { mid: 'm-1', text: 'how much on coffee?' } } }],
    replies: [{ eventId: 'm-1', status: 'sent' }],
  },
  deletions: [{ accounts: 2, transactions: 40, connections: 1, removedAtBank: true, at: '2026-09-01T10:00:00.000Z' }],
  notes: ['note'],
  notIncluded: [{ what: 'x', why: 'y' }],
  ...overrides,
});
