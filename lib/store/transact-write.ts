import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;
export type TransactItem = TransactItems[number];

/**
 * Runs one TransactWriteItems and, when it is cancelled, tells which of the items failed its
 * condition, so callers map that to a domain error (a consent that changed, a link already used).
 */
export async function transactWrite(
  db: DynamoDBDocumentClient,
  items: TransactItem[],
  onConditionFailed: (index: number) => Error,
): Promise<void> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException || (error as Error).name === 'TransactionCanceledException') {
      const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
      const failed = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      if (failed >= 0) throw onConditionFailed(failed);
    }
    throw error;
  }
}
