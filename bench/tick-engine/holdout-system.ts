import { loadContent } from '../../src/content/index.js';
import { serializeRecord } from '../../src/engine/active-mission-record.js';
import { OutboxFlusher } from '../../src/engine/outbox-flusher.js';
import { DEFAULT_SCHEDULE_SHARDS, keyNames } from '../../src/ephemeral/keys.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';
import { type HoldoutProcess, startHoldout } from '../../test/support/holdout-process.js';
import type { BenchWorld } from './bench-world.js';
import { stateTicksFromRedis, type TickSystem } from './tick-system.js';
import { forEachInitialRecord } from './workload.js';

/** What the Dockerfile's ENTRYPOINT gives node (see docs/operations.md, "Scaling"). */
const WORKER_NODE_FLAGS = ['--max-semi-space-size=64'];

/** Holdout's engine as it runs in production: `holdout worker` processes with their default settings. */
export class HoldoutSystem implements TickSystem {
  readonly usesRedis = true;
  readonly label: string;
  private workers: HoldoutProcess[] = [];

  constructor(
    private readonly workerCount: number,
    private readonly env: NodeJS.ProcessEnv = {},
    /** Flags for node itself: by default those the Dockerfile runs workers with; add e.g. '--cpu-prof'. */
    private readonly nodeArgs: string[] = [...WORKER_NODE_FLAGS],
  ) {
    this.label = `Holdout, ${workerCount} worker${workerCount > 1 ? 's' : ''}`;
  }

  /** REDIS_SCHEDULE_SHARDS of the workers (from `env`), which the seeded schedule must match. */
  private get scheduleShards(): number {
    return Number(this.env.REDIS_SCHEDULE_SHARDS ?? DEFAULT_SCHEDULE_SHARDS);
  }

  private get keys() {
    return keyNames('', this.scheduleShards);
  }

  async prepare(world: BenchWorld): Promise<void> {
    const keys = this.keys;
    await forEachInitialRecord(world.db, world.content, async (records) => {
      // One command per key, not a pipeline: a cluster refuses pipelines across slots, and its client
      // auto-pipelines them per node (bench-world.ts).
      await Promise.all(
        records.flatMap((record) => [
          world.redis.set(keys.activeMission(record.id), serializeRecord(record)),
          world.redis.zadd(keys.missionsDue(keys.scheduleShardOf(record.id)), record.nextTickAt!, record.id),
        ]),
      );
    });
  }

  async start(world: BenchWorld): Promise<void> {
    const env = {
      DATABASE_URL: world.database.url,
      REDIS_URL: world.redisServer.url,
      LOG_LEVEL: 'warn',
      ...this.env,
    };
    this.workers = Array.from({ length: this.workerCount }, () =>
      startHoldout(['worker'], env, this.nodeArgs),
    );
    await Promise.all(this.workers.map((worker) => worker.waitFor(/worker (\S+) started/, 60_000)));
  }

  pids(): number[] {
    return this.workers.map((worker) => worker.child.pid!).filter(Boolean);
  }

  async stop(world: BenchWorld): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop('SIGTERM')));
    // A backlog the workers could not drain in their shutdown budget is flushed here, so that the
    // audit compares the log with the state and not with a queue still on its way.
    const store = new RedisStore({ url: world.redisServer.url, scheduleShards: this.scheduleShards });
    try {
      const deps = { db: world.db, store, content: loadContent(), tickIntervalMs: 5_000 };
      const flusher = new OutboxFlusher(deps, { batchSize: 2_000, reclaimIdleMs: 0 });
      while ((await flusher.flushBatch()) > 0);
    } finally {
      await store.close();
    }
  }

  stateTicks(world: BenchWorld): Promise<Map<string, number>> {
    return stateTicksFromRedis(world, this.keys.activeMission);
  }

  /** What the workers printed, for a failure message. */
  output(): string {
    return this.workers.map((worker) => worker.output()).join('\n');
  }
}
