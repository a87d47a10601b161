import type { ConfigError } from './config.js';
import type { Logger } from './logger.js';
import { probeAnonymousRedis, productionRefusal, redisAccessProblem } from './production-guard.js';

/** Pause between two attempts to reach Redis, in ms: a Redis that comes back is checked this fast. */
const DEFAULT_RETRY_MS = 500;
/** How long one attempt may wait for Redis, in ms. */
const DEFAULT_ATTEMPT_MS = 2_000;
/** A failure streak is logged at its first attempt and then once per this many attempts (~1 min). */
const LOG_EVERY_ATTEMPTS = 60;

export interface RedisPasswordCheckOptions {
  redisUrl: string;
  /** REDIS_KEY_PREFIX: the probe reads a key Holdout really uses. */
  keyPrefix: string;
  /** Called once if Redis, reached at last, turns out to accept anonymous clients. */
  onRefused: (refusal: ConfigError) => void;
  /** @default 500 */
  retryMs?: number;
  /** @default 2000 */
  attemptMs?: number;
}

/**
 * The production guard's Redis check, deferred: a long-running process whose Redis was unreachable
 * at start comes up anyway (the issue: every process useful while a store is down) and keeps trying
 * to check that Redis refuses anonymous clients. Until it has, /readyz reports `redis` down and the
 * engine touches nothing in Redis; a Redis that turns out open refuses the process as at start.
 */
export class RedisPasswordCheck {
  /** Resolves once Redis is known to refuse anonymous clients; never rejects. */
  readonly passed: Promise<void>;
  private done = false;
  private stopped = false;
  private wake: (() => void) | null = null;
  private markPassed!: () => void;

  constructor(
    private readonly logger: Logger,
    private readonly options: RedisPasswordCheckOptions,
  ) {
    this.passed = new Promise((resolve) => {
      this.markPassed = resolve;
    });
  }

  get isPassed(): boolean {
    return this.done;
  }

  /** Starts checking in the background; returns at once. */
  start(): void {
    this.logger.warn(
      'Redis could not be reached to check that it requires a password: starting anyway, ' +
        'not ready until the check passes',
    );
    void this.checkUntilAnswered();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private async checkUntilAnswered(): Promise<void> {
    const { redisUrl, keyPrefix, retryMs = DEFAULT_RETRY_MS, attemptMs = DEFAULT_ATTEMPT_MS } = this.options;
    for (let attempt = 1; !this.stopped; attempt++) {
      const access = await probeAnonymousRedis(redisUrl, attemptMs, keyPrefix);
      if (this.stopped) return;
      if (access === 'closed') {
        this.done = true;
        this.markPassed();
        this.logger.info({ attempts: attempt }, 'Redis requires a password: production check passed');
        return;
      }
      if (access === 'open') {
        this.stopped = true;
        this.options.onRefused(productionRefusal([redisAccessProblem(redisUrl, access)!]));
        return;
      }
      if (attempt % LOG_EVERY_ATTEMPTS === 0) {
        this.logger.warn(
          { attempts: attempt, reason: access.unreachable },
          'Redis still unreachable: its production check is pending',
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, retryMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }
}
