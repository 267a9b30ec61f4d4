import type { Logger } from '@aws-lambda-powertools/logger';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { redactLogValue, redactText, REDACTED } from '../../lib/logger';
import { lambdaContext } from '../support/functions';
import { captureOutput } from '../support/output';

/**
 * redactText skips the six scrubbing patterns for strings that hold none of their markers. These
 * check that the shortcut never lets a secret or an amount through, wherever it sits in the text.
 */
const secrets = [
  'access-sandbox-5e2b9c41-7d0f-4b6e-9a51-2f1d0c3b8e77',
  'public-production-0a1b2c3d',
  'link-development-77aa',
  'access_token=EAAdummy123',
  'client_secret=s3cr3t',
  'appsecret_proof=abc123',
  'SECRET=xyz',
  'Bearer eyJhbGciOi.payload.sig',
  'OAuth abc.def',
  'EAAGm0PX4ZCpsBAOZCkq2tR7xLr9ZBZCdummy',
  '$912.40',
  '€ 15',
  '£-3,000',
  '¥1200',
  '1,234.56 USD',
  '-45.00 EUR',
  '99GBP',
  '7 MXN',
];
const secretPart = (s: string) => s.replace(/^(access_token|client_secret|appsecret_proof|SECRET)=|^(Bearer|OAuth) /, '').replace(/^(access|public|link)-(sandbox|development|production)-/, '');
const text = fc.string({ unit: fc.constantFrom(' ', 'a', 'Z', '0', '9', '-', '_', '.', ':', '/', '?', '&', '(', ')', 'é') , maxLength: 30 });

describe('redactText', () => {
  it.each(secrets)('scrubs %s wherever it sits in a text', (secret) => {
    fc.assert(
      fc.property(text, text, (before, after) => {
        // Spaced off: a word character next to it would make it part of a longer word, not a token.
        const out = redactText(`${before} ${secret} ${after}`);
        expect(out).not.toContain(secretPart(secret));
      }),
      { numRuns: 50 },
    );
  });

  it('leaves ids, ARNs, times and plain words as they are', () => {
    for (const value of ['m_7Yc1qTtYl0mKbHfnBw5Ipw', 'h_Qk1Xz-_a', 'arn:aws:lambda:eu-west-1:000000000000:function:messengerWebhook', '2026-11-21T16:58:20.000Z', 'Webhook received']) {
      expect(redactText(value)).toBe(value);
    }
  });
});

describe('redactLogValue', () => {
  it('replaces values under sensitive keys, each time it meets the key', () => {
    for (let i = 0; i < 3; i++) {
      expect(redactLogValue('accessToken', 'anything')).toBe(REDACTED);
      expect(redactLogValue('eventId', 'm_1')).toBe('m_1');
    }
  });
});

describe('log format', () => {
  const context = lambdaContext('messenger-banking-local-syncScheduler');

  /** The lines one logger prints, loaded afresh with LOG_FORMAT as given (the logger reads it at init). */
  async function printed(format: string | undefined, write: (logger: Logger) => void): Promise<string[]> {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.stubEnv('POWERTOOLS_DEV', '');
    vi.stubEnv('LOG_FORMAT', format);
    vi.resetModules();
    const { logger } = await import('../../lib/logger');
    const out = captureOutput();
    try {
      logger.addContext(context);
      write(logger);
    } finally {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
    }
    return out.text().split('\n').filter(Boolean);
  }

  it('locally, writes a record as one short line: time, level, function, message and its own keys', async () => {
    const lines = await printed('local', (logger) => logger.info('Due syncs enqueued', { due: 2, enqueued: 2, amount: 912.4 }));

    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!);
    expect(Object.keys(record)).toEqual(['time', 'level', 'function', 'message', 'due', 'enqueued', 'amount']);
    expect(record).toMatchObject({ level: 'INFO', function: 'syncScheduler', message: 'Due syncs enqueued', due: 2, amount: REDACTED });
    expect(record.time).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
  });

  it('locally, writes an error as its name, message and place, redacted, without its stack', async () => {
    const lines = await printed('local', (logger) => logger.error('Request failed', new Error('refused access-sandbox-5e2b9c41')));

    expect(lines).toHaveLength(1);
    const { error } = JSON.parse(lines[0]!);
    expect(error).toEqual({ name: 'Error', message: 'refused access-sandbox-[redacted]', location: expect.stringContaining('logger.test.ts') });
  });

  it('otherwise (in AWS), writes the whole Powertools record with the Lambda context, for CloudWatch', async () => {
    const lines = await printed(undefined, (logger) => logger.error('Request failed', new Error('refused')));

    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({
      level: 'ERROR',
      message: 'Request failed',
      service: 'messenger-banking',
      function_name: context.functionName,
      function_arn: context.invokedFunctionArn,
      function_request_id: context.awsRequestId,
      error: { name: 'Error', message: 'refused', stack: expect.stringContaining('logger.test.ts') },
    });
    expect(record.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
