/**
 * `npm run bench`: builds the bundles as they ship, starts the local stack (DynamoDB Local, the
 * local SQS, the sandbox bank, a Send API fake), runs the six benchmarks, stops what it started,
 * and writes bench/results.json and bench/RESULTS.md. Progress goes to stderr; the handlers' own
 * logs are counted (for the cost model) and kept off the terminal.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../dev/serverless-config';
import { benchCapacity } from './capacity';
import { benchColdStart } from './cold-start';
import { benchConversation } from './conversation';
import { buildFunctionBundles, buildWebhookBaseline } from './lib/bundles';
import { benchEnv } from './lib/env';
import { realisticFirstEvents } from './lib/first-events';
import { captureHandlerLogs, say } from './lib/lambda';
import { renderSummary } from './lib/summary';
import { startStack } from './lib/stack';
import { benchScheduler } from './scheduler';
import { benchSync, drain, loadWorkers, workerSettings } from './sync';
import { benchUnderstanding } from './understanding';
import { benchWebhook } from './webhook';

// A YAML warning from an unrelated part of serverless.yml is not the benchmark's business.
process.removeAllListeners('warning');
captureHandlerLogs();

const quick = process.argv.includes('--quick');
const started = Date.now();
/** Seconds each step took, so a slow run says where its time went. */
const phases: Record<string, number> = {};
let phaseStart = Date.now();
const phase = (name: string) => {
  phases[name] = Math.round((Date.now() - phaseStart) / 100) / 10;
  phaseStart = Date.now();
};
const machine = { cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
say(`Benchmarks on ${machine.cores} cores (${machine.cpu}), Node ${machine.node}${quick ? ' — quick run' : ''}`);

say('Building bundles (serverless.yml custom.esbuild options)…');
const bundles = await buildFunctionBundles();
const webhookBaseline = await buildWebhookBaseline();
const stack = await startStack();
try {
  const main = await stack.newTables();

  phase('setup');
  say('1. Webhook ack');
  const webhook = await benchWebhook({ handler: bundles.messengerWebhook!, baseline: webhookBaseline }, stack.endpoints(main), quick ? { events: 300, warmup: 100 } : { events: 2_000, warmup: 200 });

  phase('webhook');
  say('2. Cold start');
  const firstEvents = await realisticFirstEvents(stack, main);
  const coldStart = await benchColdStart(bundles, stack.endpoints(main), { runs: quick ? 3 : 10, events: firstEvents.events });
  await firstEvents.close();

  phase('coldStart');
  say('Linking people at the sandbox bank and running their first syncs…');
  const linkedCount = quick ? 15 : 50;
  const alerts: { psid: string; itemId: string }[] = [];
  const plain: { psid: string; itemId: string }[] = [];
  for (let i = 0; i < linkedCount; i++) alerts.push(await stack.link(main));
  for (let i = 0; i < 5; i++) plain.push(await stack.link(main, ['balances', 'transactions']));
  const { containers } = workerSettings();
  const firstSyncs = await drain(await loadWorkers(bundles.syncWorker!, benchEnv(stack.endpoints(main)), containers), [...alerts, ...plain].map((p) => ({ ...p, reason: 'new-consent' as const })), 10);
  if (firstSyncs.failed.length) say(`  ${firstSyncs.failed.length} first syncs failed`);

  phase('linking');
  say('3. Conversation turn');
  const conversation = await benchConversation(bundles.conversation!, stack, main, [...alerts, ...Array.from({ length: 20 }, (_, i) => ({ psid: `44${Date.now()}${i}` }))], quick ? { turns: 50, warmup: 10 } : { turns: 300, warmup: 30 });

  const understanding = await benchUnderstanding({ rounds: quick ? 5 : 20, freshRuns: quick ? 3 : 9 });

  phase('conversation');
  say('4. Sync throughput (bank latency 150 ms)');
  const sync = await benchSync(bundles.syncWorker!, stack, main, alerts, { latencyMs: 150, rounds: quick ? 1 : 3 });

  phase('sync');
  say('5. Scheduler');
  const scheduler = await benchScheduler(bundles.syncScheduler!, stack, quick ? { linked: 2_000, dueCounts: [2_000, 200] } : { linked: 10_000, dueCounts: [10_000, 1_000] });

  phase('scheduler');
  say('6. Capacity units');
  const capacity = await benchCapacity(bundles, stack, main, { alerts, plain }, { samples: quick ? 3 : 10 });

  phase('capacity');
  const results = {
    date: new Date().toISOString(),
    machine,
    quick,
    seconds: Math.round((Date.now() - started) / 1000),
    phases,
    memoryMB: { messengerWebhook: 1024, conversation: 512, syncWorker: 512, syncScheduler: 512 },
    webhook,
    coldStart,
    conversation,
    understanding,
    sync,
    scheduler,
    capacity,
  };
  writeFileSync(join(projectRoot, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  const summary = renderSummary(results);
  writeFileSync(join(projectRoot, 'bench', 'RESULTS.md'), summary);
  process.stderr.write('\n' + summary + '\n');
  say(`Done in ${results.seconds} s: bench/results.json, bench/RESULTS.md`);
} finally {
  await stack.stop();
}
process.exit(0);
