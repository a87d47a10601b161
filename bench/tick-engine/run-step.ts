import { type BenchRedisShape, openBenchWorld, redisUsedMemory } from './bench-world.js';
import {
  auditLogCompleteness,
  CpuMeter,
  type Lateness,
  type LogCompleteness,
  measureLateness,
  postgresBackendPids,
  ticksRunBetween,
} from './measure.js';
import type { TickSystem } from './tick-system.js';
import { seedMissions, type Workload } from './workload.js';

export interface StepOptions {
  /** How long the load is measured, in ms. */
  durationMs: number;
  /** Time between two ticks of a mission, in ms. @default 5000 */
  intervalMs: number;
  /** Time between the workers running and the first tick being due, in ms: start-up is not measured. @default 4000 */
  warmUpMs?: number;
  /** How long past the window a system keeps running, in ms, so that a tick due at its very end may run. @default 2000 */
  graceMs?: number;
  log?: (line: string) => void;
  /** The Redis to run on. @default one redis-server */
  redis?: BenchRedisShape;
}

/** Time allowed for writing the state and starting the workers, in ms: a base plus a share per mission. */
function setupAllowanceMs(missions: number): number {
  return 5_000 + missions * 0.25;
}

export interface StepResult {
  system: string;
  missions: number;
  durationS: number;
  /** Ticks due per second by the schedule. */
  dueTicksPerS: number;
  /** Ticks run per second during the window. */
  ticksPerS: number;
  lateness: Lateness;
  /**
   * CPU seconds in the window: the system's workers, the Redis servers holding the data (a cluster's
   * masters), a cluster's replicas (0 on one server), Postgres backends of the run's database.
   */
  cpuS: { workers: number; redis: number; redisReplicas: number; postgres: number };
  cpuSPer1kTicks: number;
  /** Redis used_memory at the end of the window less before seeding, per mission; null without Redis. */
  redisBytesPerMission: number | null;
  log: LogCompleteness;
  /** The step met the bar: p99 under 1 s, nothing missed, log complete. */
  sustained: boolean;
}

export const P99_TARGET_MS = 1_000;

/** One system at one N: a fresh world, the workload seeded, the window measured, the log audited. */
export async function runStep(
  system: TickSystem,
  missions: number,
  options: StepOptions,
): Promise<StepResult> {
  const say = options.log ?? (() => undefined);
  const warmUpMs = options.warmUpMs ?? 4_000;
  const graceMs = options.graceMs ?? 2_000;
  const world = await openBenchWorld(options.redis);
  try {
    const baseline = await redisUsedMemory(world.redis);
    say(`  seeding ${missions} missions…`);
    const seededAt = Date.now();
    // Placed ahead of time; the real first tick time is set once the workers are up (see below).
    const workload: Workload = {
      missions,
      intervalMs: options.intervalMs,
      firstTickAt: seededAt + 3_600_000,
      durationMs: options.durationMs,
    };
    await seedMissions(world.db, world.content, workload);
    // Starting the workers takes seconds; move every mission so that its first tick falls after it.
    const prepared = Date.now();
    const allowanceMs = setupAllowanceMs(missions);
    workload.firstTickAt = prepared + allowanceMs + warmUpMs;
    await world.db.query(`UPDATE missions SET started_at = started_at - make_interval(secs => $1 / 1000.0)`, [
      seededAt + 3_600_000 - workload.firstTickAt,
    ]);
    await world.db.query('VACUUM ANALYZE missions');
    await system.prepare(world, workload);
    say(`  seeded in ${((Date.now() - seededAt) / 1000).toFixed(1)} s; starting ${system.label}…`);
    await system.start(world);
    const wait = workload.firstTickAt - Date.now();
    if (wait < warmUpMs / 2)
      throw new Error(`set-up took ${allowanceMs + warmUpMs - wait} ms, longer than planned`);
    await new Promise((resolve) => setTimeout(resolve, wait));

    const from = workload.firstTickAt;
    const to = from + options.durationMs;
    const cpu = new CpuMeter(async () => ({
      workers: system.pids(),
      redis: world.redisServer.serverPids,
      redisReplicas: world.redisServer.replicaPids,
      postgres: await postgresBackendPids(world.db, world.database.name),
    }));
    await cpu.start();
    await new Promise((resolve) => setTimeout(resolve, to - Date.now()));
    const cpuS = await cpu.stop();
    const redisBytes = (await redisUsedMemory(world.redis)) - baseline;
    await new Promise((resolve) => setTimeout(resolve, graceMs));
    const stoppedAt = Date.now();
    say('  window over; stopping and auditing…');
    await system.stop(world);

    const lateness = await measureLateness(world.db, from, to, stoppedAt);
    const ran = await ticksRunBetween(world.db, from, to);
    const log = await auditLogCompleteness(world.db, await system.stateTicks(world));
    const cpuTotal = cpuS.workers + cpuS.redis + cpuS.redisReplicas + cpuS.postgres;
    const durationS = options.durationMs / 1000;
    return {
      system: system.label,
      missions,
      durationS,
      dueTicksPerS: lateness.due / durationS,
      ticksPerS: ran / durationS,
      lateness,
      cpuS,
      cpuSPer1kTicks: ran > 0 ? cpuTotal / (ran / 1000) : 0,
      redisBytesPerMission: system.usesRedis ? redisBytes / missions : null,
      log,
      sustained: lateness.p99Ms < P99_TARGET_MS && lateness.missed === 0 && log.complete,
    };
  } finally {
    await world.dispose();
  }
}
