import type { Queryable } from '../../src/durable/database.js';
import type { DurableLogLine } from '../../src/durable/mission-logs.js';
import { loadMissionRowsWithResults } from '../../src/durable/missions.js';
import { replayMission } from '../../src/engine/replay-mission.js';
import type { Content } from '../../src/game/index.js';

export interface LogAudit {
  missions: number;
  ended: number;
  ticks: number;
  /** Every way the durable log breaks its guarantees; empty when it keeps them all. */
  problems: string[];
}

/**
 * The engine's core guarantee, checked with SQL and a reference run: for every mission, tick indexes
 * 1..n each exactly once, and every line equal to what one process running the game alone produces.
 * With `requireEnded`, every mission must also have ended and logged all of its ticks.
 */
export async function auditMissionLogs(
  db: Queryable,
  content: Content,
  requireEnded = true,
): Promise<LogAudit> {
  const problems: string[] = [];
  const { rows: duplicates } = await db.query<{ mission_id: string; tick_index: number; copies: number }>(
    `SELECT mission_id, tick_index, count(*)::int AS copies FROM mission_logs
      GROUP BY mission_id, tick_index HAVING count(*) > 1 LIMIT 20`,
  );
  for (const d of duplicates)
    problems.push(`mission ${d.mission_id} tick ${d.tick_index} logged ${d.copies} times`);

  const { rows: ids } = await db.query<{ id: string }>('SELECT id::text FROM missions ORDER BY id');
  const missions = await loadMissionRowsWithResults(
    db,
    ids.map((row) => row.id),
  );
  const { rows: lines } = await db.query<DurableLogLine & { mission_id: string }>(
    `SELECT mission_id, tick_index, encounter_id, text, seed, effects FROM mission_logs ORDER BY mission_id, tick_index`,
  );
  const byMission = new Map<string, DurableLogLine[]>();
  for (const line of lines) {
    const list = byMission.get(line.mission_id) ?? [];
    list.push(line);
    byMission.set(line.mission_id, list);
  }
  let ended = 0;
  for (const mission of missions) {
    const logged = byMission.get(mission.id) ?? [];
    const isEnded = mission.status !== 'active';
    if (isEnded) ended++;
    else if (requireEnded) problems.push(`mission ${mission.id} is still active`);
    const replay = replayMission(mission, logged, content, { complete: isEnded });
    if (replay.firstDifference) {
      const d = replay.firstDifference;
      problems.push(
        `mission ${mission.id} differs at tick ${d.tick} (${d.field}): expected ${d.expected}, got ${d.actual}`,
      );
    }
    if (isEnded && mission.result?.ticks !== logged.length) {
      problems.push(
        `mission ${mission.id} ended after ${mission.result?.ticks} ticks but logged ${logged.length}`,
      );
    }
  }
  return { missions: missions.length, ended, ticks: lines.length, problems };
}

/** Survivors whose durable state contradicts their missions: on a mission that ended, or idle during one. */
export async function auditSurvivorStates(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ id: string; state: string; active: number }>(
    `SELECT s.id, s.state, count(m.id) FILTER (WHERE m.status = 'active')::int AS active
       FROM survivors s
       LEFT JOIN mission_participants p ON p.survivor_id = s.id
       LEFT JOIN missions m ON m.id = p.mission_id
      GROUP BY s.id, s.state`,
  );
  const problems: string[] = [];
  for (const row of rows) {
    if (row.active > 1) problems.push(`survivor ${row.id} is on ${row.active} active missions`);
    if (row.active === 1 && row.state !== 'on_mission')
      problems.push(`survivor ${row.id} is ${row.state} during a mission`);
    if (row.active === 0 && row.state === 'on_mission')
      problems.push(`survivor ${row.id} is on_mission with no active mission`);
  }
  return problems;
}
