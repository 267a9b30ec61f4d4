/**
 * `npm run say -- "hello"`: posts a correctly signed message to the local webhook as a test person,
 * as Messenger would, and prints what the bot sent back through the Graph API stub.
 *
 *   npm run say -- "what's my balance?"
 *   npm run say -- --psid 5500000000000002 "hola"
 *   npm run say -- --postback GET_STARTED
 *   npm run say -- --quick-reply "REVOKE:<consent id>" "Yes, stop sharing"   # tap a quick reply
 */
import { parseArgs } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import { loadLocalEnv } from './env';
import { metaJson, postback, quickReply, textMessage, webhookBody } from './messenger-payloads';
import { signBody } from '../lib/messenger/signature';
import { localStackDown } from './stack-status';

loadLocalEnv();
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    psid: { type: 'string', default: '5500000000000001' },
    postback: { type: 'string' },
    'quick-reply': { type: 'string' },
    url: { type: 'string', default: process.env.WEBHOOK_URL ?? 'http://localhost:3000/webhook' },
    wait: { type: 'string', default: '15' },
  },
});

const text = positionals.join(' ');
if (!text && !values.postback && !values['quick-reply']) {
  console.error('Usage: npm run say -- "your message"   (or --postback PAYLOAD, --quick-reply PAYLOAD [title])');
  process.exit(2);
}

const who = { psid: values.psid, pageId: process.env.MESSENGER_PAGE_ID ?? '100000000000001' };
const event = values.postback
  ? postback(who, values.postback)
  : values['quick-reply']
    ? quickReply(who, text || values['quick-reply'], values['quick-reply'])
    : textMessage(who, text);
const raw = metaJson(webhookBody([{ pageId: who.pageId, messaging: [event] }]));
const graph = new URL('/__sent', process.env.GRAPH_API_URL);
graph.searchParams.set('psid', who.psid);

type Button = { type: string; title?: string; url?: string; payload?: string };
type Sent = {
  at: string;
  body: {
    message?: {
      text?: string;
      quick_replies?: { title: string; payload: string }[];
      attachment?: { payload?: { text?: string; buttons?: Button[] } };
    };
  };
};
const sentSoFar = async (): Promise<Sent[]> => (await fetch(graph)).json() as Promise<Sent[]>;

const down = await localStackDown([values.url, graph.origin]);
if (down) {
  console.error(down);
  process.exit(1);
}
try {
  const before = (await sentSoFar()).length;
  const response = await fetch(values.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, process.env.MESSENGER_APP_SECRET!) },
    body: raw,
    signal: AbortSignal.timeout(10_000),
  });
  console.log(`you (${who.psid}) › ${values.postback ? `[postback ${values.postback}]` : values['quick-reply'] ? `[quick reply ${values['quick-reply']}] ${text}` : text}`);
  console.log(`webhook ‹ ${response.status} ${await response.text()}`);
  if (!response.ok) process.exit(1);

  const deadline = Date.now() + Number(values.wait) * 1000;
  let replies: Sent[] = [];
  while (Date.now() < deadline) {
    replies = (await sentSoFar()).slice(before).filter((s) => s.body.message);
    if (replies.length > 0) {
      await delay(500); // a turn may send more than one message
      replies = (await sentSoFar()).slice(before).filter((s) => s.body.message);
      break;
    }
    await delay(200);
  }
  if (replies.length === 0) {
    console.error(`bot  ‹ (no reply within ${values.wait} s — is \`npm start\` running?)`);
    process.exit(1);
  }
  for (const { body } of replies) {
    const message = body.message!;
    console.log(`bot  ‹ ${message.text ?? message.attachment?.payload?.text ?? JSON.stringify(message.attachment)}`);
    for (const button of message.attachment?.payload?.buttons ?? []) {
      console.log(`       [${button.title ?? button.type}] ${button.url ?? `--postback ${button.payload}`}`);
    }
    for (const q of message.quick_replies ?? []) console.log(`       (${q.title})  npm run say -- --quick-reply "${q.payload}"`);
  }
} catch (error) {
  // It answered the check above: it has been stopped since, or a part of it is failing.
  console.error(`The local stack stopped answering (${error instanceof Error ? error.message : String(error)}). Is \`npm start\` still running?`);
  process.exit(1);
}
