import type { RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Per-caller call budgets (rate-limiter-flexible) kept in this store, at `rate_limit:{key}`: on
 * Redis for every instance to share, in the process for the embedded mode.
 */
export interface RateLimitCounters {
  /** A fixed-window limiter allowing `points` calls per `durationS` seconds for each key it consumes. */
  rateLimiter(points: number, durationS: number): RateLimiterAbstract;
}
