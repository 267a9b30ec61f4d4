import { GetQueueAttributesCommand, ListQueueTagsCommand, ListQueuesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLettersFirst, queueDefinitions, sqsEventSources, startLocalSqs, type LocalSqs } from '../../dev/local-sqs';

const fixture = fileURLToPath(new URL('./fixtures/sqs-serverless.yml', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'local-sqs-'));
const started: LocalSqs[] = [];

async function start(options: Parameters<typeof startLocalSqs>[0]) {
  const sqs = await startLocalSqs(options);
  started.push(sqs);
  return sqs;
}

function yamlFile(name: string, text: string) {
  const file = join(tmp, name);
  writeFileSync(file, text);
  return file;
}

afterAll(async () => {
  await Promise.all(started.map((sqs) => sqs.stop()));
  rmSync(tmp, { recursive: true, force: true });
});

describe('startLocalSqs with a serverless file', () => {
  let sqs: LocalSqs;
  beforeAll(async () => {
    sqs = await start({ serverlessFile: fixture, stage: 'test' });
  });

  const attributesOf = async (logicalId: string) =>
    (await sqs.client.send(new GetQueueAttributesCommand({ QueueUrl: sqs.queueUrl(logicalId), AttributeNames: ['All'] }))).Attributes ?? {};

  it('listens on the loopback interface', () => {
    expect(new URL(sqs.endpoint).hostname).toBe('127.0.0.1');
    expect(Number(new URL(sqs.endpoint).port)).toBeGreaterThan(0);
  });

  it('creates every AWS::SQS::Queue of the resources, named for the stage and service, and nothing else', async () => {
    const { QueueUrls } = await sqs.client.send(new ListQueuesCommand({}));
    expect(QueueUrls?.map((url) => url.split('/').pop()).sort()).toEqual(
      ['sqs-fixture-test-OrdersDLQ.fifo', 'sqs-fixture-test-orders.fifo', 'sqs-fixture-test-work', 'sqs-fixture-test-work-dlq', 'sqs-fixture-test-events'].sort(),
    );
    expect(Object.keys(sqs.queues).sort()).toEqual(['EventsQueue', 'OrdersDLQ', 'OrdersQueue', 'WorkDLQ', 'WorkQueue']);
    expect(sqs.queueArn('WorkQueue')).toBe('arn:aws:sqs:eu-west-1:000000000000:sqs-fixture-test-work');
    expect(sqs.queueUrl('WorkDLQ')).toMatch(/\/000000000000\/sqs-fixture-test-work-dlq$/);
  });

  it('translates the RedrivePolicy to the local DLQ ARN and keeps the declared attributes', async () => {
    const work = await attributesOf('WorkQueue');
    expect(JSON.parse(work.RedrivePolicy!)).toEqual({ deadLetterTargetArn: sqs.queueArn('WorkDLQ'), maxReceiveCount: 3 });
    expect(work).toMatchObject({ VisibilityTimeout: '1', MessageRetentionPeriod: '345600' });
    expect(await attributesOf('WorkDLQ')).toMatchObject({ MessageRetentionPeriod: '1209600', VisibilityTimeout: '30' });
    const { Tags } = await sqs.client.send(new ListQueueTagsCommand({ QueueUrl: sqs.queueUrl('WorkQueue') }));
    expect(Tags).toEqual({ purpose: 'test-work' });
  });

  it('creates FIFO queues with their attributes, and names an unnamed FIFO queue like CloudFormation would (minus the random part)', async () => {
    const orders = await attributesOf('OrdersQueue');
    expect(orders).toMatchObject({ FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '1' });
    expect(JSON.parse(orders.RedrivePolicy!)).toEqual({ deadLetterTargetArn: sqs.queueArn('OrdersDLQ'), maxReceiveCount: 2 });
    expect(sqs.queues.OrdersDLQ?.name).toBe('sqs-fixture-test-OrdersDLQ.fifo');
    expect(await attributesOf('OrdersDLQ')).toMatchObject({ FifoQueue: 'true' });
  });

  it('names the queues it has when asked for one it does not', () => {
    expect(() => sqs.queueUrl('NoSuchQueue')).toThrow(/NoSuchQueue.*WorkQueue/);
  });
});

