/**
 * A seeded random source for tests that make random choices (which worker to kill, when): the seed
 * comes from CHAOS_SEED when set, so a failing run can be replayed; `describe` prints it on failure.
 */
export interface SeededRandom {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  below(n: number): number;
}

export function seededRandom(
  seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31)),
): SeededRandom {
  // mulberry32: tiny, fast, good enough to pick victims and delays.
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { seed, next, below: (n) => Math.floor(next() * n) };
}

/** Runs `work`; on failure, rethrows with the seed named so the run can be repeated with CHAOS_SEED. */
export async function withSeed<T>(random: SeededRandom, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const message = `${(error as Error).message}\n(random choices seeded with CHAOS_SEED=${random.seed})`;
    throw Object.assign(error as Error, { message });
  }
}
