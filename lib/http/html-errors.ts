import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { BankError, InvalidInput, LinkingNotFinished, LinkRefused, NotFound, PayloadTooLarge } from '../errors';
import { messagePage } from '../consent/pages';
import { logger } from '../logger';
import { pageHeaders } from './html';

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
      if (error instanceof LinkRefused) {
        logger.warn('Consent link refused', { reason: error.message });
        request.response = page(403, 'This link cannot be used', error.message);
      } else if (error instanceof NotFound) {
        request.response = page(404, 'Not found', 'There is nothing here for you. Ask in the chat for a new link.');
      } else if (error instanceof InvalidInput) {
        request.response = page(400, 'Something is missing', error.message);
      } else if (error instanceof PayloadTooLarge) {
        request.response = page(413, 'Too much data', 'The form sent too much data.');
      } else if (error instanceof LinkingNotFinished) {
        request.response = page(409, 'Linking was not finished', 'Your bank was not linked, and nothing was shared. To try again, write “link my bank” in the chat.');
      } else if (error instanceof BankError) {
        logger.error('Bank error on a consent page', { error: error.name, code: error.errorCode });
        request.response = page(502, 'Your bank is not answering', 'Nothing was shared. Please try again in a few minutes from the chat.');
      } else {
        logger.error('Consent page failed', error as Error);
        request.response = page(500, 'Something went wrong', 'Nothing was shared. Please try again from the chat.');
      }
    },
  };
}
