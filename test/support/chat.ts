import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { GraphStub } from '../../dev/graph-stub';
import { metaJson, signedWebhookEvent, textMessage, webhookBody, type Person } from '../../dev/messenger-payloads';
import type { TestTables } from './dynamodb';
import { APP_SECRET, lambdaContext, loadHandler, type FunctionEnv, type StreamHandler } from './functions';
import type { HttpHandler } from './http-front';
import { streamTo } from './stream';

let people = 0;

/** Someone new writing to `page`, with a page-scoped id of its own that starts with `prefix`. */
export const newPerson = (page: string, prefix: string): Person => ({ psid: `${prefix}${Date.now()}${++people}`, pageId: page });

/** Posts `messaging` events for `page` to the webhook, signed as Meta signs them, and expects the 200 Meta needs. */
export async function postEvents(webhook: HttpHandler, page: string, messaging: unknown[]): Promise<void> {
  const response = await webhook(signedWebhookEvent(metaJson(webhookBody([{ pageId: page, messaging }])), APP_SECRET), lambdaContext());
  expect(response.statusCode).toBe(200);
}

/** The messages the Graph API stub was asked to send `psid` (typing indicators and other actions left out), in order. */
export const messagesSentTo = <M>(graph: GraphStub, psid: string): M[] =>
  graph
    .sentTo(psid)
    .map((s) => (s.body as { message?: M }).message)
    .filter((m): m is M => m !== undefined);

/** A chat through the real handlers: the webhook, the inbox stream wired to conversation, the Graph API stub. */
export interface Chat {
  graph: GraphStub;
  webhook: HttpHandler;
  stream: Awaited<ReturnType<typeof streamTo>>;
}

/** messenger-webhook and conversation, loaded in that order with `env`. */
export async function loadChatHandlers(env: FunctionEnv): Promise<{ webhook: HttpHandler; conversation: StreamHandler }> {
  const webhook = await loadHandler<HttpHandler>(() => import('../../functions/messenger-webhook'), env);
  const conversation = await loadHandler<StreamHandler>(() => import('../../functions/conversation'), env);
  return { webhook, conversation };
}

/** Loads messenger-webhook and conversation with `env` and wires the tables' stream to conversation, drained once. */
export async function startChat(tables: TestTables, env: FunctionEnv): Promise<Omit<Chat, 'graph'>> {
  const { webhook, conversation } = await loadChatHandlers(env);
  const stream = await streamTo(tables, (event) => conversation(event, lambdaContext('conversation')));
  await stream.drain();
  return { webhook, stream };
}

/** Sends `text` from `who` as a new message and waits for the stream: the Send API bodies sent to them since. */
export async function askChat({ graph, webhook, stream }: Chat, who: Person, text: string): Promise<unknown[]> {
  graph.clear();
  await postEvents(webhook, who.pageId, [textMessage(who, text, { mid: `m_${randomUUID()}` })]);
  await stream.drain();
  return graph.sentTo(who.psid).map((s) => s.body);
}
