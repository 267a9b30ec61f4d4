/** One turn of the event loop: what was queued (timers aside) has run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Unhandled rejections while `act` runs and the event loop turns twice more. */
export async function unhandledDuring(act: () => Promise<unknown>): Promise<unknown[]> {
  const unhandled: unknown[] = [];
  const note = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', note);
  try {
    await act();
    await settle();
    await settle();
  } finally {
    process.off('unhandledRejection', note);
  }
  return unhandled;
}
