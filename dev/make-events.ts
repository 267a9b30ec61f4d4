/**
 * Regenerates the sample events under events/ from the same builders the tests use:
 * `npx tsx dev/make-events.ts`. Each file starts with its "//" line from dev/samples.ts.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { writeFileSync } from 'node:fs';
import { loadLocalEnv } from './env';
import { httpApiEvent, metaJson, signedWebhookEvent, textMessage, webhookBody } from './messenger-payloads';
import { sampleNote, samples } from './samples';
import { projectRoot } from './serverless-config';

loadLocalEnv();
const who = { psid: '5500000000000001', pageId: process.env.MESSENGER_PAGE_ID ?? '100000000000001' };
const message = textMessage(who, 'Hello, what can you do?', { mid: 'm_sample_0001', timestamp: 1_763_700_000_000 });
const write = (file: string, value: object) => {
  const sample = samples.find((s) => s.file === `events/${file}`);
  if (!sample) throw new Error(`events/${file} is not listed in dev/samples.ts`);
  writeFileSync(`${projectRoot}events/${file}`, JSON.stringify({ '//': sampleNote(sample), ...value }, null, 2) + '\n');
};

write(
  'messengerWebhook.get.json',
  httpApiEvent({
    method: 'GET',
    query: { 'hub.mode': 'subscribe', 'hub.verify_token': process.env.MESSENGER_VERIFY_TOKEN!, 'hub.challenge': '1158201444' },
  }),
);
write('messengerWebhook.post.json', signedWebhookEvent(metaJson(webhookBody([{ pageId: who.pageId, messaging: [message] }])), process.env.MESSENGER_APP_SECRET!));
write('conversation.stream.json', {
  Records: [
    {
      eventID: 'sample-1',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      eventSourceARN: 'arn:aws:dynamodb:eu-west-1:000000000000:table/messenger-banking-local-main/stream/sample',
      dynamodb: {
        Keys: marshall({ pk: `USER#${who.psid}`, sk: 'INBOX#m_sample_0001' }),
        NewImage: marshall({
          pk: `USER#${who.psid}`,
          sk: 'INBOX#m_sample_0001',
          type: 'inbox',
          eventId: 'm_sample_0001',
          receivedAt: '2025-11-21T04:40:00.000Z',
          expiresAt: 1_764_300_000,
          event: { id: 'm_sample_0001', pageId: who.pageId, psid: who.psid, timestamp: message.timestamp, channel: 'messaging', kind: 'message', message: message.message },
        }),
        SequenceNumber: '100000000000000000001',
        SizeBytes: 400,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    },
  ],
});
const scheduled = { version: '0', id: 'sample', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', time: '2026-11-21T04:40:00Z', region: 'eu-west-1', resources: [], detail: {} };
write('syncScheduler.scheduled.json', scheduled);
write('consentExpiry.scheduled.json', scheduled);
write('syncWorker.sqs.json', {
  Records: [
    {
      messageId: 'sample-1',
      receiptHandle: 'sample-receipt',
      body: JSON.stringify({ psid: who.psid, itemId: 'item-sample', reason: 'stale' }),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1763700000000', SenderId: 'local', ApproximateFirstReceiveTimestamp: '1763700000000' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:messenger-banking-local-sync',
      awsRegion: 'eu-west-1',
    },
  ],
});
write('spendingPicture.sqs.json', {
  Records: [
    {
      messageId: 'sample-3',
      receiptHandle: 'sample-receipt',
      body: JSON.stringify({ psid: who.psid, key: 'm_sample_0001', period: { spec: 'this-month', from: '2026-11-01', to: '2026-11-21' }, language: 'en' }),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1763700000000', SenderId: 'local', ApproximateFirstReceiveTimestamp: '1763700000000' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:messenger-banking-local-picture',
      awsRegion: 'eu-west-1',
    },
  ],
});
// Unsigned on purpose: shows the 401 a webhook without a valid Plaid-Verification gets.
write(
  'bankWebhook.post.json',
  httpApiEvent({ method: 'POST', path: '/bank/webhook', body: JSON.stringify({ webhook_type: 'TRANSACTIONS', webhook_code: 'SYNC_UPDATES_AVAILABLE', item_id: 'item-sample', environment: 'sandbox' }) }),
);
write('consent.get.json', httpApiEvent({ method: 'GET', path: '/consent', query: { t: 'paste-a-token-from-npm-run-say-link-my-bank' } }));
const pendingConsent = {
  pk: `USER#${who.psid}`,
  sk: 'CONSENT#sample-consent',
  type: 'consent',
  consentId: 'sample-consent',
  psid: who.psid,
  status: 'pending',
  scopes: ['balances'],
  durationDays: 90,
  disclosureVersion: 'sample',
  disclosureHash: 'sample',
  version: 1,
  createdAt: '2026-11-21T04:40:00.000Z',
  updatedAt: '2026-11-21T04:40:00.000Z',
};
// A pending consent revoked before it was linked: the effects purge nothing and audit the deletion.
write('consentEffects.stream.json', {
  Records: [
    {
      eventID: 'sample-2',
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      eventSourceARN: 'arn:aws:dynamodb:eu-west-1:000000000000:table/messenger-banking-local-main/stream/sample',
      dynamodb: {
        Keys: marshall({ pk: pendingConsent.pk, sk: pendingConsent.sk }),
        OldImage: marshall(pendingConsent),
        NewImage: marshall({ ...pendingConsent, status: 'revoked', version: 2, endedAt: '2026-11-21T04:41:00.000Z', endedBy: 'person' }),
        SequenceNumber: '100000000000000000002',
        SizeBytes: 400,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    },
  ],
});
console.log('events/ written');
