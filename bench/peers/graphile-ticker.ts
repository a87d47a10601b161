/**
 * The Postgres-only peer (ADR-0006's option 1) built on Graphile Worker: one job per mission's next
 * tick, run_at its scheduled time; the task locks the mission's state row, simulates the tick with
 * src/game, appends the log row, writes the state back and adds the next tick's job, in one
 * transaction. Run as its own process by the benchmark (this file is both system and entry point).
 */
import { fileURLToPath } from 'node:url';
import { run, runMigrations, type Task } from 'graphile-worker';
import { loadContent } from '../../src/content/index.js';
import { serializeRecord } from '../../src/engine/active-mission-record.js';
import type { BenchWorld } from '../tick-engine/bench-world.js';
import {
  recordTick,
  startBenchProcess,
  stopBenchProcess,
  type TickSystem,
} from '../tick-engine/tick-system.js';
import { forEachInitialRecord } from '../tick-engine/workload.js';
import { endMission, insertLogRow, tickRecord } from './peer-tick.js';

/** Jobs one worker process runs at once (each holds a connection). @default 16 */
const CONCURRENCY = Number(process.env.BENCH_GRAPHILE_CONCURRENCY ?? 16);
/** How often the worker looks for jobs whose run_at has come, in ms (new jobs due now are notified). */
const POLL_INTERVAL_MS = 100;

const ADD_TICK_JOB = `SELECT graphile_worker.add_job('tick', json_build_object('missionId', $1::text),
  run_at := to_timestamp($2::float8 / 1000), job_key := $1::text || '-' || $3::text, max_attempts := 5)`;

export class GraphileSystem implements TickSystem {
  readonly label = 'Graphile Worker, 1 worker';
  readonly usesRedis = false;
  private worker: Awaited<ReturnType<typeof startBenchProcess>> | null = null;

  async prepare(world: BenchWorld): Promise<void> {
    await runMigrations({ connectionString: world.database.url, logger: undefined });
    await world.db.query(
      `CREATE TABLE bench_mission_state (mission_id bigint PRIMARY KEY, record text NOT NULL)`,
    );
    await forEachInitialRecord(world.db, world.content, async (records) => {
      await world.db.query(
        `INSERT INTO bench_mission_state (mission_id, record) SELECT * FROM unnest($1::bigint[], $2::text[])`,
        [records.map((r) => r.id), records.map(serializeRecord)],
      );
      await world.db.query(
        `SELECT graphile_worker.add_job('tick', json_build_object('missionId', id::text),
                  run_at := to_timestamp(due / 1000), job_key := id::text || '-1', max_attempts := 5)
           FROM unnest($1::bigint[], $2::float8[]) AS j(id, due)`,
        [records.map((r) => r.id), records.map((r) => r.nextTickAt!)],
      );
    });
  }

  async start(world: BenchWorld): Promise<void> {
    this.worker = await startBenchProcess(fileURLToPath(import.meta.url), {
      BENCH_DATABASE_URL: world.database.url,
    });
  }

  pids(): number[] {
    return this.worker?.child.pid ? [this.worker.child.pid] : [];
  }

  async stop(): Promise<void> {
    if (this.worker) await stopBenchProcess(this.worker.child);
  }

  async stateTicks(world: BenchWorld): Promise<Map<string, number>> {
    const { rows } = await world.db.query<{ mission_id: string; record: string }>(
      `SELECT mission_id, record FROM bench_mission_state`,
    );
    return new Map(rows.map((row) => [row.mission_id, recordTick(row.record) ?? 0]));
  }
}

async function runWorker(): Promise<void> {
  const content = loadContent();
  const tick: Task = async (payload, helpers) => {
    const { missionId } = payload as { missionId: string };
    await helpers.withPgClient(async (client) => {
      await client.query('BEGIN');
      try {
        const { rows } = await client.query<{ record: string }>(
          'SELECT record FROM bench_mission_state WHERE mission_id = $1 FOR UPDATE',
          [missionId],
        );
        if (!rows[0]) throw new Error(`mission ${missionId} has no state`);
        const ticked = tickRecord(rows[0].record, content);
        await insertLogRow(client, ticked.row);
        await client.query('UPDATE bench_mission_state SET record = $2 WHERE mission_id = $1', [
          missionId,
          ticked.recordJson,
        ]);
        if (ticked.nextTickAt === null) await endMission(client, ticked);
        else await client.query(ADD_TICK_JOB, [missionId, ticked.nextTickAt, ticked.tick + 1]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    });
  };
  const runner = await run({
    connectionString: process.env.BENCH_DATABASE_URL,
    concurrency: CONCURRENCY,
    maxPoolSize: CONCURRENCY + 2,
    pollInterval: POLL_INTERVAL_MS,
    noHandleSignals: true,
    taskList: { tick },
  });
  process.once('SIGTERM', () => {
    void runner.stop().then(() => process.exit(0));
  });
  console.log('graphile ticker ready');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runWorker();
