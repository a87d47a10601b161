import { Counter, collectDefaultMetrics, Gauge, type Registry } from 'prom-client';
import type { Database } from './durable/database.js';
import type { EphemeralConnection } from './ephemeral/ephemeral-store.js';
import type { Logger } from './logger.js';
import { RateLimitedLog } from './rate-limited-log.js';

/** The process's own series (CPU, memory, event loop lag) and the state of its two stores' connections. */
export function registerStoreMetrics(registry: Registry, db: Database, store: EphemeralConnection): void {
  collectDefaultMetrics({ register: registry, prefix: 'holdout_' });
  const registers = [registry];
  if (db.poolConnections() !== null) {
    new Gauge({
      name: 'holdout_postgres_pool_connections',
      help: 'Connections of the Postgres pool, by state (total, idle, waiting = requests queued for one)',
      labelNames: ['state'],
      registers,
      collect() {
        const pool = db.poolConnections();
        if (!pool) return;
        this.set({ state: 'total' }, pool.total);
        this.set({ state: 'idle' }, pool.idle);
        this.set({ state: 'waiting' }, pool.waiting);
      },
    });
  }
  if (store.kind === 'redis') {
    new Gauge({
      name: 'holdout_redis_connected',
      help: '1 while the Redis connection is ready, 0 while it is connecting or down',
      registers,
      collect() {
        this.set(store.connected() ? 1 : 0);
      },
    });
  }
}

/** Which connection an error event came from. */
export type StoreConnection = 'postgres' | 'redis';

/**
 * The handler of the stores' connection 'error' events (a server gone, a reconnect refused): counts
 * every one in `holdout_store_connection_errors_total{store}` and logs at most one line per store and
 * `logIntervalMs` (30 s), with the number held back since the last line. Never swallowed, never a storm.
 */
export function connectionErrorReporter(
  registry: Registry,
  logger: Logger,
  logIntervalMs?: number,
): (store: StoreConnection) => (error: Error) => void {
  const errors = new Counter({
    name: 'holdout_store_connection_errors_total',
    help: 'Connection errors of the stores (refused, reset, lost), by store; each reconnect attempt counts',
    labelNames: ['store'],
    registers: [registry],
  });
  const log = new RateLimitedLog(logIntervalMs);
  return (store) => (error) => {
    errors.inc({ store });
    log.write(store, (suppressed) =>
      logger.warn({ store, err: error, suppressed }, 'store connection error'),
    );
  };
}
