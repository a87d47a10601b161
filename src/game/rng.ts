import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { InvalidSeedError } from './errors.js';

/*
 * Seeds and random streams.
 *
 * A mission seed is an unsigned 64-bit integer written in decimal (JSON has no 64-bit ints).
 * Tick N's seed is output N of SplitMix64 started at the mission seed:
 *   tickSeed(seed, N) = mix64(seed + N * 0x9e3779b97f4a7c15 mod 2^64)
 * so any tick's stream is computed directly, without running the ticks before it. Tick 0 is
 * the mission's set-up stream (weather, time of day). A stream is pure-rand's xoroshiro128+
 * whose 128-bit state is the next two SplitMix64 outputs after the tick seed, the seeding
 * recommended by xoroshiro's authors (it can never produce the all-zero state).
 */

const UINT64_MAX = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;
const SEED_PATTERN = /^\d{1,20}$/;
const TWO_POW_32 = 0x1_0000_0000;
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

/** SplitMix64's output function (Steele, Lea, Flood 2014). */
function mix64(x: bigint): bigint {
  let z = BigInt.asUintN(64, (x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n);
  z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
  return z ^ (z >> 31n);
}

/** Parses a decimal 64-bit seed; throws InvalidSeedError for anything else. */
export function parseSeed(seed: string): bigint {
  if (typeof seed !== 'string' || !SEED_PATTERN.test(seed)) throw new InvalidSeedError(seed);
  const value = BigInt(seed);
  if (value > UINT64_MAX) throw new InvalidSeedError(seed);
  return value;
}

function splitmixOutput(seed: bigint, n: number | bigint): bigint {
  return mix64(BigInt.asUintN(64, seed + BigInt(n) * GOLDEN_GAMMA));
}

/** The seed of tick `tick`'s random stream, derived from the mission seed (see top of file). */
export function tickSeed(missionSeed: string, tick: number): string {
  return tickSeedBits(missionSeed, tick).toString();
}

/** tickSeed as a bigint, for callers that build the stream right away. */
export function tickSeedBits(missionSeed: string, tick: number): bigint {
  return splitmixOutput(parseSeed(missionSeed), tick);
}

/** Derives a sub-seed for a purpose other than ticks (perk offers, simulation runs). */
export function deriveSeed(seed: string, salt: string, index: number): string {
  return splitmixOutput(parseSeed(seed) ^ hashString(salt), index).toString();
}

/** Builds a mission seed from 8 bytes of entropy supplied by the caller (big-endian). */
export function newMissionSeed(randomBytes8: Uint8Array): string {
  if (randomBytes8.length !== 8) throw new RangeError('newMissionSeed needs exactly 8 random bytes');
  let value = 0n;
  for (const byte of randomBytes8) value = (value << 8n) | BigInt(byte);
  return value.toString();
}

/** FNV-1a 64 of a string's UTF-16 code units: turns any text seed into 64 bits. */
export function hashString(text: string): bigint {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash = BigInt.asUintN(64, (hash ^ BigInt(text.charCodeAt(i))) * FNV_PRIME);
  }
  return hash;
}

/** A seeded random stream with the few draws the rules need. */
export class Rng {
  private readonly gen: RandomGenerator;

  constructor(seed: bigint) {
    const s0 = splitmixOutput(seed, 1);
    const s1 = splitmixOutput(seed, 2);
    // pure-rand's state order is [high s0, low s0, high s1, low s1], as signed 32-bit ints.
    this.gen = xoroshiro128plusFromState([
      Number(BigInt.asIntN(32, s0 >> 32n)),
      Number(BigInt.asIntN(32, s0)),
      Number(BigInt.asIntN(32, s1 >> 32n)),
      Number(BigInt.asIntN(32, s1)),
    ]);
  }

  static fromSeedString(seed: string): Rng {
    return new Rng(parseSeed(seed));
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return max <= min ? min : uniformInt(this.gen, min, max);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return (this.gen.next() >>> 0) / TWO_POW_32 < p;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new RangeError('Rng.pick from an empty list');
    return item;
  }

  /** Index of one weight, with probability proportional to it; -1 when all weights are 0. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    if (total <= 0) return -1;
    let roll = ((this.gen.next() >>> 0) / TWO_POW_32) * total;
    for (let i = 0; i < weights.length; i++) {
      roll -= weights[i] ?? 0;
      if (roll < 0) return i;
    }
    return weights.length - 1;
  }
}
