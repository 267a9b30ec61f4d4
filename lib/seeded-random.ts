/**
 * mulberry32: a tiny seeded generator for what must come out the same on every run (the
 * understanding's training corpus, test fixtures). Hand-written because Math.random cannot be
 * seeded and six lines do not justify a dependency; statistical quality hardly matters for picking
 * examples and fixture values. Never used for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
