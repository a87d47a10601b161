import type { ChannelAnnouncer } from '../channel-announcer.js';
import type { Database } from '../durable/database.js';
import type { BroadcastQueue } from '../ephemeral/broadcast-queue.js';
import type { EphemeralStore } from '../ephemeral/ephemeral-store.js';
import type { Content } from '../game/index.js';
import type { Logger } from '../logger.js';
import type { EngineMetrics } from './engine-metrics.js';

/** What the engine's services need: the two stores, the content, and the mission cadence. */
export interface EngineDeps {
  db: Database;
  store: EphemeralStore;
  content: Content;
  /** Time between two ticks of a new mission, in ms. @default 5000 */
  tickIntervalMs: number;
  /** The clock, ms since the epoch; tests may pin it. @default Date.now */
  clock?: () => number;
  logger?: Logger;
  metrics?: EngineMetrics;
  /** Where channel events announce their lifecycle. @default silent */
  announcer?: ChannelAnnouncer;
  /**
   * Resolves once this process has migrated the database. The loops that need Postgres (flusher,
   * reconciler, maintenance) start then; ticking needs only Redis and starts at once. @default ready
   */
  databaseReady?: Promise<void>;
  /**
   * Resolves once the production guard has checked Redis (it could not at start: Redis was
   * unreachable). Nothing of the engine runs before. @default checked
   */
  redisChecked?: Promise<void>;
  /** Where committed ticks are announced to the channel's panels (Extension PubSub); none: not announced. */
  broadcasts?: BroadcastQueue;
}

export function now(deps: Pick<EngineDeps, 'clock'>): number {
  return (deps.clock ?? Date.now)();
}
