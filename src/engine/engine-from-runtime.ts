import { loadContent } from '../content/index.js';
import type { Runtime } from '../runtime.js';
import { broadcastsEnabled } from '../twitch/broadcasts-enabled.js';
import { DEFAULT_ENGINE_OPTIONS, type EngineOptions } from './engine.js';
import type { EngineDeps } from './engine-deps.js';
import { createEngineMetrics } from './engine-metrics.js';

/** The engine's dependencies in a process: its stores, the shipped content, metrics on its registry. */
export function engineDepsFor(runtime: Runtime): EngineDeps {
  return {
    db: runtime.db,
    store: runtime.store,
    content: loadContent(),
    tickIntervalMs: runtime.config.TICK_INTERVAL_MS,
    logger: runtime.logger.child({ component: 'engine' }),
    metrics: createEngineMetrics(runtime.registry, runtime.store),
    announcer: runtime.announcer,
    databaseReady: runtime.preparation?.prepared,
    redisChecked: runtime.redisCheck?.passed,
    ...(broadcastsEnabled(runtime.config) ? { broadcasts: runtime.store.broadcasts } : {}),
  };
}

export function engineOptionsFor(config: Runtime['config']): EngineOptions {
  return {
    ...DEFAULT_ENGINE_OPTIONS,
    worker: {
      pollIntervalMs: config.WORKER_POLL_MS,
      batchSize: config.WORKER_BATCH_SIZE,
      lockTtlMs: config.LOCK_TTL_MS,
      outboxMaxDepth: config.OUTBOX_MAX_DEPTH,
      faultCommitDelayMs: config.HOLDOUT_FAULT_COMMIT_DELAY_MS,
    },
    flusher: {
      batchSize: config.FLUSHER_BATCH_SIZE,
      reclaimIdleMs: config.OUTBOX_RECLAIM_IDLE_MS,
      faultCompletionDelayMs: config.HOLDOUT_FAULT_COMPLETION_DELAY_MS,
    },
    reconcileIntervalMs: config.RECONCILE_INTERVAL_MS,
    partitionsAheadMonths: config.PARTITIONS_AHEAD_MONTHS,
  };
}
