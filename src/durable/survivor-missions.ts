import type { SurvivorOutcome } from '../game/index.js';
import type { Queryable } from './database.js';
import { compareDurableIds } from './durable-id.js';

/*
 * A survivor's row as missions change it: sent out at a start or an event's launch, and brought back
 * (or not) by a completion. Both run inside the caller's transaction, after the survivors' locks.
 */

/** Marks these survivors on a mission. */
export async function sendSurvivorsOnMission(tx: Queryable, survivorIds: readonly string[]): Promise<void> {
  await tx.query(
    `UPDATE survivors SET state = 'on_mission', state_until = NULL WHERE id = ANY($1::bigint[])`,
    [survivorIds],
  );
}

// Guarded by on_mission: a survivor is only ever changed by the mission it is on.
const UPDATE_SURVIVORS = `
  UPDATE survivors s
     SET xp = o.xp, level = o.level, perk_slots = o.perk_slots,
         perk_offers = CASE WHEN cardinality(o.perk_offers) > 0 THEN o.perk_offers ELSE s.perk_offers END,
         health = o.health, stamina = o.stamina, state = o.state, state_until = o.state_until,
         died_at = CASE WHEN o.state = 'dead' THEN $2::timestamptz ELSE s.died_at END,
         attributes = o.attributes, max_health = o.max_health, max_stamina = o.max_stamina
    FROM jsonb_to_recordset($1::jsonb) AS o(id bigint, xp int, level int, perk_slots int, perk_offers text[],
         health int, stamina int, state text, state_until timestamptz, attributes jsonb, max_health int,
         max_stamina int)
   WHERE s.id = o.id AND s.state = 'on_mission'`;

/**
 * Writes what completed missions did to their survivors, ended at `endedAt` (ms since the epoch):
 * XP, level, perk slots and offers, grown attributes, health and stamina, and the next state (dead,
 * recovering until endedAt + its recovery, or idle).
 */
export async function writeSurvivorOutcomes(
  tx: Queryable,
  survivors: readonly SurvivorOutcome[],
  endedAt: number,
): Promise<void> {
  const outcomes = [...survivors].sort((a, b) => compareDurableIds(a.survivorId, b.survivorId));
  // Survivors locked in id order first, the one order every transaction takes them in
  // (durable/transaction-retry.ts); an UPDATE … FROM alone would take them in the join's order.
  await tx.query('SELECT 1 FROM survivors WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE', [
    outcomes.map((o) => o.survivorId),
  ]);
  const rows = outcomes.map((o) => {
    const state = o.dead ? 'dead' : o.recoveryMs > 0 ? 'recovering' : 'idle';
    return {
      id: o.survivorId,
      xp: o.xp,
      level: o.level,
      perk_slots: o.perkSlots,
      perk_offers: o.perkOffers,
      health: o.health,
      stamina: o.stamina,
      state,
      state_until: state === 'recovering' ? new Date(endedAt + o.recoveryMs).toISOString() : null,
      attributes: o.attributes,
      max_health: o.maxHealth,
      max_stamina: o.maxStamina,
    };
  });
  await tx.query(UPDATE_SURVIVORS, [JSON.stringify(rows), new Date(endedAt)]);
}
