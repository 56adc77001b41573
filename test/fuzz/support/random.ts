/**
 * A seeded PRNG (mulberry32) and the few draws the fuzzers need. Every case
 * gets its own generator derived from (seed, suite, case index), so one case
 * is reproduced from its seed and index alone, without generating the ones
 * before it.
 */

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  bytes(n: number): Buffer;
  /** A length skewed towards small values but reaching `max` now and then. */
  size(max: number): number;
}

function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the parts, so (seed, suite, index) picks an independent stream. */
function mix(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const char of parts.join('\u0001')) {
    h ^= char.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function createRandom(...parts: readonly (string | number)[]): Random {
  const next = mulberry32(mix(...parts));
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    bytes(n) {
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
      return out;
    },
    size(max) {
      // Log-uniform: as many cases of 1–10 as of 1,000–10,000.
      return Math.min(max, Math.floor(Math.exp(next() * Math.log(max + 1))));
    },
  };
  return random;
}

/** The run's seed: THRDS_FUZZ_SEED, or a fresh one (printed by the runner so a failure can be replayed). */
export function fuzzSeed(): number {
  const fromEnv = process.env.THRDS_FUZZ_SEED;
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`THRDS_FUZZ_SEED must be a whole number (got ${fromEnv})`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 32);
}
