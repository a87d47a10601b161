import type { Attributes } from './survivor.js';
import { MAX_ATTRIBUTE } from './survivor.js';

/*
 * Attributes grow with levels: every GROWTH_EVERY levels a survivor gains one point in its
 * weakest attribute (ties: grit, wits, agility), up to MAX_ATTRIBUTE. Weakest first, because a
 * survivor's weakest check is what downs it; no random draw, so the same levels always give the
 * same survivor and the simulator's levelled players match real ones.
 */

/** A point is gained on reaching each multiple of this level. */
export const GROWTH_EVERY = 2;
const ORDER = ['grit', 'wits', 'agility'] as const;

/** The attributes after climbing from `fromLevel` to `toLevel`. */
export function growAttributes(attributes: Attributes, fromLevel: number, toLevel: number): Attributes {
  const grown: Attributes = { ...attributes };
  for (let level = fromLevel + 1; level <= toLevel; level++) {
    if (level % GROWTH_EVERY !== 0) continue;
    let weakest: (typeof ORDER)[number] | null = null;
    for (const key of ORDER) {
      if (grown[key] >= MAX_ATTRIBUTE) continue;
      if (weakest === null || grown[key] < grown[weakest]) weakest = key;
    }
    if (weakest !== null) grown[weakest]++;
  }
  return grown;
}
