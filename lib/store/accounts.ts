import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BankAccount } from '../banking/bank-connector';
import { ConsentChanged } from '../errors';
import { consentGuardCheck, type ConsentGuard } from './consent-guard';
import { isConditionalCheckFailed } from './errors';
import { accountPrefix, accountSk, connectionSk, FinancialItemType, userPk } from './keys';
import { queryByPrefix } from './query';
import { transactWrite, type TransactItem } from './transact-write';

/**
 * A connection's accounts with their balances. Financial data: ONLY the financial gate may import
 * this module (consent rule 5; see lib/store/connections.ts).
 */
export interface StoredAccount extends BankAccount {
  itemId: string;
  balancesAsOf: string;
}

export const accountPuts = (table: string, psid: string, itemId: string, accounts: BankAccount[], asOf: string): TransactItem[] =>
  accounts.map((account) => ({
    Put: {
      TableName: table,
      Item: {
        ...toAccountItem(account),
        pk: userPk(psid),
        sk: accountSk(itemId, account.accountId),
        type: FinancialItemType.account,
        itemId,
        balancesAsOf: asOf,
      },
    },
  }));

// `type` is the item type of every item in the table (the stream filters match on it), so the
// account's own type is stored as `accountType`.
const toAccountItem = ({ type, ...account }: BankAccount) => ({ ...account, accountType: type });
const fromAccountItem = ({ pk: _pk, sk: _sk, type: _type, accountType, ...account }: Record<string, unknown>) =>
  ({ ...account, type: accountType }) as unknown as StoredAccount;

/** Replaces the balances of a connection's accounts, if and only if the consent is unchanged. */
export async function saveBalances(
  db: DynamoDBDocumentClient,
  table: string,
  g: ConsentGuard & { itemId: string },
  accounts: BankAccount[],
  asOf: Date,
): Promise<void> {
  // A transaction holds at most 100 items; one connection has far fewer accounts.
  const items = [consentGuardCheck(table, g, asOf.toISOString()), ...accountPuts(table, g.psid, g.itemId, accounts.slice(0, 99), asOf.toISOString())];
  await transactWrite(db, items, (index) =>
    index === 0 ? new ConsentChanged('Consent changed during the sync; nothing was written') : new Error('account write failed'),
  );
}

export async function listAccounts(db: DynamoDBDocumentClient, table: string, psid: string, itemId: string): Promise<StoredAccount[]> {
  return (await queryByPrefix(db, table, userPk(psid), accountPrefix(itemId))).map(fromAccountItem);
}

/** Blanks the balances of a connection's accounts, keeping names and masks (balances no longer shared). */
export async function clearBalances(db: DynamoDBDocumentClient, table: string, psid: string, itemId: string): Promise<number> {
  const accounts = await queryByPrefix(db, table, userPk(psid), accountPrefix(itemId), true);
  const blank = ({ pk, sk }: Record<string, unknown>) =>
    new UpdateCommand({
      TableName: table,
      Key: { pk, sk },
      UpdateExpression: 'SET balances.available = :null, balances.#current = :null, balances.#limit = :null REMOVE balancesAsOf',
      ExpressionAttributeNames: { '#current': 'current', '#limit': 'limit' },
      ExpressionAttributeValues: { ':null': null },
      ConditionExpression: 'attribute_exists(pk)',
    });
  // The connection forgets when balances were last taken, too: blanked balances are as of nothing.
  const forget = new UpdateCommand({
    TableName: table,
    Key: { pk: userPk(psid), sk: connectionSk(itemId) },
    UpdateExpression: 'REMOVE balancesSyncedAt',
    ConditionExpression: 'attribute_exists(pk)',
  });
  await Promise.all(
    [...accounts.map(blank), forget].map((command) =>
      db.send(command).catch((error: unknown) => {
        if (!isConditionalCheckFailed(error)) throw error;
      }),
    ),
  );
  return accounts.length;
}
