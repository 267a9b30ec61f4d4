import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { sweepConsents } from '../lib/consent/expiry';
import { logger } from '../lib/logger';
import { notifyOnce } from '../lib/messenger/notify';
import { createRuntime } from '../lib/runtime';

const runtime = createRuntime();
const { store, clock } = runtime;

/** Scheduled: reminders a week before consents end, and expiry (which triggers the purge). */
const sweep = async () => {
  const messenger = await runtime.messenger();
  return sweepConsents({
    store,
    notify: (psid, key, messages) => notifyOnce(psid, key, messages, { store, messenger, log: logger }),
    clock,
    log: logger,
  });
};

export const handler = middy(sweep).use(injectLambdaContext(logger, { resetKeys: true }));
