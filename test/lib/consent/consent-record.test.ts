import { describe, expect, it } from 'vitest';
import { consentRecord, consentRecordFileName, recordKeeping, recordPrincipalId, type ConsentRecord, type RecordKeeping } from '../../../lib/consent/consent-record';
import { disclosure } from '../../../lib/consent/disclosure';
import {
  activateConsent,
  changeConsentScopes,
  expireConsent,
  reconfirmConsent,
  renewConsent,
  requestConsent,
  revokeConsent,
  type AuditEntry,
  type Consent,
  type Transition,
} from '../../../lib/consent/model/consent';

/**
 * The record of a consent (ISO/IEC TS 27560's fields), built from the consent and the audit entries
 * the consent's own transitions write: what a person downloads and may show an auditor.
 */
const DAY = 86_400_000;
const T0 = new Date('2026-11-21T10:00:00.000Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const PSID = '5500000000000001';
const SECRET = 'test-link-secret';
const SHOWN = disclosure({ recipient: 'Demo Bank' });
const BANK = { id: 'ins_109508', name: 'First Platypus Bank' };
const KEEPING: RecordKeeping = recordKeeping(PSID, { linkSecret: SECRET, recipient: 'Demo Bank', privacyContact: 'privacy@demo-bank.example', countryCodes: ['US'] });

/** A consent's life as its transitions write it: the consent as it ends up, and its audit entries. */
function life(...steps: ((consent: Consent) => Transition)[]): { consent: Consent; audit: AuditEntry[] } {
  let transition = requestConsent({ consentId: 'c-0001-abcdef', psid: PSID, scopes: ['balances', 'transactions'], durationDays: 90, disclosure: SHOWN, bankLinkToken: 'link-1', now: T0 });
  const audit = [transition.audit];
  for (const step of steps) {
    transition = step(transition.consent);
    audit.push(transition.audit);
  }
  // The store lists a person's audit newest first.
  return { consent: transition.consent, audit: audit.reverse() };
}

const granted = (consent: Consent) => activateConsent(consent, { itemId: 'item-1', institution: BANK, now: at(0) });
const recordOf = ({ consent, audit }: { consent: Consent; audit: AuditEntry[] }, asOf = at(1)): ConsentRecord => consentRecord(consent, audit, KEEPING, asOf);
const eventsOf = (record: ConsentRecord) => record.events.map((e) => [e.type, e.by, e.state]);

describe('the record of a consent just given', () => {
  const record = recordOf(life(granted));
  const until = at(90).toISOString();

  it('names its schema, the standard whose fields it follows, the record and the controller with a way to reach it', () => {
    expect({
      format: record.format,
      follows: record.follows,
      recordId: record.recordId,
      controller: record.piiController,
      legalBasis: [record.legalBasis, record.consentType],
      asOf: record.asOf,
    }).toEqual({
      format: 'messenger-banking-consent-record/1',
      follows: 'ISO/IEC TS 27560:2023',
      recordId: 'c-0001-abcdef',
      controller: { name: 'Demo Bank', contact: ['privacy@demo-bank.example', expect.stringContaining('agent')] },
      legalBasis: ['consent', 'explicit'],
      asOf: at(1).toISOString(),
    });
  });

  it('identifies the person by a pseudonymous id: not the PSID, stable, and the controller’s key makes it', () => {
    const id = record.piiPrincipal.id;

    expect(JSON.stringify(record)).not.toContain(PSID);
    expect([id, id === recordPrincipalId(PSID, SECRET), id === recordPrincipalId(PSID, 'another-secret'), id === recordPrincipalId('5500000000000002', SECRET)]).toEqual([
      expect.stringMatching(/^[0-9a-f]{32}$/),
      true,
      false,
      false,
    ]);
  });

  it('states the purpose and data categories of each granted scope only', () => {
    expect(record.purposes.map((p) => [p.scope, p.purpose, p.dataCategories])).toEqual([
      ['balances', expect.stringMatching(/balances/), expect.arrayContaining(['current and available balances'])],
      ['transactions', expect.stringMatching(/spending and transactions/), [expect.stringContaining('last 90 days')]],
    ]);
  });

  it('names every recipient the disclosure names, Meta among them, and the bank the data comes from', () => {
    expect(record.recipients.map((r) => r.name)).toEqual(['Demo Bank', 'Plaid', 'Meta (Messenger)']);
    expect(record.recipients[2]?.receives).toMatch(/passes through Meta’s servers/);
    expect(record.recipients[2]?.receives).toMatch(/In private mode \(the default\), only that an answer or an alert is ready/);
    expect(record.dataSource).toEqual({ bank: BANK, via: 'Plaid' });
  });

  it('states how long each thing is kept, its jurisdiction and how to withdraw', () => {
    expect({ retention: record.retention, jurisdiction: record.jurisdiction.countries, duration: record.duration, withdrawal: record.withdrawal.methods }).toEqual({
      retention: {
        financialData: { heldUntil: until, rule: expect.stringMatching(/deleted when it ends/) },
        transactions: { duration: 'P90D', rule: expect.any(String) },
        consentRecord: { duration: 'P1095D', rule: expect.any(String) },
      },
      jurisdiction: ['US'],
      duration: 'P90D',
      withdrawal: [expect.stringContaining('stop sharing'), expect.stringContaining('Stop sharing and delete my data')],
    });
  });

  it('is given now, under the disclosure the person read, after a request and a grant with their validity', () => {
    expect([record.state, record.validity, record.notice]).toEqual(['dpv:ConsentGiven', { from: at(0).toISOString(), until }, { disclosureVersion: SHOWN.version, disclosureHash: SHOWN.hash }]);
    expect(record.events).toEqual([
      { time: T0.toISOString(), type: 'requested', by: 'pii-principal', state: 'dpv:ConsentRequested', scopes: ['balances', 'transactions'], validity: null, disclosureVersion: SHOWN.version },
      { time: T0.toISOString(), type: 'given', by: 'pii-principal', state: 'dpv:ConsentGiven', scopes: ['balances', 'transactions'], validity: { from: T0.toISOString(), until }, disclosureVersion: SHOWN.version },
    ]);
  });

  it('is named for its day and consent', () => {
    expect(consentRecordFileName(record)).toBe('consent-record-2026-11-22-c-0001-a.json');
  });
});

describe('the record after a change of scopes', () => {
  const record = recordOf(life(granted, (c) => changeConsentScopes(c, { scopes: ['transactions', 'alerts'], now: at(3) })), at(4));

  it('states the purposes of what is shared now', () => {
    expect(record.purposes.map((p) => p.scope)).toEqual(['alerts', 'transactions']);
  });

  it('keeps what each event granted: the change is an event of its own, the consent still given', () => {
    expect(record.events.map((e) => [e.type, e.state, e.scopes])).toEqual([
      ['requested', 'dpv:ConsentRequested', ['balances', 'transactions']],
      ['given', 'dpv:ConsentGiven', ['balances', 'transactions']],
      ['scopes-changed', 'dpv:ConsentGiven', ['alerts', 'transactions']],
    ]);
    expect(record.state).toBe('dpv:ConsentGiven');
  });
});

describe('the record after the consent ended', () => {
  it('is withdrawn when the person stopped it, valid until that moment, the deletion after it an event too', () => {
    const { consent, audit } = life(granted, (c) => revokeConsent(c, { now: at(5), by: 'person' }));
    const deleted: AuditEntry = { action: 'deleted', psid: PSID, consentId: consent.consentId, at: at(5.001).toISOString(), actor: 'system', disclosureVersion: SHOWN.version, details: { accounts: 3, reason: 'revoked' } };

    const record = recordOf({ consent, audit: [deleted, ...audit] }, at(6));

    expect([record.state, record.validity, record.retention.financialData.heldUntil]).toEqual(['dpv:ConsentWithdrawn', { from: at(0).toISOString(), until: at(5).toISOString() }, at(5).toISOString()]);
    expect(record.events.slice(2)).toEqual([
      { time: at(5).toISOString(), type: 'withdrawn', by: 'pii-principal', state: 'dpv:ConsentWithdrawn', scopes: ['balances', 'transactions'], validity: { from: at(0).toISOString(), until: at(5).toISOString() }, disclosureVersion: SHOWN.version },
      { time: at(5.001).toISOString(), type: 'data-deleted', by: 'controller', state: 'dpv:ConsentWithdrawn', scopes: 'not recorded', validity: { from: at(0).toISOString(), until: at(5).toISOString() }, disclosureVersion: SHOWN.version },
    ]);
  });

  it('is revoked, not withdrawn, when the bank ended it', () => {
    const record = recordOf(life(granted, (c) => revokeConsent(c, { now: at(5), by: 'bank' })), at(6));

    expect([record.state, eventsOf(record).at(-1)]).toEqual(['dpv:ConsentRevoked', ['revoked', 'bank', 'dpv:ConsentRevoked']]);
  });

  it('is expired at its end date, by the controller’s rules', () => {
    const record = recordOf(life(granted, (c) => expireConsent(c, { now: at(90) })), at(91));

    expect([record.state, eventsOf(record).at(-1)]).toEqual(['dpv:ConsentExpired', ['expired', 'controller', 'dpv:ConsentExpired']]);
  });

  it('covers no time past its end date, even when it was stopped after it, before the sweep', () => {
    const record = recordOf(life(granted, (c) => revokeConsent(c, { now: at(95), by: 'person' })), at(96));

    expect([record.validity?.until, record.events.at(-1)?.validity]).toEqual([at(90).toISOString(), { from: at(0).toISOString(), until: at(90).toISOString() }]);
  });

  it('is expired once past its end date, before the sweep has marked it', () => {
    expect(recordOf(life(granted), at(90.5)).state).toBe('dpv:ConsentExpired');
  });

  it('was never valid when it was withdrawn before the bank was linked', () => {
    const record = recordOf(life((c) => revokeConsent(c, { now: at(0.01), by: 'person' })));

    expect([record.state, record.validity, record.events.map((e) => e.validity)]).toEqual(['dpv:ConsentWithdrawn', null, [null, null]]);
  });
});

describe('the record of a renewed consent', () => {
  it('is a renewed consent, each renewal under the disclosure in force at it', () => {
    const newer = { version: '2027-01-01.1', hash: 'e'.repeat(64) };
    const record = recordOf(
      life(granted, (c) => renewConsent(c, { now: at(60), current: SHOWN }), (c) => reconfirmConsent(c, { now: at(100), shown: newer })),
      at(101),
    );

    expect(record.events.map((e) => [e.type, e.state, e.disclosureVersion, e.validity])).toEqual([
      ['requested', 'dpv:ConsentRequested', SHOWN.version, null],
      ['given', 'dpv:ConsentGiven', SHOWN.version, { from: at(0).toISOString(), until: at(90).toISOString() }],
      ['renewed', 'dpv:RenewedConsentGiven', SHOWN.version, { from: at(60).toISOString(), until: at(150).toISOString() }],
      ['renewed', 'dpv:RenewedConsentGiven', newer.version, { from: at(100).toISOString(), until: at(190).toISOString() }],
    ]);
    expect([record.state, record.notice.disclosureVersion]).toEqual(['dpv:RenewedConsentGiven', newer.version]);
  });
});

describe('what the record keeps out or cannot know', () => {
  it('says "not recorded" for what an older event did not store, rather than guess', () => {
    const { consent } = life(granted);
    const old: AuditEntry[] = [
      { action: 'granted', psid: PSID, consentId: consent.consentId, at: T0.toISOString(), actor: 'person' },
      { action: 'scopes-changed', psid: PSID, consentId: consent.consentId, at: at(2).toISOString(), actor: 'person', scopes: ['balances'] },
    ];

    expect(recordOf({ consent, audit: old }).events.map((e) => [e.type, e.scopes, e.validity, e.disclosureVersion])).toEqual([
      ['given', 'not recorded', 'not recorded', 'not recorded'],
      ['scopes-changed', ['balances'], 'not recorded', 'not recorded'],
    ]);
  });

  it('lists only this consent’s events: not another consent’s, not exports or refused accesses', () => {
    const mine = life(granted);
    const other = life(granted).audit.map((entry) => ({ ...entry, consentId: 'c-other' }));
    const rest: AuditEntry[] = [
      { action: 'exported', psid: PSID, at: at(1).toISOString(), actor: 'person' },
      { action: 'access-refused', psid: PSID, at: at(1).toISOString(), actor: 'person', details: { attemptedConsentId: mine.consent.consentId } },
    ];

    expect(eventsOf(recordOf({ consent: mine.consent, audit: [...rest, ...other, ...mine.audit] }))).toEqual([
      ['requested', 'pii-principal', 'dpv:ConsentRequested'],
      ['given', 'pii-principal', 'dpv:ConsentGiven'],
    ]);
  });

  it('names the chat as the only contact when no privacy contact is configured', () => {
    const keeping = recordKeeping(PSID, { linkSecret: SECRET, recipient: 'Demo Bank', countryCodes: ['US', 'CA'] });

    const record = consentRecord(life(granted).consent, [], keeping, at(1));

    expect([record.piiController.contact, record.jurisdiction.countries]).toEqual([[expect.stringContaining('“agent”')], ['US', 'CA']]);
  });
});
