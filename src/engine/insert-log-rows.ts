import type { Queryable } from '../durable/database.js';

// One statement per batch; the unique key (mission, tick, scheduled time) makes a retried row a no-op.
// The rows go in as they are (a JSON array of LogRow): no second serialization in the hot path.
const INSERT_LOG_ROWS = `
  INSERT INTO mission_logs (mission_id, tick_index, scheduled_at, ticked_at, encounter_id, text, seed, modifiers, effects)
  SELECT r."missionId", r.tick, to_timestamp(r."scheduledAt" / 1000.0), to_timestamp(r."tickedAt" / 1000.0),
         r."encounterId", r.text, r.seed, r.modifiers, r.effects
    FROM jsonb_to_recordset($1::jsonb) AS r("missionId" bigint, tick integer, "scheduledAt" bigint,
         "tickedAt" bigint, "encounterId" text, text text, seed text, modifiers text[], effects jsonb)
  ON CONFLICT DO NOTHING`;

/**
 * Appends log rows (each a LogRow serialized as JSON) to mission_logs in one statement, with
 * ON CONFLICT DO NOTHING: the outbox flusher and the log repair both write through here.
 * Returns how many rows were new.
 */
export async function insertLogRows(db: Queryable, rowJsons: readonly string[]): Promise<number> {
  if (rowJsons.length === 0) return 0;
  const { rowCount } = await db.query(INSERT_LOG_ROWS, [`[${rowJsons.join(',')}]`]);
  return rowCount;
}
