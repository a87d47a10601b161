import {
  advanceRecord,
  parseActiveMissionRecord,
  scheduledAt,
  serializeRecord,
} from '../../src/engine/active-mission-record.js';
import { type LogRow, logRowFor } from '../../src/engine/log-row.js';
import { type Content, simulateTick } from '../../src/game/index.js';

/** What a peer does with one mission's state: the engine's own rules, record format and log row. */
export interface PeerTick {
  recordJson: string;
  row: LogRow;
  /** When the next tick is due (ms), or null once the mission has ended. */
  nextTickAt: number | null;
  /** The tick that ran. */
  tick: number;
}

export function tickRecord(json: string, content: Content): PeerTick {
  const record = parseActiveMissionRecord(json);
  const { state, log } = simulateTick(record.state, content);
  const tickedAt = Date.now();
  const next = advanceRecord(record, state, log, tickedAt);
  return {
    recordJson: serializeRecord(next),
    row: logRowFor(record.id, log, scheduledAt(record, log.tick), tickedAt, state),
    nextTickAt: next.nextTickAt,
    tick: log.tick,
  };
}

/** A pg pool or client. */
export interface SqlClient {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

/** One log row, one statement: what a job handler without batching writes per tick. */
export async function insertLogRow(db: SqlClient, row: LogRow): Promise<void> {
  await db.query(
    `INSERT INTO mission_logs (mission_id, tick_index, scheduled_at, ticked_at, encounter_id, text, seed, modifiers, effects)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      row.missionId,
      row.tick,
      new Date(row.scheduledAt),
      new Date(row.tickedAt),
      row.encounterId,
      row.text,
      row.seed,
      row.modifiers,
      JSON.stringify(row.effects),
    ],
  );
}

/** A peer's stand-in for the completion: the mission is marked ended with how many ticks it ran. */
export async function endMission(db: SqlClient, tick: PeerTick): Promise<void> {
  await db.query(
    `UPDATE missions SET status = $2, result = jsonb_build_object('ticks', $3::int), ended_at = now() WHERE id = $1`,
    [tick.row.missionId, tick.row.final?.status ?? 'failed', tick.tick],
  );
}
