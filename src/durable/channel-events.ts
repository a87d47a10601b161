import type { ChannelEventKind } from '../game/channel-event.js';
import type { Queryable } from './database.js';

export type ChannelEventStatus = 'signup' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** The channel result of an ended event, kept in channel_events.result. */
export interface ChannelEventResult {
  outcome: 'succeeded' | 'failed' | 'cancelled';
  progress: number;
  goal: number;
  participants: number;
  top: { userId: string; survivorName: string; contribution: number }[];
  /**
   * The live meter (Redis) when the event ended, beside `progress` (the durable sum): equal unless
   * Redis lost the meter meanwhile; kept so that a drift would be seen. Null without a meter.
   */
  live?: number | null;
}

/** A channel event as stored. Times in ms since the epoch. */
export interface ChannelEventRecord {
  id: string;
  channelId: string;
  kind: ChannelEventKind;
  location: string;
  difficulty: number;
  seed: string;
  contentVersion: string;
  status: ChannelEventStatus;
  goal: number | null;
  lengthTicks: number;
  tickIntervalMs: number;
  openedBy: string;
  createdAt: number;
  signupEndsAt: number;
  startedAt: number | null;
  goalReachedAt: number | null;
  endedAt: number | null;
  result: ChannelEventResult | null;
  participants: number;
}

const ms = (column: string) => `(floor(extract(epoch FROM e.${column}) * 1000))::float8`;

export const EVENT_COLUMNS = `
  e.id::text, e.channel_id, e.kind, e.location, e.difficulty, e.seed, e.content_version, e.status, e.goal,
  e.length_ticks, e.tick_interval_ms, e.opened_by, ${ms('created_at')} AS created_at,
  ${ms('signup_ends_at')} AS signup_ends_at, ${ms('started_at')} AS started_at,
  ${ms('goal_reached_at')} AS goal_reached_at, ${ms('ended_at')} AS ended_at, e.result,
  (SELECT count(*)::int FROM event_participants p WHERE p.event_id = e.id) AS participants`;

export interface RawChannelEvent {
  id: string;
  channel_id: string;
  kind: ChannelEventKind;
  location: string;
  difficulty: number;
  seed: string;
  content_version: string;
  status: ChannelEventStatus;
  goal: number | null;
  length_ticks: number;
  tick_interval_ms: number;
  opened_by: string;
  created_at: number;
  signup_ends_at: number;
  started_at: number | null;
  goal_reached_at: number | null;
  ended_at: number | null;
  result: ChannelEventResult | null;
  participants: number;
}

export function toEventRecord(row: RawChannelEvent): ChannelEventRecord {
  return {
    id: row.id,
    channelId: row.channel_id,
    kind: row.kind,
    location: row.location,
    difficulty: row.difficulty,
    seed: row.seed,
    contentVersion: row.content_version,
    status: row.status,
    goal: row.goal,
    lengthTicks: row.length_ticks,
    tickIntervalMs: row.tick_interval_ms,
    openedBy: row.opened_by,
    createdAt: row.created_at,
    signupEndsAt: row.signup_ends_at,
    startedAt: row.started_at,
    goalReachedAt: row.goal_reached_at,
    endedAt: row.ended_at,
    result: row.result,
    participants: row.participants,
  };
}

export async function getChannelEvent(db: Queryable, eventId: string): Promise<ChannelEventRecord | null> {
  const { rows } = await db.query<RawChannelEvent>(
    `SELECT ${EVENT_COLUMNS} FROM channel_events e WHERE e.id = $1`,
    [eventId],
  );
  return rows[0] ? toEventRecord(rows[0]) : null;
}

/** The channel's open event (signing up or running), else its latest one, or null. */
export async function currentChannelEvent(
  db: Queryable,
  channelId: string,
): Promise<ChannelEventRecord | null> {
  const { rows } = await db.query<RawChannelEvent>(
    `SELECT ${EVENT_COLUMNS} FROM channel_events e WHERE e.channel_id = $1
      ORDER BY (e.status IN ('signup', 'running')) DESC, e.created_at DESC, e.id DESC LIMIT 1`,
    [channelId],
  );
  return rows[0] ? toEventRecord(rows[0]) : null;
}

export interface NewChannelEvent {
  channelId: string;
  kind: ChannelEventKind;
  location: string;
  difficulty: number;
  seed: string;
  contentVersion: string;
  lengthTicks: number;
  tickIntervalMs: number;
  openedBy: string;
  createdAt: number;
  signupEndsAt: number;
}

