import { DEFAULT_PARTITIONS_AHEAD } from '../durable/partitions.js';
import { DEFAULT_RECONCILE_INTERVAL_MS } from './engine-defaults.js';
import type { EngineDeps } from './engine-deps.js';
import { EngineLoop } from './engine-loop.js';
import { EventKeeper } from './event-keeper.js';
import { runMaintenance } from './maintenance.js';
import {
  DEFAULT_OUTBOX_FLUSHER_OPTIONS,
  OutboxFlusher,
  type OutboxFlusherOptions,
} from './outbox-flusher.js';
import { DEFAULT_RECONCILE_OPTIONS, reconcile } from './reconciler.js';
import { DEFAULT_TICK_WORKER_OPTIONS, TickWorker, type TickWorkerOptions } from './tick-worker.js';

export interface EngineOptions {
  worker: TickWorkerOptions;
  flusher: OutboxFlusherOptions;
  /** A full reconciliation runs this often, in ms. @default 60000 */
  reconcileIntervalMs: number;
  /** How often to check whether Redis lost its data (the reconcile marker is gone), in ms. @default 1000 */
  redisLossCheckMs: number;
  /** How long shutdown may spend flushing the outbox, in ms. @default 5000 */
  drainTimeoutMs: number;
  /** How often maintenance (partitions ahead) runs, in ms. @default 3600000 */
  maintenanceIntervalMs: number;
  /** Months of mission_logs partitions kept ready beyond the current one. @default 3 */
  partitionsAheadMonths: number;
  /** How often channel events are launched, watched and finished, in ms. @default 500 */
  eventKeeperIntervalMs: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  worker: DEFAULT_TICK_WORKER_OPTIONS,
  flusher: DEFAULT_OUTBOX_FLUSHER_OPTIONS,
  reconcileIntervalMs: DEFAULT_RECONCILE_INTERVAL_MS,
  redisLossCheckMs: 1_000,
  drainTimeoutMs: 5_000,
  maintenanceIntervalMs: 3_600_000,
  partitionsAheadMonths: DEFAULT_PARTITIONS_AHEAD,
  eventKeeperIntervalMs: 500,
};

/** Idle pause of the flusher between empty reads, in ms. */
const FLUSHER_IDLE_MS = 100;
/**
 * Batches a worker keeps in flight: while one batch's claim or commit is with Redis, the next one is
 * simulated, so neither the event loop nor Redis waits on the other. Missions are never shared
 * between them: each batch claims its own, under locks.
 */
const TICK_BATCHES_IN_FLIGHT = 2;

export interface RunningEngine {
  worker: TickWorker;
  flusher: OutboxFlusher;
  /** Stops claiming, finishes the batch in flight, flushes what is committed, then resolves. */
  stop(): Promise<void>;
}

/**
 * The tick engine of one process: a tick worker, an outbox flusher and the reconciler (which runs
 * at start, periodically, and as soon as Redis is seen to have lost its data).
 */
export async function startEngine(
  deps: EngineDeps,
  options: EngineOptions = DEFAULT_ENGINE_OPTIONS,
): Promise<RunningEngine> {
  const worker = new TickWorker(deps, options.worker);
  // Named after the worker: what a dead process left pending in the outbox says whose it was.
  const flusher = new OutboxFlusher(deps, options.flusher, `flusher-${worker.token}`);
  // The first reconciliation runs as the reconciler loop's first step, not here: a process must come
  // up (and say in /readyz what is wrong) even while Redis or Postgres is down.
  let lastFullReconcile = Number.NEGATIVE_INFINITY;

  const tickLoops = Array.from(
    { length: TICK_BATCHES_IN_FLIGHT },
    (_, i) =>
      new EngineLoop(
        `tick-worker-${i + 1}`,
        async () => {
          const report = await worker.runBatch();
          return report.claimed >= options.worker.batchSize;
        },
        options.worker.pollIntervalMs,
        deps.logger,
      ),
  );
  const flushLoop = new EngineLoop(
    'outbox-flusher',
    async () => (await flusher.flushBatch()) > 0,
    FLUSHER_IDLE_MS,
    deps.logger,
  );
  const reconcileLoop = new EngineLoop(
    'reconciler',
    async () => {
      const due = Date.now() - lastFullReconcile >= options.reconcileIntervalMs;
      const redisLost = (await deps.store.getValue(deps.store.keys.reconcileMarker)) === null;
      if (due || redisLost) {
        // Before the first pass a missing marker only means this is a fresh start.
        const firstPass = lastFullReconcile === Number.NEGATIVE_INFINITY;
        if (redisLost && !firstPass)
          deps.logger?.warn('Redis lost its data: rebuilding active missions from Postgres');
        const report = await reconcile(deps, {
          ...DEFAULT_RECONCILE_OPTIONS,
          // Rows of a dead flusher's batch wait reclaimIdleMs to be taken over: not a gap before then.
          repairSettleMs: 3 * options.flusher.reclaimIdleMs,
        });
        if (!report.skipped) lastFullReconcile = Date.now();
      }
      return false;
    },
    options.redisLossCheckMs,
    deps.logger,
  );
  const maintenanceLoop = new EngineLoop(
    'maintenance',
    async () => {
      await runMaintenance(deps, options.partitionsAheadMonths);
      return false;
    },
    options.maintenanceIntervalMs,
    deps.logger,
  );
  const keeper = new EventKeeper(deps);
  const keeperLoop = new EngineLoop(
    'event-keeper',
    async () => {
      await keeper.runOnce();
      return false;
    },
    options.eventKeeperIntervalMs,
    deps.logger,
  );
  // A worker started while Postgres is down ticks from Redis at once; what writes to Postgres waits.
  // In production, all of it waits until Redis is known to refuse anonymous clients.
  let stopping = false;
  let databaseLoopsStarted = false;
  const startTickLoops = () => {
    if (stopping) return;
    for (const loop of tickLoops) loop.start();
  };
  const startDatabaseLoops = () => {
    if (stopping) return;
    databaseLoopsStarted = true;
    flushLoop.start();
    reconcileLoop.start();
    keeperLoop.start();
    // The database preparation has just ensured the partitions: the next pass is due an interval later.
    maintenanceLoop.start(options.maintenanceIntervalMs);
  };
  const redisChecked = deps.redisChecked ?? Promise.resolve();
  if (deps.redisChecked) void redisChecked.then(startTickLoops);
  else startTickLoops();
  if (deps.databaseReady || deps.redisChecked) {
    void Promise.all([redisChecked, deps.databaseReady]).then(startDatabaseLoops);
  } else startDatabaseLoops();

  return {
    worker,
    flusher,
    async stop() {
      stopping = true;
      await Promise.all([
        ...tickLoops.map((loop) => loop.stop()),
        reconcileLoop.stop(),
        maintenanceLoop.stop(),
        keeperLoop.stop(),
      ]);
      await flushLoop.stop();
      if (!databaseLoopsStarted) return;
      const deadline = Date.now() + options.drainTimeoutMs;
      while (Date.now() < deadline) {
        try {
          if ((await flusher.flushBatch()) === 0) break;
        } catch (error) {
          deps.logger?.error(
            { err: error },
            'could not flush the outbox while stopping; other flushers will',
          );
          break;
        }
      }
    },
  };
}
