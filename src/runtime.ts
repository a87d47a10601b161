import { Registry } from 'prom-client';
import { type ChannelAnnouncer, silentAnnouncer } from './channel-announcer.js';
import type { Config } from './config.js';
import type { Database } from './durable/database.js';
import { migrate } from './durable/migrator.js';
import { openDatabase } from './durable/open-database.js';
import { ensureMonthlyPartitions } from './durable/partitions.js';
import type { EphemeralStore } from './ephemeral/ephemeral-store.js';
import { openEphemeralStore } from './ephemeral/open-ephemeral-store.js';
import type { Logger } from './logger.js';
import { assertProductionSafe } from './production-guard.js';
import { registerStoreMetrics } from './store-metrics.js';

/** The stores one Holdout process works with, opened from its configuration. */
export interface Runtime {
  config: Config;
  logger: Logger;
  db: Database;
  store: EphemeralStore;
  /** This process's Prometheus registry; /metrics serves it. */
  registry: Registry;
  /** Where channel events announce themselves (PubSub, chat); says nothing by default. */
  announcer: ChannelAnnouncer;
  close(): Promise<void>;
}

export interface OpenRuntimeOptions {
  /** Apply pending migrations and ensure log partitions before returning. @default true */
  prepareDatabase?: boolean;
}

export async function openRuntime(
  config: Config,
  logger: Logger,
  options: OpenRuntimeOptions = {},
): Promise<Runtime> {
  await assertProductionSafe(config);
  const db = await openDatabase(config);
  const store = openEphemeralStore(config);
  try {
    if (options.prepareDatabase ?? true) {
      const applied = await migrate(db);
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
      const created = await ensureMonthlyPartitions(db, new Date(), config.PARTITIONS_AHEAD_MONTHS);
      if (created.length > 0) logger.info({ created }, 'mission_logs partitions created');
    }
  } catch (error) {
    await Promise.allSettled([db.close(), store.close()]);
    throw error;
  }
  const registry = new Registry();
  registerStoreMetrics(registry, db, store);
  return {
    config,
    logger,
    db,
    store,
    registry,
    announcer: silentAnnouncer,
    async close() {
      await Promise.allSettled([store.close(), db.close()]);
    },
  };
}
