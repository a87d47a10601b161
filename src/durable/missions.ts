import type { ChannelEventKind } from '../game/channel-event.js';
import type { MissionResult, Survivor } from '../game/index.js';
import type { Queryable } from './database.js';

/*
 * The `missions` and `mission_participants` tables as the engine and the CLI write and read them
 * (starting, completing, rebuilding, repairing, replaying). What viewers read of them (a mission's
 * summary, a survivor's history) is in mission-history.ts.
 */

/** A mission's member: who sent which survivor. */
export interface MissionMemberRow {
  userId: string;
  survivorId: string;
}

/** What a mission started from, `missions.start_snapshot`: replay and rebuilds start here. */
export interface StartSnapshot {
  party: Survivor[];
  members: MissionMemberRow[];
}

/** A missions row as rebuilding, repair and replay need it. */
export interface MissionRow {
  id: string;
  channel_id: string;
  kind: 'solo' | 'group';
  location: string;
  difficulty: number;
  seed: string;
  content_version: string;
  status: string;
  length_ticks: number;
  tick_interval_ms: number;
  start_snapshot: StartSnapshot;
  started_at: Date;
  /** A channel event's mission: the event, its kind and its shared seed; null otherwise. */
  event_id: string | null;
  event_kind: ChannelEventKind | null;
  event_seed: string | null;
}

// Selected FROM missions without an alias: the event's columns are read through missions.event_id.
const MISSION_ROW_COLUMNS = `id, channel_id, kind, location, difficulty, seed, content_version, status, length_ticks,
  tick_interval_ms, start_snapshot, started_at, event_id::text,
  (SELECT e.kind FROM channel_events e WHERE e.id = missions.event_id) AS event_kind,
  (SELECT e.seed FROM channel_events e WHERE e.id = missions.event_id) AS event_seed`;

/** These missions' rows, in id order; unknown ids are left out. */
export async function loadMissionRows(db: Queryable, missionIds: readonly string[]): Promise<MissionRow[]> {
  if (missionIds.length === 0) return [];
  const { rows } = await db.query<MissionRow>(
    `SELECT ${MISSION_ROW_COLUMNS} FROM missions WHERE id = ANY($1::bigint[]) ORDER BY id`,
    [missionIds],
  );
  return rows;
}

/** These missions' rows with their result (null while active), in id order. */
export async function loadMissionRowsWithResults(
  db: Queryable,
  missionIds: readonly string[],
): Promise<(MissionRow & { result: MissionResult | null })[]> {
  if (missionIds.length === 0) return [];
  const { rows } = await db.query<MissionRow & { result: MissionResult | null }>(
    `SELECT ${MISSION_ROW_COLUMNS}, result FROM missions WHERE id = ANY($1::bigint[]) ORDER BY id`,
    [missionIds],
  );
  return rows;
}

/** Up to `limit` missions' rows with ids above `afterId`, in id order: a whole table read a page at a time. */
export async function missionRowsAfter(db: Queryable, afterId: string, limit: number): Promise<MissionRow[]> {
  const { rows } = await db.query<MissionRow>(
    `SELECT ${MISSION_ROW_COLUMNS} FROM missions WHERE id > $1::bigint ORDER BY id LIMIT $2`,
    [afterId, limit],
  );
  return rows;
}

/** The ids of every mission Postgres holds active. */
export async function activeMissionIds(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM missions WHERE status = 'active'`);
  return rows.map((row) => row.id);
}

/** Those of `missionIds` that are active now (ids must be durable ids: digits). */
export async function whichMissionsActive(
  db: Queryable,
  missionIds: readonly string[],
): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM missions WHERE id = ANY($1::bigint[]) AND status = 'active'`,
    [missionIds],
  );
  return new Set(rows.map((row) => row.id));
}

/** A mission's status, or null when there is no such mission. */
export async function missionStatus(db: Queryable, missionId: string): Promise<string | null> {
  const { rows } = await db.query<{ status: string }>('SELECT status FROM missions WHERE id = $1', [
    missionId,
  ]);
  return rows[0]?.status ?? null;
}

export interface NewMission {
  channelId: string;
  kind: 'solo' | 'group';
  location: string;
  difficulty: number;
  seed: string;
  contentVersion: string;
  lengthTicks: number;
  tickIntervalMs: number;
  snapshot: StartSnapshot & { length: number };
  /** ms since the epoch: both created_at and started_at. */
  startedAt: number;
  /** The members, in slot order: slot 0 is the first. */
  members: readonly MissionMemberRow[];
}

