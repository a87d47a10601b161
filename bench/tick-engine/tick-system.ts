import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { ActiveMissionRecord } from '../../src/engine/active-mission-record.js';
import type { BenchWorld } from './bench-world.js';
import type { Workload } from './workload.js';

/** One way of ticking the workload: Holdout's engine, or a peer built the way its users would. */
export interface TickSystem {
  /** As shown in the tables, e.g. "Holdout, 1 worker". */
  readonly label: string;
  /** Whether the system keeps mission state in Redis (its memory per mission is then reported). */
  readonly usesRedis: boolean;
  /** Writes the missions' initial state and schedule (the durable rows exist already). */
  prepare(world: BenchWorld, workload: Workload): Promise<void>;
  /** Starts the system's worker processes; resolves once they run. */
  start(world: BenchWorld): Promise<void>;
  /** The worker processes, for CPU accounting. */
  pids(): number[];
  /** Stops every worker gracefully and waits until what they committed is durable. */
  stop(world: BenchWorld): Promise<void>;
  /** How many ticks each mission's state has gone through, by mission id. */
  stateTicks(world: BenchWorld): Promise<Map<string, number>>;
}

/** Handing records to Redis: one pipeline per chunk. */
export const PIPELINE_CHUNK = 5_000;

/** A record's tick count, read from its first field as commit-ticks.lua does. */
export function recordTick(json: string | null): number | null {
  const match = json === null ? null : /^\{"tick":(\d+),/.exec(json);
  return match ? Number(match[1]) : null;
}

export async function stateTicksFromRedis(
  world: BenchWorld,
  key: (id: string) => string,
): Promise<Map<string, number>> {
  const ticks = new Map<string, number>();
  const { rows } = await world.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM missions`);
  const total = rows[0]!.n;
  for (let first = 1; first <= total; first += PIPELINE_CHUNK) {
    const ids = Array.from({ length: Math.min(PIPELINE_CHUNK, total - first + 1) }, (_, i) =>
      String(first + i),
    );
    // GETs rather than one MGET: on a cluster the keys live in different slots.
    const jsons = await Promise.all(ids.map((id) => world.redis.get(key(id))));
    for (const [i, id] of ids.entries()) ticks.set(id, recordTick(jsons[i] ?? null) ?? 0);
  }
  return ticks;
}

export type RecordSink = (records: ActiveMissionRecord[]) => Promise<void>;

/** A bench process (a peer's worker) run through tsx; resolves once it prints its ready line. */
export async function startBenchProcess(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('ready')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', () => reject(new Error(`${script} exited before it was ready:\n${text}`)));
  });
  await ready;
  return { child, output: () => text };
}

export async function stopBenchProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
