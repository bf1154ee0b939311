/**
 * A small seeded PRNG (mulberry32) for fault schedules: a failing run prints its seed, and the
 * same seed gives the same sequence of delays and choices when replayed.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed given as text (a replay, e.g. from an environment variable), else a fresh random one. */
export function seedFrom(value: string | undefined): number {
  if (value === undefined || value === '') return 1 + Math.floor(Math.random() * (2 ** 31 - 1));
  const seed = Number(value);
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer (got "${value}")`);
  return seed;
}
