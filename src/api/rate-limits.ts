import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import type { EphemeralStore } from '../ephemeral/ephemeral-store.js';
import { RedisStore } from '../ephemeral/redis-store.js';
import { RateLimitedError } from './problem-errors.js';

/** Polling is generous, reading moderate, writing strict; the numbers come from the configuration. */
export type Budget = 'poll' | 'read' | 'write';

const MS_PER_SECOND = 1_000;

/**
 * Per-viewer, per-endpoint rate limits (rate-limiter-flexible). Counters live at
 * `rate_limit:{userId}:{endpoint}` on Redis, or in the process on the in-process store. The user id
 * here is the Twitch opaque user id: it is known before any store is read.
 */
export class RateLimits {
  private readonly limiters: Record<Budget, RateLimiterAbstract>;

  constructor(
    store: EphemeralStore,
    config: Pick<Config, 'RATE_LIMIT_WINDOW_MS' | 'RATE_LIMIT_POLL' | 'RATE_LIMIT_READ' | 'RATE_LIMIT_WRITE'>,
  ) {
    const duration = Math.max(1, Math.round(config.RATE_LIMIT_WINDOW_MS / MS_PER_SECOND));
    const make = (points: number): RateLimiterAbstract =>
      store instanceof RedisStore
        ? new RateLimiterRedis({
            storeClient: store.redis,
            keyPrefix: store.keys.rateLimitPrefix,
            points,
            duration,
          })
        : new RateLimiterMemory({ keyPrefix: store.keys.rateLimitPrefix, points, duration });
    this.limiters = {
      poll: make(config.RATE_LIMIT_POLL),
      read: make(config.RATE_LIMIT_READ),
      write: make(config.RATE_LIMIT_WRITE),
    };
  }

  /** Counts one call; throws RateLimitedError (429, Retry-After) once the budget is spent. */
  async consume(userId: string, endpoint: string, budget: Budget): Promise<void> {
    try {
      await this.limiters[budget].consume(`${userId}:${endpoint}`);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        throw new RateLimitedError(Math.max(1, Math.ceil(error.msBeforeNext / MS_PER_SECOND)));
      }
      throw error;
    }
  }
}
