import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { readConsentChange, type ConsentChange } from '../../../lib/consent/consent-stream';
import { activateConsent, changeConsentScopes, requestConsent, type Consent } from '../../../lib/consent/model/consent';
import type { Log } from '../../../lib/logger';
import { ConsentItemType, consentSk, userPk } from '../../../lib/store/keys';
import { processOrderedBatch } from '../../../lib/stream/ordered-batch';

/** Consent changes from the table's stream, as the consent effects consume them: one per version. */
const PSID = '6543210987654321';
const NOW = new Date('2026-11-21T10:00:00.000Z');
const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Log;

const requested = requestConsent({ consentId: 'c-1', psid: PSID, scopes: ['balances', 'transactions'], durationDays: 90, disclosure: { version: 'v', hash: 'h' }, bankLinkToken: 'l', now: NOW }).consent;
const active = activateConsent(requested, { itemId: 'item-1', now: NOW }).consent;
const narrowed = changeConsentScopes(active, { scopes: ['balances'], now: NOW }).consent;

const image = (consent: Consent) => marshall({ pk: userPk(consent.psid), sk: consentSk(consent.consentId), type: ConsentItemType, ...consent }, { removeUndefinedValues: true }) as unknown as Record<string, AttributeValue>;

function change(sequenceNumber: string, after: Consent | Record<string, unknown>, before?: Consent): DynamoDBRecord {
  const newImage = 'consentId' in after ? image(after as Consent) : (marshall(after) as unknown as Record<string, AttributeValue>);
  return {
    eventName: before ? 'MODIFY' : 'INSERT',
    dynamodb: { SequenceNumber: sequenceNumber, NewImage: newImage, ...(before ? { OldImage: image(before) } : {}), StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}

describe('readConsentChange', () => {
  it('reads a change as the consent before and after, in the person’s partition, ordered and named by its version', () => {
    expect(readConsentChange(change('300', narrowed, active))).toEqual({
      ok: true,
      entry: { sequenceNumber: '300', partition: userPk(PSID), order: 3, id: 'c-1:v3', value: { before: active, after: narrowed } },
    });
  });

  it('reads a new consent as having nothing before', () => {
    expect(readConsentChange(change('100', requested))).toMatchObject({ ok: true, entry: { order: 1, id: 'c-1:v1', value: { before: undefined, after: requested } } });
  });

  it('passes on why a record that is not a consent is skipped', () => {
    expect(readConsentChange(change('400', { pk: userPk(PSID), sk: 'CONNECTION#item-1', type: 'connection' }))).toEqual({ ok: false, sequenceNumber: '400', reason: 'not a consent image' });
  });

  it('lets the effects see each consent’s versions in version order, even where the sequence numbers do not follow it', async () => {
    const seen: string[] = [];

    // Sequence numbers only compare within a shard; the consent's version always does.
    const result = await processOrderedBatch(
      [change('101', narrowed, active), change('103', requested), change('102', active, requested)],
      readConsentChange,
      async (value: ConsentChange) => void seen.push(`${value.after.status}:v${value.after.version}`),
      log,
    );

    expect({ seen, failures: result.batchItemFailures }).toEqual({ seen: ['pending:v1', 'active:v2', 'active:v3'], failures: [] });
  });
});
