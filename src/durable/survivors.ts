import type { Attributes, LifecycleState, Survivor } from '../game/index.js';
import type { Queryable } from './database.js';

/** A survivor as stored: the game's Survivor plus what only the durable record keeps. */
export interface SurvivorRecord extends Survivor {
  userId: string;
  /** Perk ids offered by the last level-up, not yet taken. */
  perkOffers: string[];
  /** The lobby an in_lobby survivor waits in; null otherwise. */
  lobbyId: string | null;
  createdAt: number;
  diedAt: number | null;
  retiredAt: number | null;
}

const ms = (column: string) => `(floor(extract(epoch FROM ${column}) * 1000))::float8`;

const COLUMNS = `
  id::text, user_id::text, name, attributes, health, max_health, stamina, max_stamina, level, xp,
  perk_slots, perks, perk_offers, state, ${ms('state_until')} AS state_until,
  CASE WHEN state = 'in_lobby' THEN lobby_id END AS lobby_id,
  ${ms('created_at')} AS created_at, ${ms('died_at')} AS died_at, ${ms('retired_at')} AS retired_at`;

interface RawSurvivor {
  id: string;
  user_id: string;
  name: string;
  attributes: Attributes;
  health: number;
  max_health: number;
  stamina: number;
  max_stamina: number;
  level: number;
  xp: number;
  perk_slots: number;
  perks: string[];
  perk_offers: string[];
  state: LifecycleState;
  state_until: number | null;
  lobby_id: string | null;
  created_at: number;
  died_at: number | null;
  retired_at: number | null;
}

function toRecord(row: RawSurvivor): SurvivorRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    attributes: row.attributes,
    health: row.health,
    maxHealth: row.max_health,
    stamina: row.stamina,
    maxStamina: row.max_stamina,
    level: row.level,
    xp: row.xp,
    perkSlots: row.perk_slots,
    perks: row.perks,
    perkOffers: row.perk_offers,
    state: row.state,
    stateUntil: row.state_until,
    lobbyId: row.lobby_id,
    createdAt: row.created_at,
    diedAt: row.died_at,
    retiredAt: row.retired_at,
  };
}

/** How long a fallen survivor stays on its owner's roster before only history shows it, in ms. */
const FALLEN_VISIBLE_MS = 24 * 60 * 60 * 1000;

const LIST_ROSTER = `
  SELECT ${COLUMNS} FROM survivors
  WHERE user_id = $1 AND (state <> 'dead' OR died_at > now() - make_interval(secs => $2::float8 / 1000))
  ORDER BY (state = 'dead'), id`;

/** The living survivors of a user, then those fallen in the last day. */
export async function listRoster(db: Queryable, userId: string): Promise<SurvivorRecord[]> {
  const result = await db.query<RawSurvivor>(LIST_ROSTER, [userId, FALLEN_VISIBLE_MS]);
  return result.rows.map(toRecord);
}

