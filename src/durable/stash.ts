import type { Queryable } from './database.js';

/*
 * A viewer's stash: supplies and items brought home by their survivors. Filled only inside a
 * mission's completion transaction (once per mission) and spent only by a guarded UPDATE, so it is
 * never counted twice and never goes below zero. Stash rows are locked after survivors (the lock
 * order: transaction-retry.ts), in user id order.
 */

export interface Stash {
  supplies: number;
  /** Item id → how many the viewer holds (only ids held at least once). */
  items: Record<string, number>;
}

const ADD_SUPPLIES = `
  INSERT INTO stashes (user_id, supplies)
  SELECT u, s FROM unnest($1::bigint[], $2::int[]) AS t(u, s) ORDER BY u
  ON CONFLICT (user_id) DO UPDATE SET supplies = stashes.supplies + EXCLUDED.supplies, updated_at = now()`;

const ADD_ITEMS = `
  INSERT INTO stash_items (user_id, item_id, count)
  SELECT u, i, c FROM unnest($1::bigint[], $2::text[], $3::int[]) AS t(u, i, c)
  ORDER BY u, i
  ON CONFLICT (user_id, item_id) DO UPDATE SET count = stash_items.count + EXCLUDED.count`;

/** One ended mission's loot and the viewers whose stashes receive it. */
export interface MissionLoot {
  userIds: readonly string[];
  loot: { supplies: number; items: readonly string[] };
}

/**
 * Adds each ended mission's loot to the stash of each viewer in its `userIds`: all of it to each
 * (group loot is everyone's), once per viewer however many of their survivors went. Call it in the
 * completion transaction, which runs once per mission. Several missions' loot is summed per viewer
 * (and per item) first: one statement may change a row only once; rows are taken in user id order.
 */
export async function addMissionsLootToStashes(
  tx: Queryable,
  missions: readonly MissionLoot[],
): Promise<void> {
  const supplies = new Map<string, number>();
  const items = new Map<string, Map<string, number>>();
  for (const { userIds, loot } of missions) {
    if (loot.supplies <= 0 && loot.items.length === 0) continue;
    for (const userId of new Set(userIds)) {
      supplies.set(userId, (supplies.get(userId) ?? 0) + Math.max(0, loot.supplies));
      const held = items.get(userId) ?? new Map<string, number>();
      for (const id of loot.items) held.set(id, (held.get(id) ?? 0) + 1);
      items.set(userId, held);
    }
  }
  if (supplies.size === 0) return;
  await tx.query(ADD_SUPPLIES, [[...supplies.keys()], [...supplies.values()]]);
  const rows = [...items].flatMap(([userId, held]) =>
    [...held].map(([id, count]) => ({ userId, id, count })),
  );
  if (rows.length === 0) return;
  await tx.query(ADD_ITEMS, [rows.map((r) => r.userId), rows.map((r) => r.id), rows.map((r) => r.count)]);
}

/** A viewer's stash (empty when they never brought anything home). */
export async function readStash(db: Queryable, userId: string): Promise<Stash> {
  const { rows } = await db.query<{ supplies: number | null; items: Record<string, number> | null }>(
    `SELECT (SELECT supplies FROM stashes WHERE user_id = $1) AS supplies,
            (SELECT jsonb_object_agg(item_id, count ORDER BY item_id) FROM stash_items WHERE user_id = $1 AND count > 0) AS items`,
    [userId],
  );
  return { supplies: rows[0]?.supplies ?? 0, items: rows[0]?.items ?? {} };
}

/**
 * Takes `price` supplies from a viewer's stash in one guarded statement: two spends at once are
 * serialized by the row lock, and the second sees what the first left. Returns the supplies left,
 * or null (and changes nothing) when the stash holds fewer than `price`.
 */
export async function spendSupplies(tx: Queryable, userId: string, price: number): Promise<number | null> {
  if (price <= 0) return (await readStash(tx, userId)).supplies;
  const { rows } = await tx.query<{ supplies: number }>(
    `UPDATE stashes SET supplies = supplies - $2, updated_at = now()
      WHERE user_id = $1 AND supplies >= $2 RETURNING supplies`,
    [userId, price],
  );
  return rows[0]?.supplies ?? null;
}

/**
 * Takes items out of a viewer's stash (to carry them on a mission), all or none: returns the first id
 * the stash holds too few of, or null once every item is taken. Call it in the caller's transaction,
 * which must roll back when an id comes back.
 */
export async function takeStashItems(
  tx: Queryable,
  userId: string,
  items: readonly string[],
): Promise<string | null> {
  const counts = new Map<string, number>();
  for (const id of items) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const [id, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const { rowCount } = await tx.query(
      `UPDATE stash_items SET count = count - $3 WHERE user_id = $1 AND item_id = $2 AND count >= $3`,
      [userId, id, count],
    );
    if (rowCount === 0) return id;
  }
  return null;
}
