import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSqs, type LocalSqs } from '../../../dev/local-sqs';
import type { Config } from '../../../lib/config';
import { InvalidInput } from '../../../lib/errors';
import { pictureRequestSchema } from '../../../lib/queue/picture-request';
import { spendingPictureRequests } from '../../../lib/runtime/picture-requests';

/**
 * The conversation's port to the spending picture: the period resolved as the person asked, at
 * that moment and in the deployment's zone, and the ask on the picture queue of serverless.yml.
 */
let sqs: LocalSqs;
beforeAll(async () => {
  sqs = await startLocalSqs({ stage: `p${Date.now()}` });
});
afterAll(() => sqs.stop());

const runtime = (queueUrl: string | undefined, at: string, timeZone = 'America/New_York') => ({
  config: { AWS_REGION: 'eu-west-1', SQS_ENDPOINT: sqs.endpoint, ...(queueUrl ? { PICTURE_QUEUE_URL: queueUrl } : {}) } as Config,
  clock: () => new Date(at),
  assistant: { timeZone } as Parameters<typeof spendingPictureRequests>[0]['assistant'],
});

const received = async () => {
  const out = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: sqs.queueUrl('PictureQueue'), MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  return (out.Messages ?? []).map((m) => JSON.parse(m.Body!) as unknown);
};

describe('requestSpendingPicture', () => {
  it('puts the ask on the picture queue with the days of the period, as of where and when it was asked', async () => {
    // 02:30 UTC on 1 December is still 30 November in New York: "this month" is November.
    const request = spendingPictureRequests(runtime(sqs.queueUrl('PictureQueue'), '2026-12-01T02:30:00Z'))!;

    await request({ psid: '5500000000000001', period: 'this-month', language: 'es', key: 'm_ask_1' });

    const [message] = await received();
    expect(message).toEqual({ psid: '5500000000000001', key: 'm_ask_1', language: 'es', period: { spec: 'this-month', from: '2026-11-01', to: '2026-11-30' } });
    expect(pictureRequestSchema.safeParse(message).success).toBe(true);
  });

  it('refuses a period it does not know, sending nothing', async () => {
    const request = spendingPictureRequests(runtime(sqs.queueUrl('PictureQueue'), '2026-12-01T12:00:00Z'))!;

    await expect(request({ psid: '5500000000000001', period: 'next-week', language: 'en', key: 'm_ask_2' })).rejects.toThrow(InvalidInput);
    expect(await received()).toEqual([]);
  });

  it('is absent where no picture queue is configured', () => {
    expect(spendingPictureRequests(runtime(undefined, '2026-12-01T12:00:00Z'))).toBeUndefined();
  });
});
