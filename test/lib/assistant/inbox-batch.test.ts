import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { processInboxBatch } from '../../../lib/assistant/inbox-batch';
import type { Log } from '../../../lib/logger';
import type { InboundEvent } from '../../../lib/messenger/events';
import { inboxSk, ItemType, pagePk, replySk, userPk } from '../../../lib/store/keys';

const PAGE_ID = '106123456789012';
const ANNA = '6543210987654321';
const BEN = '7012345678901234';
const CARL = '8100000000000001';

type StreamImage = Record<string, AttributeValue>;

const quietLog = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Log;

function recordingLog() {
  const warnings: { message: string; details: Record<string, unknown> }[] = [];
  const log = {
    debug() {},
    info() {},
    warn(message: string, details: Record<string, unknown>) {
      warnings.push({ message, details });
    },
    error() {},
  } as unknown as Log;
  return { log, warnings };
}

const toImage = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true }) as unknown as StreamImage;

/** An inbox item as lib/store/inbox.ts writes it. */
function inboxItem(input: { psid: string | null; id: string; timestamp: number; kind?: string }) {
  const event = {
    id: input.id,
    kind: input.kind ?? 'message',
    psid: input.psid,
    pageId: PAGE_ID,
    timestamp: input.timestamp,
    channel: 'messaging',
    ...(input.kind === undefined || input.kind === 'message' ? { message: { mid: input.id, text: `text of ${input.id}` } } : {}),
    ...(input.kind === 'policy_enforcement' ? { policy_enforcement: { action: 'warning', reason: 'spam' } } : {}),
  };
  return {
    pk: input.psid ? userPk(input.psid) : pagePk(PAGE_ID),
    sk: inboxSk(input.id),
    type: ItemType.inbox,
    eventId: input.id,
    receivedAt: new Date(input.timestamp + 50).toISOString(),
    expiresAt: Math.floor(input.timestamp / 1000) + 7 * 86_400,
    event,
  };
}