export async function countLivingSurvivors(db: Queryable, userId: string): Promise<number> {
  const result = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM survivors WHERE user_id = $1 AND state <> 'dead'`,
    [userId],
  );
  return result.rows[0]?.n ?? 0;
}

const INSERT_SURVIVOR = `
  INSERT INTO survivors (user_id, name, attributes, health, max_health, stamina, max_stamina, level, xp,
                         perk_slots, perks, state, perk_offers)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
  RETURNING ${COLUMNS}`;

/** Inserts a new survivor (its `id` is ignored: the database assigns it) with its first perk offers. */
export async function insertSurvivor(
  db: Queryable,
  userId: string,
  s: Survivor,
  perkOffers: readonly string[] = [],
): Promise<SurvivorRecord> {
  const result = await db.query<RawSurvivor>(INSERT_SURVIVOR, [
    userId,
    s.name,
    JSON.stringify(s.attributes),
    s.health,
    s.maxHealth,
    s.stamina,
    s.maxStamina,
    s.level,
    s.xp,
    s.perkSlots,
    s.perks,
    s.state,
    perkOffers,
  ]);
  return toRecord(result.rows[0]!);
}

/** A user's survivor, locked for the rest of `tx`; null if it does not exist or belongs to someone else. */
export async function lockOwnSurvivor(
  tx: Queryable,
  userId: string,
  survivorId: string,
): Promise<SurvivorRecord | null> {
  const result = await tx.query<RawSurvivor>(
    `SELECT ${COLUMNS} FROM survivors WHERE id = $1 AND user_id = $2 FOR NO KEY UPDATE`,
    [survivorId, userId],
  );
  return result.rows[0] ? toRecord(result.rows[0]) : null;
}

/**
 * Survivors by id, locked for the rest of `tx` in id order (so that two lockers cannot deadlock), FOR
 * NO KEY UPDATE: a survivor's id never changes, and rows referencing it may go in meanwhile.
 */
export async function lockSurvivors(
  tx: Queryable,
  survivorIds: readonly string[],
): Promise<SurvivorRecord[]> {
  const result = await tx.query<RawSurvivor>(
    `SELECT ${COLUMNS} FROM survivors WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE`,
    [survivorIds],
  );
  return result.rows.map(toRecord);
}

export async function findOwnSurvivor(
  db: Queryable,
  userId: string,
  survivorId: string,
): Promise<SurvivorRecord | null> {
  const result = await db.query<RawSurvivor>(
    `SELECT ${COLUMNS} FROM survivors WHERE id = $1 AND user_id = $2`,
    [survivorId, userId],
  );
  return result.rows[0] ? toRecord(result.rows[0]) : null;
}

export async function renameSurvivor(
  tx: Queryable,
  survivorId: string,
  name: string,
): Promise<SurvivorRecord> {
  const result = await tx.query<RawSurvivor>(
    `UPDATE survivors SET name = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
    [survivorId, name],
  );
  return toRecord(result.rows[0]!);
}

export async function setSurvivorPerks(
  tx: Queryable,
  survivorId: string,
  change: Pick<SurvivorRecord, 'perks' | 'perkOffers'>,
): Promise<SurvivorRecord> {
  const result = await tx.query<RawSurvivor>(
    `UPDATE survivors SET perks = $2, perk_offers = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
    [survivorId, change.perks, change.perkOffers],
  );
  return toRecord(result.rows[0]!);
}

/** Retirement is death by the player's choice: kept for history, never deleted. */
export async function retireSurvivor(tx: Queryable, survivorId: string): Promise<SurvivorRecord> {
  const result = await tx.query<RawSurvivor>(
    `UPDATE survivors SET state = 'dead', state_until = NULL, died_at = now(), retired_at = now()
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [survivorId],
  );
  return toRecord(result.rows[0]!);
}

/**
 * Ends every recovery of `userId` that is over: such a survivor has rested, so it is idle with full
 * health and stamina: the game's rule (game/lifecycle.ts wakeIfRecovered), written in SQL so that one
 * statement wakes them all. Returns how many woke up.
 */
export async function wakeRecoveredSurvivors(db: Queryable, userId: string, now: number): Promise<number> {
  const result = await db.query(
    // Locked in id order first, like every multi-row change of survivors (transaction-retry.ts).
    `UPDATE survivors SET state = 'idle', state_until = NULL, health = max_health, stamina = max_stamina
     WHERE id IN (SELECT id FROM survivors
                  WHERE user_id = $1 AND state = 'recovering' AND state_until <= to_timestamp($2::float8 / 1000)
                  ORDER BY id FOR NO KEY UPDATE)
       AND state = 'recovering' AND state_until <= to_timestamp($2::float8 / 1000)`,
    [userId, now],
  );
  return result.rowCount;
}

