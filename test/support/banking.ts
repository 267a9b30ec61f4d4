import { randomUUID } from 'node:crypto';
import type { SandboxBank } from '../../dev/sandbox-bank/server';
import type { BankConnector } from '../../lib/banking/bank-connector';
import { activateConsent, requestConsent } from '../../lib/consent/model/consent';
import { disclosure } from '../../lib/consent/disclosure';
import type { Scope } from '../../lib/consent/model/scopes';
import type { FinancialGate, Store } from '../../lib/store';

let n = 0;

/**
 * A person with an active consent and a linked sandbox item, exactly as the consent flow leaves
 * them (same transitions, same activation items), without driving the pages.
 */
export async function linkedPerson(
  deps: { bank: SandboxBank; connector: BankConnector; store: Store; financial: FinancialGate; clientId: string; secret: string },
  options: { scopes?: Scope[]; username?: string; webhook?: string } = {},
) {
  const psid = `77${Date.now()}${++n}`;
  const created = await fetch(`${deps.bank.url}/sandbox/public_token/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: deps.clientId,
      secret: deps.secret,
      institution_id: 'ins_109508',
      initial_products: ['transactions'],
      options: { override_username: options.username ?? 'user_good', ...(options.webhook ? { webhook: options.webhook } : {}) },
    }),
  }).then((r) => r.json() as Promise<{ public_token: string }>);
  const { accessToken, itemId } = await deps.connector.exchangePublicToken(created.public_token);
  const requested = requestConsent({
    consentId: randomUUID(),
    psid,
    scopes: options.scopes ?? ['balances', 'transactions'],
    durationDays: 90,
    disclosure: disclosure({ recipient: 'Demo Bank' }),
    bankLinkToken: 'link-x',
    now: new Date(),
  });
  await deps.store.commitConsentTransition(requested);
  const activated = activateConsent(requested.consent, { itemId, now: new Date() });
  await deps.store.commitConsentTransition(
    activated,
    await deps.financial.activationItems(activated.consent, { accessToken, accounts: await deps.connector.getAccounts(accessToken) }),
  );
  // They linked from a link the chat gave them: already told, then, that the assistant is a bot.
  await deps.store.putConversation(psid, { greeted: true });
  return { psid, itemId, accessToken, consent: activated.consent };
}
