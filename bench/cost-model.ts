/**
 * The monthly AWS bill and the capacity plan, from what `npm run bench` measured (bench/results.json)
 * and stated usage assumptions. Pure functions: `npm run cost` prints them, a test checks them.
 *
 * Prices: AWS public on-demand list prices, US East (N. Virginia), as published on the AWS pricing
 * pages for each service and read in November 2026 (DynamoDB on-demand after the November 2024
 * 50% reduction). Free tiers are ignored. The stack defaults to eu-west-1 (Ireland): there Lambda,
 * SQS, HTTP API and KMS list the same prices and DynamoDB about 10–15% more — check the pricing
 * pages before quoting a bill.
 */
export const PRICES = {
  source: 'AWS public pricing pages (aws.amazon.com/<service>/pricing), us-east-1, on-demand, read 2026-11; free tiers ignored',
  lambdaArmGbSecond: { usd: 0.0000133334, per: 'GB-second (arm64, first 7.5 billion GB-s/month)', page: 'aws.amazon.com/lambda/pricing' },
  lambdaRequest: { usd: 0.2 / 1e6, per: 'request', page: 'aws.amazon.com/lambda/pricing' },
  dynamoWriteUnit: { usd: 0.625 / 1e6, per: 'write request unit (on-demand)', page: 'aws.amazon.com/dynamodb/pricing/on-demand' },
  dynamoReadUnit: { usd: 0.125 / 1e6, per: 'read request unit (on-demand)', page: 'aws.amazon.com/dynamodb/pricing/on-demand' },
  dynamoStorage: { usd: 0.25, per: 'GB-month (Standard table class)', page: 'aws.amazon.com/dynamodb/pricing/on-demand' },
  dynamoPitr: { usd: 0.2, per: 'GB-month (continuous backups)', page: 'aws.amazon.com/dynamodb/pricing/on-demand' },
  dynamoStreamRead: { usd: 0, per: 'stream read request (free when read by a Lambda trigger)', page: 'aws.amazon.com/dynamodb/pricing/on-demand' },
  sqsRequest: { usd: 0.4 / 1e6, per: 'request (standard queue, 64 KB chunk)', page: 'aws.amazon.com/sqs/pricing' },
  httpApiRequest: { usd: 1.0 / 1e6, per: 'HTTP API request (first 300 million/month)', page: 'aws.amazon.com/api-gateway/pricing' },
  kmsKeyMonth: { usd: 1.0, per: 'customer-managed key-month', page: 'aws.amazon.com/kms/pricing' },
  kmsRequest: { usd: 0.03 / 10_000, per: 'KMS request (Decrypt, GenerateDataKey)', page: 'aws.amazon.com/kms/pricing' },
  logsIngestion: { usd: 0.5, per: 'GB ingested (CloudWatch Logs, standard)', page: 'aws.amazon.com/cloudwatch/pricing' },
  logsStorage: { usd: 0.03, per: 'GB-month stored (CloudWatch Logs)', page: 'aws.amazon.com/cloudwatch/pricing' },
} as const;
export type Prices = typeof PRICES;

/**
 * Plaid's published default Production rate limits (plaid.com/docs/errors/rate-limit-exceeded,
 * read 2026-11). Plaid raises them on request.
 */
export const PLAID_LIMITS = {
  source: 'plaid.com/docs/errors/rate-limit-exceeded (Production rate limit table), read 2026-11',
  balanceGet: { perItemPerMinute: 5, perClientPerMinute: 1_200 },
  transactionsSync: { perItemPerMinute: 50, perClientPerMinute: 2_500 },
} as const;

/** What the cost model reads from bench/results.json. */
export interface MeasuredInputs {
  memoryMB: Record<string, number>;
  webhook: { handler: { mean: number }; logBytesPerInvocation: number };
  conversation: { invocation: { mean: number }; logBytesPerInvocation: number };
  sync: { msPerSync: number; latencyMs: number; bankCallsPerSync: number; containers: number; perContainer: number; perSecond: number; limitPerSecond: number };
  scheduler: { runs: { due: number; seconds: number; dynamodb: { readUnits: number }; sqs: { requests: Record<string, number> } }[] };
  capacity: { rows: { operation: string; readUnits: number; writeUnits: number; estimatedWriteUnits: number }[] };
}