/** Back home, healed and rested, now: a revive or a recovery bought with supplies. Inside `tx`, after locking it. */
export async function restoreSurvivor(tx: Queryable, survivorId: string): Promise<SurvivorRecord> {
  const result = await tx.query<RawSurvivor>(
    `UPDATE survivors SET state = 'idle', state_until = NULL, died_at = NULL, health = max_health,
            stamina = max_stamina
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [survivorId],
  );
  return toRecord(result.rows[0]!);
}

/** idle → in_lobby, inside `tx` after lockOwnSurvivor. */
export async function moveSurvivorToLobby(tx: Queryable, survivorId: string, lobbyId: string): Promise<void> {
  await tx.query(`UPDATE survivors SET state = 'in_lobby', lobby_id = $2 WHERE id = $1 AND state = 'idle'`, [
    survivorId,
    lobbyId,
  ]);
}

/** Whether another survivor of this user already waits in a lobby (a viewer joins one lobby at a time). */
export async function userLobbyId(tx: Queryable, userId: string): Promise<string | null> {
  const result = await tx.query<{ lobby_id: string }>(
    `SELECT lobby_id FROM survivors WHERE user_id = $1 AND state = 'in_lobby' LIMIT 1`,
    [userId],
  );
  return result.rows[0]?.lobby_id ?? null;
}

/**
 * in_lobby → idle for the given survivors, only while they still wait in `lobbyId`. Returns the
 * owners of those released, so that their cached rosters can be dropped.
 */
export async function releaseSurvivorsFromLobby(
  db: Queryable,
  lobbyId: string,
  survivorIds: readonly string[] | null,
): Promise<string[]> {
  const result = await db.query<{ user_id: string }>(
    `UPDATE survivors SET state = 'idle', lobby_id = NULL
     WHERE id IN (SELECT id FROM survivors
                  WHERE state = 'in_lobby' AND lobby_id = $1 AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
                  ORDER BY id FOR NO KEY UPDATE)
       AND state = 'in_lobby' AND lobby_id = $1
     RETURNING user_id::text`,
    [lobbyId, survivorIds],
  );
  return [...new Set(result.rows.map((r) => r.user_id))];
}

/** The distinct lobbies survivors wait in, oldest first (for the sweeper), at most `limit`. */
export async function lobbiesWithSurvivors(db: Queryable, limit: number): Promise<string[]> {
  const result = await db.query<{ lobby_id: string }>(
    `SELECT DISTINCT lobby_id FROM survivors WHERE state = 'in_lobby' AND lobby_id IS NOT NULL LIMIT $1`,
    [limit],
  );
  return result.rows.map((r) => r.lobby_id);
}

/** For each survivor on a mission, the id of that active mission. */
export async function activeMissionsOf(
  db: Queryable,
  survivorIds: readonly string[],
): Promise<Map<string, string>> {
  if (survivorIds.length === 0) return new Map();
  const result = await db.query<{ survivor_id: string; mission_id: string }>(
    `SELECT p.survivor_id::text, p.mission_id::text
     FROM mission_participants p JOIN missions m ON m.id = p.mission_id
     WHERE p.survivor_id = ANY($1::bigint[]) AND m.status = 'active'`,
    [survivorIds],
  );
  return new Map(result.rows.map((r) => [r.survivor_id, r.mission_id]));
}

/** For each survivor, its latest mission that ended after `since` (ms), so the panel can show its result. */
export async function recentlyEndedMissionsOf(
  db: Queryable,
  survivorIds: readonly string[],
  since: number,
): Promise<Map<string, string>> {
  if (survivorIds.length === 0) return new Map();
  const result = await db.query<{ survivor_id: string; mission_id: string }>(
    `SELECT DISTINCT ON (p.survivor_id) p.survivor_id::text, p.mission_id::text
     FROM mission_participants p JOIN missions m ON m.id = p.mission_id
     WHERE p.survivor_id = ANY($1::bigint[]) AND m.status <> 'active'
       AND m.ended_at > to_timestamp($2::float8 / 1000)
     ORDER BY p.survivor_id, m.ended_at DESC`,
    [survivorIds, since],
  );
  return new Map(result.rows.map((r) => [r.survivor_id, r.mission_id]));
}
