import type { SandboxBank } from '../../dev/sandbox-bank/server';
import { createPlaidConnector } from '../../lib/banking/plaid-connector';
import { createLocalKeyProvider } from '../../lib/security/local-key-provider';
import type { TestTables } from './dynamodb';
import { MASTER_KEY, PLAID_CLIENT_ID, PLAID_SECRET } from './functions';

/** What linkedPerson needs to link someone at the sandbox bank: the tables' store, its financial gate, a fast-retrying Plaid connector. */
export function sandboxLinking(tables: TestTables, bank: SandboxBank) {
  const store = tables.store();
  const financial = store.financialGate(createLocalKeyProvider(MASTER_KEY));
  const connector = createPlaidConnector({ baseUrl: bank.url, clientId: PLAID_CLIENT_ID, secret: PLAID_SECRET, baseDelayMs: 1, maxDelayMs: 5 });
  return { bank, connector, store, financial, clientId: PLAID_CLIENT_ID, secret: PLAID_SECRET };
}

/** Logs in as `username` on the sandbox bank's hosted link page, as the person's browser would; the bank answers with a redirect back. */
export const loginAtBank = (hostedLink: string, username = 'user_good') =>
  fetch(`${hostedLink}/institutions/ins_109508`, { method: 'POST', body: new URLSearchParams({ username, password: 'pass_good' }), redirect: 'manual' });
