/**
 * Runs in a fresh Node process: loads one bundle (the Lambda init) and serves one event, timing
 * both, then reports to the file named on the command line. Built to plain JS before use so no
 * TypeScript loader sits in the measured process.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [bundle, eventFile, resultFile, functionName] = process.argv.slice(2) as [string, string, string, string];
const event = JSON.parse(readFileSync(eventFile, 'utf8')) as unknown;
const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-west-1:000000000000:function:${functionName}`,
  memoryLimitInMB: '512',
  awsRequestId: '00000000-0000-4000-8000-000000000000',
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'cold',
  getRemainingTimeInMillis: () => 10_000,
};
const started = performance.now();
const module = (await import(pathToFileURL(bundle).href)) as { handler: (e: unknown, c: unknown) => Promise<unknown> };
const loaded = performance.now();
let outcome = 'ok';
try {
  // What the first event came to: an HTTP status, or the messages a batch handed back.
  const answer = (await module.handler(event, context)) as { statusCode?: number; batchItemFailures?: unknown[] } | undefined;
  if (typeof answer?.statusCode === 'number') outcome = `HTTP ${answer.statusCode}`;
  else if (Array.isArray(answer?.batchItemFailures)) outcome = `${answer.batchItemFailures.length} failed`;
} catch (error) {
  outcome = `threw ${(error as Error).name}`;
}
const served = performance.now();
writeFileSync(resultFile, JSON.stringify({ initMs: loaded - started, firstInvokeMs: served - loaded, totalMs: served - started, bootMs: started, outcome }));
process.exit(0);
