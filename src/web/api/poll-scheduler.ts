import { ApiProblem } from './api-problem.js';

/** Never poll sooner than this after the last poll, in ms. */
const MIN_DELAY_MS = 400;
/** Never wait longer than this between polls while visible, in ms. */
const MAX_DELAY_MS = 15_000;
/** Random spread added to every wait so that viewers do not poll in lockstep, in ms. */
const JITTER_MS = 250;
/** After a 304 when a tick was due: it has not landed yet, look again this soon, in ms. */
const LATE_TICK_RETRY_MS = 1_000;
const IDLE_DELAY_MS = 5_000;
/**
 * With Extension PubSub broadcasts on, the panel polls when told; otherwise this seldom (1.5 a minute,
 * leaving room in an idle viewer's 2 a minute for the event, season and catalog safety reads),
 * in case a broadcast was lost, in ms.
 */
export const PUSH_IDLE_DELAY_MS = 40_000;
/** With broadcasts on, a ticking mission's panel waits this long past the tick for its notice, in ms. */
const PUSH_FALLBACK_MS = 4_000;
/** Back-off after failures: doubles from the first to the last, in ms. */
const BACKOFF_FIRST_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

/** What one poll learned: when the server asks to hear from us again, in its clock. */
export type PollResult =
  | { kind: 'changed'; nextPollAt: number; serverTime: number; ticking: boolean }
  | { kind: 'unchanged' };

export interface PollSchedulerOptions {
  poll: () => Promise<PollResult>;
  /** Told about every failure (with the wait before the next try, in ms) and every success (null). */
  onStatus: (failure: { error: unknown; retryInMs: number } | null) => void;
  random?: () => number;
}

/**
 * Polls at the time the server names (just after the next tick) plus jitter, backs off on failures and
 * honors Retry-After on 429; paused while the panel is hidden.
 */
export class PollScheduler {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private inFlight = false;
  private again = false;
  private failures = 0;
  /** The server's next poll time, in our clock (null: none named yet). */
  private nextAt: number | null = null;
  /** A mission was ticking at the last change: a 304 past its tick means the tick is late. */
  private ticking = false;
  /** When the next poll is set to run (our clock), or null when none is set. */
  private scheduledAt: number | null = null;
  /** Extension PubSub broadcasts tell this panel when to poll. */
  private push = false;
  private readonly random: () => number;

  constructor(private readonly options: PollSchedulerOptions) {
    this.random = options.random ?? Math.random;
  }

  /** Starts (or resumes) polling now. */
  start(): void {
    this.running = true;
    this.pollNow();
  }

  /** Stops polling until start(): while the panel is hidden nobody reads it. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.scheduledAt = null;
  }

  /** Polls at once (after an action changed something), or right after the poll in flight. */
  pollNow(): void {
    if (!this.running) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.scheduledAt = null;
    void this.run();
  }

  /** Broadcasts are on (the panel listens and the backend announces changes): poll when told, slowly otherwise. */
  setPush(on: boolean): void {
    const was = this.push;
    this.push = on;
    // The catalog that says so may come after the first poll, which then set its next poll at the
    // polling pace (seconds); once told broadcasts are on, that poll moves to the broadcast pace.
    if (on && !was && this.running && !this.inFlight && this.scheduledAt !== null) {
      clearTimeout(this.timer);
      this.schedule(this.pushDelay(Date.now()));
    }
  }

  /**
   * A broadcast said this panel's state changed: poll within `spreadMs` (random, so that a notice to a
   * whole channel does not bring every panel at the same instant), unless a poll is due sooner.
   */
  told(spreadMs: number): void {
    if (!this.running) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    const at = Date.now() + this.random() * spreadMs;
    if (this.scheduledAt !== null && this.scheduledAt <= at) return;
    clearTimeout(this.timer);
    this.schedule(at - Date.now());
  }

  private schedule(delay: number): void {
    this.scheduledAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.scheduledAt = null;
      void this.run();
    }, delay);
  }

  private async run(): Promise<void> {
    this.inFlight = true;
    let delay: number;
    try {
      const result = await this.options.poll();
      this.failures = 0;
      this.options.onStatus(null);
      delay = this.delayAfter(result);
    } catch (error) {
      this.failures++;
      delay = this.backoff(error);
      this.options.onStatus({ error, retryInMs: delay });
    }
    this.inFlight = false;
    if (!this.running) return;
    if (this.again) {
      this.again = false;
      delay = MIN_DELAY_MS;
    }
    this.schedule(delay);
  }

  private delayAfter(result: PollResult): number {
    const now = Date.now();
    if (result.kind === 'changed') {
      // The server's clock may differ from ours: only the interval it names counts.
      this.nextAt = now + (result.nextPollAt - result.serverTime);
      this.ticking = result.ticking;
    } else if (this.nextAt !== null && this.nextAt <= now) {
      this.nextAt = now + (this.ticking ? LATE_TICK_RETRY_MS : IDLE_DELAY_MS);
    }
    if (this.push) return this.pushDelay(now);
    const target = this.nextAt ?? now + IDLE_DELAY_MS;
    const wait = Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, target - now));
    return wait + this.random() * JITTER_MS;
  }

  /** With broadcasts on: a ticking mission's notice comes just after its tick; the fallback covers a lost one. */
  private pushDelay(now: number): number {
    const target =
      this.ticking && this.nextAt !== null
        ? Math.max(this.nextAt, now) + PUSH_FALLBACK_MS
        : now + PUSH_IDLE_DELAY_MS;
    return Math.min(PUSH_IDLE_DELAY_MS, Math.max(MIN_DELAY_MS, target - now)) + this.random() * JITTER_MS;
  }

  private backoff(error: unknown): number {
    if (error instanceof ApiProblem && error.retryAfterMs !== null) {
      return error.retryAfterMs + this.random() * JITTER_MS;
    }
    const exponential = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (this.failures - 1));
    return exponential * (0.75 + this.random() * 0.5);
  }
}
