import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, expect } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { migrate } from '../../src/durable/migrator.js';
import { ensureMonthlyPartitions } from '../../src/durable/partitions.js';
import { PgDatabase } from '../../src/durable/pg-database.js';
import type { EngineDeps } from '../../src/engine/engine-deps.js';
import { startMission } from '../../src/engine/start-mission.js';
import { isCluster, type RedisConnection } from '../../src/ephemeral/redis-connection.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';
import { runHoldout } from '../support/holdout-process.js';
import { auditMissionLogs, auditSurvivorStates, type LogAudit } from '../support/mission-log-invariants.js';
import { type RedisClusterServer, startRedisCluster } from '../support/redis-cluster.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { createTestDatabase, eventually, type TestDatabase } from '../support/services.js';
import { createUsersWithSurvivors } from '../support/survivor-fixtures.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { type WorkerCluster, workerCluster } from '../support/worker-cluster.js';

/** Short ticks keep the scenarios quick; every guarantee is relative to these numbers. */
export const TICK_MS = 200;
export const LOCK_TTL_MS = 1_000;
export const POLL_MS = 50;

/*
 * Deadlines, sized from measurements on the 2-core CI machine with a CPU-bound job running beside
 * the suite (the chaos tests used to time out at vitest's 30 s there). Each is several times what
 * was measured, and only a deadline: the tests wait on conditions, never for a fixed time.
 */
/** A condition that takes 1-3 s on an idle machine (ticks reaching Postgres, a drain), measured up to 15 s loaded. */
export const CONDITION_MS = 60_000;
/** One chaos scenario end to end: 20-40 s idle, up to 85 s measured loaded. */
export const CHAOS_TEST_TIMEOUT_MS = 300_000;
/** Opening a run and starting its workers: 5-10 s idle, up to 60 s measured loaded. */
export const CHAOS_SETUP_TIMEOUT_MS = 180_000;

export interface ChaosRunOptions {
  workers: number;
  /** Worker processes reach Postgres through a proxy the test can cut. */
  postgresThroughProxy?: boolean;
  /** Extra environment for every worker. */
  env?: NodeJS.ProcessEnv;
  /** Run on a Redis Cluster of 3 masters and 3 replicas (test/support/redis-cluster.ts), not one redis-server. */
  redisCluster?: { scheduleShards: number };
}

export interface ChaosRun {
  deps: EngineDeps;
  db: PgDatabase;
  store: RedisStore;
  /** This run's own redis-server; null on a cluster run. */
  redis: RedisServer | null;
  /** This run's own Redis Cluster, on a cluster run. */
  redisCluster: RedisClusterServer | null;
  /** A plain client of the run's Redis (or cluster), for probes that read Redis beneath the store. */
  redisClient: RedisConnection;
  /** FLUSHALL on this run's own redis-server (on every master of its cluster). */
  flushRedis(): Promise<void>;
  proxy: TcpProxy | null;
  cluster: WorkerCluster;
  /** Starts `count` solo missions of varied difficulty; returns their ids. */
  startMissions(count: number, length?: 'short' | 'standard' | 'long'): Promise<string[]>;
  activeMissions(): Promise<number>;
  durableTicks(): Promise<number>;
  waitUntilAllEnded(timeoutMs?: number): Promise<void>;
  /** The log guarantee and the survivors' states; problems listed, empty when all hold. */
  audit(): Promise<LogAudit & { survivorProblems: string[] }>;
  /** Largest tick lateness (ticked_at − scheduled_at) in the durable log, in ms, for ticks scheduled after `since`. */
  maxLatenessMs(since: Date): Promise<number>;
  dispose(): Promise<void>;
}

/**
 * One chaos scenario's world: a fresh database on the machine's Postgres, a throwaway redis-server
 * (so FLUSHALL hurts nobody else), optionally a TCP proxy in front of Postgres, and N real
 * `holdout worker` processes.
 */
