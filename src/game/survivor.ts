import { perkSlotsForLevel } from './progression.js';
import { hashString, Rng } from './rng.js';
import { validateSurvivorName } from './survivor-name.js';

/** Small integers, 1..MAX_ATTRIBUTE. */
export type Attributes = { grit: number; wits: number; agility: number };

export type LifecycleState = 'idle' | 'in_lobby' | 'on_mission' | 'recovering' | 'dead';

/** The durable survivor (the Postgres row's shape, camelCase). */
export interface Survivor {
  id: string;
  name: string;
  attributes: Attributes;
  health: number;
  maxHealth: number;
  stamina: number;
  maxStamina: number;
  level: number;
  xp: number;
  perkSlots: number;
  /** Equipped perk ids. */
  perks: string[];
  state: LifecycleState;
  /** ms epoch until which a recovering survivor rests; null otherwise. */
  stateUntil: number | null;
  /** Auto-retreat threshold in health points, set before leaving; 0 or absent: never. */
  retreatAt?: number;
  /** Stash items taken on the next mission (in a starting snapshot: the items it carried). */
  carry?: string[];
}

export const MAX_ATTRIBUTE = 10;
/** A viewer keeps at most this many living survivors (DESIGN §2); a revive must respect it too. */
export const MAX_LIVING_SURVIVORS = 3;
/** Stash items a survivor may carry on one mission (they are used up by it). */
export const MAX_CARRIED_ITEMS = 2;
const BASE_ATTRIBUTE = 2;
/** Points spread at random over the three attributes of a new survivor (so each starts at 2..5). */
const BONUS_ATTRIBUTE_POINTS = 3;
const BASE_HEALTH = 20;
const HEALTH_PER_GRIT = 2;
const BASE_STAMINA = 8;
const STAMINA_PER_AGILITY = 2;

export function maxHealthFor(attributes: Attributes): number {
  return BASE_HEALTH + HEALTH_PER_GRIT * attributes.grit;
}

export function maxStaminaFor(attributes: Attributes): number {
  return BASE_STAMINA + STAMINA_PER_AGILITY * attributes.agility;
}

/** A new, idle, level-1 survivor; the seed (any text) decides the starting attributes. */
export function createSurvivor(input: { id: string; name: string; seed: string }): Survivor {
  const name = validateSurvivorName(input.name);
  const rng = new Rng(hashString(input.seed));
  const attributes: Attributes = { grit: BASE_ATTRIBUTE, wits: BASE_ATTRIBUTE, agility: BASE_ATTRIBUTE };
  const keys = ['grit', 'wits', 'agility'] as const;
  for (let i = 0; i < BONUS_ATTRIBUTE_POINTS; i++) attributes[rng.pick(keys)]++;
  const maxHealth = maxHealthFor(attributes);
  const maxStamina = maxStaminaFor(attributes);
  return {
    id: input.id,
    name,
    attributes,
    health: maxHealth,
    maxHealth,
    stamina: maxStamina,
    maxStamina,
    level: 1,
    xp: 0,
    perkSlots: perkSlotsForLevel(1),
    perks: [],
    state: 'idle',
    stateUntil: null,
  };
}
