import type { Database } from './durable/database.js';
import { MigrationChecksumError, migrate } from './durable/migrator.js';
import { ensureMonthlyPartitions } from './durable/partitions.js';
import type { Logger } from './logger.js';

/** First pause after a failed preparation, in ms; doubles on each failure. */
const FIRST_RETRY_MS = 250;
/** Longest pause between two attempts, in ms: a Postgres that comes back is noticed this fast. */
const MAX_RETRY_MS = 5_000;
/** A failure streak is logged at its first attempt and then once per this many attempts. */
const LOG_EVERY_ATTEMPTS = 12;

export interface DatabasePreparationOptions {
  /** Months of mission_logs partitions created beyond the current one. */
  partitionsAheadMonths: number;
  /** @default 250 */
  firstRetryMs?: number;
  /** @default 5000 */
  maxRetryMs?: number;
}

/**
 * Applies pending migrations and ensures the coming months' log partitions, retrying with backoff
 * until it succeeds, so that a process can start (and serve what needs no Postgres, and say on
 * /readyz what is missing) while Postgres is down or not yet migrated by its owner.
 */
export class DatabasePreparation {
  /** Resolves once the database is migrated and its partitions exist; never rejects. */
  readonly prepared: Promise<void>;
  private done = false;
  private stopped = false;
  private wake: (() => void) | null = null;
  private markPrepared!: () => void;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly options: DatabasePreparationOptions,
  ) {
    this.prepared = new Promise((resolve) => {
      this.markPrepared = resolve;
    });
  }

  /** True once migrations are applied and partitions ensured by this process. */
  get isPrepared(): boolean {
    return this.done;
  }

  /** One attempt; throws what went wrong. */
  async prepareOnce(): Promise<void> {
    const applied = await migrate(this.db);
    if (applied.length > 0) this.logger.info({ applied }, 'migrations applied');
    const created = await ensureMonthlyPartitions(this.db, new Date(), this.options.partitionsAheadMonths);
    if (created.length > 0) this.logger.info({ created }, 'mission_logs partitions created');
    this.done = true;
    this.markPrepared();
  }

  /**
   * Tries once and resolves: at once prepared if Postgres answers, as before. If it does not, keeps
   * trying in the background until it succeeds or `stop()` is called. A migration edited after it
   * was applied is refused at once (MigrationChecksumError): no retry can fix it.
   */
  async start(): Promise<void> {
    try {
      await this.prepareOnce();
    } catch (error) {
      if (error instanceof MigrationChecksumError) throw error;
      this.logFailure(error, 1, this.firstRetryMs());
      void this.retryUntilPrepared();
    }
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private firstRetryMs(): number {
    return this.options.firstRetryMs ?? FIRST_RETRY_MS;
  }

  private logFailure(error: unknown, attempt: number, retryInMs: number): void {
    // The reason goes to the log only; /readyz says no more than "postgres" or "migrations".
    if (attempt === 1 || attempt % LOG_EVERY_ATTEMPTS === 0) {
      this.logger.error(
        { err: error, attempt, retryInMs },
        'could not prepare the database (migrations, partitions); retrying',
      );
    }
  }

  private async retryUntilPrepared(): Promise<void> {
    let pause = this.firstRetryMs();
    for (let attempt = 2; !this.stopped; attempt++) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.stopped) return;
      pause = Math.min(this.options.maxRetryMs ?? MAX_RETRY_MS, pause * 2);
      try {
        await this.prepareOnce();
        this.logger.info({ attempts: attempt }, 'database prepared');
        return;
      } catch (error) {
        // A failure caused by closing the database while stopping is no news.
        if (!this.stopped) this.logFailure(error, attempt, pause);
      }
    }
  }
}
