import type { Database } from '../durable/database.js';
import { readStash } from '../durable/stash.js';
import { type Content, MAX_CARRIED_ITEMS, TooManyItemsError, UnknownItemError } from '../game/index.js';
import { ItemNotInStashError } from './engine-errors.js';

/*
 * What a lobby member chooses to carry: items of its viewer's stash, as a solo start names them. The
 * choice is checked against the stash when it is made, so a member sees a refusal at once; the items
 * leave the stash only in the group mission's start transaction (engine/start-mission.ts), all or
 * none, which checks again: a stash spent in the meantime refuses the start and changes nothing.
 */

/** Refuses items that do not exist, too many of them, or more of one than the viewer's stash holds. */
export async function assertCarryable(
  ctx: { db: Database; content: Pick<Content, 'items'> },
  userId: string,
  items: readonly string[],
  survivorId: string,
): Promise<void> {
  for (const id of items) if (!Object.hasOwn(ctx.content.items, id)) throw new UnknownItemError(id);
  if (items.length > MAX_CARRIED_ITEMS) throw new TooManyItemsError(survivorId, MAX_CARRIED_ITEMS);
  if (items.length === 0) return;
  const stash = await readStash(ctx.db, userId);
  const wanted = new Map<string, number>();
  for (const id of items) wanted.set(id, (wanted.get(id) ?? 0) + 1);
  for (const [id, count] of wanted) if ((stash.items[id] ?? 0) < count) throw new ItemNotInStashError(id);
}
