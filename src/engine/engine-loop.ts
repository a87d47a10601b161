import type { Logger } from '../logger.js';

/** Longest pause after repeated failures, in ms: an outage is retried at least this often. */
const MAX_BACKOFF_MS = 2_000;

/**
 * Runs `step` over and over: again at once while it reports more work, after `idleMs` (±25%
 * jitter, so that many workers do not poll in step) when it reports none, and with a growing pause
 * while it fails. `stop()` waits for the step under way to finish, never cuts one in half.
 */
export class EngineLoop {
  private running = false;
  private current: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private failures = 0;

  constructor(
    readonly name: string,
    private readonly step: () => Promise<boolean>,
    private readonly idleMs: number,
    private readonly logger?: Logger,
  ) {}

  /** Starts the loop; its first step runs after `firstStepAfterMs` (at once by default). */
  start(firstStepAfterMs = 0): void {
    if (this.running) return;
    this.running = true;
    this.current = this.run(firstStepAfterMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.current;
  }

  private async run(firstStepAfterMs: number): Promise<void> {
    if (firstStepAfterMs > 0) await this.sleep(firstStepAfterMs);
    while (this.running) {
      let pause: number;
      try {
        const busy = await this.step();
        this.failures = 0;
        pause = busy ? 0 : this.idleMs * (0.75 + Math.random() * 0.5);
      } catch (error) {
        this.failures++;
        pause = Math.min(MAX_BACKOFF_MS, this.idleMs * 2 ** this.failures);
        // One line per failure streak step, not per retry storm.
        if (this.failures <= 3 || this.failures % 20 === 0) {
          this.logger?.error(
            { err: error, loop: this.name, failures: this.failures },
            'engine loop step failed',
          );
        }
      }
      if (pause > 0 && this.running) await this.sleep(pause);
      else if (pause === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
