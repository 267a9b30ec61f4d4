import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger per container. Never log secrets, tokens, message text, names or
 * amounts: log ids, kinds and counts. Each handler sets a correlation id per inbound event.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'messenger-banking' });

/** What domain code needs of a logger; tests pass a plain object. */
export type Log = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
