import { describe, expect, it } from 'vitest';
import { downloadExport } from '../../../lib/consent/export-download';
import { LinkRefused } from '../../../lib/errors';
import { activeConsent, consentWorld, linkToken, PSID, request } from './page-fakes';

/** The person's data: a readable page in their language, or the JSON file alone; one use per link. */
describe('the export link', () => {
  it('answers with the JSON file alone when asked for it, audited as an export', async () => {
    const { deps, audit } = consentWorld({ consents: [activeConsent()] });

    const answer = await downloadExport(request({ query: { t: linkToken('export'), format: 'json' } }), deps);

    expect(answer).toMatchObject({ kind: 'download', contentType: 'application/json; charset=utf-8', fileName: 'my-bank-assistant-data-2026-11-21.json' });
    const data = JSON.parse(answer.kind === 'download' ? answer.body : '{}') as { subject: { messengerPageScopedId: string }; consents: unknown[] };
    expect([data.subject.messengerPageScopedId, data.consents.length]).toEqual([PSID, 1]);
    expect(audit.map((a) => a.action)).toEqual(['exported']);
  });

  it('shows a page in the language the person speaks with the assistant', async () => {
    const { deps } = consentWorld({ consents: [activeConsent()] });

    const answer = await downloadExport(request({ query: { t: linkToken('export') }, acceptLanguage: 'en-US' }), deps);

    expect(answer.kind === 'page' ? answer.body : '').toMatch(/<div lang="es"/);
  });

  it('is used up by its first use', async () => {
    const { deps } = consentWorld();
    const token = linkToken('export');

    await downloadExport(request({ query: { t: token } }), deps);
    await expect(downloadExport(request({ query: { t: token } }), deps)).rejects.toBeInstanceOf(LinkRefused);
  });
});