describe('queue definitions', () => {
  it('resolve names for any stage and service, and put dead-letter queues first whatever the order in the file', () => {
    const definitions = queueDefinitions({ serverlessFile: fixture, stage: 'prod', service: 'other' });
    expect(definitions.map((d) => [d.logicalId, d.name, d.deadLetterQueue, d.maxReceiveCount])).toEqual([
      ['WorkQueue', 'other-prod-work', 'WorkDLQ', 3],
      ['WorkDLQ', 'other-prod-work-dlq', undefined, undefined],
      ['OrdersQueue', 'other-prod-orders.fifo', 'OrdersDLQ', 2],
      ['OrdersDLQ', 'other-prod-OrdersDLQ.fifo', undefined, undefined],
      ['EventsQueue', 'other-prod-events', undefined, undefined],
    ]);
    expect(deadLettersFirst(definitions).map((d) => d.logicalId)).toEqual(['WorkDLQ', 'WorkQueue', 'OrdersDLQ', 'OrdersQueue', 'EventsQueue']);
  });

  it('fail with the variable when a name cannot be resolved locally', () => {
    const file = yamlFile(
      'unresolved.yml',
      'service: s\nresources:\n  Resources:\n    Q:\n      Type: AWS::SQS::Queue\n      Properties:\n        QueueName: ${ssm:/some/name}\n',
    );
    expect(() => queueDefinitions({ serverlessFile: file })).toThrow('Q: cannot resolve ${ssm:/some/name} locally');
  });

  it('fail when a RedrivePolicy targets a queue outside the file', () => {
    const file = yamlFile(
      'external-dlq.yml',
      [
        'service: s',
        'resources:',
        '  Resources:',
        '    Q:',
        '      Type: AWS::SQS::Queue',
        '      Properties:',
        '        RedrivePolicy: { deadLetterTargetArn: "arn:aws:sqs:eu-west-1:123456789012:elsewhere", maxReceiveCount: 3 }',
      ].join('\n'),
    );
    expect(() => queueDefinitions({ serverlessFile: file })).toThrow(/deadLetterTargetArn must name a queue of the same file/);
  });
});

describe('sqsEventSources', () => {
  it('reads each sqs event as its event source mapping is configured, with the parameters of the stage', () => {
    expect(sqsEventSources({ serverlessFile: fixture, stage: 'test' })).toEqual([
      { functionName: 'worker', queue: 'WorkQueue', batchSize: 10, maximumBatchingWindowSeconds: 1, maximumConcurrency: 2, reportBatchItemFailures: true, enabled: true },
      { functionName: 'ordersWorker', queue: 'OrdersQueue', batchSize: 10, maximumBatchingWindowSeconds: 0, reportBatchItemFailures: false, enabled: true },
    ]);
    expect(sqsEventSources({ serverlessFile: fixture, stage: 'prod' })[0]?.maximumConcurrency).toBe(5); // params.default
  });
});

describe('startLocalSqs', () => {
  it("starts with the project's serverless.yml, whatever queues it has", async () => {
    const sqs = await start({});
    expect(Object.values(sqs.queues).every((q) => q.name.startsWith('messenger-banking-local-'))).toBe(true);
    const { QueueUrls } = await sqs.client.send(new ListQueuesCommand({}));
    expect(QueueUrls ?? []).toHaveLength(Object.keys(sqs.queues).length);
    // Every sqs event source of the project reads a queue the local SQS has.
    for (const source of sqsEventSources()) {
      expect(sqs.queues[source.queue], source.functionName).toBeDefined();
      expect(Number.isInteger(source.batchSize) && (source.maximumConcurrency ?? 2) >= 1).toBe(true);
    }
  });

  it('starts with no queues at all, and stop() is idempotent and closes the endpoint', async () => {
    const file = yamlFile('no-queues.yml', 'service: empty\nresources:\n  Resources: {}\n');
    const sqs = await start({ serverlessFile: file });
    expect(sqs.queues).toEqual({});
    await expect(sqs.client.send(new ListQueuesCommand({}))).resolves.toBeDefined();
    const { endpoint } = sqs;
    await sqs.stop();
    await sqs.stop();
    await expect(fetch(`${endpoint}/health`)).rejects.toThrow();
  });

  it('accepts messages on a created queue', async () => {
    const sqs = await start({ serverlessFile: fixture, stage: 'send' });
    const { MessageId } = await sqs.client.send(new SendMessageCommand({ QueueUrl: sqs.queueUrl('WorkQueue'), MessageBody: 'x' }));
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