/** Inserts an event in sign-up; null when the channel already has an open one (the unique index says so). */
export async function insertChannelEvent(db: Queryable, event: NewChannelEvent): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO channel_events (channel_id, kind, location, difficulty, seed, content_version, length_ticks,
                                 tick_interval_ms, opened_by, created_at, signup_ends_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, to_timestamp($10::float8 / 1000), to_timestamp($11::float8 / 1000))
     ON CONFLICT (channel_id) WHERE status IN ('signup', 'running') DO NOTHING
     RETURNING id::text`,
    [
      event.channelId,
      event.kind,
      event.location,
      event.difficulty,
      event.seed,
      event.contentVersion,
      event.lengthTicks,
      event.tickIntervalMs,
      event.openedBy,
      event.createdAt,
      event.signupEndsAt,
    ],
  );
  return rows[0]?.id ?? null;
}

/** One participant of an event, with the survivor they committed. */
export interface EventParticipant {
  userId: string;
  survivorId: string;
  survivorName: string;
  missionId: string | null;
  joinedAt: number;
  reward: { contribution: number; rank: number; xp: number; applied: boolean } | null;
}

export async function listEventParticipants(
  db: Queryable,
  eventId: string,
  limit: number,
): Promise<EventParticipant[]> {
  const { rows } = await db.query<{
    user_id: string;
    survivor_id: string;
    name: string;
    mission_id: string | null;
    joined_at: number;
    reward: EventParticipant['reward'];
  }>(
    `SELECT p.user_id::text, p.survivor_id::text, s.name, p.mission_id::text,
            (floor(extract(epoch FROM p.joined_at) * 1000))::float8 AS joined_at, p.reward
       FROM event_participants p JOIN survivors s ON s.id = p.survivor_id
      WHERE p.event_id = $1 ORDER BY p.joined_at, p.user_id LIMIT $2`,
    [eventId, limit],
  );
  return rows.map((r) => ({
    userId: r.user_id,
    survivorId: r.survivor_id,
    survivorName: r.name,
    missionId: r.mission_id,
    joinedAt: r.joined_at,
    reward: r.reward,
  }));
}

export async function participantOf(
  db: Queryable,
  eventId: string,
  userId: string,
): Promise<EventParticipant | null> {
  const { rows } = await db.query<{
    survivor_id: string;
    name: string;
    mission_id: string | null;
    joined_at: number;
    reward: EventParticipant['reward'];
  }>(
    `SELECT p.survivor_id::text, s.name, p.mission_id::text,
            (floor(extract(epoch FROM p.joined_at) * 1000))::float8 AS joined_at, p.reward
       FROM event_participants p JOIN survivors s ON s.id = p.survivor_id
      WHERE p.event_id = $1 AND p.user_id = $2`,
    [eventId, userId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    userId,
    survivorId: r.survivor_id,
    survivorName: r.name,
    missionId: r.mission_id,
    joinedAt: r.joined_at,
    reward: r.reward,
  };
}

/**
 * The durable progress of an event: the sum of the goal effects its missions logged, in total and
 * per participant. This is the truth the live meter is rebuilt from and the result is decided on.
 */
export async function durableEventProgress(
  db: Queryable,
  eventId: string,
): Promise<{ total: number; byUser: Map<string, number> }> {
  const { rows } = await db.query<{ user_id: string; contribution: number }>(
    `SELECT p.user_id::text, COALESCE(sum((g.value ->> 'd')::int), 0)::int AS contribution
       FROM event_participants p
       JOIN mission_logs l ON l.mission_id = p.mission_id
       CROSS JOIN LATERAL jsonb_array_elements(l.effects) AS g(value)
      WHERE p.event_id = $1 AND g.value ->> 't' = 'goal'
      GROUP BY p.user_id`,
    [eventId],
  );
  const byUser = new Map(rows.map((r) => [r.user_id, r.contribution]));
  let total = 0;
  for (const r of rows) total += r.contribution;
  return { total, byUser };
}

/** The names of the survivors these users signed up to an event with, by user id. */
export async function participantSurvivorNames(
  db: Queryable,
  eventId: string,
  userIds: readonly string[],
): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const { rows } = await db.query<{ user_id: string; name: string }>(
    `SELECT p.user_id::text, s.name FROM event_participants p JOIN survivors s ON s.id = p.survivor_id
      WHERE p.event_id = $1 AND p.user_id = ANY($2::bigint[])`,
    [eventId, userIds],
  );
  return new Map(rows.map((r) => [r.user_id, r.name]));
}
