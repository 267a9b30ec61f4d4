import { marshall } from '@aws-sdk/util-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { matchesAnyFilter } from '../../../dev/event-filter';
import { streamConsumers, streamSource } from '../../../dev/serverless-config';
import type { Store } from '../../../lib/store';
import { createTestTables, type TestTables } from '../../support/dynamodb';

/**
 * Notices held for a person's next message, against DynamoDB Local: one item per delivery key,
 * the first hold kept, read oldest first, never once past their TTL (DynamoDB deletes lazily).
 */
const PSID = 'p-held-notices';
const HOUR = 3_600_000;
const START = new Date('2026-12-31T09:00:00.000Z');
const reminder = { kind: 'expiry-reminder', consentId: 'c-1', expiresAt: '2027-01-30T12:00:00.000Z' };
const login = { kind: 'bank-login', consentId: 'c-1' };

let tables: TestTables;
let now: Date;
let store: Store;

beforeEach(async () => {
  tables = await createTestTables();
  now = START;
  store = tables.store(() => now);
});

afterEach(async () => {
  await tables.dispose();
});

const later = (hours: number) => new Date(START.getTime() + hours * HOUR);

describe('held notices', () => {
  it('lists the held notices oldest first, with what composes them', async () => {
    await store.holdNotice(PSID, { key: 'reminder', notice: reminder, until: later(24 * 30) });
    now = later(1);
    await store.holdNotice(PSID, { key: 'login', notice: login, until: later(24 * 30) });

    expect(await store.listHeldNotices(PSID)).toEqual([
      { key: 'reminder', notice: reminder, heldAt: START.toISOString() },
      { key: 'login', notice: login, heldAt: later(1).toISOString() },
    ]);
  });

  it('keeps the first hold of a key when it is held again', async () => {
    await store.holdNotice(PSID, { key: 'reminder', notice: reminder, until: later(24) });
    now = later(1);

    await store.holdNotice(PSID, { key: 'reminder', notice: reminder, until: later(48) });

    expect((await store.listHeldNotices(PSID)).map((h) => h.heldAt)).toEqual([START.toISOString()]);
  });

  it('never lists a notice past its hold, though DynamoDB has not deleted it yet, and holds it anew then', async () => {
    await store.holdNotice(PSID, { key: 'reminder', notice: reminder, until: later(2) });
    now = later(3);
    const expired = await store.listHeldNotices(PSID);

    await store.holdNotice(PSID, { key: 'reminder', notice: reminder, until: later(24) });

    expect({ expired, again: (await store.listHeldNotices(PSID)).map((h) => h.heldAt) }).toEqual({ expired: [], again: [later(3).toISOString()] });
  });

  it('drops a delivered notice and only it', async () => {
    await store.holdNotice(PSID, { key: 'reminder', notice: reminder, until: later(24) });
    await store.holdNotice(PSID, { key: 'login', notice: login, until: later(24) });

    await store.dropHeldNotice(PSID, 'reminder');

    expect((await store.listHeldNotices(PSID)).map((h) => h.key)).toEqual(['login']);
  });

  it('wakes no stream consumer when a notice is held or dropped', async () => {
    await store.holdNotice(PSID, { key: 'reminder', notice: reminder, until: later(24) });
    const [item] = (await tables.items()).filter((i) => i.type === 'held-notice');
    const image = marshall(item!);
    const records = [
      { eventName: 'INSERT', dynamodb: { NewImage: image } },
      { eventName: 'REMOVE', dynamodb: { OldImage: image } },
    ];

    for (const consumer of streamConsumers()) {
      for (const record of records) expect(matchesAnyFilter(streamSource(consumer).filterPatterns as never, record), `${consumer} ${record.eventName}`).toBe(false);
    }
  });
});
