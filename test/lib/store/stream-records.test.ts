import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { activateConsent, requestConsent, revokeConsent, type Consent } from '../../../lib/consent/model/consent';
import { disclosure } from '../../../lib/consent/disclosure';
import { ConsentItemType, connectionSk, consentExpiryGsi, consentSk, FinancialItemType, inboxSk, ItemType, pagePk, replySk, userPk } from '../../../lib/store/keys';
import { decodeConsentChange, decodeInboxInsert } from '../../../lib/store/stream-records';

type StreamImage = Record<string, AttributeValue>;

const PAGE_ID = '106123456789012';
const ANNA = '6543210987654321';

const toImage = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true }) as unknown as StreamImage;

function streamRecord(
  sequenceNumber: string,
  images: { new?: StreamImage; old?: StreamImage },
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE' = 'INSERT',
): DynamoDBRecord {
  return {
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      ...(images.new ? { NewImage: images.new } : {}),
      ...(images.old ? { OldImage: images.old } : {}),
      SequenceNumber: sequenceNumber,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

/** An inbox item as lib/store/inbox.ts writes it. */
function inboxItem(psid: string | null, id: string) {
  const event = { id, kind: 'message', psid, pageId: PAGE_ID, timestamp: 1000, channel: 'messaging', message: { mid: id, text: 'hi' } };
  return { pk: psid ? userPk(psid) : pagePk(PAGE_ID), sk: inboxSk(id), type: ItemType.inbox, eventId: id, receivedAt: '2026-01-01T00:00:00.000Z', expiresAt: 1_800_000_000, event };
}

/** A consent item as lib/store/consents.ts writes it (an active one also sits in the expiry index). */
const consentItem = (consent: Consent) => ({
  pk: userPk(consent.psid),
  sk: consentSk(consent.consentId),
  type: ConsentItemType,
  ...consent,
  ...(consent.status === 'active' && consent.expiresAt ? consentExpiryGsi(consent.expiresAt) : {}),
});

const NOW = new Date('2026-03-01T10:00:00.000Z');
const requested = requestConsent({
  consentId: 'c-1',
  psid: ANNA,
  scopes: ['balances', 'transactions'],
  durationDays: 90,
  disclosure: disclosure({ recipient: 'Demo Bank' }),
  bankLinkToken: 'link-x',
  now: NOW,
}).consent;
const active = activateConsent(requested, { itemId: 'item-1', now: NOW }).consent;
const revoked = revokeConsent(active, { now: new Date(NOW.getTime() + 60_000), by: 'person' }).consent;

describe('decodeInboxInsert', () => {
  it('decodes an inbox insert into its sequence number, partition and event', () => {
    const item = inboxItem(ANNA, 'm_anna');

    const read = decodeInboxInsert(streamRecord('601', { new: toImage(item) }));

    expect(read).toEqual({ ok: true, sequenceNumber: '601', partition: userPk(ANNA), value: item.event });
  });

  it('puts an event that concerns no person in the Page partition', () => {
    const read = decodeInboxInsert(streamRecord('602', { new: toImage(inboxItem(null, 'm_page')) }));

    expect(read).toMatchObject({ ok: true, partition: pagePk(PAGE_ID) });
  });

  it('refuses a MODIFY as not an inbox insert', () => {
    const read = decodeInboxInsert(streamRecord('603', { new: toImage(inboxItem(ANNA, 'm_anna')) }, 'MODIFY'));

    expect(read).toEqual({ ok: false, sequenceNumber: '603', reason: 'not an inbox insert' });
  });

  it('refuses an insert of another item type as not an inbox item', () => {
    const read = decodeInboxInsert(streamRecord('604', { new: toImage({ pk: userPk(ANNA), sk: replySk('m_anna'), type: ItemType.reply }) }));

    expect(read).toEqual({ ok: false, sequenceNumber: '604', reason: 'not an inbox item' });
  });

  it('refuses an inbox item whose event has no timestamp', () => {
    const item = inboxItem(ANNA, 'm_anna');

    const read = decodeInboxInsert(streamRecord('605', { new: toImage({ ...item, event: { ...item.event, timestamp: undefined } }) }));

    expect(read).toEqual({ ok: false, sequenceNumber: '605', reason: 'not an inbox item' });
  });

  it('refuses an image that is not DynamoDB JSON instead of throwing', () => {
    const read = decodeInboxInsert(streamRecord('606', { new: { pk: { BAD: 'x' } } as unknown as StreamImage }));

    expect(read).toEqual({ ok: false, sequenceNumber: '606', reason: 'image is not DynamoDB JSON' });
  });
});

describe('decodeConsentChange', () => {
  it('decodes the consent before and after, as the store reads a consent: without the item keys', () => {
    const read = decodeConsentChange(streamRecord('701', { old: toImage(consentItem(active)), new: toImage(consentItem(revoked)) }, 'MODIFY'));

    expect(read).toEqual({ ok: true, sequenceNumber: '701', partition: userPk(ANNA), value: { before: active, after: revoked } });
  });

  it('has no consent before when the record has no old image', () => {
    const read = decodeConsentChange(streamRecord('702', { new: toImage(consentItem(requested)) }));

    expect(read).toMatchObject({ ok: true, value: { before: undefined, after: requested } });
  });

  it('refuses a record whose new image is another item type', () => {
    const connection = { pk: userPk(ANNA), sk: connectionSk('item-1'), type: FinancialItemType.connection, consentId: 'c-1', psid: ANNA, status: 'active', version: 2, scopes: [] };

    const read = decodeConsentChange(streamRecord('703', { new: toImage(connection) }, 'MODIFY'));

    expect(read).toEqual({ ok: false, sequenceNumber: '703', reason: 'not a consent image' });
  });

  it('refuses a consent image with a status it does not know', () => {
    const read = decodeConsentChange(streamRecord('704', { new: toImage({ ...consentItem(active), status: 'paused' }) }, 'MODIFY'));

    expect(read).toEqual({ ok: false, sequenceNumber: '704', reason: 'not a consent image' });
  });

  it('refuses a new image that is not DynamoDB JSON instead of throwing', () => {
    const read = decodeConsentChange(streamRecord('705', { new: { pk: { BAD: 'x' } } as unknown as StreamImage }, 'MODIFY'));

    expect(read).toEqual({ ok: false, sequenceNumber: '705', reason: 'not a consent image' });
  });
});
