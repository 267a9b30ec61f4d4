import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type QueryInput = Omit<NonNullable<ConstructorParameters<typeof QueryCommand>[0]>, 'ExclusiveStartKey'>;

/** Every item of a Query, following LastEvaluatedKey page by page. */
export async function queryAll(db: DynamoDBDocumentClient, input: QueryInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Items of one partition whose sort key starts with a prefix (consistent read). */
export const queryByPrefix = (db: DynamoDBDocumentClient, table: string, pk: string, prefix: string, keysOnly = false) =>
  queryAll(db, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    ...(keysOnly ? { ProjectionExpression: 'pk, sk' } : {}),
    ConsistentRead: true,
  });
