/** Default spacing of two lines under one key, in ms. */
export const DEFAULT_LOG_INTERVAL_MS = 30_000;

/**
 * Lets a repeated event through to the log at most once per `intervalMs` per key, and says how many
 * it held back since the last line. An outage raises the same error thousands of times a minute: the
 * log keeps one line per dependency and interval, the metrics keep the count.
 */
export class RateLimitedLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly intervalMs = DEFAULT_LOG_INTERVAL_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Calls `emit` with the number of events held back since the last line, or holds this one back. */
  write(key: string, emit: (suppressed: number) => void): void {
    const now = this.clock();
    const seen = this.last.get(key);
    if (seen && now - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    this.last.set(key, { at: now, suppressed: 0 });
    emit(seen?.suppressed ?? 0);
  }
}
