/*
 * The engine's defaults, one definition each: the engine's own DEFAULT_* options and the
 * configuration's defaults (src/config.ts) both read them. Constants only, so that loading the
 * configuration does not load the engine.
 */

/** How long a worker sleeps between two claims when nothing was due, in ms. @default 150 */
export const DEFAULT_WORKER_POLL_MS = 150;
/** Most missions claimed and ticked per poll. @default 1000 */
export const DEFAULT_WORKER_BATCH_SIZE = 1_000;
/** How long a claimed mission stays locked, in ms: longer than the slowest tick. @default 5000 */
export const DEFAULT_LOCK_TTL_MS = 5_000;
/** Outbox entries past which workers stop claiming (back-pressure). @default 1200000 */
export const DEFAULT_OUTBOX_MAX_DEPTH = 1_200_000;
/** Outbox rows written to Postgres per statement. @default 2000 */
export const DEFAULT_FLUSHER_BATCH_SIZE = 2_000;
/** How long an entry read by a flusher may stay unacknowledged before another takes it over, in ms. @default 10000 */
export const DEFAULT_OUTBOX_RECLAIM_IDLE_MS = 10_000;
/** Time between two reconciler passes, in ms. @default 60000 */
export const DEFAULT_RECONCILE_INTERVAL_MS = 60_000;
