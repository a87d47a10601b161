import { growAttributes } from './attribute-growth.js';
import type { Content } from './content-types.js';
import { UnknownPerkError } from './errors.js';
import { perkSlotsForLevel, xpForLevel } from './progression.js';
import { createSurvivor, maxHealthFor, maxStaminaFor, type Survivor } from './survivor.js';

/** Who the simulator plays: a survivor of this level with these perks equipped. */
export interface SimPlayer {
  /** 1..MAX_LEVEL. @default 1 */
  level?: number;
  /** Perk ids equipped on every simulated survivor. @default [] */
  perks?: string[];
}

const SIM_NAMES = ['Ash', 'Bea', 'Cal', 'Dee'];

/**
 * A simulated survivor: a fresh one from `seed`, grown to the player's level the way level-ups grow
 * a real one (attributes, maxima, slots), with the player's perks (slots widened if they need more,
 * so a perk can be measured at any level).
 */
export function simSurvivor(seed: string, index: number, player: SimPlayer, content: Content): Survivor {
  const base = createSurvivor({ id: `sim-${index}`, name: SIM_NAMES[index] ?? `Sim ${index}`, seed });
  const level = player.level ?? 1;
  const perks = player.perks ?? [];
  for (const id of perks) if (!content.perks[id]) throw new UnknownPerkError(id);
  const attributes = growAttributes(base.attributes, 1, level);
  const maxHealth = maxHealthFor(attributes);
  const maxStamina = maxStaminaFor(attributes);
  return {
    ...base,
    attributes,
    maxHealth,
    health: maxHealth,
    maxStamina,
    stamina: maxStamina,
    level,
    xp: xpForLevel(level),
    perkSlots: Math.max(perkSlotsForLevel(level), perks.length),
    perks: [...perks],
  };
}
