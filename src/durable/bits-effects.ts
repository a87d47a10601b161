import { NotRevivableError } from '../game/index.js';
import type { BitsPurchase, EffectResult, ProductEffect } from './bits-transactions.js';
import type { Queryable } from './database.js';
import { reviveSurvivor } from './revive-survivor.js';

/*
 * What each kind of Bits product does, in the purchase's Postgres transaction. None of them adds XP,
 * levels or supplies to the leaderboard: Bits buy a second chance, comfort for a lobby, or a title.
 * A revive follows the same rule as one bought with supplies (durable/revive-survivor.ts). A supply
 * drop restores the lobby's survivors rather than filling a stash: Bits never buy supplies, which
 * count on the leaderboard.
 */

const SUPPLY_DROP = `
  UPDATE survivors SET health = max_health, stamina = max_stamina
   WHERE lobby_id = $1 AND state = 'in_lobby'
     AND EXISTS (SELECT 1 FROM survivors s WHERE s.lobby_id = $1 AND s.state = 'in_lobby' AND s.user_id = $2)
  RETURNING user_id::text`;

function needsBuyer(purchase: BitsPurchase): string | null {
  return purchase.userId;
}

export function reviveEffect(): ProductEffect {
  return async (tx: Queryable, purchase): Promise<EffectResult> => {
    const buyer = needsBuyer(purchase);
    if (!buyer || !purchase.target.survivorId) return { ok: false, reason: 'no survivor named to revive' };
    try {
      const revived = await reviveSurvivor(tx, buyer, purchase.target.survivorId);
      if (!revived) return { ok: false, reason: 'the survivor is not one of yours' };
    } catch (error) {
      if (error instanceof NotRevivableError) return { ok: false, reason: error.message };
      throw error;
    }
    return { ok: true, touchedUserIds: [buyer] };
  };
}

export function supplyDropEffect(): ProductEffect {
  return async (tx, purchase) => {
    const buyer = needsBuyer(purchase);
    if (!buyer || !purchase.target.lobbyId)
      return { ok: false, reason: 'no lobby named for the supply drop' };
    const { rows } = await tx.query<{ user_id: string }>(SUPPLY_DROP, [purchase.target.lobbyId, buyer]);
    if (rows.length === 0) return { ok: false, reason: 'you are not waiting in that lobby' };
    return { ok: true, touchedUserIds: [...new Set(rows.map((r) => r.user_id))] };
  };
}

export function titleEffect(title: string): ProductEffect {
  return async (tx, purchase) => {
    const buyer = needsBuyer(purchase);
    if (!buyer) return { ok: false, reason: 'the buyer is not a Holdout player yet' };
    await tx.query('UPDATE users SET title = $2 WHERE id = $1', [buyer, title]);
    return { ok: true, touchedUserIds: [buyer] };
  };
}
