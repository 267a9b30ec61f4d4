import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { sweepConsents } from '../lib/consent/expiry';
import { sendNotice } from '../lib/consent/notices';
import { logger } from '../lib/logger';
import { noticeDeps } from '../lib/notice-runtime';
import { createRuntime } from '../lib/runtime';

const runtime = createRuntime();
const { store, clock } = runtime;

/** Scheduled: reminders 30 and 7 days before consents end, and expiry (which triggers the purge). */
const sweep = async () => {
  const notices = noticeDeps(runtime, await runtime.messenger(), logger);
  return sweepConsents({
    store,
    notify: (psid, key, compose, notice) => sendNotice(psid, key, notice, notices, compose),
    language: notices.language,
    clock,
    log: logger,
  });
};

export const handler = middy(sweep).use(injectLambdaContext(logger, { resetKeys: true }));
