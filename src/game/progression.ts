/*
 * Levels, XP and perk slots. The XP needed for level L is XP_STEP * (L - 1)^2: 150 for level 2,
 * 600 for 3, 3,750 for 6, 12,150 for 10. Quadratic, because rewards grow with difficulty: a
 * survivor levels quickly at first and then needs harder missions to keep climbing.
 */

export const MAX_LEVEL = 20;
const XP_STEP = 150;
export const BASE_PERK_SLOTS = 2;
/** Levels that open one more perk slot: levels 11–20 keep one, and the perks that unlock there. */
export const PERK_SLOT_LEVELS: readonly number[] = [3, 6, 10, 15];

/** Total XP needed to reach `level`. */
export function xpForLevel(level: number): number {
  const l = Math.max(1, Math.min(MAX_LEVEL, Math.floor(level)));
  return XP_STEP * (l - 1) ** 2;
}

export function levelForXp(xp: number): number {
  if (!(xp > 0)) return 1;
  let level = 1;
  while (level < MAX_LEVEL && xpForLevel(level + 1) <= xp) level++;
  return level;
}

export function perkSlotsForLevel(level: number): number {
  let slots = BASE_PERK_SLOTS;
  for (const at of PERK_SLOT_LEVELS) if (level >= at) slots++;
  return slots;
}
