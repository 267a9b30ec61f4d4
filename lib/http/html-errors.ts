import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { BankError, InvalidInput, LinkingNotFinished, LinkRefused, NotFound, PayloadTooLarge } from '../errors';
import { logger } from '../logger';
import { pages } from '../text/en/pages';
import { pageHeaders } from './html';
import { messagePage } from './layout';

/**
 * For the pages a person sees: every failure becomes a readable page with the right status,
 * never a stack trace or an internal message.
 */
export function htmlErrors(): MiddlewareObj<unknown, APIGatewayProxyResultV2> {
  const page = (statusCode: number, title: string, text: string): APIGatewayProxyResultV2 => ({
    statusCode,
    headers: pageHeaders(),
    body: messagePage(title, [text]),
  });
  return {
    onError: async (request) => {
      const error = request.error;
      const t = pages.errors;
      if (error instanceof LinkRefused) {
        logger.warn('Consent link refused', { reason: error.message });
        request.response = page(403, t.refused, error.message);
      } else if (error instanceof NotFound) {
        request.response = page(404, t.notFound.title, t.notFound.text);
      } else if (error instanceof InvalidInput) {
        request.response = page(400, t.missing, error.message);
      } else if (error instanceof PayloadTooLarge) {
        request.response = page(413, t.tooLarge.title, t.tooLarge.text);
      } else if (error instanceof LinkingNotFinished) {
        request.response = page(409, t.notFinished.title, t.notFinished.text);
      } else if (error instanceof BankError) {
        logger.error('Bank error on a consent page', { error: error.name, code: error.errorCode });
        request.response = page(502, t.bank.title, t.bank.text);
      } else {
        logger.error('Consent page failed', error as Error);
        request.response = page(500, t.failed.title, t.failed.text);
      }
    },
  };
}
