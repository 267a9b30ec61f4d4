import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';

/**
 * Business metrics, as CloudWatch embedded metrics (EMF): one JSON line in the function's log per
 * invocation that counted something, turned into metrics by CloudWatch with no API call. Counts
 * only — never an amount, a name or an id. Dimensions: `service` and `stage`.
 *
 * Namespace and switches come from the environment serverless.yml sets (`metricsNamespace`,
 * `metricsDisabled` stage params): off on the local stage and in tests, where the lines would only
 * clutter the output.
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

export function createMetrics(env: Record<string, string | undefined> = process.env): Metrics {
  return new Metrics({
    namespace: env.POWERTOOLS_METRICS_NAMESPACE || 'MessengerBanking',
    serviceName: env.POWERTOOLS_SERVICE_NAME || 'messenger-banking',
    ...(env.STAGE ? { defaultDimensions: { stage: env.STAGE } } : {}),
  });
}

/** One per container; each invocation's counts are published by `publishMetrics` at its end. */
export const metrics = createMetrics();

export const counter =
  (target: Metrics): CountMetric =>
  (name, count = 1) => {
    if (count > 0) target.addMetric(name, MetricUnit.Count, count);
  };

export const countMetric: CountMetric = counter(metrics);

/**
 * Middy middleware: publishes what the invocation counted, after it returned or failed. Unlike
 * Powertools' own `logMetrics`, an invocation that counted nothing prints nothing (no warning).
 */
export function publishMetrics<TEvent = unknown, TResult = unknown>(target: Metrics = metrics): MiddlewareObj<TEvent, TResult> {
  const publish = async () => {
    if (target.hasStoredMetrics()) target.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
}