export async function openChaosRun(options: ChaosRunOptions): Promise<ChaosRun> {
  const database: TestDatabase = await createTestDatabase('holdout_chaos');
  const redisCluster = options.redisCluster ? await startRedisCluster() : null;
  const redis = redisCluster ? null : await startRedisServer();
  const redisUrl = redisCluster?.url ?? redis!.url;
  const scheduleShards = options.redisCluster?.scheduleShards ?? 1;
  const proxy = options.postgresThroughProxy ? await startTcpProxy(5432) : null;
  const db = new PgDatabase({ connectionString: database.url });
  await migrate(db);
  await ensureMonthlyPartitions(db);
  const store = new RedisStore({ url: redisUrl, scheduleShards });
  const redisClient: RedisConnection = redisCluster
    ? new Cluster(redisCluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })))
    : new Redis(redisUrl);
  redisClient.on('error', () => undefined);
  const deps: EngineDeps = { db, store, content: loadContent(), tickIntervalMs: TICK_MS };
  const workerUrl = new URL(database.url);
  if (proxy) workerUrl.port = String(proxy.port);
  const cluster = workerCluster(options.workers, {
    DATABASE_URL: workerUrl.toString(),
    REDIS_URL: redisUrl,
    REDIS_SCHEDULE_SHARDS: String(scheduleShards),
    LOCK_TTL_MS: String(LOCK_TTL_MS),
    WORKER_POLL_MS: String(POLL_MS),
    OUTBOX_RECLAIM_IDLE_MS: '1000',
    RECONCILE_INTERVAL_MS: '2000',
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  let survivorsMade = 0;

  const run: ChaosRun = {
    deps,
    db,
    store,
    redis,
    redisCluster,
    redisClient,
    proxy,
    cluster,
    async flushRedis() {
      if (!isCluster(redisClient)) await redisClient.flushall();
      else await Promise.all(redisClient.nodes('master').map((node) => node.flushall()));
    },
    async startMissions(count, length = 'short') {
      const members = await createUsersWithSurvivors(db, count, `m${survivorsMade}`);
      survivorsMade += count;
      const ids: string[] = [];
      for (const [i, member] of members.entries()) {
        const started = await startMission(deps, {
          channelId: 'chaos',
          kind: 'solo',
          location: 'flooded-mall',
          difficulty: 1 + (i % 5),
          length,
          members: [member],
          fromState: 'idle',
        });
        ids.push(started.missionId);
      }
      return ids;
    },
    async activeMissions() {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM missions WHERE status = 'active'`,
      );
      return rows[0]!.n;
    },
    async durableTicks() {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM mission_logs');
      return rows[0]!.n;
    },
    async waitUntilAllEnded(timeoutMs = CHAOS_TEST_TIMEOUT_MS / 2) {
      try {
        await eventually(
          async () => (await run.activeMissions()) === 0,
          'every mission to end',
          timeoutMs,
          250,
        );
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${cluster.output().slice(-4_000)}`);
      }
    },
    async audit() {
      const audit = await auditMissionLogs(db, deps.content);
      return { ...audit, survivorProblems: await auditSurvivorStates(db) };
    },
    async maxLatenessMs(since) {
      const { rows } = await db.query<{ ms: number | null }>(
        `SELECT max(extract(epoch FROM ticked_at - scheduled_at) * 1000)::float8 AS ms
           FROM mission_logs WHERE scheduled_at > $1 AND encounter_id <> 'retreat'`,
        [since],
      );
      return rows[0]!.ms ?? 0;
    },
    async dispose() {
      await cluster.stopAll();
      await store.close();
      await redisClient.quit();
      await db.close();
      await proxy?.close();
      await redis?.stop();
      await redisCluster?.stop();
      await database.drop();
    },
  };
  return run;
}

/** Starts every worker of the run and waits until each is ticking. */
export async function startWorkers(run: ChaosRun, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  return Promise.all(run.cluster.workers.map((_, i) => run.cluster.start(i, env)));
}

/** Starts every worker, then `count` standard missions ticking every `tickMs`; returns their ids. */
export async function startStandardMissions(run: ChaosRun, count: number, tickMs: number): Promise<string[]> {
  await startWorkers(run);
  run.deps.tickIntervalMs = tickMs;
  return run.startMissions(count, 'standard');
}

/** A describe's chaos run: opened before its tests, disposed of after them; read `.run` inside a test. */
export function chaosRunPerDescribe(options: ChaosRunOptions): { readonly run: ChaosRun } {
  const opened: { run?: ChaosRun } = {};
  beforeAll(async () => {
    opened.run = await openChaosRun(options);
  }, CHAOS_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await opened.run?.dispose();
  }, CHAOS_SETUP_TIMEOUT_MS);
  return opened as { readonly run: ChaosRun };
}

/**
 * The end a scenario proves: `missions` missions ended with every tick logged once and consistent
 * survivors, and `holdout replay --verify` clean on each of `replayed`. Returns the audit for reports.
 */
export async function expectCleanEnd(
  run: ChaosRun,
  missions: number,
  replayed: readonly string[] = [],
): Promise<LogAudit & { survivorProblems: string[] }> {
  const audit = await run.audit();
  expect(audit.problems).toEqual([]);
  expect(audit.survivorProblems).toEqual([]);
  expect(audit.ended).toBe(missions);
  for (const id of replayed) {
    const verified = await runHoldout(['replay', id, '--verify'], {
      DATABASE_URL: run.cluster.env.DATABASE_URL,
    });
    expect(verified.output).toMatch(/logged ticks match the replay/);
    expect(verified.code).toBe(0);
  }
  return audit;
}
