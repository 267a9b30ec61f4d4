import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { InvalidInput } from '../errors';
import { pageHeaders } from './html';
import { boundedRawBody, header } from './raw-body';

/** What a page flow reads of a request: its query, its form (read and checked on first use), the languages the browser asks for. */
export interface PageRequest {
  query(name: string): string | undefined;
  /** The posted form; refused when it is not a form or too large. */
  form(): URLSearchParams;
  acceptLanguage: string | undefined;
}

/** What a page flow answers: a page, a redirect (303), or a file to download. */
export type PageAnswer =
  | {
      kind: 'page';
      body: string;
      status?: number;
      /** Hosts the page's forms may post to (its CSP's form-action), beside its own. */
      formTargets?: string[];
    }
  | { kind: 'redirect'; location: string }
  | { kind: 'download'; body: string; contentType: string; fileName: string };

const MAX_FORM_BYTES = 8 * 1024;

export function pageRequest(event: APIGatewayProxyEventV2): PageRequest {
  let form: URLSearchParams | undefined;
  return {
    query: (name) => event.queryStringParameters?.[name],
    form() {
      if (form) return form;
      const raw = boundedRawBody(event, MAX_FORM_BYTES, 'Form too large');
      if (!(header(event, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded')) throw new InvalidInput('Expected a form');
      return (form = new URLSearchParams(raw.toString('utf8')));
    },
    acceptLanguage: event.headers?.['accept-language'],
  };
}

/** The HTTP answer: every page with the headers that keep it to itself (CSP, no framing, no referrer, no cache). */
export function pageResponse(answer: PageAnswer): APIGatewayProxyResultV2 {
  switch (answer.kind) {
    case 'page':
      return { statusCode: answer.status ?? 200, headers: pageHeaders(answer.formTargets), body: answer.body };
    case 'redirect':
      return { statusCode: 303, headers: { ...pageHeaders(), Location: answer.location }, body: '' };
    case 'download':
      return {
        statusCode: 200,
        headers: { ...pageHeaders(), 'Content-Type': answer.contentType, 'Content-Disposition': `attachment; filename="${answer.fileName}"` },
        body: answer.body,
      };
  }
}