function streamRecord(
  sequenceNumber: string,
  image: StreamImage | undefined,
  options: { eventName?: 'INSERT' | 'MODIFY' | 'REMOVE'; oldImage?: StreamImage } = {},
): DynamoDBRecord {
  const keys = image ? { pk: image.pk as AttributeValue, sk: image.sk as AttributeValue } : undefined;
  return {
    eventID: `event-${sequenceNumber}`,
    eventName: options.eventName ?? 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    dynamodb: {
      ApproximateCreationDateTime: 1712345678,
      ...(keys ? { Keys: keys } : {}),
      ...(image ? { NewImage: image } : {}),
      ...(options.oldImage ? { OldImage: options.oldImage } : {}),
      SequenceNumber: sequenceNumber,
      SizeBytes: 512,
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: 'arn:aws:dynamodb:eu-west-1:123456789012:table/main/stream/2026-01-01T00:00:00.000',
  };
}

const inboxInsert = (sequenceNumber: string, input: { psid: string | null; id: string; timestamp: number; kind?: string }) =>
  streamRecord(sequenceNumber, toImage(inboxItem(input)));

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A handler that records the ids it handled, in order, and fails the ids it is told to. */
function recordingHandler(failing: string[] = []) {
  const attempted: string[] = [];
  const handled: string[] = [];
  const handle = async (event: InboundEvent) => {
    attempted.push(event.id);
    if (failing.includes(event.id)) throw new Error(`handler failed on ${event.id}`);
    handled.push(event.id);
  };
  return { handle, attempted, handled };
}

const failures = (response: { batchItemFailures: { itemIdentifier: string }[] }) =>
  response.batchItemFailures.map((f) => f.itemIdentifier);

describe('ordering', () => {
  it('handles one person’s events in timestamp order when the stream delivers them out of order', async () => {
    const records = [
      inboxInsert('101', { psid: ANNA, id: 'm_third', timestamp: 3000 }),
      inboxInsert('102', { psid: ANNA, id: 'm_first', timestamp: 1000 }),
      inboxInsert('103', { psid: ANNA, id: 'm_second', timestamp: 2000 }),
    ];
    const { handle, handled } = recordingHandler();

    await processInboxBatch(records, handle, quietLog);

    expect(handled).toEqual(['m_first', 'm_second', 'm_third']);
  });

  it('orders a person’s events with equal timestamps by sequence number, numerically', async () => {
    const records = [
      inboxInsert('100000000000000000001', { psid: ANNA, id: 'm_later_record', timestamp: 1000 }),
      inboxInsert('99', { psid: ANNA, id: 'm_earlier_record', timestamp: 1000 }),
    ];
    const { handle, handled } = recordingHandler();

    await processInboxBatch(records, handle, quietLog);

    expect(handled).toEqual(['m_earlier_record', 'm_later_record']);
  });

  it('handles different people concurrently: one person’s event completes while another’s is pending', async () => {
    const annaMayFinish = deferred();
    const benDone = deferred();
    const completed: string[] = [];
    const handle = async (event: InboundEvent) => {
      if (event.psid === ANNA) await annaMayFinish.promise;
      completed.push(event.id);
      if (event.psid === BEN) benDone.resolve();
    };
    const records = [
      inboxInsert('201', { psid: ANNA, id: 'm_anna', timestamp: 1000 }),
      inboxInsert('202', { psid: BEN, id: 'm_ben', timestamp: 2000 }),
    ];

    const batch = processInboxBatch(records, handle, quietLog);
    await benDone.promise; // never resolves if Ben waits behind Anna
    const whileAnnaPending = [...completed];
    annaMayFinish.resolve();
    const response = await batch;

    expect(whileAnnaPending).toEqual(['m_ben']);
    expect(completed).toEqual(['m_ben', 'm_anna']);
    expect(response).toEqual({ batchItemFailures: [] });
  }, 5_000);

  it('handles events that concern no person (Page partition) too', async () => {
    const records = [
      inboxInsert('301', { psid: null, id: 'h_policy', timestamp: 1000, kind: 'policy_enforcement' }),
      inboxInsert('302', { psid: ANNA, id: 'm_anna', timestamp: 1000 }),
    ];
    const { handle, handled } = recordingHandler();

    const response = await processInboxBatch(records, handle, quietLog);

    expect(handled.sort()).toEqual(['h_policy', 'm_anna']);
    expect(response.batchItemFailures).toEqual([]);
  });
});

describe('partial failures', () => {
  const batch = () => [
    inboxInsert('410', { psid: ANNA, id: 'a1', timestamp: 1000 }),
    inboxInsert('411', { psid: BEN, id: 'b1', timestamp: 1000 }),
    inboxInsert('412', { psid: ANNA, id: 'a2', timestamp: 2000 }),
    inboxInsert('413', { psid: ANNA, id: 'a3', timestamp: 3000 }),
    inboxInsert('414', { psid: BEN, id: 'b2', timestamp: 2000 }),
  ];

  it('reports the failed event and the person’s later events by sequence number', async () => {
    const { handle } = recordingHandler(['a2']);

    const response = await processInboxBatch(batch(), handle, quietLog);

    expect(failures(response)).toEqual(['412', '413']);
  });

  it('does not attempt the person’s events after the failed one', async () => {
    const { handle, attempted } = recordingHandler(['a2']);

    await processInboxBatch(batch(), handle, quietLog);

    expect(attempted).not.toContain('a3');
    expect(attempted.filter((id) => id.startsWith('a'))).toEqual(['a1', 'a2']);
  });

  it('still handles other people’s events and does not report them', async () => {
    const { handle, handled } = recordingHandler(['a2']);

    const response = await processInboxBatch(batch(), handle, quietLog);

    expect(handled.filter((id) => id.startsWith('b'))).toEqual(['b1', 'b2']);
    expect(failures(response)).not.toContain('411');
    expect(failures(response)).not.toContain('414');
  });

  it('reports an earlier-timestamped failure together with later events that have lower sequence numbers', async () => {
    const records = [
      inboxInsert('150', { psid: ANNA, id: 'a_later', timestamp: 2000 }),
      inboxInsert('200', { psid: ANNA, id: 'a_earlier', timestamp: 1000 }),
    ];
    const { handle, attempted } = recordingHandler(['a_earlier']);

    const response = await processInboxBatch(records, handle, quietLog);

    expect(attempted).toEqual(['a_earlier']);
    expect(failures(response)).toEqual(['150', '200']);
  });

  it('returns failures sorted by sequence number numerically, not lexically', async () => {
    const records = [
      inboxInsert('100000000000000000001', { psid: ANNA, id: 'a1', timestamp: 1000 }),
      inboxInsert('1000', { psid: BEN, id: 'b1', timestamp: 1000 }),
      inboxInsert('99', { psid: CARL, id: 'c1', timestamp: 1000 }),
      inboxInsert('100000000000000000002', { psid: BEN, id: 'b2', timestamp: 2000 }),
    ];
    const { handle } = recordingHandler(['a1', 'b1', 'c1']);

    const response = await processInboxBatch(records, handle, quietLog);

    expect(failures(response)).toEqual(['99', '1000', '100000000000000000001', '100000000000000000002']);
  });

  it('returns no failures when every event is handled', async () => {
    const { handle } = recordingHandler();

    const response = await processInboxBatch(batch(), handle, quietLog);

    expect(response).toEqual({ batchItemFailures: [] });
  });
});

describe('records that are not inbox inserts', () => {
  const annaItem = inboxItem({ psid: ANNA, id: 'm_anna', timestamp: 1000 });
  const replyItem = {
    pk: userPk(ANNA),
    sk: replySk('m_anna'),
    type: ItemType.reply,
    eventId: 'm_anna',
    status: 'pending',
    leaseExpiresAt: 1712345738,
  };
  const skipped: { name: string; record: DynamoDBRecord }[] = [
    { name: 'a MODIFY of an inbox item', record: streamRecord('501', toImage(annaItem), { eventName: 'MODIFY', oldImage: toImage(annaItem) }) },
    { name: 'a REMOVE of an inbox item (TTL expiry)', record: streamRecord('502', undefined, { eventName: 'REMOVE', oldImage: toImage(annaItem) }) },
    { name: 'an INSERT of a reply item', record: streamRecord('503', toImage(replyItem)) },
    { name: 'an INSERT of an inbox item without its event', record: streamRecord('504', toImage({ ...annaItem, event: undefined })) },
    { name: 'an INSERT of an inbox item whose event has no timestamp', record: streamRecord('505', toImage({ ...annaItem, event: { ...annaItem.event, timestamp: undefined } })) },
    { name: 'an INSERT without a new image', record: streamRecord('506', undefined) },
    { name: 'an INSERT whose image is not valid AttributeValue JSON', record: streamRecord('507', { pk: { BAD: 'x' } } as unknown as StreamImage) },
    { name: 'an INSERT whose image holds an empty AttributeValue', record: streamRecord('508', { pk: {}, type: { S: 'inbox' } } as unknown as StreamImage) },
  ];

  it.each(skipped)('skips $name without handling or reporting it', async ({ record }) => {
    const { handle, attempted } = recordingHandler();

    const response = await processInboxBatch([record], handle, quietLog);

    expect(attempted).toEqual([]);
    expect(response).toEqual({ batchItemFailures: [] });
  });

  it.each(skipped)('warns with the sequence number when it skips $name', async ({ record }) => {
    const { log, warnings } = recordingLog();

    await processInboxBatch([record], recordingHandler().handle, log);

    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.details).toMatchObject({ sequenceNumber: record.dynamodb?.SequenceNumber });
  });

  it('still handles the inbox inserts of a batch that also holds records to skip', async () => {
    const records = [...skipped.map((s) => s.record), inboxInsert('599', { psid: ANNA, id: 'm_anna', timestamp: 1000 })];
    const { handle, handled } = recordingHandler();

    const response = await processInboxBatch(records, handle, quietLog);

    expect(handled).toEqual(['m_anna']);
    expect(response).toEqual({ batchItemFailures: [] });
  });
});

describe('empty batch', () => {
  it('returns no failures for an empty batch', async () => {
    const { handle, attempted } = recordingHandler();

    const response = await processInboxBatch([], handle, quietLog);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(attempted).toEqual([]);
  });
});
