import type { Consent } from '../../lib/consent/model/consent';

/** An active consent with a linked bank, as the store returns it: the fixture of the sync tests. */
export const ACTIVE_CONSENT: Consent = {
  consentId: 'consent-1',
  psid: '6543210987654321',
  status: 'active',
  scopes: ['balances', 'transactions'],
  durationDays: 365,
  disclosureVersion: 'v1',
  disclosureHash: 'h',
  version: 2,
  createdAt: '2026-06-01T00:00:00.000Z',
  updatedAt: '2026-06-01T00:00:00.000Z',
  itemId: 'item-1',
  institution: { id: 'ins_1', name: 'First Platypus Bank' },
  authorizedAt: '2026-06-01T00:00:00.000Z',
  expiresAt: '2027-06-01T00:00:00.000Z',
};
