import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { performance } from 'node:perf_hooks';
import type { Bundle } from './lib/bundles';
import { benchEnv } from './lib/env';
import { lambdaContext, loadBundle, logBytes, say, type Handler } from './lib/lambda';
import type { Stack } from './lib/stack';
import { summarize, type Summary } from './lib/stats';

/**
 * 3. Conversation turn: an inbox item's stream record in, the Send API request out, through the
 * bundled conversation handler in-process (DynamoDB Local; the Send API is an in-process fake
 * that notes when the reply arrives). It only drives the handler with what Meta sends, so it
 * keeps working whatever the assistant answers.
 */
export interface ConversationResult {
  turns: number;
  /** Stream record handed to the handler → the reply's Send API request arrives. */
  toSendApi: Summary;
  /** The whole invocation (reply ledger, held alerts…). */
  invocation: Summary;
  unanswered: number;
  logBytesPerInvocation: number;
}

const PAGE = '100000000000001';
const TEXTS = ["what's my balance?", 'hi', 'what did I spend on groceries this month?', 'show my last 5 card payments', 'help'];

export function inboxRecord(psid: string, mid: string, text: string): DynamoDBStreamEvent {
  const timestamp = Date.now();
  const item = {
    pk: `USER#${psid}`,
    sk: `INBOX#${mid}`,
    type: 'inbox',
    eventId: mid,
    receivedAt: new Date(timestamp).toISOString(),
    expiresAt: Math.floor(timestamp / 1000) + 7 * 86_400,
    event: { id: mid, pageId: PAGE, psid, timestamp, channel: 'messaging', kind: 'message', message: { mid, text } },
  };
  return {
    Records: [
      {
        eventID: mid,
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'eu-west-1',
        eventSourceARN: 'arn:aws:dynamodb:eu-west-1:000000000000:table/bench/stream/bench',
        dynamodb: {
          Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
          NewImage: marshall(item) as never,
          SequenceNumber: String(timestamp),
          SizeBytes: 400,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      },
    ],
  };
}

export async function benchConversation(
  bundle: Bundle,
  stack: Stack,
  tables: { main: string; audit: string },
  people: { psid: string }[],
  options: { turns: number; warmup: number },
): Promise<ConversationResult> {
  const handler = await loadBundle<DynamoDBStreamEvent, DynamoDBBatchResponse>(bundle.file, benchEnv(stack.endpoints(tables))) as Handler<DynamoDBStreamEvent, DynamoDBBatchResponse>;
  const toSend: number[] = [];
  const invocation: number[] = [];
  let unanswered = 0;
  let bytes = 0;
  for (let i = 0; i < options.warmup + options.turns; i++) {
    const psid = people[i % people.length]!.psid;
    const mid = `m_bench_${Date.now()}_${i}`;
    const event = inboxRecord(psid, mid, TEXTS[i % TEXTS.length]!);
    stack.graph.expect(psid);
    const before = logBytes.count;
    const start = performance.now();
    const answer = await handler(event, lambdaContext('conversation', 512, 30_000));
    const end = performance.now();
    if (i < options.warmup) continue;
    bytes += logBytes.count - before;
    const replied = stack.graph.firstReplyAt(psid);
    if (answer?.batchItemFailures?.length || replied === undefined) unanswered++;
    else toSend.push(replied - start);
    invocation.push(end - start);
  }
  const result = { turns: options.turns, toSendApi: summarize(toSend), invocation: summarize(invocation), unanswered, logBytesPerInvocation: Math.round(bytes / options.turns) };
  say(`  conversation: to Send API p50 ${result.toSendApi.p50} ms, p99 ${result.toSendApi.p99} ms; invocation p50 ${result.invocation.p50} ms; ${unanswered} unanswered`);
  return result;
}
