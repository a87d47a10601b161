import type { Attributes, LifecycleState, Survivor } from '../game/index.js';

/** The columns a Survivor is read from, in the order survivorFromRow expects. */
export const SURVIVOR_COLUMNS = `id, user_id, name, attributes, health, max_health, stamina, max_stamina, level, xp,
  perk_slots, perks, perk_offers, state, state_until, created_at, died_at, retired_at`;

export interface SurvivorRow {
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
  state_until: Date | null;
  created_at: Date;
  died_at: Date | null;
  retired_at: Date | null;
}

/** The game's view of a survivors row. */
export function survivorFromRow(row: SurvivorRow): Survivor {
  return {
    id: row.id,
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
    state: row.state,
    stateUntil: row.state_until ? row.state_until.getTime() : null,
  };
}
