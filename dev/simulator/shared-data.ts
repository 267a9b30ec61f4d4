import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { userPk } from '../../lib/store/keys';

/**
 * What a test person has shared, as the simulator's side panel shows it: read straight from the
 * local table, the way an operator would look at DynamoDB Local. Dev tooling only: sealed bank
 * tokens and sync cursors never leave this module.
 */
export interface SharedData {
  consents: {
    consentId: string;
    status: string;
    scopes: string[];
    durationDays?: number;
    institution?: string;
    itemId?: string;
    authorizedAt?: string;
    expiresAt?: string;
    endedAt?: string;
    endedBy?: string;
  }[];
  connections: { itemId: string; institution?: string; linkedAt?: string; lastSyncAt?: string; nextSyncAt?: string; syncStatus?: string }[];
  accounts: {
    itemId: string;
    accountId: string;
    name: string;
    mask?: string;
    subtype?: string;
    current: number | null;
    available: number | null;
    currency: string;
    asOf?: string;
  }[];
  transactions: { itemId: string; count: number; latest: { date: string; name: string; amount: number; currency: string }[] }[];
  alerts: number;
  heldAlerts: number;
}

export interface SharedDataReader {
  read(psid: string): Promise<SharedData>;
  close(): void;
}

type Row = Record<string, unknown>;
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
const num = (value: unknown) => (typeof value === 'number' ? value : null);
const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export function sharedDataReader(options: { endpoint: string; region: string; table: string }): SharedDataReader {
  const client = new DynamoDBClient({ endpoint: options.endpoint, region: options.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const db = DynamoDBDocumentClient.from(client);

  const partition = async (psid: string): Promise<Row[]> => {
    const rows: Row[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({ TableName: options.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': userPk(psid) }, ExclusiveStartKey: start }),
      );
      rows.push(...((page.Items ?? []) as Row[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return rows;
  };

  return {
    read: async (psid) => {
      const rows = await partition(psid);
      const withPrefix = (prefix: string) => rows.filter((row) => String(row.sk).startsWith(prefix));
      const institutionName = (row: Row) => str((row.institution as Row | undefined)?.name);

      const transactions = new Map<string, Row[]>();
      for (const row of withPrefix('TXN#')) {
        const itemId = String(row.itemId ?? String(row.sk).split('#')[1]);
        transactions.set(itemId, [...(transactions.get(itemId) ?? []), row]);
      }

      return {
        consents: withPrefix('CONSENT#').map((row) =>
          defined({
            consentId: String(row.consentId),
            status: String(row.status),
            scopes: Array.isArray(row.scopes) ? row.scopes.map(String) : [],
            durationDays: typeof row.durationDays === 'number' ? row.durationDays : undefined,
            institution: institutionName(row),
            itemId: str(row.itemId),
            authorizedAt: str(row.authorizedAt),
            expiresAt: str(row.expiresAt),
            endedAt: str(row.endedAt),
            endedBy: str(row.endedBy),
          }),
        ),
        connections: withPrefix('ITEM#').map((row) =>
          defined({
            itemId: String(row.itemId),
            institution: institutionName(row),
            linkedAt: str(row.linkedAt),
            lastSyncAt: str(row.lastSyncAt),
            nextSyncAt: str(row.nextSyncAt),
            syncStatus: str(row.syncStatus),
          }),
        ),
        accounts: withPrefix('ACCOUNT#').map((row) => {
          const balances = (row.balances ?? {}) as Row;
          return defined({
            itemId: String(row.itemId),
            accountId: String(row.accountId),
            name: String(row.name),
            mask: str(row.mask),
            subtype: str(row.subtype),
            current: num(balances.current),
            available: num(balances.available),
            currency: str(balances.currency) ?? 'USD',
            asOf: str(row.balancesAsOf),
          });
        }),
        transactions: [...transactions].map(([itemId, list]) => ({
          itemId,
          count: list.length,
          latest: list
            .toSorted((a, b) => String(b.date).localeCompare(String(a.date)))
            .slice(0, 5)
            .map((row) => ({ date: String(row.date), name: String(row.merchantName ?? row.name), amount: Number(row.amount), currency: String(row.currency ?? 'USD') })),
        })),
        alerts: withPrefix('ALERT#').length,
        heldAlerts: withPrefix('HELD#').length,
      };
    },
    close: () => client.destroy(),
  };
}
