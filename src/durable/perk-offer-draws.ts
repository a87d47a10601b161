import type { Queryable } from './database.js';
import { findOwnSurvivor, type SurvivorRecord } from './survivors.js';

/**
 * Replaces a survivor's perk offers with a new draw, bought with supplies: `draw(n)` gives the offers
 * of the survivor's n-th redraw (n counts from 1 and is kept in survivors.offer_rerolls, so every
 * draw is reproducible and a repeated request cannot fish for another). Inside `tx`, after locking it.
 */
export async function redrawPerkOffers(
  tx: Queryable,
  userId: string,
  survivorId: string,
  draw: (n: number) => string[],
): Promise<SurvivorRecord> {
  const { rows } = await tx.query<{ offer_rerolls: number }>(
    'UPDATE survivors SET offer_rerolls = offer_rerolls + 1 WHERE id = $1 RETURNING offer_rerolls',
    [survivorId],
  );
  await tx.query('UPDATE survivors SET perk_offers = $2 WHERE id = $1', [
    survivorId,
    draw(rows[0]!.offer_rerolls),
  ]);
  return (await findOwnSurvivor(tx, userId, survivorId))!;
}
