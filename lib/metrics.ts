import type { MiddlewareObj } from '@middy/core';

/**
 * Business metrics, as CloudWatch embedded metrics (EMF): one JSON line in the function's log per
 * invocation that counted something, turned into metrics by CloudWatch with no API call. Counts
 * only — never an amount, a name or an id. Dimensions: `service` and `stage`.
 *
 * Namespace and switches come from the environment serverless.yml sets (`metricsNamespace`,
 * `metricsDisabled` stage params, under Powertools' variable names): off on the local stage and in
 * tests, where the lines would only clutter the output.
 *
 * The line is written here rather than by Powertools Metrics: for the webhook's one counter, its
 * stores, validation and console cost about 35 µs of a ~2 ms acknowledgement (npm run bench), and
 * counts of a fixed set of names need none of that. The format is EMF's own specification.
 */
export const businessMetrics = [
  /** Messages and postbacks from people, newly recorded by the webhook (redeliveries not counted). */
  'MessagesReceived',
  /** Answers sent to a person's message. */
  'RepliesSent',
  'SyncsSucceeded',
  /** A sync attempt that threw (it is retried, so one connection may count more than once). */
  'SyncsFailed',
  /** Alerts sent at once, in the window or as a utility message, and held alerts sent later. */
  'AlertsSent',
  /** Alerts held until the person next writes (their 24-hour window was closed). */
  'AlertsHeld',
  'ConsentsGranted',
  'ConsentsRevoked',
  'ConsentsExpired',
] as const;
export type BusinessMetric = (typeof businessMetrics)[number];

/** The port domain code and handlers receive: count occurrences of a business event. */
export type CountMetric = (name: BusinessMetric, count?: number) => void;

/** An invocation's counts, published as one EMF line. */
export interface Metrics {
  add(name: BusinessMetric, count: number): void;
  hasStoredMetrics(): boolean;
  publishStoredMetrics(): void;
}

/** Powertools' reading of a boolean variable: 1, y, yes, t, true, on. */
const isTrue = (value: string | undefined) => ['1', 'y', 'yes', 't', 'true', 'on'].includes((value ?? '').trim().toLowerCase());

export function createMetrics(
  env: Record<string, string | undefined> = process.env,
  write: (line: string) => void = (line) => process.stdout.write(line),
): Metrics {
  const namespace = env.POWERTOOLS_METRICS_NAMESPACE || 'MessengerBanking';
  const dimensions: Record<string, string> = { service: env.POWERTOOLS_SERVICE_NAME || 'messenger-banking', ...(env.STAGE ? { stage: env.STAGE } : {}) };
  const dimensionNames = [Object.keys(dimensions)];
  const counts = new Map<BusinessMetric, number>();
  // Like Powertools, the switch is the process's, read when the instance is made.
  const disabled = isTrue(process.env.POWERTOOLS_METRICS_DISABLED);
  return {
    add: (name, count) => counts.set(name, (counts.get(name) ?? 0) + count),
    hasStoredMetrics: () => counts.size > 0,
    publishStoredMetrics() {
      if (counts.size === 0) return;
      try {
        if (disabled) return;
        const values = Object.fromEntries(counts);
        const metrics = [...counts.keys()].map((name) => ({ Name: name, Unit: 'Count' }));
        const line = { _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: namespace, Dimensions: dimensionNames, Metrics: metrics }] }, ...dimensions, ...values };
        write(JSON.stringify(line) + '\n');
      } finally {
        counts.clear();
      }
    },
  };
}

/** One per container; each invocation's counts are published by `publishMetrics` at its end. */
export const metrics = createMetrics();

export const counter =
  (target: Metrics): CountMetric =>
  (name, count = 1) => {
    if (count > 0) target.add(name, count);
  };

export const countMetric: CountMetric = counter(metrics);

/**
 * Middy middleware: publishes what the invocation counted, after it returned or failed. An
 * invocation that counted nothing prints nothing.
 */
export function publishMetrics<TEvent = unknown, TResult = unknown>(target: Metrics = metrics): MiddlewareObj<TEvent, TResult> {
  const publish = async () => {
    target.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
}
