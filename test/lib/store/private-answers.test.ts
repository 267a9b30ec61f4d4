import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disclosure } from '../../../lib/consent/disclosure';
import { activateConsent, requestConsent, revokeConsent } from '../../../lib/consent/model/consent';
import { createLocalKeyProvider } from '../../../lib/security/local-key-provider';
import type { FinancialGate, Store } from '../../../lib/store';
import { createTestTables, type TestTables } from '../../support/dynamodb';

/**
 * Answers kept for the private page (private mode), against DynamoDB Local: kept minutes, read
 * once (the read deletes them), never given once past their time though DynamoDB has not deleted
 * them yet, and gone with the person's bank data when a consent ends.
 */
const START = new Date('2026-11-21T10:00:00.000Z');
const PSID = 'p-private';
const TEN_MINUTES = 600;
const content = { kind: 'balances', lang: 'en', lines: ['Everyday Checking ••0000: $2,450.31'] };
const answer = (answerId: string, at = START) => ({ answerId, content, expiresAt: Math.floor(at.getTime() / 1000) + TEN_MINUTES });

let tables: TestTables;
let now: Date;
let store: Store;
let gate: FinancialGate;

beforeEach(async () => {
  tables = await createTestTables();
  now = START;
  store = tables.store(() => now);
  gate = store.financialGate(createLocalKeyProvider(Buffer.alloc(32, 3).toString('base64')));
});

afterEach(async () => {
  await tables.dispose();
});

const later = (seconds: number) => new Date(START.getTime() + seconds * 1000);
const keptAnswers = async () => (await tables.items()).filter((item) => item.type === 'private-answer');

describe('answers kept for the private page', () => {
  it('gives a kept answer once, with what the page shows, and nothing the second time', async () => {
    await store.financialReads.keepPrivateAnswer(PSID, answer('a-1'));

    const first = await store.financialReads.takePrivateAnswer(PSID, 'a-1');
    const second = await store.financialReads.takePrivateAnswer(PSID, 'a-1');

    expect({ first, second }).toEqual({ first: answer('a-1'), second: undefined });
    expect(await keptAnswers()).toEqual([]);
  });

  it('gives nothing once the answer is past its time, though DynamoDB has not deleted it yet, and deletes it', async () => {
    await store.financialReads.keepPrivateAnswer(PSID, answer('a-1'));
    now = later(TEN_MINUTES - 1);
    const justInTime = await store.financialReads.takePrivateAnswer(PSID, 'a-1');
    await store.financialReads.keepPrivateAnswer(PSID, answer('a-2'));
    now = later(TEN_MINUTES);

    const late = await store.financialReads.takePrivateAnswer(PSID, 'a-2');

    expect({ justInTime: justInTime?.answerId, late }).toEqual({ justInTime: 'a-1', late: undefined });
    expect(await keptAnswers()).toEqual([]);
  });

  it('gives nothing for another person’s answer id, and leaves that answer for its owner', async () => {
    await store.financialReads.keepPrivateAnswer(PSID, answer('a-1'));

    const stranger = await store.financialReads.takePrivateAnswer('p-someone-else', 'a-1');

    expect(stranger).toBeUndefined();
    expect((await store.financialReads.takePrivateAnswer(PSID, 'a-1'))?.answerId).toBe('a-1');
  });

  it('keeps an answer under its own id only once', async () => {
    await store.financialReads.keepPrivateAnswer(PSID, answer('a-1'));

    await expect(store.financialReads.keepPrivateAnswer(PSID, { ...answer('a-1'), content: { kind: 'spending', lang: 'en', lines: ['other'] } })).rejects.toThrow();
    expect((await store.financialReads.takePrivateAnswer(PSID, 'a-1'))?.content).toEqual(content);
  });

  it('deletes every answer of the person, and only theirs, when a consent of theirs is purged', async () => {
    const requested = requestConsent({ consentId: 'c-1', psid: PSID, scopes: ['balances'], durationDays: 90, disclosure: disclosure({ recipient: 'Demo Bank' }), bankLinkToken: 'l', now: START });
    await store.commitConsentTransition(requested);
    const activated = activateConsent(requested.consent, { itemId: 'item-1', now: START });
    await store.commitConsentTransition(activated, await gate.activationItems(activated.consent, { accessToken: 'access-1', accounts: [] }));
    await store.financialReads.keepPrivateAnswer(PSID, answer('a-1'));
    await store.financialReads.keepPrivateAnswer(PSID, answer('a-2'));
    await store.financialReads.keepPrivateAnswer('p-other', answer('a-3'));
    const revoked = revokeConsent(activated.consent, { now: START, by: 'person' });
    await store.commitConsentTransition(revoked);

    await gate.purge(revoked.consent);

    expect((await keptAnswers()).map((item) => [item.pk, item.sk])).toEqual([['USER#p-other', 'PRIVATE#a-3']]);
    expect(await store.financialReads.takePrivateAnswer(PSID, 'a-1')).toBeUndefined();
  });
});