export interface Usage {
  people: number;
  messagesPerPersonMonth: number;
  /** Webhook deliveries per message the person sends: the message, plus delivery and read receipts of the reply. */
  webhooksPerMessage: number;
  scheduledSyncsPerDay: number;
  webhookSyncsPerDay: number;
  /**
   * Syncs a person waits for, per month: a question answered from data older than
   * DATA_FRESHNESS_MINUTES queues one (at most one per 2 minutes), and so does a new link. Only
   * these pay for real-time balances (/accounts/balance/get); the others take the balances that
   * come with the transactions page.
   */
  refreshSyncsPerPersonMonth: number;
  newTransactionsPerDay: number;
  /** Peak hour rate over the average rate. */
  peakFactor: number;
  /** Log bytes per sync message (not measured: the worker's logs depend on the outcome). */
  syncLogBytes: number;
  /** Lambda's own START/END/REPORT lines per invocation. */
  platformLogBytes: number;
  bytesPerTransaction: number;
  transactionRetentionDays: number;
  bytesPerPersonFixed: number;
  /** Concurrent executions the account allows (AWS default quota). */
  accountConcurrency: number;
}

export const DEFAULT_USAGE: Usage = {
  people: 1_000_000,
  messagesPerPersonMonth: 20,
  webhooksPerMessage: 3,
  scheduledSyncsPerDay: 1,
  webhookSyncsPerDay: 1,
  refreshSyncsPerPersonMonth: 5,
  newTransactionsPerDay: 3,
  peakFactor: 4,
  syncLogBytes: 600,
  platformLogBytes: 350,
  bytesPerTransaction: 700,
  transactionRetentionDays: 90,
  bytesPerPersonFixed: 6_000,
  accountConcurrency: 1_000,
};

export interface Line {
  service: string;
  item: string;
  quantity: number;
  unit: string;
  unitPriceUsd: number;
  monthlyUsd: number;
  /** Fixed lines do not grow with people (a KMS key). */
  fixed?: boolean;
}

export interface CostReport {
  lines: Line[];
  totalUsd: number;
  variableUsd: number;
  perPersonMonthUsd: number;
  capacity: {
    averageWebhookPerSecond: number;
    peakWebhookPerSecond: number;
    peakWebhookConcurrency: number;
    syncsPerMinute: number;
    workerSyncsPerMinute: number;
    balanceCallsPerMinute: number;
    transactionsSyncCallsPerMinute: number;
    limits: { name: string; demand: number; limit: number; unit: string; use: number }[];
    bindsFirst: string;
  };
  assumptions: string[];
}

const DAYS = 30;
const SECONDS = DAYS * 86_400;

function unitsOf(inputs: MeasuredInputs, match: RegExp): { read: number; write: number } {
  const row = inputs.capacity.rows.find((r) => match.test(r.operation));
  if (!row) throw new Error(`results.json has no capacity row matching ${match}`);
  return { read: row.readUnits, write: row.writeUnits + row.estimatedWriteUnits };
}

