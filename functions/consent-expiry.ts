import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { sweepConsents } from '../lib/consent/expiry';
import { logger } from '../lib/logger';
import { notifier } from '../lib/runtime/notice';
import { createRuntime } from '../lib/runtime';

const runtime = createRuntime();
const { store, clock } = runtime;

/** Scheduled: reminders 30 and 7 days before consents end, and expiry (which triggers the purge). */
const sweep = async () => {
  const notify = notifier(runtime, await runtime.messenger(), logger);
  return sweepConsents({
    store,
    notify: (psid, key, compose, notice) => notify.notice(psid, key, notice, compose),
    language: notify.language,
    clock,
    log: logger,
  });
};

export const handler = middy(sweep).use(injectLambdaContext(logger, { resetKeys: true }));
