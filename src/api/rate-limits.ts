import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import type { KeyNames } from '../ephemeral/keys.js';
import type { RateLimitCounters } from '../ephemeral/rate-limit-counters.js';
import type { CountedCall, PollRead } from '../ephemeral/viewer-cache.js';
import { RateLimitedError } from './problem-errors.js';

/** Polling is generous, reading moderate, writing strict; the numbers come from the configuration. */
export type Budget = 'poll' | 'read' | 'write';

const MS_PER_SECOND = 1_000;

function refusal(msBeforeNext: number): RateLimitedError {
  return new RateLimitedError(Math.max(1, Math.ceil(msBeforeNext / MS_PER_SECOND)));
}

/**
 * Per-viewer, per-endpoint rate limits (rate-limiter-flexible). Counters live at
 * `rate_limit:{userId}:{endpoint}` on Redis, or in the process on the in-process store. The user id
 * here is the Twitch opaque user id: it is known before any store is read.
 *
 * The poll, the one hot route, counts inside its own read instead (`countedCall`, ADR-0012): the same
 * fixed window in the same key, one Redis round trip per poll instead of two.
 */
export class RateLimits {
  private readonly limiters: Record<Budget, RateLimiterAbstract>;
  private readonly windowMs: number;
  private readonly budgets: Record<Budget, number>;
  private readonly keys: KeyNames;

  constructor(
    store: RateLimitCounters & { readonly keys: KeyNames },
    config: Pick<Config, 'RATE_LIMIT_WINDOW_MS' | 'RATE_LIMIT_POLL' | 'RATE_LIMIT_READ' | 'RATE_LIMIT_WRITE'>,
  ) {
    const duration = Math.max(1, Math.round(config.RATE_LIMIT_WINDOW_MS / MS_PER_SECOND));
    this.windowMs = duration * MS_PER_SECOND;
    this.budgets = {
      poll: config.RATE_LIMIT_POLL,
      read: config.RATE_LIMIT_READ,
      write: config.RATE_LIMIT_WRITE,
    };
    const make = (points: number): RateLimiterAbstract => store.rateLimiter(points, duration);
    this.limiters = {
      poll: make(this.budgets.poll),
      read: make(this.budgets.read),
      write: make(this.budgets.write),
    };
    this.keys = store.keys;
  }

  /**
   * The same count for a caller that makes it inside a store call of its own (the poll, whose one
   * round trip counts and reads): the limiter's key, window and budget. Judge the result with `judge`.
   */
  countedCall(userId: string, endpoint: string, budget: Budget): CountedCall {
    return {
      key: this.keys.rateLimit(userId, endpoint),
      windowMs: this.windowMs,
      budget: this.budgets[budget],
    };
  }

  /** Throws RateLimitedError (429, Retry-After) for a counted call that was refused. */
  judge(read: Pick<PollRead, 'refusedForMs'>): void {
    if (read.refusedForMs !== null) throw refusal(read.refusedForMs);
  }

  /** Counts one call; throws RateLimitedError (429, Retry-After) once the budget is spent. */
  async consume(userId: string, endpoint: string, budget: Budget): Promise<void> {
    try {
      await this.limiters[budget].consume(`${userId}:${endpoint}`);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw refusal(error.msBeforeNext);
      throw error;
    }
  }
}
