import type { RawChannelEvent } from './channel-events.js';
import type { Queryable } from './database.js';

/*
 * A channel event's run in Postgres, from its launch to its finish: what the engine's launch, keeper,
 * finish and meter rebuild write and read, each inside the caller's transaction where it has one.
 */

/** An event as its launch reads it, under its row lock. */
export type LaunchingEvent = Pick<
  RawChannelEvent,
  | 'id'
  | 'channel_id'
  | 'kind'
  | 'location'
  | 'difficulty'
  | 'seed'
  | 'status'
  | 'length_ticks'
  | 'tick_interval_ms'
>;

/** Locks an event's row (FOR UPDATE) for its launch; null when there is none. */
export async function lockEventForLaunch(tx: Queryable, eventId: string): Promise<LaunchingEvent | null> {
  const { rows } = await tx.query<LaunchingEvent>(
    `SELECT id::text, channel_id, kind, location, difficulty, seed, status, length_ticks, tick_interval_ms
       FROM channel_events WHERE id = $1 FOR UPDATE`,
    [eventId],
  );
  return rows[0] ?? null;
}

/** Everyone signed up, by user id: who goes with which survivor. */
export async function eventSignups(
  tx: Queryable,
  eventId: string,
): Promise<{ user_id: string; survivor_id: string }[]> {
  const { rows } = await tx.query<{ user_id: string; survivor_id: string }>(
    'SELECT user_id::text, survivor_id::text FROM event_participants WHERE event_id = $1 ORDER BY user_id',
    [eventId],
  );
  return rows;
}

/** Links each launched participant (by user id) to their mission. */
export async function linkParticipantMissions(
  tx: Queryable,
  eventId: string,
  launched: readonly { userId: string; missionId: string }[],
): Promise<void> {
  await tx.query(
    `UPDATE event_participants p SET mission_id = l.m
       FROM unnest($2::bigint[], $3::bigint[]) AS l(u, m)
      WHERE p.event_id = $1 AND p.user_id = l.u`,
    [eventId, launched.map((l) => l.userId), launched.map((l) => l.missionId)],
  );
}

/** Marks a launched event running, with its shared goal, from `startedAt` (ms since the epoch). */
export async function markEventRunning(tx: Queryable, eventId: string, goal: number, startedAt: number) {
  await tx.query(
    `UPDATE channel_events SET status = 'running', goal = $2, started_at = to_timestamp($3::float8 / 1000)
      WHERE id = $1`,
    [eventId, goal, startedAt],
  );
}

/** Events still signing up whose window closed at or before `now` (ms since the epoch), in id order. */
export async function eventsDueToLaunch(db: Queryable, now: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id::text FROM channel_events
      WHERE status = 'signup' AND signup_ends_at <= to_timestamp($1::float8 / 1000) ORDER BY id`,
    [now],
  );
  return rows.map((row) => row.id);
}

/** Records that a running event reached its goal at `at` (ms); false if it had already, or is not running. */
export async function markGoalReached(db: Queryable, eventId: string, at: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE channel_events SET goal_reached_at = to_timestamp($2::float8 / 1000)
      WHERE id = $1 AND status = 'running' AND goal_reached_at IS NULL`,
    [eventId, at],
  );
  return rowCount > 0;
}

/** Every running event's goal and whether it was reached, in id order. */
export async function runningEventGoals(
  db: Queryable,
): Promise<{ id: string; goal: number; goal_reached: boolean }[]> {
  const { rows } = await db.query<{ id: string; goal: number; goal_reached: boolean }>(
    `SELECT id::text, goal, goal_reached_at IS NOT NULL AS goal_reached
       FROM channel_events WHERE status = 'running' ORDER BY id`,
  );
  return rows;
}

/** An event as its finish reads it, under its row lock. */
export type FinishingEvent = Pick<
  RawChannelEvent,
  'status' | 'goal' | 'channel_id' | 'kind' | 'location' | 'difficulty'
>;

/** Locks an event's row (FOR UPDATE) for its finish; null when there is none. */
export async function lockEventForFinish(tx: Queryable, eventId: string): Promise<FinishingEvent | null> {
  const { rows } = await tx.query<FinishingEvent>(
    'SELECT status, goal, channel_id, kind, location, difficulty FROM channel_events WHERE id = $1 FOR UPDATE',
    [eventId],
  );
  return rows[0] ?? null;
}

/** Participants who went (they have a mission), with their survivors' names, in the order they joined. */
export async function participantsWhoWent(
  tx: Queryable,
  eventId: string,
): Promise<{ user_id: string; survivor_id: string; name: string }[]> {
  const { rows } = await tx.query<{ user_id: string; survivor_id: string; name: string }>(
    `SELECT p.user_id::text, p.survivor_id::text, s.name
       FROM event_participants p JOIN survivors s ON s.id = p.survivor_id
      WHERE p.event_id = $1 AND p.mission_id IS NOT NULL
      ORDER BY p.joined_at, p.user_id`,
    [eventId],
  );
  return rows;
}

/** Locks, in id order, those of these survivors that are home (idle or recovering) and reads their XP. */
export async function lockSurvivorsHome(
  tx: Queryable,
  survivorIds: readonly string[],
): Promise<{ id: string; xp: number; perk_slots: number }[]> {
  const { rows } = await tx.query<{ id: string; xp: number; perk_slots: number }>(
    `SELECT id::text, xp, perk_slots FROM survivors
      WHERE id = ANY($1::bigint[]) AND state IN ('idle', 'recovering') ORDER BY id FOR UPDATE`,
    [survivorIds],
  );
  return rows;
}

/** Writes survivors' new XP, level and perk slots. */
export async function writeSurvivorXp(
  tx: Queryable,
  updates: readonly { id: string; xp: number; level: number; slots: number }[],
): Promise<void> {
  await tx.query(
    `UPDATE survivors s SET xp = u.xp, level = u.level, perk_slots = u.slots
       FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[]) AS u(id, xp, level, slots)
      WHERE s.id = u.id`,
    [
      updates.map((u) => u.id),
      updates.map((u) => u.xp),
      updates.map((u) => u.level),
      updates.map((u) => u.slots),
    ],
  );
}

/** Records each participant's reward: contribution, rank, XP, and whether the XP was granted. */
export async function recordParticipantRewards(
  tx: Queryable,
  eventId: string,
  rewards: readonly { userId: string; contribution: number; rank: number; xp: number; applied: boolean }[],
): Promise<void> {
  await tx.query(
    `UPDATE event_participants p
        SET reward = jsonb_build_object('contribution', r.c, 'rank', r.k, 'xp', r.x, 'applied', r.a)
       FROM unnest($2::bigint[], $3::int[], $4::int[], $5::int[], $6::boolean[]) AS r(u, c, k, x, a)
      WHERE p.event_id = $1 AND p.user_id = r.u`,
    [
      eventId,
      rewards.map((r) => r.userId),
      rewards.map((r) => r.contribution),
      rewards.map((r) => r.rank),
      rewards.map((r) => r.xp),
      rewards.map((r) => r.applied),
    ],
  );
}

/** Ends an event with its outcome and result at `endedAt` (ms since the epoch). */
export async function recordEventResult(
  tx: Queryable,
  eventId: string,
  result: { outcome: string },
  endedAt: number,
): Promise<void> {
  await tx.query(
    `UPDATE channel_events SET status = $2, result = $3, ended_at = to_timestamp($4::float8 / 1000) WHERE id = $1`,
    [eventId, result.outcome, JSON.stringify(result), endedAt],
  );
}
