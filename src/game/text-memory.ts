import type { Content, OutcomeTier } from './content-types.js';

/*
 * The text's memory in a mission state is numbers, not ids, because the state is copied on every
 * tick: an encounter's position is its place in the location's table, revive encounters after it
 * (fixed by the mission's content version), and its outcome's slot is position × 3 + tier.
 */

export const TIERS: readonly OutcomeTier[] = ['success', 'partial', 'failure'];

const positionsByContent = new WeakMap<Content, Map<string, Map<string, number>>>();

/** Positions of the encounters a mission at `location` can tell. */
export function encounterPositions(content: Content, location: string): Map<string, number> {
  let byLocation = positionsByContent.get(content);
  if (!byLocation) {
    byLocation = new Map();
    positionsByContent.set(content, byLocation);
  }
  let positions = byLocation.get(location);
  if (!positions) {
    positions = new Map();
    const ids = Object.keys(content.locations[location]?.encounters ?? {});
    for (const [id, e] of Object.entries(content.encounters)) if (e.kind === 'revive') ids.push(id);
    for (const id of ids) if (!positions.has(id)) positions.set(id, positions.size);
    byLocation.set(location, positions);
  }
  return positions;
}

export function toldSlot(position: number, tier: OutcomeTier | string): number {
  return position * TIERS.length + Math.max(0, TIERS.indexOf(tier as OutcomeTier));
}