/** Inserts an active mission and its participants (inside the caller's transaction); returns its id. */
export async function insertMission(tx: Queryable, mission: NewMission): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO missions (channel_id, kind, location, difficulty, seed, content_version, status, length_ticks,
                           tick_interval_ms, start_snapshot, created_at, started_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8, $9, $10, $10) RETURNING id`,
    [
      mission.channelId,
      mission.kind,
      mission.location,
      mission.difficulty,
      mission.seed,
      mission.contentVersion,
      mission.lengthTicks,
      mission.tickIntervalMs,
      JSON.stringify(mission.snapshot),
      new Date(mission.startedAt),
    ],
  );
  const missionId = rows[0]!.id;
  await tx.query(
    `INSERT INTO mission_participants (mission_id, survivor_id, user_id, slot)
     SELECT $1, s, u, o - 1 FROM unnest($2::bigint[], $3::bigint[]) WITH ORDINALITY AS p(s, u, o)`,
    [missionId, mission.members.map((m) => m.survivorId), mission.members.map((m) => m.userId)],
  );
  return missionId;
}

/** One participant's solo mission of a channel event. */
export interface NewEventMission {
  /** Unique within the launch: how the inserted ids are matched back. */
  seed: string;
  snapshot: StartSnapshot & { length: number };
  /** ms since the epoch. */
  startedAt: number;
  member: MissionMemberRow;
}

/**
 * Inserts a channel event's solo missions and their participants in two statements (thousands at a
 * launch); returns each new mission's id by its seed.
 */
export async function insertEventMissions(
  tx: Queryable,
  event: {
    id: string;
    channelId: string;
    location: string;
    difficulty: number;
    lengthTicks: number;
    tickIntervalMs: number;
    contentVersion: string;
    /** ms since the epoch: the missions' created_at. */
    launchedAt: number;
  },
  missions: readonly NewEventMission[],
): Promise<Map<string, string>> {
  const { rows: inserted } = await tx.query<{ id: string; seed: string }>(
    `INSERT INTO missions (channel_id, kind, location, difficulty, seed, content_version, status, length_ticks,
                           tick_interval_ms, start_snapshot, created_at, started_at, event_id)
     SELECT $1, 'solo', $2, $3, m ->> 'seed', $4, 'active', $5, $6, m -> 'snapshot',
            to_timestamp($7::float8 / 1000), to_timestamp((m ->> 'startedAt')::float8 / 1000), $8
       FROM jsonb_array_elements($9::jsonb) AS p(m)
     RETURNING id::text, seed`,
    [
      event.channelId,
      event.location,
      event.difficulty,
      event.contentVersion,
      event.lengthTicks,
      event.tickIntervalMs,
      event.launchedAt,
      event.id,
      JSON.stringify(missions.map((m) => ({ seed: m.seed, snapshot: m.snapshot, startedAt: m.startedAt }))),
    ],
  );
  const missionBySeed = new Map(inserted.map((r) => [r.seed, r.id]));
  await tx.query(
    `INSERT INTO mission_participants (mission_id, survivor_id, user_id, slot)
     SELECT m, s, u, 0 FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS p(m, s, u)`,
    [
      missions.map((m) => missionBySeed.get(m.seed)!),
      missions.map((m) => m.member.survivorId),
      missions.map((m) => m.member.userId),
    ],
  );
  return missionBySeed;
}

/** A mission row as its completion reads it, under its row lock. */
export interface CompletingMissionRow {
  id: string;
  result: MissionResult | null;
  status: string;
  start_snapshot: StartSnapshot;
  channel_id: string;
  kind: 'solo' | 'group';
  started_at: Date;
  tick_interval_ms: number;
}

/** Locks these missions' rows in id order (FOR UPDATE) and reads what completing them needs. */
export async function lockMissionsForCompletion(
  tx: Queryable,
  missionIds: readonly string[],
): Promise<CompletingMissionRow[]> {
  const { rows } = await tx.query<CompletingMissionRow>(
    `SELECT id::text, status, result, start_snapshot, channel_id, kind, started_at, tick_interval_ms
       FROM missions WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`,
    [missionIds],
  );
  return rows;
}

/** Ends these missions with their results, at `endedAt` (ms since the epoch). */
export async function recordMissionResults(
  tx: Queryable,
  ended: readonly { missionId: string; result: MissionResult }[],
  endedAt: number,
): Promise<void> {
  await tx.query(
    `UPDATE missions m SET status = f.status, result = f.result::jsonb, ended_at = $4
       FROM unnest($1::bigint[], $2::text[], $3::text[]) AS f(id, status, result)
      WHERE m.id = f.id`,
    [
      ended.map((e) => e.missionId),
      ended.map((e) => e.result.status),
      ended.map((e) => JSON.stringify(e.result)),
      new Date(endedAt),
    ],
  );
}