export function costModel(inputs: MeasuredInputs, usage: Usage, prices: Prices = PRICES): CostReport {
  const n = usage.people;
  const messages = n * usage.messagesPerPersonMonth;
  const webhooks = messages * usage.webhooksPerMessage;
  const scheduledSyncs = n * usage.scheduledSyncsPerDay * DAYS;
  const webhookSyncs = n * usage.webhookSyncsPerDay * DAYS;
  const refreshSyncs = n * usage.refreshSyncsPerPersonMonth;
  const syncs = scheduledSyncs + webhookSyncs + refreshSyncs;
  const syncsPerDay = usage.scheduledSyncsPerDay + usage.webhookSyncsPerDay + usage.refreshSyncsPerPersonMonth / DAYS;
  const newPerSync = usage.newTransactionsPerDay / syncsPerDay;

  const inbound = unitsOf(inputs, /^inbound message/);
  const turn = unitsOf(inputs, /^conversation turn, linked/);
  const quiet = unitsOf(inputs, /^sync, no changes \(balances \+ transactions \+ alerts\)/);
  const busy = unitsOf(inputs, /^sync, 10 new transactions/);
  const perSync = { read: quiet.read + ((busy.read - quiet.read) * newPerSync) / 10, write: quiet.write + ((busy.write - quiet.write) * newPerSync) / 10 };
  // Receipts (delivery, read) are one conditional put each, like a message; only messages start a turn.
  const readUnits = webhooks * inbound.read + messages * turn.read + syncs * perSync.read;
  const writeUnits = webhooks * inbound.write + messages * turn.write + syncs * perSync.write;
  // The scheduler: its reads scale with what is due (measured on the largest run).
  const schedulerRun = [...inputs.scheduler.runs].sort((a, b) => b.due - a.due)[0];
  const schedulerReadPerDue = schedulerRun ? schedulerRun.dynamodb.readUnits / schedulerRun.due : 0;
  const schedulerSqsPerDue = schedulerRun ? (schedulerRun.sqs.requests.SendMessageBatch ?? 0) / schedulerRun.due : 0.1;
  const schedulerSecondsPerDue = schedulerRun ? schedulerRun.seconds / schedulerRun.due : 0;

  const gb = (mb: number) => mb / 1024;
  const mem = (fn: string) => inputs.memoryMB[fn] ?? 512;
  const batches = scheduledSyncs / inputs.sync.perContainer + webhookSyncs + refreshSyncs; // webhook and refresh syncs arrive one at a time
  const schedulerInvocations = (DAYS * 86_400) / 300;
  const lambdaGbSeconds =
    webhooks * (inputs.webhook.handler.mean / 1000) * gb(mem('messengerWebhook')) +
    messages * (inputs.conversation.invocation.mean / 1000) * gb(mem('conversation')) +
    syncs * (inputs.sync.msPerSync / 1000) * gb(mem('syncWorker')) +
    scheduledSyncs * schedulerSecondsPerDue * gb(mem('syncScheduler'));
  const lambdaRequests = webhooks + messages + batches;

  const sqsRequests = scheduledSyncs * schedulerSqsPerDue + webhookSyncs + refreshSyncs + batches * 2; // sends, then a receive and a delete per batch
  const idlePolls = 5 * 3 * 60 * 24 * DAYS; // ~5 Lambda pollers long-polling 20 s each, whatever the load
  const kmsRequests = syncs; // one data-key Decrypt per sync
  const logBytes =
    webhooks * (inputs.webhook.logBytesPerInvocation + usage.platformLogBytes) +
    messages * (inputs.conversation.logBytesPerInvocation + usage.platformLogBytes) +
    syncs * usage.syncLogBytes +
    batches * usage.platformLogBytes;
  const storageGB = (n * (usage.bytesPerPersonFixed + usage.newTransactionsPerDay * usage.transactionRetentionDays * usage.bytesPerTransaction)) / 1e9;

  const line = (service: string, item: string, quantity: number, unit: string, price: { usd: number }, fixed = false): Line => ({
    service,
    item,
    quantity,
    unit,
    unitPriceUsd: price.usd,
    monthlyUsd: quantity * price.usd,
    ...(fixed ? { fixed } : {}),
  });
  const lines: Line[] = [
    line('Lambda', 'compute (arm64)', lambdaGbSeconds, 'GB-s', prices.lambdaArmGbSecond),
    line('Lambda', 'requests', lambdaRequests, 'requests', prices.lambdaRequest),
    line('Lambda', 'scheduler runs (every 5 minutes)', schedulerInvocations, 'requests', prices.lambdaRequest, true),
    line('DynamoDB', 'writes (on-demand)', writeUnits, 'WRU', prices.dynamoWriteUnit),
    line('DynamoDB', 'reads (on-demand)', readUnits + scheduledSyncs * schedulerReadPerDue, 'RRU', prices.dynamoReadUnit),
    line('DynamoDB', 'storage', storageGB, 'GB-month', prices.dynamoStorage),
    line('DynamoDB', 'point-in-time recovery', storageGB, 'GB-month', prices.dynamoPitr),
    line('DynamoDB Streams', 'reads by Lambda triggers', webhooks + messages, 'records', prices.dynamoStreamRead),
    line('SQS', 'requests (sends, receives, deletes)', sqsRequests, 'requests', prices.sqsRequest),
    line('SQS', 'idle long polls of the event source mapping', idlePolls, 'requests', prices.sqsRequest, true),
    line('API Gateway', 'HTTP API requests (Messenger + bank webhooks)', webhooks + webhookSyncs, 'requests', prices.httpApiRequest),
    line('KMS', 'customer-managed key', 1, 'key-months', prices.kmsKeyMonth, true),
    line('KMS', 'requests', kmsRequests, 'requests', prices.kmsRequest),
    line('CloudWatch Logs', 'ingestion', logBytes / 1e9, 'GB', prices.logsIngestion),
    line('CloudWatch Logs', 'storage (30-day retention)', logBytes / 1e9, 'GB-month', prices.logsStorage),
  ];
  const totalUsd = lines.reduce((sum, l) => sum + l.monthlyUsd, 0);
  const variableUsd = lines.filter((l) => !l.fixed).reduce((sum, l) => sum + l.monthlyUsd, 0);

  // Capacity: peak rates against the limits that apply.
  const averageWebhookPerSecond = webhooks / SECONDS;
  const peakWebhookPerSecond = averageWebhookPerSecond * usage.peakFactor;
  const peakWebhookConcurrency = peakWebhookPerSecond * (inputs.webhook.handler.mean / 1000);
  const syncsPerMinute = (n * syncsPerDay) / 1440;
  const workerConcurrency = inputs.sync.containers * inputs.sync.perContainer;
  const syncSeconds = inputs.sync.msPerSync > 0 ? (inputs.sync.msPerSync * inputs.sync.perContainer) / 1000 : 1;
  const workerSyncsPerMinute = (workerConcurrency / syncSeconds) * 60;
  // Real-time balances only for the syncs someone waits for; every sync asks for a transactions page.
  const balanceCallsPerMinute = refreshSyncs / (SECONDS / 60);
  const transactionsSyncCallsPerMinute = syncsPerMinute;
  const limits = [
    { name: 'Plaid /accounts/balance/get per client', demand: balanceCallsPerMinute, limit: PLAID_LIMITS.balanceGet.perClientPerMinute, unit: 'calls/min' },
    { name: 'Plaid /transactions/sync per client', demand: transactionsSyncCallsPerMinute, limit: PLAID_LIMITS.transactionsSync.perClientPerMinute, unit: 'calls/min' },
    { name: `syncWorker (maximumConcurrency ${inputs.sync.containers} × ${inputs.sync.perContainer}, measured sync time)`, demand: syncsPerMinute, limit: workerSyncsPerMinute, unit: 'syncs/min' },
    { name: 'Lambda account concurrency (webhook at peak)', demand: peakWebhookConcurrency, limit: usage.accountConcurrency, unit: 'concurrent executions' },
    { name: 'HTTP API account throttle', demand: peakWebhookPerSecond, limit: 10_000, unit: 'requests/s' },
    { name: 'DynamoDB on-demand table write quota (default)', demand: (writeUnits / SECONDS) * usage.peakFactor, limit: 40_000, unit: 'WRU/s at peak' },
  ].map((l) => ({ ...l, use: l.demand / l.limit }));
  const bindsFirst = [...limits].sort((a, b) => b.use - a.use)[0]!.name;

  const assumptions = [
    `${n.toLocaleString('en-US')} linked people, each sending ${usage.messagesPerPersonMonth} messages a month; ${usage.webhooksPerMessage} webhook deliveries per message (the message, and delivery and read receipts of the reply), each one conditional put.`,
    `One conversation invocation per message (stream batches of one: the worst case).`,
    `${usage.scheduledSyncsPerDay} scheduled sync (batches of ${inputs.sync.perContainer}) and ${usage.webhookSyncsPerDay} webhook-driven sync (one per invocation) per connection per day, plus ${usage.refreshSyncsPerPersonMonth} refreshes a person waits for per month (one per invocation); ${usage.newTransactionsPerDay} new transactions per day; per-sync units interpolated between the measured "no changes" and "10 new transactions" syncs.`,
    `Bank calls: every sync asks for one /transactions/sync page (the measured ${inputs.sync.bankCallsPerSync} call per scheduled or webhook sync) and takes the balances that come with it; only refreshes also call /accounts/balance/get (real time, billed per call by Plaid). A webhook sync pushes the next scheduled one a full interval back, so with daily bank webhooks fewer scheduled syncs run than counted here.`,
    `Durations are the benchmark's means on DynamoDB Local and the sandbox bank with ${inputs.sync.latencyMs} ms latency (sync: ${inputs.sync.msPerSync} ms billed per message); Plaid's real latency is usually higher, and the sync's GB-s grow with it.`,
    `Memory as serverless.yml sets it: ${Object.entries(inputs.memoryMB).map(([k, v]) => `${k} ${v} MB`).join(', ')}.`,
    `Storage: ${usage.bytesPerPersonFixed} bytes per person (consent, connection, accounts, profile, inbox for 7 days) + ${usage.bytesPerTransaction} bytes per transaction kept ${usage.transactionRetentionDays} days; audit table and GSI key copies included in the fixed part.`,
    `Logs: measured bytes per webhook and conversation invocation, ${usage.syncLogBytes} bytes per sync, ${usage.platformLogBytes} bytes of Lambda platform lines per invocation; stored uncompressed for the 30-day retention.`,
    `SQS: the scheduler's measured SendMessageBatch requests per due connection, one SendMessage per webhook sync, a receive and a delete per batch, and about 5 idle long-polling pollers.`,
    `KMS: one Decrypt per sync (the bank token's data key); stream reads by Lambda are free; EventBridge schedules are free; data transfer is not counted.`,
    `Peak webhook rate = average × ${usage.peakFactor}.`,
  ];

  return {
    lines,
    totalUsd,
    variableUsd,
    perPersonMonthUsd: totalUsd / n,
    capacity: { averageWebhookPerSecond, peakWebhookPerSecond, peakWebhookConcurrency, syncsPerMinute, workerSyncsPerMinute, balanceCallsPerMinute, transactionsSyncCallsPerMinute, limits, bindsFirst },
    assumptions,
  };
}

