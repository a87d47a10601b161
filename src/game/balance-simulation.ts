import type { Content } from './content-types.js';
import { finishMission } from './finish-mission.js';
import { playMission } from './play-mission.js';
import { DEFAULT_RETREAT_BELOW, retreatBelowPolicy } from './player-policy.js';
import { deriveSeed, parseSeed, Rng } from './rng.js';
import { MAX_DIFFICULTY, MAX_PARTY_SIZE, MIN_DIFFICULTY, startMission } from './start-mission.js';
import { createSurvivor, type Survivor } from './survivor.js';

/*
 * Monte Carlo over whole missions with fresh survivors, the figures a designer tunes content
 * with (`holdout simulate`) and the balance tests assert. Pure and seeded: the same options and
 * content always give the same figures.
 */

export interface BalanceOptions {
  /** Missions simulated per difficulty. */
  runs: number;
  /** Difficulties to simulate. @default [1, 2, 3, 4, 5] */
  difficulties?: number[];
  /** One location for every run; by default each run draws one. */
  location?: string;
  /** Survivors per mission, 1..4. @default 1 */
  partySize?: number;
  /** Unsigned 64-bit integer in decimal. */
  seed: string;
  /**
   * The simulated players' retreat policy: retreat once the standing survivors' health falls below
   * this share of the whole party's maximum health. @default 0.3
   */
  retreatBelow?: number;
}

export interface DifficultyFigures {
  difficulty: number;
  name: string;
  runs: number;
  successRate: number;
  retreatRate: number;
  failureRate: number;
  /** Share of survivors sent who died. */
  deathRate: number;
  /** Mean XP gained per survivor. */
  meanXp: number;
  /** Mean ticks played. */
  meanLength: number;
  meanSupplies: number;
}

export interface BalanceReport {
  seed: string;
  runs: number;
  partySize: number;
  location: string | null;
  retreatBelow: number;
  contentVersion: string;
  difficulties: DifficultyFigures[];
}

const SIM_NAMES = ['Ash', 'Bea', 'Cal', 'Dee'];

function freshParty(seed: string, size: number): Survivor[] {
  return Array.from({ length: size }, (_, i) =>
    createSurvivor({ id: `sim-${i}`, name: SIM_NAMES[i] ?? `Sim ${i}`, seed: `${seed}:${i}` }),
  );
}

export function simulateBalance(
  options: BalanceOptions,
  content: Content,
  onProgress?: (done: number, total: number) => void,
): BalanceReport {
  parseSeed(options.seed);
  const difficulties = options.difficulties ?? [1, 2, 3, 4, 5];
  const partySize = options.partySize ?? 1;
  const retreatBelow = options.retreatBelow ?? DEFAULT_RETREAT_BELOW;
  if (!Number.isInteger(options.runs) || options.runs < 1)
    throw new RangeError('runs must be a positive integer');
  if (!Number.isInteger(partySize) || partySize < 1 || partySize > MAX_PARTY_SIZE) {
    throw new RangeError(`party size must be 1..${MAX_PARTY_SIZE}`);
  }
  for (const d of difficulties) {
    if (!Number.isInteger(d) || d < MIN_DIFFICULTY || d > MAX_DIFFICULTY)
      throw new RangeError(`bad difficulty ${d}`);
  }
  const locations = Object.keys(content.locations).sort();
  const policy = retreatBelowPolicy(retreatBelow);
  const total = options.runs * difficulties.length;
  let done = 0;

  const figures = difficulties.map((difficulty): DifficultyFigures => {
    const count = { succeeded: 0, retreated: 0, failed: 0 };
    let deaths = 0;
    let xp = 0;
    let ticks = 0;
    let supplies = 0;
    for (let run = 0; run < options.runs; run++) {
      const seed = deriveSeed(options.seed, `balance:${difficulty}`, run);
      const party = freshParty(seed, partySize);
      const location = options.location ?? Rng.fromSeedString(seed).pick(locations);
      const end = playMission(startMission({ party, location, difficulty, seed }, content), content, policy);
      const result = finishMission(end, party, content);
      count[result.status]++;
      ticks += result.ticks;
      supplies += result.supplies;
      for (const s of result.survivors) {
        xp += s.xpGained;
        if (s.dead) deaths++;
      }
      done++;
      if (onProgress && (done % 100 === 0 || done === total)) onProgress(done, total);
    }
    const runs = options.runs;
    return {
      difficulty,
      name: content.difficulties[difficulty - 1]?.name ?? String(difficulty),
      runs,
      successRate: count.succeeded / runs,
      retreatRate: count.retreated / runs,
      failureRate: count.failed / runs,
      deathRate: deaths / (runs * partySize),
      meanXp: xp / (runs * partySize),
      meanLength: ticks / runs,
      meanSupplies: supplies / runs,
    };
  });
  return {
    seed: options.seed,
    runs: options.runs,
    partySize,
    location: options.location ?? null,
    retreatBelow,
    contentVersion: content.version,
    difficulties: figures,
  };
}
