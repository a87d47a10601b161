import { Redis } from 'ioredis';
import { loadContent } from '../../src/content/index.js';
import { migrate } from '../../src/durable/migrator.js';
import { ensureMonthlyPartitions } from '../../src/durable/partitions.js';
import { PgDatabase } from '../../src/durable/pg-database.js';
import type { Content } from '../../src/game/index.js';
import { type RedisServer, startRedisServer } from '../../test/support/redis-server.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/services.js';

/** One measured step's private world: a fresh database and a throwaway redis-server, both dropped after. */
export interface BenchWorld {
  database: TestDatabase;
  db: PgDatabase;
  redisServer: RedisServer;
  redis: Redis;
  content: Content;
  dispose(): Promise<void>;
}

export async function openBenchWorld(): Promise<BenchWorld> {
  const database = await createTestDatabase('holdout_bench');
  const redisServer = await startRedisServer();
  const db = new PgDatabase({ connectionString: database.url, max: 4 });
  await migrate(db);
  await ensureMonthlyPartitions(db);
  const redis = new Redis(redisServer.url);
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

export async function redisUsedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const match = /used_memory:(\d+)/.exec(info);
  return match ? Number(match[1]) : 0;
}
