import { randomUUID } from 'node:crypto';
import type { OutboxEntry } from '../ephemeral/ephemeral-store.js';
import { completeMission } from './complete-mission.js';
import type { EngineDeps } from './engine-deps.js';
import { type LogRow, parseLogRow } from './log-row.js';

export interface OutboxFlusherOptions {
  /** Most outbox entries written to Postgres in one statement. @default 2000 */
  batchSize: number;
  /** An entry read by a flusher that has not acknowledged it for this long, in ms, is taken over. @default 10000 */
  reclaimIdleMs: number;
}

export const DEFAULT_OUTBOX_FLUSHER_OPTIONS: OutboxFlusherOptions = {
  batchSize: 2_000,
  reclaimIdleMs: 10_000,
};

// One statement per batch; the unique key (mission, tick, scheduled time) makes a retried row a no-op.
// The outbox rows go in as they are (a JSON array of LogRow): no second serialization in the hot path.
const INSERT_LOG_ROWS = `
  INSERT INTO mission_logs (mission_id, tick_index, scheduled_at, ticked_at, encounter_id, text, seed, modifiers, effects)
  SELECT r."missionId", r.tick, to_timestamp(r."scheduledAt" / 1000.0), to_timestamp(r."tickedAt" / 1000.0),
         r."encounterId", r.text, r.seed, r.modifiers, r.effects
    FROM jsonb_to_recordset($1::jsonb) AS r("missionId" bigint, tick integer, "scheduledAt" bigint,
         "tickedAt" bigint, "encounterId" text, text text, seed text, modifiers text[], effects jsonb)
  ON CONFLICT DO NOTHING`;

/**
 * Drains mission_log_outbox into mission_logs (DESIGN §5 step 4): batches read through the
 * consumer group, one INSERT per batch, then acknowledgement. Entries a dead flusher left pending
 * are taken over after `reclaimIdleMs`. A mission's final row then runs its completion.
 */
export class OutboxFlusher {
  readonly consumer = `flusher-${randomUUID()}`;
  private lastReclaimAt = 0;
  /** A batch whose write failed (Postgres away): retried before anything new is read. */
  private unwritten: OutboxEntry[] = [];

  constructor(
    private readonly deps: EngineDeps,
    private readonly options: OutboxFlusherOptions = DEFAULT_OUTBOX_FLUSHER_OPTIONS,
  ) {}

  /** Writes one batch; returns how many entries it acknowledged. */
  async flushBatch(): Promise<number> {
    const entries = this.unwritten.length > 0 ? this.unwritten : await this.nextEntries();
    if (entries.length === 0) return 0;
    this.unwritten = entries;
    const rows: LogRow[] = [];
    const jsons: string[] = [];
    for (const entry of entries) {
      try {
        if (entry.row === '') continue;
        rows.push(parseLogRow(entry.row));
        jsons.push(entry.row);
      } catch (error) {
        // Unwritable forever; keeping it would block nothing but grow the outbox. Say so loudly.
        this.deps.logger?.error({ err: error, entryId: entry.id }, 'dropping a corrupt outbox entry');
      }
    }
    if (rows.length > 0) {
      await this.deps.db.query(INSERT_LOG_ROWS, [`[${jsons.join(',')}]`]);
      this.deps.metrics?.logRowsWritten.inc(rows.length);
    }
    for (const row of rows) {
      if (row.final) await completeMission(this.deps, row.missionId, row.final);
    }
    await this.deps.store.ackOutbox(entries.map((entry) => entry.id));
    this.unwritten = [];
    return entries.length;
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