const money = (usd: number) => (usd >= 100 ? `$${usd.toLocaleString('en-US', { maximumFractionDigits: 0 })}` : `$${usd.toFixed(usd >= 1 ? 2 : 4)}`);
const qty = (value: number) => (value >= 1000 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 3));

/** The report as text: every price with its unit, every line, every assumption, the capacity plan. */
export function renderCostReport(report: CostReport, usage: Usage, prices: Prices = PRICES): string {
  const out: string[] = [];
  out.push(`Monthly AWS bill for ${usage.people.toLocaleString('en-US')} linked people`, '');
  out.push('Prices (' + prices.source + '):');
  for (const [name, price] of Object.entries(prices)) {
    if (typeof price !== 'object') continue;
    const shown = price.usd > 0 && price.usd < 0.001 ? `$${+(price.usd * 1e6).toPrecision(6)} per million (${price.per})` : `$${+price.usd.toPrecision(6)} per ${price.per}`;
    out.push(`  ${name.padEnd(20)} ${shown}  [${price.page}]`);
  }
  out.push('', 'Bill:');
  for (const l of report.lines) {
    out.push(`  ${`${l.service}: ${l.item}`.padEnd(58)} ${qty(l.quantity).padStart(16)} ${l.unit.padEnd(10)} ${money(l.monthlyUsd).padStart(12)}`);
  }
  out.push(`  ${'Total'.padEnd(58)} ${''.padStart(16)} ${''.padEnd(10)} ${money(report.totalUsd).padStart(12)}`);
  out.push(`  Per person-month: ${money(report.perPersonMonthUsd)}`, '');
  const c = report.capacity;
  out.push('Capacity:');
  out.push(`  webhook: ${c.averageWebhookPerSecond.toFixed(1)}/s average, ${c.peakWebhookPerSecond.toFixed(1)}/s at peak (${c.peakWebhookConcurrency.toFixed(1)} concurrent executions)`);
  out.push(`  syncs: ${qty(c.syncsPerMinute)}/min needed; the worker as configured does ${qty(c.workerSyncsPerMinute)}/min`);
  out.push(`  bank calls (${PLAID_LIMITS.source}):`);
  for (const l of c.limits) out.push(`    ${l.name.padEnd(72)} ${qty(l.demand).padStart(10)} of ${qty(l.limit)} ${l.unit} (${(l.use * 100).toFixed(0)}%)`);
  out.push(`  binds first: ${c.bindsFirst}`, '');
  out.push('Assumptions:');
  for (const a of report.assumptions) out.push(`  - ${a}`);
  return out.join('\n') + '\n';
}
