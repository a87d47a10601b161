import { collectDefaultMetrics, Gauge, type Registry } from 'prom-client';
import type { Database } from './durable/database.js';
import { PgDatabase } from './durable/pg-database.js';
import type { EphemeralStore } from './ephemeral/ephemeral-store.js';
import { RedisStore } from './ephemeral/redis-store.js';

/** The process's own series (CPU, memory, event loop lag) and the state of its two stores' connections. */
export function registerStoreMetrics(registry: Registry, db: Database, store: EphemeralStore): void {
  collectDefaultMetrics({ register: registry, prefix: 'holdout_' });
  const registers = [registry];
  if (db instanceof PgDatabase) {
    const pool = db.pool;
    new Gauge({
      name: 'holdout_postgres_pool_connections',
      help: 'Connections of the Postgres pool, by state (total, idle, waiting = requests queued for one)',
      labelNames: ['state'],
      registers,
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }
  if (store instanceof RedisStore) {
    new Gauge({
      name: 'holdout_redis_connected',
      help: '1 while the Redis connection is ready, 0 while it is connecting or down',
      registers,
      collect() {
        this.set(store.redis.status === 'ready' ? 1 : 0);
      },
    });
  }
}
