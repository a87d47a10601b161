import type { Queryable } from './database.js';

export interface UserRow {
  /** Internal id (bigint as a string). */
  id: string;
  opaqueUserId: string;
  twitchUserId: string | null;
}

const UPSERT_USER = `
  INSERT INTO users (opaque_user_id, twitch_user_id) VALUES ($1, $2)
  ON CONFLICT (opaque_user_id) DO UPDATE
    SET twitch_user_id = COALESCE(EXCLUDED.twitch_user_id, users.twitch_user_id)
    WHERE users.twitch_user_id IS DISTINCT FROM COALESCE(EXCLUDED.twitch_user_id, users.twitch_user_id)
  RETURNING id::text, opaque_user_id, twitch_user_id`;

const SELECT_USER = `SELECT id::text, opaque_user_id, twitch_user_id FROM users WHERE opaque_user_id = $1`;

interface RawUser {
  id: string;
  opaque_user_id: string;
  twitch_user_id: string | null;
}

const toUser = (row: RawUser): UserRow => ({
  id: row.id,
  opaqueUserId: row.opaque_user_id,
  twitchUserId: row.twitch_user_id,
});

/**
 * The user behind a Twitch opaque id, created on first sight. The Twitch user id is recorded once the
 * viewer shares their identity, and kept if a later token does not carry it.
 */
export async function ensureUser(
  db: Queryable,
  opaqueUserId: string,
  twitchUserId: string | null,
): Promise<UserRow> {
  const upserted = await db.query<RawUser>(UPSERT_USER, [opaqueUserId, twitchUserId]);
  if (upserted.rows[0]) return toUser(upserted.rows[0]);
  // Nothing to update (the row is already as wanted): DO UPDATE ... WHERE returned no row.
  const existing = await db.query<RawUser>(SELECT_USER, [opaqueUserId]);
  return toUser(existing.rows[0]!);
}

export async function findUser(db: Queryable, opaqueUserId: string): Promise<UserRow | null> {
  const result = await db.query<RawUser>(SELECT_USER, [opaqueUserId]);
  return result.rows[0] ? toUser(result.rows[0]) : null;
}

/** The internal id of the user who shared this Twitch user id, or null when none did. */
export async function userIdOfTwitchUser(db: Queryable, twitchUserId: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id::text FROM users WHERE twitch_user_id = $1 LIMIT 1',
    [twitchUserId],
  );
  return rows[0]?.id ?? null;
}

/**
 * Serializes a user's roster changes (the living-survivor limit, one lobby at a time) inside `tx`.
 * Taken before any survivor's lock, FOR NO KEY UPDATE: rows that merely reference the user (a
 * mission's participants) still go in meanwhile (the lock order: transaction-retry.ts).
 */
export async function lockUser(tx: Queryable, userId: string): Promise<void> {
  await tx.query('SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
}
