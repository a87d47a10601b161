import type { Queryable } from './database.js';

/** The season's boards: missions survived, deepest difficulty held, loot brought home. */
export const SEASON_METRICS = ['survived', 'deepest', 'loot'] as const;
export type SeasonMetric = (typeof SEASON_METRICS)[number];

/** One viewer's line on a board: their survivors' names, never their user id (kept for `mine`). */
export interface SeasonEntry {
  userId: string;
  names: string;
  value: number;
}

export interface SeasonStanding {
  /** Missions of the channel held out (succeeded) in the season: the channel goal meter. */
  missionsHeld: number;
  boards: Record<SeasonMetric, SeasonEntry[]>;
}

/**
 * A viewer's season in a channel, from durable results only: every mission of the channel that ended
 * in [startsAt, endsAt), counted for each viewer who took part (a group's loot counts for each member,
 * as on the leaderboard). One statement; each board is ordered and cut in Postgres.
 */
const SEASON_SQL = `
  WITH played AS (
    SELECT p.user_id, m.status, m.difficulty, s.name,
           -- Results from before items existed have no lootValue: their loot was their supplies.
           coalesce((m.result ->> 'lootValue')::int, (m.result ->> 'supplies')::int, 0) AS loot
      FROM missions m
      JOIN mission_participants p ON p.mission_id = m.id
      JOIN survivors s ON s.id = p.survivor_id
     WHERE m.channel_id = $1 AND m.status <> 'active'
       AND m.ended_at >= to_timestamp($2::float8 / 1000) AND m.ended_at < to_timestamp($3::float8 / 1000)
  ), viewers AS (
    SELECT user_id::text, string_agg(DISTINCT name, ', ') AS names,
           count(*) FILTER (WHERE status = 'succeeded')::int AS survived,
           coalesce(max(difficulty) FILTER (WHERE status = 'succeeded'), 0)::int AS deepest,
           coalesce(sum(loot), 0)::int AS loot
      FROM played GROUP BY user_id
  )
  (SELECT 'survived' AS board, user_id, names, survived AS value FROM viewers WHERE survived > 0
    ORDER BY survived DESC, user_id LIMIT $4)
  UNION ALL
  (SELECT 'deepest', user_id, names, deepest FROM viewers WHERE deepest > 0
    ORDER BY deepest DESC, survived DESC, user_id LIMIT $4)
  UNION ALL
  (SELECT 'loot', user_id, names, loot FROM viewers WHERE loot > 0 ORDER BY loot DESC, user_id LIMIT $4)`;

export async function seasonStanding(
  db: Queryable,
  channelId: string,
  window: { startsAt: number; endsAt: number },
  limit: number,
): Promise<SeasonStanding> {
  const [{ rows }, held] = await Promise.all([
    db.query<{ board: SeasonMetric; user_id: string; names: string; value: number }>(SEASON_SQL, [
      channelId,
      window.startsAt,
      window.endsAt,
      limit,
    ]),
    db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM missions
        WHERE channel_id = $1 AND status = 'succeeded'
          AND ended_at >= to_timestamp($2::float8 / 1000) AND ended_at < to_timestamp($3::float8 / 1000)`,
      [channelId, window.startsAt, window.endsAt],
    ),
  ]);
  const boards: SeasonStanding['boards'] = { survived: [], deepest: [], loot: [] };
  for (const r of rows) boards[r.board].push({ userId: r.user_id, names: r.names, value: r.value });
  return { missionsHeld: held.rows[0]?.n ?? 0, boards };
}
