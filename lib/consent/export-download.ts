import type { PageAnswer, PageRequest } from '../http/page';
import { exportFileName, exportJson, exportLanguage, exportPersonData } from './export';
import { readLinkToken } from './link-token';
import type { ConsentPageDeps } from './page-deps';
import { exportPage } from './pages';

/**
 * GET /consent/export?t=…: everything held about the person, as a readable page with the JSON file
 * in it (`format=json`: the file alone). Single use: the page needs no second request.
 */
export async function downloadExport(request: PageRequest, deps: ConsentPageDeps): Promise<PageAnswer> {
  const settings = await deps.settings();
  const claims = readLinkToken(request.query('t'), 'export', settings.linkSecret, deps.clock());
  await deps.store.consumeLinkNonce(claims.nonce, claims.exp);
  const data = await exportPersonData(claims.psid, { store: deps.store, financial: deps.reads, settings, clock: deps.clock });
  if (request.query('format') === 'json') {
    return { kind: 'download', body: exportJson(data), contentType: 'application/json; charset=utf-8', fileName: exportFileName(data) };
  }
  const lang = exportLanguage(data, request.acceptLanguage);
  const { locales, timeZone } = deps.exportFormat;
  return { kind: 'page', body: exportPage(data, { lang, locale: locales[lang], timeZone }) };
}
