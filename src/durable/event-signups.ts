import type { Queryable } from './database.js';

/*
 * A channel event's sign-up in Postgres (`channel_events` while signing up, `event_participants`):
 * what the engine's sign-up services write, each inside the caller's transaction.
 */

/** Locks an event's row against a launch or a cancel (FOR NO KEY UPDATE); null when there is none. */
export async function lockEventForSignup(
  tx: Queryable,
  eventId: string,
): Promise<{ status: string; channel_id: string } | null> {
  const { rows } = await tx.query<{ status: string; channel_id: string }>(
    'SELECT status, channel_id FROM channel_events WHERE id = $1 FOR NO KEY UPDATE',
    [eventId],
  );
  return rows[0] ?? null;
}

/** Who owns a survivor, its state and whether it was retired; null when there is none. */
export async function survivorForSignup(
  tx: Queryable,
  survivorId: string,
): Promise<{ user_id: string; state: string; retired_at: Date | null } | null> {
  const { rows } = await tx.query<{ user_id: string; state: string; retired_at: Date | null }>(
    'SELECT user_id::text, state, retired_at FROM survivors WHERE id = $1',
    [survivorId],
  );
  return rows[0] ?? null;
}

/** How many signed up, and whether `userId` is one of them. */
export async function countSignups(
  tx: Queryable,
  eventId: string,
  userId: string,
): Promise<{ count: number; includesUser: boolean }> {
  const { rows } = await tx.query<{ n: number; mine: boolean | null }>(
    `SELECT count(*)::int AS n, bool_or(user_id = $2) AS mine FROM event_participants WHERE event_id = $1`,
    [eventId, userId],
  );
  return { count: rows[0]?.n ?? 0, includesUser: rows[0]?.mine === true };
}

/** Signs a viewer up with a survivor, or changes the survivor of one signed up already. */
export async function upsertSignup(
  tx: Queryable,
  signup: { eventId: string; userId: string; survivorId: string; joinedAt: number },
): Promise<void> {
  await tx.query(
    `INSERT INTO event_participants (event_id, user_id, survivor_id, joined_at)
     VALUES ($1, $2, $3, to_timestamp($4::float8 / 1000))
     ON CONFLICT (event_id, user_id) DO UPDATE SET survivor_id = EXCLUDED.survivor_id`,
    [signup.eventId, signup.userId, signup.survivorId, signup.joinedAt],
  );
}

/** Takes a viewer off the sign-up; false when they were not on it. */
export async function deleteSignup(tx: Queryable, eventId: string, userId: string): Promise<boolean> {
  const { rowCount } = await tx.query('DELETE FROM event_participants WHERE event_id = $1 AND user_id = $2', [
    eventId,
    userId,
  ]);
  return rowCount > 0;
}

/** Ends the sign-up window at `at` (ms since the epoch) unless it ends sooner already. */
export async function closeSignupAt(tx: Queryable, eventId: string, at: number): Promise<void> {
  await tx.query(
    `UPDATE channel_events SET signup_ends_at = LEAST(signup_ends_at, to_timestamp($2::float8 / 1000))
      WHERE id = $1`,
    [eventId, at],
  );
}

/** How many signed up to an event. */
export async function signupCount(tx: Queryable, eventId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM event_participants WHERE event_id = $1',
    [eventId],
  );
  return rows[0]?.n ?? 0;
}

/** Calls an event off at `endedAt` (ms since the epoch) with its result. */
export async function cancelEvent(
  tx: Queryable,
  eventId: string,
  endedAt: number,
  result: unknown,
): Promise<void> {
  await tx.query(
    `UPDATE channel_events SET status = 'cancelled', ended_at = to_timestamp($2::float8 / 1000), result = $3
      WHERE id = $1`,
    [eventId, endedAt, JSON.stringify(result)],
  );
}

/**
 * The event's channel, and who signed up with `survivorId` (null when nobody did); null when there
 * is no such event.
 */
export async function signupBySurvivor(
  db: Queryable,
  eventId: string,
  survivorId: string,
): Promise<{ channelId: string; userId: string | null } | null> {
  const { rows } = await db.query<{ channel_id: string; user_id: string | null }>(
    `SELECT e.channel_id, p.user_id::text FROM channel_events e
       LEFT JOIN event_participants p ON p.event_id = e.id AND p.survivor_id = $2
      WHERE e.id = $1`,
    [eventId, survivorId],
  );
  const row = rows[0];
  return row ? { channelId: row.channel_id, userId: row.user_id } : null;
}
