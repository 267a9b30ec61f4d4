/**
 * `npm run invoke -- <function> <event file>`: runs one function once, in this process, with a
 * sample event, against the local stack's configuration (.env / .env.example), and prints what it
 * returned. Without arguments it lists the samples in events/ (dev/samples.ts) and marks those
 * that need `npm start` running; it checks for the stack before running one of those.
 *
 *   npm run invoke -- messengerWebhook events/messengerWebhook.get.json
 *   npm run invoke -- messengerWebhook events/messengerWebhook.post.json
 *   npm run invoke -- conversation events/conversation.stream.json
 *
 * A Messenger webhook event's X-Hub-Signature-256 is recomputed over its body with the configured app secret,
 * so the sample files keep working when you change the secret; pass --keep-signature to send the
 * file's own signature instead (e.g. to see a refusal).
 */
import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { signBody } from '../lib/messenger/signature';
import { loadLocalEnv } from './env';
import { samples } from './samples';
import { functionDefinition, functionDefinitions, projectRoot } from './serverless-config';
import { localStackDown } from './stack-status';

loadLocalEnv();
const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'keep-signature': { type: 'boolean', default: false } } });
const [name, eventFile] = positionals;
if (!name) {
  console.log(usage());
  process.exit(0);
}
if (!eventFile) {
  console.error(usage());
  process.exit(2);
}

const fn = functionDefinition(name);
const path = resolve(process.cwd(), eventFile);
const sample = samples.find((s) => resolve(projectRoot, s.file) === path);
if (sample?.needsStack) {
  const down = await localStackDown([process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000']);
  if (down) {
    console.error(down);
    process.exit(1);
  }
}
// The sample's "//" line says what it is; the function gets the event without it.
const { '//': _note, ...event } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> & {
  body?: string;
  isBase64Encoded?: boolean;
  headers?: Record<string, string>;
};
if (typeof event.body === 'string' && event.headers?.['x-hub-signature-256'] && !values['keep-signature']) {
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  event.headers['x-hub-signature-256'] = signBody(raw, process.env.MESSENGER_APP_SECRET ?? '');
}

const context: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: `messenger-banking-local-${name}`,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:messenger-banking-local-${name}`,
  memoryLimitInMB: '1024',
  awsRequestId: randomUUID(),
  logGroupName: `/aws/lambda/messenger-banking-local-${name}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

const module = (await import(pathToFileURL(`${projectRoot}${fn.module}`).href)) as Record<string, unknown>;
const handler = module[fn.exportName] as (event: unknown, context: Context) => Promise<unknown>;
const started = performance.now();
try {
  const result = await handler(event, context);
  console.log(JSON.stringify(result, null, 2));
  console.error(`(${name} returned in ${(performance.now() - started).toFixed(1)} ms)`);
  process.exit(0);
} catch (error) {
  console.error(`${name} threw:`, error);
  process.exit(1);
}

function usage(): string {
  const commands = samples.map((s) => `npm run invoke -- ${s.functionName} ${s.file}`);
  const width = Math.max(...commands.map((c) => c.length));
  return [
    'Usage: npm run invoke -- <function> <event file> [--keep-signature]',
    `Functions: ${functionDefinitions().map((f) => f.name).join(', ')}`,
    '',
    'Samples (* needs `npm start` running in another terminal):',
    ...samples.map((s, i) => `${s.needsStack ? '*' : ' '} ${commands[i]!.padEnd(width)}  ${s.shows}`),
  ].join('\n');
}
