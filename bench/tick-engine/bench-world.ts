import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { loadContent } from '../../src/content/index.js';
import { migrate } from '../../src/durable/migrator.js';
import { ensureMonthlyPartitions } from '../../src/durable/partitions.js';
import { PgDatabase } from '../../src/durable/pg-database.js';
import type { Content } from '../../src/game/index.js';
import { startRedisCluster } from '../../test/support/redis-cluster.js';
import { startRedisServer } from '../../test/support/redis-server.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/services.js';

/** The Redis a step runs on: one redis-server, or a Redis Cluster of `masters` masters with a replica each. */
export type BenchRedisShape = { cluster: false } | { cluster: true; masters: number };

/** A throwaway Redis deployment: where to connect, and which processes to charge its CPU to. */
export interface BenchRedis {
  /** redis://… of the one server, or redis-cluster://… of every node. */
  url: string;
  /** The servers that hold the data: the one redis-server, or the cluster's masters. */
  serverPids: number[];
  /** A cluster's replicas (none for one server): they cost CPU too, copying every write. */
  replicaPids: number[];
  stop(): Promise<void>;
}

/** One measured step's private world: a fresh database and a throwaway Redis, both dropped after. */
export interface BenchWorld {
  database: TestDatabase;
  db: PgDatabase;
  redisServer: BenchRedis;
  /** A client of it; on a cluster, commands spanning slots (MGET, pipelines) are not allowed. */
  redis: Redis | Cluster;
  content: Content;
  dispose(): Promise<void>;
}

const run = promisify(execFile);

async function startBenchRedis(shape: BenchRedisShape): Promise<BenchRedis> {
  if (!shape.cluster) {
    const server = await startRedisServer();
    return { url: server.url, serverPids: [server.child.pid!], replicaPids: [], stop: () => server.stop() };
  }
  const cluster = await startRedisCluster(shape.masters);
  try {
    const roles = await Promise.all(
      cluster.nodes.map(async (n) => (await run('redis-cli', ['-p', String(n.port), 'ROLE'])).stdout),
    );
    const pidsWhere = (master: boolean) =>
      cluster.nodes.filter((_, i) => roles[i]!.startsWith('master') === master).map((n) => n.child.pid!);
    return {
      url: cluster.url,
      serverPids: pidsWhere(true),
      replicaPids: pidsWhere(false),
      stop: cluster.stop,
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

function clusterClient(url: string): Cluster {
  const seeds = url
    .slice('redis-cluster://'.length)
    .split(',')
    .map((node) => ({ host: node.split(':')[0]!, port: Number(node.split(':')[1]) }));
  // Auto-pipelining groups the bench's many single-key commands by node, as a pipeline does on one server.
  return new Cluster(seeds, { enableAutoPipelining: true });
}

export async function openBenchWorld(shape: BenchRedisShape = { cluster: false }): Promise<BenchWorld> {
  const database = await createTestDatabase('holdout_bench');
  const redisServer = await startBenchRedis(shape);
  const db = new PgDatabase({ connectionString: database.url, max: 4 });
  await migrate(db);
  await ensureMonthlyPartitions(db);
  const redis = shape.cluster ? clusterClient(redisServer.url) : new Redis(redisServer.url);
  // Until the cluster client has read the slot map, its node list is the seeds (replicas too).
  if (redis instanceof Cluster) await new Promise((resolve) => redis.once('ready', resolve));
  return {
    database,
    db,
    redisServer,
    redis,
    content: loadContent(),
    async dispose() {
      redis.disconnect();
      await db.close();
      await redisServer.stop();
      await database.drop();
    },
  };
}

/** used_memory of the servers that hold the data (a cluster's masters, summed). */
export async function redisUsedMemory(redis: Redis | Cluster): Promise<number> {
  const servers = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const infos = await Promise.all(servers.map((server) => server.info('memory')));
  return infos.reduce((sum, info) => sum + Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0), 0);
}
