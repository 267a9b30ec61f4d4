/**
 * Whether `npm start`'s stack is there for `npm run say` and `npm run invoke`, and the one message
 * both print when it is not: a person who forgot to start it should read what to do, not a
 * connection error from inside an SDK.
 */
const PROBE_TIMEOUT_MS = 2_000;

function startTheStack(url: string): string {
  return `The local stack is not running: nothing answers at ${url}.\nStart it with \`npm start\` in another terminal and, once it prints what to try, run this again.`;
}

/** The message for the first URL nothing answers at, or undefined when every one answers (any HTTP status will do). */
export async function localStackDown(urls: string[]): Promise<string | undefined> {
  const answers = await Promise.all(
    urls.map(async (url) => {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
        await response.body?.cancel();
        return true;
      } catch {
        return false;
      }
    }),
  );
  const down = urls.find((_, i) => !answers[i]);
  return down === undefined ? undefined : startTheStack(down);
}
