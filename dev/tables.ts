import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { readServerlessConfig } from './serverless-config';

/**
 * The tables are defined once, in serverless.yml's CloudFormation resources. The local stack and
 * the tests create theirs from that same definition, so what runs here is what AWS gets.
 */
interface CfnTable {
  Type: 'AWS::DynamoDB::Table';
  Properties: {
    AttributeDefinitions: CreateTableCommandInput['AttributeDefinitions'];
    KeySchema: CreateTableCommandInput['KeySchema'];
    GlobalSecondaryIndexes?: CreateTableCommandInput['GlobalSecondaryIndexes'];
    BillingMode?: CreateTableCommandInput['BillingMode'];
    StreamSpecification?: { StreamViewType: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' };
    TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
  };
}

export const tableResources = { main: 'MainTable', audit: 'AuditTable' } as const;
export type TableRole = keyof typeof tableResources;

export function tableDefinition(role: TableRole): CfnTable['Properties'] {
  const config = readServerlessConfig() as { resources: { Resources: Record<string, CfnTable> } };
  const resource = config.resources.Resources[tableResources[role]];
  if (resource?.Type !== 'AWS::DynamoDB::Table') throw new Error(`serverless.yml has no table ${tableResources[role]}`);
  return resource.Properties;
}

/** Creates a table from its serverless.yml definition under the given name (no-op if it exists). */
export async function createTable(client: DynamoDBClient, role: TableRole, tableName: string): Promise<void> {
  const def = tableDefinition(role);
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: def.AttributeDefinitions,
      KeySchema: def.KeySchema,
      GlobalSecondaryIndexes: def.GlobalSecondaryIndexes,
      BillingMode: def.BillingMode ?? 'PAY_PER_REQUEST',
      ...(def.StreamSpecification
        ? { StreamSpecification: { StreamEnabled: true, StreamViewType: def.StreamSpecification.StreamViewType } }
        : {}),
    }),
  );
  if (def.TimeToLiveSpecification?.Enabled) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: def.TimeToLiveSpecification.AttributeName, Enabled: true },
      }),
    );
  }
}

export async function createTables(client: DynamoDBClient, names: Record<TableRole, string>): Promise<void> {
  await Promise.all((Object.keys(names) as TableRole[]).map((role) => createTable(client, role, names[role])));
}
