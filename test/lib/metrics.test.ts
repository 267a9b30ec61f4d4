import middy from '@middy/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { counter, createMetrics, publishMetrics } from '../../lib/metrics';
import { lambdaContext } from '../support/functions';
import { captureOutput } from '../support/output';

const env = { POWERTOOLS_METRICS_NAMESPACE: 'TestBanking', POWERTOOLS_SERVICE_NAME: 'messenger-banking', STAGE: 'ci' };

/** A handler counting what it is told to, with the metrics middleware, as the functions wire it. */
function handlerCounting(enabled: boolean, fail = false) {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', enabled ? 'false' : 'true');
  const metrics = createMetrics(env);
  const count = counter(metrics);
  const handler = middy(async (event: { received: number; replied: number }) => {
    count('MessagesReceived', event.received);
    count('RepliesSent', event.replied);
    if (fail) throw new Error('boom');
    return 'ok';
  }).use(publishMetrics(metrics));
  return (event: { received: number; replied: number }) => handler(event, lambdaContext());
}

const emfLines = (text: string) => text.split('\n').filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l));

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('business metrics', () => {
  it('publishes what an invocation counted as one embedded-metrics line, with namespace, service and stage', async () => {
    const invoke = handlerCounting(true);
    const output = captureOutput();
    await invoke({ received: 3, replied: 1 });
    const [line, ...others] = emfLines(output.text());
    expect(others).toEqual([]);
    expect(line._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'TestBanking',
        Dimensions: [['service', 'stage']],
        Metrics: [
          { Name: 'MessagesReceived', Unit: 'Count' },
          { Name: 'RepliesSent', Unit: 'Count' },
        ],
      },
    ]);
    expect(line).toMatchObject({ service: 'messenger-banking', stage: 'ci', MessagesReceived: 3, RepliesSent: 1 });
  });

  it('prints nothing, not even a warning, for an invocation that counted nothing', async () => {
    const invoke = handlerCounting(true);
    const output = captureOutput();
    await invoke({ received: 0, replied: 0 });
    expect(output.text()).toBe('');
  });

  it('publishes the counts of an invocation that failed', async () => {
    const invoke = handlerCounting(true, true);
    const output = captureOutput();
    await expect(invoke({ received: 2, replied: 0 })).rejects.toThrow('boom');
    expect(emfLines(output.text())).toEqual([expect.objectContaining({ MessagesReceived: 2 })]);
  });

  it('counts each invocation on its own', async () => {
    const invoke = handlerCounting(true);
    const output = captureOutput();
    await invoke({ received: 1, replied: 1 });
    await invoke({ received: 1, replied: 0 });
    expect(emfLines(output.text()).map((l) => [l.MessagesReceived, l.RepliesSent])).toEqual([
      [1, 1],
      [1, undefined],
    ]);
  });

  it('prints nothing when disabled (the local stage and the tests)', async () => {
    const invoke = handlerCounting(false);
    const output = captureOutput();
    await invoke({ received: 5, replied: 5 });
    expect(output.text()).toBe('');
  });
});
