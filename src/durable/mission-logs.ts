import type { TickEffect } from '../game/index.js';
import type { Queryable } from './database.js';

/*
 * `mission_logs` as the engine and the CLI write and read it: the flusher's and the repair's inserts,
 * the effects a rebuild folds, the lines replay and repair compare. What viewers read of it is in
 * mission-history.ts. Append-only: nothing here updates or deletes a row.
 */

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

/** A logged tick's effects: what a rebuild folds onto the starting state. */
export interface LoggedTick {
  tick_index: number;
  effects: TickEffect[];
}

/** A mission_logs row as replay compares it. */
export interface DurableLogLine {
  tick_index: number;
  encounter_id: string;
  text: string;
  seed: string;
  /** The logged effects: the tick's inputs (choices) are read back from them, and an event mission's
   * contribution is compared. */
  effects?: TickEffect[];
}

/** A mission_logs row as the log repair reads it (to re-insert a lost one exactly). */
export interface RepairLogLine extends DurableLogLine {
  mission_id: string;
  modifiers: string[];
  effects: TickEffect[];
}

function byMission<Row extends { mission_id: string }>(rows: readonly Row[]): Map<string, Row[]> {
  const grouped = new Map<string, Row[]>();
  for (const row of rows) {
    const list = grouped.get(row.mission_id) ?? [];
    list.push(row);
    grouped.set(row.mission_id, list);
  }
  return grouped;
}

/** Each mission's logged effects in tick order, by mission id (missions without a line are absent). */
export async function loggedTicksOf(
  db: Queryable,
  missionIds: readonly string[],
): Promise<Map<string, LoggedTick[]>> {
  if (missionIds.length === 0) return new Map();
  const { rows } = await db.query<LoggedTick & { mission_id: string }>(
    `SELECT mission_id, tick_index, effects FROM mission_logs
      WHERE mission_id = ANY($1::bigint[]) ORDER BY mission_id, tick_index`,
    [missionIds],
  );
  return byMission(rows);
}

/** Each mission's full log lines in tick order, by mission id, as the repair needs them. */
export async function repairLogLinesOf(
  db: Queryable,
  missionIds: readonly string[],
): Promise<Map<string, RepairLogLine[]>> {
  if (missionIds.length === 0) return new Map();
  const { rows } = await db.query<RepairLogLine>(
    `SELECT mission_id, tick_index, encounter_id, text, seed, modifiers, effects FROM mission_logs
      WHERE mission_id = ANY($1::bigint[]) ORDER BY mission_id, tick_index`,
    [missionIds],
  );
  return byMission(rows);
}

/** One mission's log lines in tick order, as replay prints and compares them. */
export async function missionLogLines(db: Queryable, missionId: string): Promise<DurableLogLine[]> {
  const { rows } = await db.query<DurableLogLine>(
    `SELECT tick_index, encounter_id, text, seed, effects FROM mission_logs WHERE mission_id = $1 ORDER BY tick_index`,
    [missionId],
  );
  return rows;
}

// Ticks 1..n logged per mission; scheduled_at >= started_at lets Postgres skip older partitions.
const COUNT_LOGGED_TICKS = `
  SELECT f.id::text AS id,
         (SELECT count(DISTINCT l.tick_index)::int FROM mission_logs l
           WHERE l.mission_id = f.id AND l.tick_index BETWEEN 1 AND f.n AND l.scheduled_at >= f.s) AS logged
    FROM unnest($1::bigint[], $2::int[], $3::timestamptz[]) AS f(id, n, s)`;

/** How many of ticks 1..`upTo` each mission has in mission_logs, by mission id. */
export async function countLoggedTicks(
  db: Queryable,
  missions: readonly { id: string; upTo: number; startedAt: Date }[],
): Promise<Map<string, number>> {
  const { rows } = await db.query<{ id: string; logged: number }>(COUNT_LOGGED_TICKS, [
    missions.map((m) => m.id),
    missions.map((m) => m.upTo),
    missions.map((m) => m.startedAt),
  ]);
  return new Map(rows.map((c) => [c.id, c.logged]));
}

/**
 * Active missions, and missions that ended since $1, whose durable log has a gap (ticks up to the
 * highest logged one, or up to the result's count, are missing), or whose complete log shows them
 * ended while Postgres still says active (a completion that never ran). Counts come from the
 * mission_logs index alone; scheduled_at >= started_at lets Postgres skip the partitions before the
 * mission. An active mission's rows may land out of order for a moment (flushers write side by side,
 * a dead flusher's batch waits to be taken over): only rows logged before $3 count for it.
 */
const FIND_MISSIONS_TO_REPAIR = `
  WITH candidates AS (
    SELECT id, status, started_at, result FROM missions WHERE status = 'active'
    UNION ALL
    SELECT id, status, started_at, result FROM missions WHERE ended_at >= $1 AND status <> 'active'
  ), counted AS (
    SELECT c.id, c.status, c.started_at, l.logged, l.top,
           greatest(l.top, coalesce((c.result ->> 'ticks')::int, 0)) AS needed
      FROM candidates c
     CROSS JOIN LATERAL (
       SELECT count(DISTINCT tick_index)::int AS logged, coalesce(max(tick_index), 0)::int AS top
         FROM mission_logs l WHERE l.mission_id = c.id AND l.scheduled_at >= c.started_at
     ) l
  )
  SELECT id FROM counted c
   WHERE (c.logged < c.needed AND (c.status <> 'active' OR (
            SELECT count(DISTINCT tick_index) < max(tick_index) FROM mission_logs s
             WHERE s.mission_id = c.id AND s.scheduled_at >= c.started_at AND s.logged_at < $3)))
      OR (c.status = 'active' AND c.top > 0 AND EXISTS (
            SELECT 1 FROM mission_logs e
             WHERE e.mission_id = c.id AND e.tick_index = c.top AND e.scheduled_at >= c.started_at
               AND e.logged_at < $3 AND e.effects @> '[{"t":"end"}]'::jsonb))
   ORDER BY c.id
   LIMIT $2`;

/** The ids of the missions whose logs need a repair or a completion (see FIND_MISSIONS_TO_REPAIR). */
export async function findMissionsToRepair(
  db: Queryable,
  options: { endedSince: Date; settledBefore: Date; limit: number },
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(FIND_MISSIONS_TO_REPAIR, [
    options.endedSince,
    options.limit,
    options.settledBefore,
  ]);
  return rows.map((row) => row.id);
}
