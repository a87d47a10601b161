import type { BitsPurchase, EffectResult, ProductEffect } from './bits-transactions.js';
import type { Queryable } from './database.js';

/*
 * What each kind of Bits product does, in the purchase's Postgres transaction. None of them adds XP,
 * levels or supplies to the leaderboard: Bits buy a second chance, comfort for a lobby, or a title.
 * (The economy of issue 15 — stash and supplies — had not landed when these were written; a supply
 * drop therefore restores the lobby's survivors instead of filling a stash.)
 */

const REVIVE = `
  UPDATE survivors
     SET state = 'idle', state_until = NULL, died_at = NULL, health = max_health, stamina = max_stamina
   WHERE id = $1 AND user_id = $2 AND state IN ('dead', 'recovering') AND retired_at IS NULL
  RETURNING user_id::text`;

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
    const { rows } = await tx.query<{ user_id: string }>(REVIVE, [purchase.target.survivorId, buyer]);
    return rows[0]
      ? { ok: true, touchedUserIds: [buyer] }
      : { ok: false, reason: 'the survivor is not one of yours that fell' };
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
