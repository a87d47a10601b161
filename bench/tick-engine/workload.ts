import type { Queryable } from '../../src/durable/database.js';
import { missionRowsAfter } from '../../src/durable/missions.js';
import { type ActiveMissionRecord, scheduledAt } from '../../src/engine/active-mission-record.js';
import { initialState } from '../../src/engine/mission-rebuild.js';
import { type Content, createSurvivor } from '../../src/game/index.js';

/** The same workload for every system: N solo missions at one cadence, their first ticks spread evenly. */
export interface Workload {
  missions: number;
  /** Time between two ticks of a mission, in ms. @default 5000 */
  intervalMs: number;
  /** When the first mission's first tick is due, ms since the epoch; the rest follow evenly over one interval. */
  firstTickAt: number;
  /** How long the load is measured, in ms, from firstTickAt. */
  durationMs: number;
}

// Long enough never to end inside a window; easy enough (difficulty 1 in the suburbs) that almost no
// party dies in one. A mission that does end is completed by each system and excluded from what is due.
export const BENCH_LENGTH_TICKS = 10_000;
export const BENCH_LOCATION = 'maple-row-suburbs';
export const BENCH_DIFFICULTY = 1;
const SURVIVOR_TEMPLATES = 16;
const READ_CHUNK = 10_000;

/** Mission g (1-based) starts one interval before its first tick, which is spread over [firstTickAt, +interval). */
function startOffsetMs(workload: Workload): string {
  return `floor((g - 1)::float8 * ${workload.intervalMs} / ${workload.missions})::int - ${workload.intervalMs}`;
}

/**
 * Creates users, survivors, missions and participants in four set-based statements. Needs a fresh
 * database: mission g, its user and its survivor all get id g.
 */
export async function seedMissions(db: Queryable, content: Content, workload: Workload): Promise<void> {
  const templates = Array.from({ length: SURVIVOR_TEMPLATES }, (_, k) =>
    createSurvivor({ id: '0', name: `Runner ${k + 1}`, seed: `bench-${k}` }),
  );
  const n = workload.missions;
  await db.query(
    `INSERT INTO users (opaque_user_id) SELECT 'bench-' || g FROM generate_series(1, $1::int) AS g`,
    [n],
  );
  await db.query(
    `INSERT INTO survivors (user_id, name, attributes, health, max_health, stamina, max_stamina, level, xp,
                            perk_slots, perks, state)
     SELECT g, t->>'name', t->'attributes', (t->>'health')::int, (t->>'maxHealth')::int, (t->>'stamina')::int,
            (t->>'maxStamina')::int, 1, 0, (t->>'perkSlots')::smallint, '{}', 'on_mission'
       FROM generate_series(1, $1::int) AS g, LATERAL (SELECT $2::jsonb -> (g % ${SURVIVOR_TEMPLATES})) AS s(t)`,
    [n, JSON.stringify(templates)],
  );
  await db.query(
    `INSERT INTO missions (channel_id, kind, location, difficulty, seed, content_version, status, length_ticks,
                           tick_interval_ms, start_snapshot, created_at, started_at)
     SELECT 'bench', 'solo', $2, $3, (g::bigint * 2654435761)::text, $4, 'active', $5::int, $6::int,
            jsonb_build_object(
              'party', jsonb_build_array(($7::jsonb -> (g % ${SURVIVOR_TEMPLATES})) || jsonb_build_object('id', g::text)),
              'members', jsonb_build_array(jsonb_build_object('userId', g::text, 'survivorId', g::text)),
              'length', $5::int),
            now(),
            $8::timestamptz + make_interval(secs => (${startOffsetMs(workload)}) / 1000.0)
       FROM generate_series(1, $1::int) AS g`,
    [
      n,
      BENCH_LOCATION,
      BENCH_DIFFICULTY,
      content.version,
      BENCH_LENGTH_TICKS,
      workload.intervalMs,
      JSON.stringify(templates),
      new Date(workload.firstTickAt),
    ],
  );
  await db.query(
    `INSERT INTO mission_participants (mission_id, survivor_id, user_id, slot)
     SELECT g, g, g, 0 FROM generate_series(1, $1::int) AS g`,
    [n],
  );
  const { rows } = await db.query<{ n: number }>(`SELECT max(id)::int AS n FROM missions`);
  if (rows[0]?.n !== n) throw new Error('seedMissions needs a fresh database (mission ids 1..N)');
}

/**
 * The engine's record of every seeded mission at tick 0 — the same record start-mission writes — built
 * from the stored rows with the engine's own initialState, handed over a chunk at a time.
 */
export async function forEachInitialRecord(
  db: Queryable,
  content: Content,
  handle: (records: ActiveMissionRecord[]) => Promise<void>,
): Promise<void> {
  for (let after = 0; ; after += READ_CHUNK) {
    const rows = await missionRowsAfter(db, String(after), READ_CHUNK);
    if (rows.length === 0) return;
    const records = rows.map((mission): ActiveMissionRecord => {
      const startedAt = mission.started_at.getTime();
      const intervalMs = mission.tick_interval_ms;
      return {
        tick: 0,
        id: mission.id,
        channelId: mission.channel_id,
        kind: mission.kind,
        startedAt,
        intervalMs,
        nextTickAt: scheduledAt({ startedAt, intervalMs }, 1),
        members: mission.start_snapshot.members,
        state: initialState(mission, content),
        recent: [],
      };
    });
    await handle(records);
  }
}
