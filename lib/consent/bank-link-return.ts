import type { PageAnswer, PageRequest } from '../http/page';
import { consentRecordOf } from './consent-record';
import { accountLinkReturn, completeLinking, finishReconnect, startReconnect } from './flows';
import type { ConsentPageDeps } from './page-deps';
import { linkedPage, reconnectedPage } from './pages';

/** The round trips to the bank's hosted link page: linking, and logging in again (update mode). */

/** GET /link/complete?t=…: back from linking; the consent is active, its record ready to keep. */
export async function returnFromLinking(request: PageRequest, deps: ConsentPageDeps): Promise<PageAnswer> {
  const linking = await deps.linking();
  const consent = await completeLinking(request.query('t'), linking);
  // Opened from Messenger's account_link button: hand the person back to Messenger, which then
  // sends the account_linking event with the code.
  const backToMessenger = accountLinkReturn(consent, linking);
  if (backToMessenger) return { kind: 'redirect', location: backToMessenger };
  const financial = await deps.financial();
  const [accounts, record] = await Promise.all([financial.accountNames(consent), consentRecordOf(consent, linking.settings, deps)]);
  return { kind: 'page', body: linkedPage(consent, accounts, record) };
}

/** GET /link/reconnect?t=…: on to the bank to log in again, from the chat's button. */
export async function goToReconnect(request: PageRequest, deps: ConsentPageDeps): Promise<PageAnswer> {
  const linking = await deps.linking();
  const { redirectTo } = await startReconnect(request.query('t'), { ...linking, financial: await deps.financial() });
  return { kind: 'redirect', location: redirectTo };
}

/** GET /link/reconnected?t=…: back from the bank; the connection goes back on the schedule, due now. */
export async function returnFromReconnect(request: PageRequest, deps: ConsentPageDeps): Promise<PageAnswer> {
  const linking = await deps.linking();
  const consent = await finishReconnect(request.query('t'), {
    ...linking,
    financial: await deps.financial(),
    reschedule: (key) => deps.store.scheduleNextSync(key, { at: deps.clock(), status: 'ok' }),
  });
  return { kind: 'page', body: reconnectedPage(consent) };
}
