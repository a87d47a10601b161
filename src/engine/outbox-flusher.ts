import { randomUUID } from 'node:crypto';
import { insertLogRows } from '../durable/mission-logs.js';
import type { OutboxEntry } from '../ephemeral/ephemeral-store.js';
import { type CompletionPauses, completeMissions } from './complete-mission.js';
import { DEFAULT_FLUSHER_BATCH_SIZE, DEFAULT_OUTBOX_RECLAIM_IDLE_MS } from './engine-defaults.js';
import type { EngineDeps } from './engine-deps.js';
import { type LogRow, parseLogRow } from './log-row.js';

export interface OutboxFlusherOptions {
  /** Most outbox entries written to Postgres in one statement. @default 2000 */
  batchSize: number;
  /** An entry read by a flusher that has not acknowledged it for this long, in ms, is taken over. @default 10000 */
  reclaimIdleMs: number;
  /**
   * Chaos testing only: a completion pauses this long, in ms, before its commit and again after it
   * (saying so in the log at warn), so that a test can kill the process in either window. @default 0
   */
  faultCompletionDelayMs?: number;
}

export const DEFAULT_OUTBOX_FLUSHER_OPTIONS: OutboxFlusherOptions = {
  batchSize: DEFAULT_FLUSHER_BATCH_SIZE,
  reclaimIdleMs: DEFAULT_OUTBOX_RECLAIM_IDLE_MS,
};

/** How often a flusher retries the completions it deferred (an earlier tick was not durable yet), in ms. */
const DEFERRED_RETRY_MS = 500;
/**
 * Most missions completed in one transaction. A channel event's end brings thousands of final rows
 * within one tick interval; one transaction each held the log rows behind them for minutes.
 */
const COMPLETIONS_PER_TRANSACTION = 250;

/** A final row whose mission could not be completed yet; its entry stays unacknowledged meanwhile. */
interface DeferredCompletion {
  entry: OutboxEntry;
  row: LogRow;
}

/**
 * Drains mission_log_outbox into mission_logs (DESIGN §5 step 4): batches read through the
 * consumer group, one INSERT per batch, then acknowledgement. Entries a dead flusher left pending
 * are taken over after `reclaimIdleMs`. A mission's final row then runs its completion — once ticks
 * 1..n are all durable. Until then its entry stays pending (so a dead flusher's deferrals are taken
 * over too) and this flusher retries it every DEFERRED_RETRY_MS.
 */
export class OutboxFlusher {
  private lastReclaimAt = 0;
  private lastDeferredRetryAt = 0;
  /** A batch whose write failed (Postgres away): retried before anything new is read. */
  private unwritten: OutboxEntry[] = [];
  /** Completions waiting for an earlier tick to land, by entry id. */
  private readonly deferred = new Map<string, DeferredCompletion>();
  private readonly pauses: CompletionPauses | undefined;

  constructor(
    private readonly deps: EngineDeps,
    private readonly options: OutboxFlusherOptions = DEFAULT_OUTBOX_FLUSHER_OPTIONS,
    /** Its name in the consumer group (XPENDING, XINFO CONSUMERS): in a process, its worker's token. */
    readonly consumer = `flusher-${randomUUID()}`,
  ) {
    const delayMs = options.faultCompletionDelayMs ?? 0;
    if (delayMs > 0) {
      const pause = (where: string) => async (missionIds: readonly string[]) => {
        deps.logger?.warn({ missions: missionIds.length, delayMs }, `completion paused ${where}`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      };
      this.pauses = { inTransaction: pause('before its commit'), afterCommit: pause('after its commit') };
    }
  }

  /** Completions this flusher is waiting to run. */
  get deferredCompletions(): number {
    return this.deferred.size;
  }

  /** Writes one batch; returns how many entries it acknowledged. */
  async flushBatch(): Promise<number> {
    const retried = await this.retryDeferred();
    const entries = this.unwritten.length > 0 ? this.unwritten : await this.nextEntries();
    if (entries.length === 0) return retried;
    this.unwritten = entries;
    const rows: LogRow[] = [];
    const jsons: string[] = [];
    const finals: DeferredCompletion[] = [];
    for (const entry of entries) {
      try {
        if (entry.row === '') continue;
        const row = parseLogRow(entry.row);
        rows.push(row);
        jsons.push(entry.row);
        if (row.final) finals.push({ entry, row });
      } catch (error) {
        // Unwritable forever; keeping it would block nothing but grow the outbox. Say so loudly.
        this.deps.logger?.error({ err: error, entryId: entry.id }, 'dropping a corrupt outbox entry');
      }
    }
    if (rows.length > 0) {
      await insertLogRows(this.deps.db, jsons);
      this.deps.metrics?.logRowsWritten.inc(rows.length);
    }
    const waiting = await this.complete(finals);
    const done = entries.filter((entry) => !waiting.has(entry.id)).map((entry) => entry.id);
    await this.deps.store.ackOutbox(done);
    this.unwritten = [];
    return done.length + retried;
  }

  /**
   * Runs the final rows' completions, COMPLETIONS_PER_TRANSACTION to a transaction; returns the entry
   * ids of those whose log still has a gap (remembered, to be retried).
   */
  private async complete(finals: readonly DeferredCompletion[]): Promise<Set<string>> {
    const waiting = new Set<string>();
    for (let i = 0; i < finals.length; i += COMPLETIONS_PER_TRANSACTION) {
      const chunk = finals.slice(i, i + COMPLETIONS_PER_TRANSACTION);
      const outcomes = await completeMissions(
        this.deps,
        chunk.map((f) => ({ missionId: f.row.missionId, finalState: f.row.final! })),
        this.pauses,
      );
      for (const final of chunk) {
        const outcome = outcomes.get(final.row.missionId);
        if (outcome?.kind !== 'incomplete') {
          this.deferred.delete(final.entry.id);
          continue;
        }
        waiting.add(final.entry.id);
        if (this.deferred.has(final.entry.id)) continue;
        this.deferred.set(final.entry.id, final);
        this.deps.metrics?.completionsDeferred.inc();
        const { missionId, logged, needed } = outcome.error;
        this.deps.logger?.info(
          { missionId, logged, needed },
          'final tick is durable before an earlier one: completion deferred',
        );
      }
    }
    return waiting;
  }

  private async retryDeferred(): Promise<number> {
    const at = (this.deps.clock ?? Date.now)();
    if (this.deferred.size === 0 || at - this.lastDeferredRetryAt < DEFERRED_RETRY_MS) return 0;
    this.lastDeferredRetryAt = at;
    const deferred = [...this.deferred.values()];
    const waiting = await this.complete(deferred);
    const completed = deferred.filter((f) => !waiting.has(f.entry.id)).map((f) => f.entry.id);
    await this.deps.store.ackOutbox(completed);
    return completed.length;
  }

  private async nextEntries(): Promise<OutboxEntry[]> {
    const { store, clock } = this.deps;
    const at = (clock ?? Date.now)();
    if (at - this.lastReclaimAt >= this.options.reclaimIdleMs / 2) {
      this.lastReclaimAt = at;
      const reclaimed = await store.reclaimOutbox(
        this.consumer,
        this.options.reclaimIdleMs,
        this.options.batchSize,
      );
      if (reclaimed.length > 0) return reclaimed;
    }
    return store.readOutbox(this.consumer, this.options.batchSize);
  }
}
