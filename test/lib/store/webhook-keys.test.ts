import { marshall } from '@aws-sdk/util-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { matchesAnyFilter } from '../../../dev/event-filter';
import { streamConsumers, streamSource } from '../../../dev/serverless-config';
import { tableDefinition } from '../../../dev/tables';
import type { Store } from '../../../lib/store';
import { webhookKeysPk } from '../../../lib/store/keys';
import type { StoredWebhookKey } from '../../../lib/store/webhook-keys';
import { createTestTables, type TestTables } from '../../support/dynamodb';

/**
 * The shared cache of the bank's webhook verification keys, against DynamoDB Local: one partition
 * for every key, read whole in one Query, each item expiring through the table's TTL.
 */
const FETCHED_AT = 1_795_700_000;
const DAY = 86_400;
let tables: TestTables;
let store: Store;

beforeEach(async () => {
  tables = await createTestTables();
  store = tables.store();
});

afterEach(async () => {
  await tables.dispose();
});

const key = (kid: string, change: Partial<StoredWebhookKey> = {}): StoredWebhookKey => ({
  kid,
  kty: 'EC',
  crv: 'P-256',
  alg: 'ES256',
  x: 'hKXLGIjWvCBv-cP5euCTxl8g9GLG9zHo_3pO5NN1DwQ',
  y: 'shhexqPB7YffGn6fR6h2UhTSuCtPmfzQJ6ENVIoO4Ys',
  createdAt: FETCHED_AT - 30 * DAY,
  expiredAt: null,
  fetchedAt: FETCHED_AT,
  ...change,
});

const stored = async () => (await tables.items()).filter((item) => item.pk === webhookKeysPk());
const byKid = (entries: Record<string, unknown>[]) => Object.fromEntries(entries.map((e) => [String(e.kid), e]));

describe('putWebhookKey and listWebhookKeys', () => {
  it('lists every key put, as put: the public JWK fields and the fetch time', async () => {
    await store.putWebhookKey(key('kid-a'), DAY);
    await store.putWebhookKey(key('kid-b', { expiredAt: FETCHED_AT - 60 }), DAY);

    expect(byKid(await store.listWebhookKeys())).toEqual({ 'kid-a': key('kid-a'), 'kid-b': key('kid-b', { expiredAt: FETCHED_AT - 60 }) });
  });

  it('keeps each key in one partition of its own type, expiring through the table’s TTL attribute at its fetch time plus the cache lifetime', async () => {
    await store.putWebhookKey(key('kid-a'), DAY);

    const ttlAttribute = tableDefinition('main').TimeToLiveSpecification!.AttributeName;
    expect(await stored()).toEqual([{ ...key('kid-a'), pk: 'WEBHOOKKEYS', sk: 'KEY#kid-a', type: 'webhook-key', [ttlAttribute]: FETCHED_AT + DAY }]);
  });

  it('lists nothing when no key was put, and nothing of other partitions', async () => {
    await store.recordWebhookDelivery('digest-1');

    expect(await store.listWebhookKeys()).toEqual([]);
  });

  it('replaces a current copy with a fresher one, and with an expired one', async () => {
    await store.putWebhookKey(key('kid-a'), DAY);
    await store.putWebhookKey(key('kid-a', { fetchedAt: FETCHED_AT + 60 }), DAY);
    const refreshed = byKid(await store.listWebhookKeys())['kid-a'];
    await store.putWebhookKey(key('kid-a', { fetchedAt: FETCHED_AT + 120, expiredAt: FETCHED_AT + 100 }), DAY);

    expect(refreshed).toMatchObject({ fetchedAt: FETCHED_AT + 60 });
    expect(byKid(await store.listWebhookKeys())['kid-a']).toMatchObject({ fetchedAt: FETCHED_AT + 120, expiredAt: FETCHED_AT + 100 });
  });

  it('never replaces an expired copy with a current one (expiry is final), and does not fail for it', async () => {
    await store.putWebhookKey(key('kid-a', { expiredAt: FETCHED_AT - 60 }), DAY);

    await expect(store.putWebhookKey(key('kid-a', { fetchedAt: FETCHED_AT + 60 }), DAY)).resolves.toBeUndefined();

    expect(byKid(await store.listWebhookKeys())['kid-a']).toMatchObject({ expiredAt: FETCHED_AT - 60, fetchedAt: FETCHED_AT });
  });

  it('wakes no stream consumer when a key is put, replaced or deleted', async () => {
    await store.putWebhookKey(key('kid-a'), DAY);
    const [item] = await stored();
    const image = marshall(item!);
    const records = [
      { eventName: 'INSERT', dynamodb: { NewImage: image } },
      { eventName: 'MODIFY', dynamodb: { NewImage: image, OldImage: image } },
      { eventName: 'REMOVE', dynamodb: { OldImage: image } },
    ];

    const consumers = streamConsumers();
    expect(consumers.length).toBeGreaterThan(0);
    for (const consumer of consumers) {
      for (const record of records) expect(matchesAnyFilter(streamSource(consumer).filterPatterns as never, record), `${consumer} ${record.eventName}`).toBe(false);
    }
  });
});

describe('deleteCurrentWebhookKeys', () => {
  it('deletes the current copies of the keys named, and only those', async () => {
    await store.putWebhookKey(key('kid-a'), DAY);
    await store.putWebhookKey(key('kid-b'), DAY);
    await store.putWebhookKey(key('kid-c'), DAY);

    await store.deleteCurrentWebhookKeys(['kid-a', 'kid-b']);

    expect(Object.keys(byKid(await store.listWebhookKeys()))).toEqual(['kid-c']);
  });

  it('keeps an expired copy: it is what the bank would answer', async () => {
    await store.putWebhookKey(key('kid-a', { expiredAt: FETCHED_AT - 60 }), DAY);

    await store.deleteCurrentWebhookKeys(['kid-a']);

    expect(Object.keys(byKid(await store.listWebhookKeys()))).toEqual(['kid-a']);
  });

  it('does nothing, without failing, for keys that are not there', async () => {
    await expect(store.deleteCurrentWebhookKeys(['kid-gone'])).resolves.toBeUndefined();
    await expect(store.deleteCurrentWebhookKeys([])).resolves.toBeUndefined();
  });
});
