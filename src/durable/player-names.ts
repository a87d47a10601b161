import type { Queryable } from './database.js';

/** How a viewer is shown next to their survivors: their Twitch display name and a Bits title. */
export interface PlayerName {
  /** The Twitch display name; null until the viewer shares their identity and it has been fetched. */
  player: string | null;
  /** A cosmetic title bought with Bits; null without one. */
  playerTitle: string | null;
}

export const NO_PLAYER_NAME: PlayerName = { player: null, playerTitle: null };

/** The users_display_name check: 1–64 characters (Twitch's are at most 25). */
const MAX_DISPLAY_NAME_CHARS = 64;

export interface DueUser {
  /** Internal user id. */
  userId: string;
  twitchUserId: string;
}

/**
 * Users who shared their identity and whose display name was never fetched, or last fetched before
 * `staleBefore` (ms since the epoch): never-fetched first, then the oldest (users_display_name_due_idx).
 */
export async function usersDueForDisplayName(
  db: Queryable,
  staleBefore: number,
  limit: number,
): Promise<DueUser[]> {
  const { rows } = await db.query<{ id: string; twitch_user_id: string }>(
    `SELECT id::text, twitch_user_id FROM users
     WHERE twitch_user_id IS NOT NULL
       AND (display_name_checked_at IS NULL OR display_name_checked_at < to_timestamp($1::float8 / 1000))
     ORDER BY display_name_checked_at NULLS FIRST
     LIMIT $2`,
    [staleBefore, limit],
  );
  return rows.map((r) => ({ userId: r.id, twitchUserId: r.twitch_user_id }));
}

/** A display name as stored: Twitch's, or null when it is empty or longer than the column allows. */
export function storableDisplayName(name: string | undefined): string | null {
  if (name === undefined) return null;
  const trimmed = name.trim();
  const length = [...trimmed].length;
  return length >= 1 && length <= MAX_DISPLAY_NAME_CHARS ? trimmed : null;
}

/**
 * Records what Helix said about each user: the display name it gave, or (for a user Helix no longer
 * knows) the name kept as it was; either way checked at `checkedAt` (ms since the epoch, the
 * refresher's clock, which also judges staleness), so the user is not asked about again soon.
 */
export async function recordDisplayNames(
  db: Queryable,
  checked: readonly { userId: string; displayName: string | null }[],
  checkedAt: number,
): Promise<void> {
  if (checked.length === 0) return;
  await db.query(
    `UPDATE users u
        SET display_name = coalesce(c.display_name, u.display_name),
            display_name_checked_at = to_timestamp($3::float8 / 1000)
       FROM unnest($1::bigint[], $2::text[]) AS c(id, display_name)
      WHERE u.id = c.id`,
    [checked.map((c) => c.userId), checked.map((c) => c.displayName), checkedAt],
  );
}

/** The names of these users as Postgres has them (users it does not have are left out). */
export async function playerNamesOf(
  db: Queryable,
  userIds: readonly string[],
): Promise<Map<string, PlayerName>> {
  const names = new Map<string, PlayerName>();
  if (userIds.length === 0) return names;
  const { rows } = await db.query<{ id: string; display_name: string | null; title: string | null }>(
    `SELECT id::text, display_name, title FROM users WHERE id = ANY($1::bigint[])`,
    [userIds],
  );
  for (const r of rows) names.set(r.id, { player: r.display_name, playerTitle: r.title });
  return names;
}
