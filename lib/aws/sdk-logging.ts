/**
 * Takes the AWS SDK's logger middleware off a client's stack.
 *
 * That middleware runs after every call and, even with the SDK's default no-op logger, walks the
 * whole input and output through the service schema to mask sensitive members (`logger?.info?.(…)`
 * evaluates its arguments because the no-op logger does have an `info`). For DynamoDB that is a
 * second pass over every item read: it was 4–5% of the sync worker's CPU in a profile. This code
 * never gives the SDK a logger (it logs ids and counts itself, through lib/logger), so the
 * middleware has nothing to do. Removing a middleware by name is the SDK's public stack API.
 */
export function withoutSdkLogging<T extends { middlewareStack: { remove(name: string): boolean } }>(client: T): T {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}
