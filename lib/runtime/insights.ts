import { renderBarChart } from '../charts/bar-chart';
import type { SpendingPictureDeps } from '../insights/spending-picture';
import { countMetric } from '../metrics';
import { once, type Runtime } from './index';
import { createPresenter } from '../consent/private-answers';

/**
 * The spendingPicture function's ports: the consents and transactions through the financial gate,
 * the reply ledger, the Send API and the chart renderer (the only function that bundles it), built
 * on the first message. Each message gets a logger of its own.
 */
export function spendingPictureDeps(runtime: Runtime): () => Promise<(correlationId: string) => SpendingPictureDeps> {
  const { store, clock } = runtime;
  // Private mode's presenter, built here rather than through notice.ts, which would bring the alerts into this bundle.
  const presenter = createPresenter({ store, answers: runtime.financialReads, settings: runtime.consentSettings, clock });
  return once(async () => {
    const messenger = await runtime.messenger();
    return (correlationId) => ({
      listConsents: store.listConsents,
      financial: runtime.financialReads,
      ledger: store,
      messenger,
      render: renderBarChart,
      presenter,
      settings: { locales: runtime.assistant.locales, timeZone: runtime.assistant.timeZone },
      clock,
      log: runtime.logFor(correlationId),
      count: countMetric,
    });
  });
}
