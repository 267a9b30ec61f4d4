/**
 * Runs `task` for each item, at most `concurrency` at a time, started in the items' order. Waits
 * for every started task before returning, so nothing runs on after the invocation ends; after a
 * failure no further task starts, and the first failure is rethrown once the started ones are done.
 */
export async function forEachBounded<T>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        await task(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  if (failure) throw failure.error;
}
