import type { Content } from './content-types.js';
import { finishMission } from './finish-mission.js';
import { playMission } from './play-mission.js';
import { type PlayerPolicy, type PolicyName, playerPolicy } from './player-policy.js';
import { deriveSeed, parseSeed } from './rng.js';
import { type SimPlayer, simSurvivor } from './sim-survivor.js';
import { MAX_PARTY_SIZE, startMission } from './start-mission.js';

/*
 * `holdout simulate --matrix`: every location × difficulty × party size, played by one player
 * (level, perks, policy). Each cell's runs use seeds derived from the cell alone, so two players
 * (with and without a perk) meet the same missions, and a difference is the player's, not luck's.
 */

export interface MatrixOptions {
  /** Missions per cell. */
  runs: number;
  /** Unsigned 64-bit integer in decimal. */
  seed: string;
  player?: SimPlayer;
  /** @default 'default' */
  policy?: PolicyName;
  /** @default every location */
  locations?: string[];
  /** @default [1, 2, 3, 4, 5] */
  difficulties?: number[];
  /** @default [1, 2, 3, 4] */
  partySizes?: number[];
  /** Real time of one tick, in ms, for the per-hour figures. @default 5000 */
  tickIntervalMs?: number;
}

export interface MatrixCell {
  location: string;
  difficulty: number;
  partySize: number;
  runs: number;
  successRate: number;
  retreatRate: number;
  failureRate: number;
  /** Share of survivors sent who died. */
  deathRate: number;
  /** Share of survivors who came home hurt (and so recover before the next mission). */
  injuryRate: number;
  /** Per survivor sent. */
  xpPerMission: number;
  /** Supplies plus item value brought home, per survivor (group loot is every member's). */
  lootPerMission: number;
  /** Per hour of the survivor's time: the mission's ticks plus its recovery. */
  xpPerHour: number;
  lootPerHour: number;
  /** The survivor's time one mission takes, ticks plus recovery, in hours. */
  hoursPerMission: number;
  meanTicks: number;
}

export interface MatrixReport {
  seed: string;
  runs: number;
  policy: PolicyName;
  level: number;
  perks: string[];
  tickIntervalMs: number;
  contentVersion: string;
  cells: MatrixCell[];
}

const HOUR_MS = 3_600_000;
export const DEFAULT_TICK_INTERVAL_MS = 5_000;

/** One cell of the matrix. */
export function simulateCell(
  content: Content,
  cell: { location: string; difficulty: number; partySize: number },
  runs: number,
  seed: string,
  player: SimPlayer,
  policy: PlayerPolicy,
  tickIntervalMs = DEFAULT_TICK_INTERVAL_MS,
): MatrixCell {
  const { location, difficulty, partySize } = cell;
  const count = { succeeded: 0, retreated: 0, failed: 0 };
  let deaths = 0;
  let injuries = 0;
  let xp = 0;
  let loot = 0;
  let ticks = 0;
  let timeMs = 0;
  for (let run = 0; run < runs; run++) {
    const runSeed = deriveSeed(seed, `matrix:${location}:${difficulty}:${partySize}`, run);
    const party = Array.from({ length: partySize }, (_, i) =>
      simSurvivor(`${runSeed}:${i}`, i, player, content),
    );
    const end = playMission(
      startMission({ party, location, difficulty, seed: runSeed }, content),
      content,
      policy,
    );
    const result = finishMission(end, party, content);
    count[result.status]++;
    ticks += result.ticks;
    for (const s of result.survivors) {
      xp += s.xpGained;
      loot += result.lootValue;
      timeMs += result.ticks * tickIntervalMs + s.recoveryMs;
      if (s.dead) deaths++;
      else if (s.recoveryMs > 0) injuries++;
    }
  }
  const sent = runs * partySize;
  const hours = timeMs / HOUR_MS;
  return {
    location,
    difficulty,
    partySize,
    runs,
    successRate: count.succeeded / runs,
    retreatRate: count.retreated / runs,
    failureRate: count.failed / runs,
    deathRate: deaths / sent,
    injuryRate: injuries / sent,
    xpPerMission: xp / sent,
    lootPerMission: loot / sent,
    xpPerHour: xp / hours,
    lootPerHour: loot / hours,
    hoursPerMission: hours / sent,
    meanTicks: ticks / runs,
  };
}

export function simulateMatrix(
  options: MatrixOptions,
  content: Content,
  onProgress?: (done: number, total: number) => void,
): MatrixReport {
  parseSeed(options.seed);
  if (!Number.isInteger(options.runs) || options.runs < 1)
    throw new RangeError('runs must be a positive integer');
  const player = options.player ?? {};
  const policyName = options.policy ?? 'default';
  const policy = playerPolicy(policyName);
  const locations = options.locations ?? Object.keys(content.locations).sort();
  const difficulties = options.difficulties ?? [1, 2, 3, 4, 5];
  const partySizes = options.partySizes ?? [1, 2, 3, 4];
  for (const size of partySizes) {
    if (!Number.isInteger(size) || size < 1 || size > MAX_PARTY_SIZE)
      throw new RangeError(`party size must be 1..${MAX_PARTY_SIZE}`);
  }
  const tickIntervalMs = options.tickIntervalMs ?? DEFAULT_TICK_INTERVAL_MS;
  const cells: MatrixCell[] = [];
  const total = locations.length * difficulties.length * partySizes.length;
  for (const location of locations) {
    for (const difficulty of difficulties) {
      for (const partySize of partySizes) {
        cells.push(
          simulateCell(
            content,
            { location, difficulty, partySize },
            options.runs,
            options.seed,
            player,
            policy,
            tickIntervalMs,
          ),
        );
        onProgress?.(cells.length, total);
      }
    }
  }
  return {
    seed: options.seed,
    runs: options.runs,
    policy: policyName,
    level: player.level ?? 1,
    perks: player.perks ?? [],
    tickIntervalMs,
    contentVersion: content.version,
    cells,
  };
}

/** Cells pooled as if played one after another: rates weighted by runs, per-hour by total time. */
export function poolCells(
  cells: readonly MatrixCell[],
): Omit<MatrixCell, 'location' | 'difficulty' | 'partySize'> {
  let runs = 0;
  let sent = 0;
  const sum = {
    success: 0,
    retreat: 0,
    failure: 0,
    deaths: 0,
    injuries: 0,
    xp: 0,
    loot: 0,
    hours: 0,
    ticks: 0,
  };
  for (const c of cells) {
    const n = c.runs * c.partySize;
    runs += c.runs;
    sent += n;
    sum.success += c.successRate * c.runs;
    sum.retreat += c.retreatRate * c.runs;
    sum.failure += c.failureRate * c.runs;
    sum.ticks += c.meanTicks * c.runs;
    sum.deaths += c.deathRate * n;
    sum.injuries += c.injuryRate * n;
    sum.xp += c.xpPerMission * n;
    sum.loot += c.lootPerMission * n;
    sum.hours += c.hoursPerMission * n;
  }
  return {
    runs,
    successRate: sum.success / runs,
    retreatRate: sum.retreat / runs,
    failureRate: sum.failure / runs,
    deathRate: sum.deaths / sent,
    injuryRate: sum.injuries / sent,
    xpPerMission: sum.xp / sent,
    lootPerMission: sum.loot / sent,
    xpPerHour: sum.xp / sum.hours,
    lootPerHour: sum.loot / sum.hours,
    hoursPerMission: sum.hours / sent,
    meanTicks: sum.ticks / runs,
  };
}
