import { Registry } from 'prom-client';
import { type ChannelAnnouncer, silentAnnouncer } from './channel-announcer.js';
import type { Config } from './config.js';
import { DatabasePreparation } from './database-preparation.js';
import type { Database } from './durable/database.js';
import { openDatabase } from './durable/open-database.js';
import { broadcastQueueFor } from './ephemeral/broadcast-queue.js';
import type { EphemeralStore } from './ephemeral/ephemeral-store.js';
import { openEphemeralStore } from './ephemeral/open-ephemeral-store.js';
import type { Logger } from './logger.js';
import { assertProductionSafe } from './production-guard.js';
import { connectionErrorReporter, registerStoreMetrics } from './store-metrics.js';
import { broadcastsEnabled } from './twitch/broadcasts-enabled.js';
import { TwitchAnnouncer } from './twitch/twitch-announcer.js';
import { twitchApiFor } from './twitch/twitch-api.js';

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
  /**
   * Migrations and partitions of this process's start-up; absent where the caller prepared the
   * database itself (tests). The engine's Postgres loops wait for it; /readyz reports it.
   */
  preparation?: DatabasePreparation;
  close(): Promise<void>;
}

export interface OpenRuntimeOptions {
  /**
   * Apply pending migrations and ensure log partitions: `'before-return'` (one-shot commands fail
   * if Postgres is down), `'retry-in-background'` (long-running processes: one attempt before
   * returning, then, if Postgres is down, retries with backoff while the process runs), or `'skip'`.
   * @default 'before-return'
   */
  prepareDatabase?: 'before-return' | 'retry-in-background' | 'skip';
}

export async function openRuntime(
  config: Config,
  logger: Logger,
  options: OpenRuntimeOptions = {},
): Promise<Runtime> {
  await assertProductionSafe(config);
  const registry = new Registry();
  const reportConnectionError = connectionErrorReporter(registry, logger);
  const db = await openDatabase(config, reportConnectionError('postgres'));
  const store = openEphemeralStore(config, reportConnectionError('redis'));
  const mode = options.prepareDatabase ?? 'before-return';
  const preparation =
    mode === 'skip'
      ? undefined
      : new DatabasePreparation(db, logger, { partitionsAheadMonths: config.PARTITIONS_AHEAD_MONTHS });
  try {
    if (mode === 'before-return') await preparation?.prepareOnce();
    else if (mode === 'retry-in-background') await preparation?.start();
  } catch (error) {
    await Promise.allSettled([db.close(), store.close()]);
    throw error;
  }
  registerStoreMetrics(registry, db, store);
  return {
    config,
    logger,
    db,
    store,
    registry,
    announcer: broadcastsEnabled(config)
      ? new TwitchAnnouncer({
          api: twitchApiFor(config),
          db,
          store,
          broadcasts: broadcastQueueFor(store),
          logger: logger.child({ component: 'announcer' }),
        })
      : silentAnnouncer,
    preparation,
    async close() {
      preparation?.stop();
      await Promise.allSettled([store.close(), db.close()]);
    },
  };
}
