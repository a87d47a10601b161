/**
 * The BullMQ peer: what a developer would build with BullMQ. One delayed job per mission's next tick;
 * the processor reads the state from Redis, simulates the tick with src/game, appends the log row to
 * Postgres, writes the state back and adds the next tick's delayed job. Run as its own process by
 * the benchmark (this file is both the system and the worker's entry point).
 */
import { fileURLToPath } from 'node:url';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadContent } from '../../src/content/index.js';
import { serializeRecord } from '../../src/engine/active-mission-record.js';
import { keyNames } from '../../src/ephemeral/keys.js';
import type { BenchWorld } from '../tick-engine/bench-world.js';
import {
  startBenchProcess,
  stateTicksFromRedis,
  stopBenchProcess,
  type TickSystem,
} from '../tick-engine/tick-system.js';
import { forEachInitialRecord } from '../tick-engine/workload.js';
import { endMission, insertLogRow, tickRecord } from './peer-tick.js';

const QUEUE = 'ticks';
/** Jobs one worker process runs at once. @default 64 */
const CONCURRENCY = Number(process.env.BENCH_BULLMQ_CONCURRENCY ?? 64);
const POOL_SIZE = 16;
const JOBS_PER_ADD = 1_000;
const keys = keyNames('');

interface TickJob {
  missionId: string;
}

function connection(redisUrl: string) {
  const url = new URL(redisUrl);
  return { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null };
}

function jobOptions(missionId: string, tick: number, dueAt: number) {
  return {
    jobId: `${missionId}-${tick}`,
    delay: Math.max(0, dueAt - Date.now()),
    removeOnComplete: true,
    removeOnFail: 1_000,
  };
}

export class BullmqSystem implements TickSystem {
  readonly label = 'BullMQ, 1 worker';
  readonly usesRedis = true;
  private worker: Awaited<ReturnType<typeof startBenchProcess>> | null = null;

  async prepare(world: BenchWorld): Promise<void> {
    const queue = new Queue<TickJob>(QUEUE, { connection: connection(world.redisServer.url) });
    try {
      await forEachInitialRecord(world.db, world.content, async (records) => {
        const pipeline = world.redis.pipeline();
        for (const record of records) pipeline.set(keys.activeMission(record.id), serializeRecord(record));
        await pipeline.exec();
        for (let i = 0; i < records.length; i += JOBS_PER_ADD) {
          await queue.addBulk(
            records.slice(i, i + JOBS_PER_ADD).map((record) => ({
              name: 'tick',
              data: { missionId: record.id },
              opts: jobOptions(record.id, 1, record.nextTickAt!),
            })),
          );
        }
      });
    } finally {
      await queue.close();
    }
  }

  async start(world: BenchWorld): Promise<void> {
    this.worker = await startBenchProcess(fileURLToPath(import.meta.url), {
      BENCH_DATABASE_URL: world.database.url,
      BENCH_REDIS_URL: world.redisServer.url,
    });
  }

  pids(): number[] {
    return this.worker?.child.pid ? [this.worker.child.pid] : [];
  }

  async stop(): Promise<void> {
    if (this.worker) await stopBenchProcess(this.worker.child);
  }

  stateTicks(world: BenchWorld): Promise<Map<string, number>> {
    return stateTicksFromRedis(world, keys.activeMission);
  }
}

async function runWorker(): Promise<void> {
  const redisUrl = process.env.BENCH_REDIS_URL!;
  const db = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: POOL_SIZE });
  const content = loadContent();
  const queue = new Queue<TickJob>(QUEUE, { connection: connection(redisUrl) });
  const redis = new Redis(redisUrl);
  const worker = new Worker<TickJob>(
    QUEUE,
    async (job: Job<TickJob>) => {
      const { missionId } = job.data;
      const json = await redis.get(keys.activeMission(missionId));
      if (json === null) throw new Error(`mission ${missionId} has no state`);
      const tick = tickRecord(json, content);
      await insertLogRow(db, tick.row);
      await redis.set(keys.activeMission(missionId), tick.recordJson);
      if (tick.nextTickAt === null) await endMission(db, tick);
      else await queue.add('tick', { missionId }, jobOptions(missionId, tick.tick + 1, tick.nextTickAt));
    },
    { connection: connection(redisUrl), concurrency: CONCURRENCY },
  );
  worker.on('error', (error) => console.error(error));
  await worker.waitUntilReady();
  process.once('SIGTERM', () => {
    void worker
      .close()
      .then(() => queue.close())
      .then(() => redis.quit())
      .then(() => db.end())
      .then(() => process.exit(0));
  });
  console.log('bullmq ticker ready');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runWorker();
