import { describe, expect, it } from 'vitest';
import { matchesAnyFilter } from '../../dev/event-filter';
import { streamSource } from '../../dev/serverless-config';

type Patterns = NonNullable<Parameters<typeof matchesAnyFilter>[0]>;

/** The conversation function's filter, as written in serverless.yml. */
const inboxInserts: Patterns = [{ eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['inbox'] } } } }];

const image = (type: string) => ({ pk: { S: 'USER#6543210987654321' }, sk: { S: 'INBOX#m_1' }, type: { S: type } });
const streamRecord = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', images: { NewImage?: object; OldImage?: object }) => ({
  eventID: '1',
  eventName,
  eventSource: 'aws:dynamodb',
  dynamodb: { Keys: { pk: { S: 'USER#6543210987654321' }, sk: { S: 'INBOX#m_1' } }, SequenceNumber: '100', ...images },
});

describe('the conversation stream filter from serverless.yml', () => {
  it('is the pattern these tests check', () => {
    expect(streamSource('conversation').filterPatterns).toEqual(inboxInserts);
  });

  it('matches an INSERT of an inbox item', () => {
    expect(matchesAnyFilter(inboxInserts, streamRecord('INSERT', { NewImage: image('inbox') }))).toBe(true);
  });

  it('does not match a MODIFY of an inbox item', () => {
    const record = streamRecord('MODIFY', { NewImage: image('inbox'), OldImage: image('inbox') });

    expect(matchesAnyFilter(inboxInserts, record)).toBe(false);
  });

  it('does not match a REMOVE of an inbox item', () => {
    expect(matchesAnyFilter(inboxInserts, streamRecord('REMOVE', { OldImage: image('inbox') }))).toBe(false);
  });

  it('does not match an INSERT of a reply item', () => {
    expect(matchesAnyFilter(inboxInserts, streamRecord('INSERT', { NewImage: image('reply') }))).toBe(false);
  });

  it('does not match an INSERT whose type is another DynamoDB type', () => {
    const record = streamRecord('INSERT', { NewImage: { ...image('inbox'), type: { N: 'inbox' } } });

    expect(matchesAnyFilter(inboxInserts, record)).toBe(false);
  });
});

describe('without patterns', () => {
  it.each([
    ['undefined', undefined],
    ['an empty list', []],
  ])('matches every record when the patterns are %s', (_name, patterns) => {
    const records = [streamRecord('REMOVE', { OldImage: image('reply') }), streamRecord('INSERT', { NewImage: image('inbox') }), 'not even a record'];

    expect(records.map((record) => matchesAnyFilter(patterns, record))).toEqual([true, true, true]);
  });
});

describe('several patterns and several values', () => {
  it('matches when any one pattern matches', () => {
    const patterns: Patterns = [{ eventName: ['REMOVE'] }, { eventName: ['INSERT'] }];

    expect(matchesAnyFilter(patterns, streamRecord('INSERT', { NewImage: image('inbox') }))).toBe(true);
  });

  it('matches when the value is any one of the listed values', () => {
    const patterns: Patterns = [{ eventName: ['INSERT', 'MODIFY'] }];
    const records = (['INSERT', 'MODIFY', 'REMOVE'] as const).map((name) => streamRecord(name, {}));

    expect(records.map((record) => matchesAnyFilter(patterns, record))).toEqual([true, true, false]);
  });

  it('does not match a record that is not an object', () => {
    expect(matchesAnyFilter(inboxInserts, null)).toBe(false);
  });
});

describe('prefix', () => {
  const userKeys: Patterns = [{ dynamodb: { Keys: { pk: { S: [{ prefix: 'USER#' }] } } } }];
  const withPk = (pk: unknown) => ({ dynamodb: { Keys: { pk } } });

  it('matches a string that starts with the prefix', () => {
    expect(matchesAnyFilter(userKeys, withPk({ S: 'USER#6543210987654321' }))).toBe(true);
  });

  it('does not match a string that starts otherwise', () => {
    expect(matchesAnyFilter(userKeys, withPk({ S: 'PAGE#106123456789012' }))).toBe(false);
  });

  it('does not match a string that holds the prefix later on', () => {
    expect(matchesAnyFilter(userKeys, withPk({ S: 'PAGE#USER#1' }))).toBe(false);
  });

  it('does not match a missing or non-string value', () => {
    expect([withPk({}), withPk({ S: 42 }), { dynamodb: {} }].map((record) => matchesAnyFilter(userKeys, record))).toEqual([false, false, false]);
  });
});

describe('exists', () => {
  const hasOldImage: Patterns = [{ dynamodb: { OldImage: [{ exists: true }] } }];
  const hasNoOldImage: Patterns = [{ dynamodb: { OldImage: [{ exists: false }] } }];
  const modify = streamRecord('MODIFY', { NewImage: image('inbox'), OldImage: image('inbox') });
  const insert = streamRecord('INSERT', { NewImage: image('inbox') });

  it('exists: true matches when the field is present', () => {
    expect(matchesAnyFilter(hasOldImage, modify)).toBe(true);
  });

  it('exists: true does not match when the field is absent', () => {
    expect(matchesAnyFilter(hasOldImage, insert)).toBe(false);
  });

  it('exists: false matches when the field is absent', () => {
    expect(matchesAnyFilter(hasNoOldImage, insert)).toBe(true);
  });

  it('exists: false does not match when the field is present', () => {
    expect(matchesAnyFilter(hasNoOldImage, modify)).toBe(false);
  });
});

describe('anything-but', () => {
  it('matches any value but the listed ones', () => {
    const patterns: Patterns = [{ eventName: [{ 'anything-but': ['REMOVE'] }] }];
    const records = (['INSERT', 'MODIFY', 'REMOVE'] as const).map((name) => streamRecord(name, {}));

    expect(records.map((record) => matchesAnyFilter(patterns, record))).toEqual([true, true, false]);
  });

  it('accepts a single excluded value as well as a list', () => {
    const patterns: Patterns = [{ dynamodb: { NewImage: { type: { S: [{ 'anything-but': 'reply' }] } } } }];

    expect(matchesAnyFilter(patterns, streamRecord('INSERT', { NewImage: image('inbox') }))).toBe(true);
    expect(matchesAnyFilter(patterns, streamRecord('INSERT', { NewImage: image('reply') }))).toBe(false);
  });

  it('does not match when the field is absent', () => {
    const patterns: Patterns = [{ eventName: [{ 'anything-but': ['REMOVE'] }] }];
    const { eventName: _absent, ...withoutEventName } = streamRecord('INSERT', { NewImage: image('inbox') });

    expect(matchesAnyFilter(patterns, withoutEventName)).toBe(false);
  });
});

describe('unsupported rules', () => {
  it('refuses a rule it does not implement rather than guessing', () => {
    const patterns: Patterns = [{ dynamodb: { SizeBytes: [{ numeric: ['>', 0] }] } }];

    expect(() => matchesAnyFilter(patterns, { dynamodb: { SizeBytes: 10 } })).toThrow(/Unsupported filter rule/);
  });
});
