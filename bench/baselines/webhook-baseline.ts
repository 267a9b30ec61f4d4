import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createDocumentClient } from '../../lib/store/client';

/**
 * The least a Messenger webhook can do: check X-Hub-Signature-256 over the raw bytes, write the
 * event with one conditional put (the dedupe record), answer 200. Built with the same esbuild
 * options and the same DynamoDB client factory as the real handler; the benchmark compares them.
 */
const db = createDocumentClient({
  region: process.env.AWS_REGION ?? 'eu-west-1',
  endpoint: process.env.DYNAMODB_ENDPOINT,
  connectTimeoutMs: Number(process.env.DYNAMODB_CONNECT_TIMEOUT_MS ?? 1000),
  requestTimeoutMs: Number(process.env.DYNAMODB_REQUEST_TIMEOUT_MS ?? 2500),
});
const table = process.env.TABLE_NAME!;
const secret = process.env.MESSENGER_APP_SECRET!;

interface Delivery {
  entry: { messaging: { sender: { id: string }; message: { mid: string } }[] }[];
}

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const given = Buffer.from((event.headers['x-hub-signature-256'] ?? '').slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', secret).update(raw).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { statusCode: 401, body: 'Unauthorized' };
  const message = (JSON.parse(raw.toString('utf8')) as Delivery).entry[0]!.messaging[0]!;
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: { pk: `USER#${message.sender.id}`, sk: `INBOX#${message.message.mid}`, type: 'inbox', event: message },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
  return { statusCode: 200, body: 'EVENT_RECEIVED' };
};
