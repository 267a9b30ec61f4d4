import httpErrorHandler from '@middy/http-error-handler';
import { AppError } from '../errors';
import { logger } from '../logger';

/**
 * Maps errors to HTTP answers. A named error that carries a status (InvalidInput → 400, …) shows
 * its own message, which never holds input values or secrets; anything else is a 500 with a
 * generic body, logged and never echoed.
 */
export const httpErrors = () =>
  httpErrorHandler({
    fallbackMessage: 'Internal error',
    logger: (error: unknown) => {
      const status = (error as { statusCode?: number }).statusCode;
      if (error instanceof AppError && status !== undefined && status < 500) {
        logger.warn('Request refused', { error: error.name, statusCode: status, reason: error.message });
      } else {
        logger.error('Request failed', error as Error);
      }
    },
  });
