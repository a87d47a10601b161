import { ApiProblem } from '../api/api-problem.js';

/*
 * How a panel reads a mission's full log (GET /v1/missions/:id/log) again while a hole in its log is
 * still there: the flusher writes that log a moment after each tick, but a loaded worker or a Postgres
 * blip can hold it back for longer. The API counts these reads per viewer and endpoint, all missions
 * together: RATE_LIMIT_READ (60) per 60 s window. So each mission backs off, and the panel's reads
 * share one bucket that keeps them well inside the budget however many missions have holes.
 */

/** The first read again after one that still found the hole, in ms: the flusher's own retry pace. */
export const LOG_REFILL_FIRST_MS = 500;
/** A mission's reads again back off (doubling) to this, in ms, and go on at it while its hole stays. */
export const LOG_REFILL_MAX_MS = 10_000;
/** Reads the panel may make at once, all missions together: a few holes fill without waiting. */
export const LOG_REFILL_BURST = 10;
/** One more read is allowed this often, in ms, all missions together. */
export const LOG_REFILL_TOKEN_MS = 3_000;
/**
 * The most refill reads in any 60 s, for any number of missions with holes: the bucket's burst plus
 * its refills, 10 + 20 = 30, half of the API's default RATE_LIMIT_READ; the other half is left for the viewer's
 * own reads of past missions' logs, which count on the same endpoint. One mission alone makes at most
 * 10 in its first minute (0, 0.5, 1.5, 3.5, 7.5, 15.5, 25.5 … 55.5 s) and 6 a minute after.
 */
export const LOG_REFILL_READS_PER_MINUTE = LOG_REFILL_BURST + 60_000 / LOG_REFILL_TOKEN_MS;

/** How long a mission waits before its next read, after `reads` reads that still found its hole. */
export function refillDelayMs(reads: number): number {
  return Math.min(LOG_REFILL_MAX_MS, LOG_REFILL_FIRST_MS * 2 ** Math.max(0, reads - 1));
}

/** Whether a mission's log still lacks a line after one read of its full log. */
export type RefillOutcome = 'filled' | 'hole';

interface Waiting {
  dueAt: number;
  reads: number;
}

/**
 * The refills of one panel: one per mission with a hole, each read again with a growing pause while
 * its hole stays, until it fills or the mission leaves the panel; every read takes a token of the
 * panel's shared bucket (LOG_REFILL_BURST, one more every LOG_REFILL_TOKEN_MS).
 */
export class LogRefills {
  private readonly waiting = new Map<string, Waiting>();
  /** Missions whose read is under way: each has at most one. */
  private readonly reading = new Set<string>();
  /** Reading missions that left the panel meanwhile: their read's outcome is dropped. */
  private readonly dropped = new Set<string>();
  private tokens = LOG_REFILL_BURST;
  private tokensAt: number;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    /** Reads the mission's full log into the panel's log; says whether a hole is left. */
    private readonly read: (missionId: string) => Promise<RefillOutcome>,
    /** A failed read other than a refusal for the budget (which only makes the refill wait). */
    private readonly onError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.tokensAt = now();
  }

  /** Fills the mission's hole: reads now (when the bucket allows), unless its refill is under way. */
  fill(missionId: string): void {
    this.dropped.delete(missionId);
    if (this.waiting.has(missionId) || this.reading.has(missionId)) return;
    this.waiting.set(missionId, { dueAt: this.now(), reads: 0 });
    this.wake();
  }

  /** The missions the panel shows: the refills of all others stop. */
  keepOnly(shown: ReadonlySet<string>): void {
    for (const id of this.waiting.keys()) if (!shown.has(id)) this.waiting.delete(id);
    for (const id of this.reading) if (!shown.has(id)) this.dropped.add(id);
    this.wake();
  }

  /** Missions whose refill is waiting or reading. */
  get refilling(): number {
    return this.waiting.size + this.reading.size - this.dropped.size;
  }

  private takeToken(now: number): boolean {
    const earned = Math.floor((now - this.tokensAt) / LOG_REFILL_TOKEN_MS);
    if (earned > 0) {
      this.tokens = Math.min(LOG_REFILL_BURST, this.tokens + earned);
      this.tokensAt = this.tokens === LOG_REFILL_BURST ? now : this.tokensAt + earned * LOG_REFILL_TOKEN_MS;
    }
    if (this.tokens === 0) return false;
    if (this.tokens === LOG_REFILL_BURST) this.tokensAt = now;
    this.tokens--;
    return true;
  }

  /** Starts every read that is due and has a token; sleeps until the next one could. */
  private wake(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const now = this.now();
    for (;;) {
      const next = this.earliest();
      if (!next || next[1].dueAt > now || !this.takeToken(now)) break;
      this.waiting.delete(next[0]);
      void this.run(next[0], next[1].reads);
    }
    const next = this.earliest();
    if (!next) return;
    const tokenAt = this.tokens > 0 ? now : this.tokensAt + LOG_REFILL_TOKEN_MS;
    this.timer = setTimeout(() => this.wake(), Math.max(next[1].dueAt, tokenAt) - now);
  }

  private earliest(): [string, Waiting] | undefined {
    let first: [string, Waiting] | undefined;
    for (const entry of this.waiting) if (!first || entry[1].dueAt < first[1].dueAt) first = entry;
    return first;
  }

  private async run(missionId: string, readsBefore: number): Promise<void> {
    const reads = readsBefore + 1;
    let waitMs = refillDelayMs(reads);
    let outcome: RefillOutcome = 'hole';
    this.reading.add(missionId);
    try {
      outcome = await this.read(missionId);
    } catch (error) {
      // Refused for the budget: wait as long as the API says, and say nothing to the viewer.
      if (error instanceof ApiProblem && error.retryAfterMs !== null)
        waitMs = Math.max(waitMs, error.retryAfterMs);
      else this.onError(error);
    } finally {
      this.reading.delete(missionId);
    }
    const left = this.dropped.delete(missionId);
    if (left || outcome === 'filled') return;
    this.waiting.set(missionId, { dueAt: this.now() + waitMs, reads });
    this.wake();
  }
}
