import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { streamSource } from '../../dev/serverless-config';
import { createStreamDelivery, type StreamDelivery } from '../../dev/stream-delivery';
import type { TestTables } from './dynamodb';

/**
 * The test tables' stream wired to a handler the way serverless.yml wires that function (by
 * default `conversation`) in AWS: same filter patterns, batch size and retry count.
 */
export async function streamTo(
  tables: TestTables,
  invoke: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>,
  consumer = 'conversation',
): Promise<StreamDelivery & { deadLetters: DynamoDBRecord[] }> {
  const { Table } = await tables.client.send(new DescribeTableCommand({ TableName: tables.names.main }));
  if (!Table?.LatestStreamArn) throw new Error('test table has no stream');
  const deadLetters: DynamoDBRecord[] = [];
  const delivery = createStreamDelivery({
    endpoint: tables.endpoint,
    streamArn: Table.LatestStreamArn,
    invoke,
    ...streamSource(consumer),
    onDeadLetter: (records) => deadLetters.push(...records),
  });
  return Object.assign(delivery, { deadLetters });
}

/**
 * The stream batch (the last, if several) that carries the inbound message `mid`, as a second
 * consumer of the tables' stream saw it while `act` ran: a batch a test can replay.
 */
export async function batchCarrying(tables: TestTables, mid: string, act: () => Promise<unknown>): Promise<DynamoDBStreamEvent | undefined> {
  let batch: DynamoDBStreamEvent | undefined;
  const capture = await streamTo(tables, async (event) => {
    if (event.Records.some((r) => JSON.stringify(r).includes(mid))) batch = event;
    return { batchItemFailures: [] };
  });
  await act();
  await capture.drain();
  await capture.stop();
  return batch;
}
