import type { CapacityResult } from '../capacity';
import type { ColdStartResult } from '../cold-start';
import type { ConversationResult } from '../conversation';
import type { SchedulerResult } from '../scheduler';
import type { SyncThroughputResult } from '../sync';
import type { UnderstandingResult } from '../understanding';
import type { WebhookResult } from '../webhook';

export interface BenchResults {
  date: string;
  machine: { cores: number; cpu: string; memoryGiB: number; node: string };
  quick: boolean;
  seconds: number;
  phases?: Record<string, number>;
  memoryMB: Record<string, number>;
  webhook: WebhookResult;
  coldStart: ColdStartResult;
  conversation: ConversationResult;
  understanding?: UnderstandingResult;
  sync: SyncThroughputResult;
  scheduler: SchedulerResult;
  capacity: CapacityResult;
}

const mark = (met: boolean) => (met ? 'met' : '**missed**');

/** The readable summary: bench/RESULTS.md and the end of `npm run bench`. */
export function renderSummary(r: BenchResults): string {
  const w = r.webhook;
  const lines = [
    `# Benchmark results`,
    '',
    `${r.date.slice(0, 10)}, ${r.machine.cores} cores (${r.machine.cpu}), Node ${r.machine.node}${r.quick ? ', quick run' : ''}; ${r.seconds} s${r.phases ? ` (${Object.entries(r.phases).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}. Absolute times are from a shared 2-core machine running DynamoDB Local (a JVM) alongside: read the ratios.`,
    '',
    `## 1. Webhook ack (bundled messengerWebhook, ${w.events} signed single-message deliveries, interleaved with the baseline)`,
    '',
    '| | p50 ms | p90 ms | p99 ms |',
    '|---|---|---|---|',
    `| messengerWebhook | ${w.handler.p50} | ${w.handler.p90} | ${w.handler.p99} |`,
    `| baseline (HMAC + one conditional put, same SDK client) | ${w.baseline.p50} | ${w.baseline.p90} | ${w.baseline.p99} |`,
    `| ratio (goal ≤ ${w.goal}) | ${w.ratio.p50} | | ${w.ratio.p99} |`,
    '',
    `Goal ${mark(w.met)}. Logs: ${w.logBytesPerInvocation} bytes per delivery.`,
    '',
    `## 2. Cold start (fresh Node process per run, bundle load + first event, median of ${r.coldStart.runs}; NODE_OPTIONS=${r.coldStart.nodeOptions || '(none)'}, as deployed)`,
    '',
    '| function | bundle KiB (budget) | median ms | init ms | first event ms | baseline ms (init + first) | ratio | init ratio | init with source maps |',
    '|---|---|---|---|---|---|---|---|---|',
    ...r.coldStart.rows.map(
      (c) => `| ${c.function} | ${c.bundleKiB} (${c.budgetKiB ?? '–'}) | ${c.medianMs} | ${c.initMs} | ${c.firstInvokeMs} | ${c.baselineMs} (${c.baselineInitMs} + ${c.baselineFirstInvokeMs}) | ${c.ratio} | ${c.initRatio} | ${c.initWithSourceMapsMs ?? '–'} |`,
    ),
    '',
    '"Init with source maps": the function\'s init under `--enable-source-maps` (Node reads and parses the bundle\'s map at load), which the local stage keeps and AWS does not.',
    '',
    `Baselines import only the SDK clients of each bundle (${[...new Set(r.coldStart.rows.map((c) => c.sdkClients.join('+')))].join('; ')}) and make one DynamoDB read. Goal ≤ ${r.coldStart.goal}: ${mark(r.coldStart.met)}.`,
    '',
    `## 3. Conversation turn (bundled conversation handler, ${r.conversation.turns} turns)`,
    '',
    `Stream record → Send API request: p50 ${r.conversation.toSendApi.p50} ms, p99 ${r.conversation.toSendApi.p99} ms. Whole invocation: p50 ${r.conversation.invocation.p50} ms, p99 ${r.conversation.invocation.p99} ms. Unanswered: ${r.conversation.unanswered}.`,
    ...(r.understanding
      ? [
          '',
          `Understanding one message (understand(): spelling, slots, guards, classifier; ${r.understanding.utterances} labelled utterances × ${r.understanding.rounds} rounds, in-process): median ${r.understanding.medianUs} µs, p99 ${r.understanding.p99Us} µs; first round on a fresh module (every word corrected for the first time) median ${r.understanding.firstRoundMedianUs} µs, p99 ${r.understanding.firstRoundP99Us ?? '–'} µs.${r.understanding.freshProcess ? ` In a fresh process, bundled (median of ${r.understanding.freshProcess.runs}): first message ${r.understanding.freshProcess.firstMessageMs} ms, second ${r.understanding.freshProcess.secondMessageMs} ms.` : ''} Goal median < ${r.understanding.goalMedianUs} µs: ${mark(r.understanding.met)}.`,
        ]
      : []),
    '',
    `## 4. Sync throughput (bundled syncWorker, sandbox bank latency ${r.sync.latencyMs} ms)`,
    '',
    ...syncSection(r.sync, r.machine.cores),
    '',
    `## 5. Scheduler (bundled syncScheduler${r.scheduler.sqsLatencyMs ? `; SQS answers after ${r.scheduler.sqsLatencyMs} ms, an assumed in-region round trip` : ''})`,
    '',
    '| linked | due | enqueued | seconds | DynamoDB requests | read units | SQS requests |',
    '|---|---|---|---|---|---|---|',
    ...r.scheduler.runs.map(
      (s) => `| ${s.linked} | ${s.due} | ${s.enqueued} | ${s.seconds} | ${Object.entries(s.dynamodb.requests).map(([k, v]) => `${k} ${v}`).join(', ')} | ${s.dynamodb.readUnits} | ${Object.entries(s.sqs.requests).map(([k, v]) => `${k} ${v}`).join(', ')} |`,
    ),
    '',
    `Scans: ${r.scheduler.scans}. Cost proportional to what is due: ${r.scheduler.proportional ? 'yes' : '**no**'}.`,
    '',
    `## 6. Capacity units per operation`,
    '',
    '| operation | read units | write units (of which in transactions, computed) | failed-write units (estimated) | requests |',
    '|---|---|---|---|---|',
    ...r.capacity.rows.map((c) => `| ${c.operation} | ${c.readUnits} | ${c.writeUnits} (${c.transactWriteUnits ?? '–'}) | ${c.estimatedWriteUnits} | ${Object.entries(c.requests).map(([k, v]) => `${k} ${v}`).join(', ')} |`),
    '',
    r.capacity.source,
    '',
  ];
  return lines.join('\n');
}

/** Section 4: the sweep, then the production setting, each beside its limit and the CPU it took. */
function syncSection(sync: SyncThroughputResult, cores: number): string[] {
  const runs = [...(sync.sweep ?? []), ...(sync.production ? [sync.production] : [])];
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return [
    '| run | in flight | syncs/s | limit/s | of limit | batch ms (over the bank) | DynamoDB requests per sync, p50 ms | CPU ms per sync (handlers + DynamoDB Local) | cores the limit needs here |',
    '|---|---|---|---|---|---|---|---|---|',
    ...runs.map(
      (r) =>
        `| ${r.label} | ${r.inFlight} | ${r.perSecond} | ${r.limitPerSecond} | ${pct(r.ofLimit)}${r.carried ? '' : ' (machine-bound)'} | ${r.batch ? `${r.batch.ms} (+${r.batch.overMs})` : '?'} | ${r.dynamo ? `${r.dynamo.requestsPerSync}, ${r.dynamo.p50Ms}` : '?'} | ${r.cpu.processMsPerSync} + ${r.cpu.dynamoLocalMsPerSync ?? '?'} | ${r.coresAtLimit ?? '?'} of ${cores} |`,
    ),
    '',
    `Limit = syncs in flight ÷ bank latency. Goal ≥ ${pct(sync.goal)} of the limit on every run this machine can carry (the limit's rate needs at most half its cores at the CPU the run measured): ${sync.met ? 'met' : '**missed**'}. Runs marked machine-bound need more CPU than ${cores} shared cores give DynamoDB Local and every container together; in AWS each container has its own CPU and DynamoDB is a service. A batch waits for its slowest sync; beyond the bank's latency, a quiet sync waits on two DynamoDB requests in turn (the claim beside the consents, then the next due time), whose latency is DynamoDB Local's at that run's concurrency. Bank calls per scheduled or webhook sync: ${sync.bankCallsPerSync} (one transactions page, whose accounts carry the balances). Billed handler time per sync message at production concurrency: ${sync.msPerSync} ms.`,
  ];
}
