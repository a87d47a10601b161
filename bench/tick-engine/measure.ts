import { readFileSync } from 'node:fs';
import type { Queryable } from '../../src/durable/database.js';

const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process has used so far, from /proc; 0 once it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The server processes of the connections open on one database. */
export async function postgresBackendPids(db: Queryable, database: string): Promise<number[]> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [database],
  );
  return rows.map((row) => row.pid);
}

/** CPU used by groups of processes between `start()` and `stop()`, in seconds per group. */
export class CpuMeter<Group extends string> {
  private readonly before = new Map<number, number>();

  constructor(private readonly groups: () => Promise<Record<Group, number[]>>) {}

  async start(): Promise<void> {
    for (const pids of Object.values<number[]>(await this.groups()))
      for (const pid of pids) this.before.set(pid, processCpuSeconds(pid));
  }

  async stop(): Promise<Record<Group, number>> {
    const used = {} as Record<Group, number>;
    for (const [group, pids] of Object.entries(await this.groups()) as [Group, number[]][]) {
      used[group] = pids.reduce((sum, pid) => sum + processCpuSeconds(pid) - (this.before.get(pid) ?? 0), 0);
    }
    return used;
  }
}

export interface Lateness {
  /** Ticks due in the window. */
  due: number;
  /** Of those, ticks that had not run when the system was stopped. */
  missed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Lateness (ticked_at − scheduled_at) of every tick due in [from, to), from the durable log. A due tick
 * that never ran counts as late by (stoppedAt − scheduled), a lower bound, so falling behind shows.
 * Ticks after a mission's last one are not due.
 */
export async function measureLateness(
  db: Queryable,
  from: number,
  to: number,
  stoppedAt: number,
): Promise<Lateness> {
  const { rows } = await db.query<{ due: number; missed: number; p50: number; p99: number; max: number }>(
    `WITH due AS (
       SELECT m.id, k, m.started_at + make_interval(secs => k * m.tick_interval_ms / 1000.0) AS sched
         FROM missions m,
              generate_series(1, ceil(extract(epoch FROM $2::timestamptz - m.started_at) * 1000 / m.tick_interval_ms)::int) AS k
        WHERE m.status = 'active' OR k <= (m.result->>'ticks')::int
     ), late AS (
       SELECT extract(epoch FROM coalesce(l.ticked_at, $3::timestamptz) - d.sched) * 1000 AS ms, l.mission_id IS NULL AS missed
         FROM due d LEFT JOIN mission_logs l ON l.mission_id = d.id AND l.tick_index = d.k
        WHERE d.sched >= $1::timestamptz AND d.sched < $2::timestamptz
     )
     SELECT count(*)::int AS due, count(*) FILTER (WHERE missed)::int AS missed,
            coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), 0)::float8 AS p50,
            coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), 0)::float8 AS p99,
            coalesce(max(ms), 0)::float8 AS max
       FROM late`,
    [new Date(from), new Date(to), new Date(stoppedAt)],
  );
  const row = rows[0]!;
  return { due: row.due, missed: row.missed, p50Ms: row.p50, p99Ms: row.p99, maxMs: row.max };
}

/** Ticks whose run time fell in [from, to). */
export async function ticksRunBetween(db: Queryable, from: number, to: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM mission_logs WHERE ticked_at >= $1 AND ticked_at < $2`,
    [new Date(from), new Date(to)],
  );
  return rows[0]!.n;
}

export interface LogCompleteness {
  complete: boolean;
  /** Ticks a mission's state went through that are not in the log. */
  lost: number;
  /** Log rows beyond one per tick (a tick written twice, or a gap filled twice). */
  duplicated: number;
  /** Missions whose log is not exactly ticks 1..state tick. */
  brokenMissions: number;
}

/**
 * Is the durable log exactly the ticks each mission's state went through? For each mission the state
 * (in Redis or Postgres) says how many ticks ran; the log must hold ticks 1..that, each once.
 */
export async function auditLogCompleteness(
  db: Queryable,
  stateTicks: ReadonlyMap<string, number>,
): Promise<LogCompleteness> {
  const { rows } = await db.query<{ mission_id: string; n: number; distinct_n: number; max: number }>(
    `SELECT mission_id, count(*)::int AS n, count(DISTINCT tick_index)::int AS distinct_n, max(tick_index) AS max
       FROM mission_logs GROUP BY mission_id`,
  );
  const logged = new Map(rows.map((row) => [row.mission_id, row]));
  let lost = 0;
  let duplicated = 0;
  let brokenMissions = 0;
  for (const [missionId, ticks] of stateTicks) {
    const row = logged.get(missionId) ?? { n: 0, distinct_n: 0, max: 0 };
    logged.delete(missionId);
    duplicated += row.n - row.distinct_n;
    lost += Math.max(0, ticks - row.distinct_n);
    if (row.n !== ticks || row.distinct_n !== ticks || (row.max ?? 0) !== ticks) brokenMissions++;
  }
  for (const row of logged.values()) {
    duplicated += row.n;
    brokenMissions++;
  }
  return {
    complete: lost === 0 && duplicated === 0 && brokenMissions === 0,
    lost,
    duplicated,
    brokenMissions,
  };
}
