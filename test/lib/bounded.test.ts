import { expect, it } from 'vitest';
import { forEachBounded } from '../../lib/bounded';

/** A task whose completion the test controls, recording how many run at once. */
function gate() {
  const waiting: (() => void)[] = [];
  const state = { running: 0, most: 0, started: [] as number[] };
  const task = async (item: number) => {
    state.started.push(item);
    state.running++;
    state.most = Math.max(state.most, state.running);
    await new Promise<void>((resolve) => waiting.push(resolve));
    state.running--;
  };
  const releaseAll = async () => {
    while (waiting.length > 0 || state.running > 0) {
      waiting.splice(0).forEach((release) => release());
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { task, state, releaseAll };
}

it('runs every item, in order of start, never more than the bound at once', async () => {
  const { task, state, releaseAll } = gate();
  const done = forEachBounded([...Array(20).keys()], 4, task);
  await new Promise((resolve) => setImmediate(resolve));
  expect(state.running).toBe(4);
  await releaseAll();
  await done;
  expect(state.started).toEqual([...Array(20).keys()]);
  expect(state.most).toBe(4);
});

it('starts nothing after a failure, waits for the started tasks, then rethrows the first failure', async () => {
  const started: number[] = [];
  const finished: number[] = [];
  const failure = new Error('first');
  const run = forEachBounded([...Array(10).keys()], 3, async (item) => {
    started.push(item);
    await new Promise((resolve) => setTimeout(resolve, item === 1 ? 1 : 20));
    if (item === 1) throw failure;
    if (item === 2) throw new Error('second');
    finished.push(item);
  });
  await expect(run).rejects.toBe(failure);
  expect(started).toEqual([0, 1, 2]);
  // 0 was running when 1 failed: it finished before the failure was reported.
  expect(finished).toEqual([0]);
});

it('handles no items and a bound larger than the items', async () => {
  const seen: number[] = [];
  await forEachBounded([], 8, async () => void seen.push(-1));
  await forEachBounded([1, 2], 8, async (item) => void seen.push(item));
  expect(seen).toEqual([1, 2]);
});
