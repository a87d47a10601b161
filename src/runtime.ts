import { Registry } from 'prom-client';
import { type ChannelAnnouncer, silentAnnouncer } from './channel-announcer.js';
import type { Config, ConfigError } from './config.js';
import { DatabasePreparation } from './database-preparation.js';
import type { Database } from './durable/database.js';
import { openDatabase } from './durable/open-database.js';
import type { EphemeralStore } from './ephemeral/ephemeral-store.js';
import { openEphemeralStore } from './ephemeral/open-ephemeral-store.js';
import type { Logger } from './logger.js';
import { assertProductionSafe } from './production-guard.js';
import { RedisPasswordCheck } from './redis-password-check.js';
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
  /**
   * The production guard's Redis check, when Redis could not be reached at start to be checked;
   * absent when there was nothing left to check. /readyz reports `redis` down and the engine waits
   * until it has passed.
   */
  redisCheck?: RedisPasswordCheck;
  close(): Promise<void>;
}

export interface OpenRuntimeOptions {
  /**
   * Apply pending migrations and ensure log partitions: `'before-return'` (one-shot commands fail
   * if Postgres is down), `'retry-in-background'` (long-running processes: one attempt before
   * returning, then, if Postgres is down, retries with backoff while the process runs).
   * @default 'before-return'
   */
  prepareDatabase?: 'before-return' | 'retry-in-background';
  /**
   * Long-running processes: with NODE_ENV=production and Redis unreachable at start, start anyway
   * and check Redis once it answers; this is called if it then turns out open to anonymous clients
   * (the CLI exits 2, as it would have at start). Without it an unreachable Redis refuses the start.
   */
  onLateRefusal?: (refusal: ConfigError) => void;
}

/** How long a long-running process tries to reach Redis for the guard before it defers the check, in ms. */
const DEFERRABLE_PROBE_MS = 2_000;

export async function openRuntime(
  config: Config,
  logger: Logger,
  options: OpenRuntimeOptions = {},
): Promise<Runtime> {
  const { onLateRefusal } = options;
  const verdict = await assertProductionSafe(
    config,
    onLateRefusal ? { unreachableRedis: 'defer', redisProbeTimeoutMs: DEFERRABLE_PROBE_MS } : {},
  );
  const redisCheck =
    verdict === 'redis-unchecked' && onLateRefusal && config.REDIS_URL
      ? new RedisPasswordCheck(logger.child({ component: 'production-guard' }), {
          redisUrl: config.REDIS_URL,
          keyPrefix: config.REDIS_KEY_PREFIX,
          onRefused: onLateRefusal,
        })
      : undefined;
  redisCheck?.start();
  const registry = new Registry();
  const reportConnectionError = connectionErrorReporter(registry, logger);
  const db = await openDatabase(config, reportConnectionError('postgres'));
  const store = openEphemeralStore(config, reportConnectionError('redis'));
  const mode = options.prepareDatabase ?? 'before-return';
  const preparation = new DatabasePreparation(db, logger, {
    partitionsAheadMonths: config.PARTITIONS_AHEAD_MONTHS,
  });
  try {
    if (mode === 'before-return') await preparation.prepareOnce();
    else await preparation.start();
  } catch (error) {
    redisCheck?.stop();
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
          broadcasts: store.broadcasts,
          logger: logger.child({ component: 'announcer' }),
        })
      : silentAnnouncer,
    preparation,
    redisCheck,
    async close() {
      preparation?.stop();
      redisCheck?.stop();
      await Promise.allSettled([store.close(), db.close()]);
    },
  };
}
