import type { TickEffect } from './tick-effects.js';

/*
 * The moments a viewer who glances at the panel once a minute must not miss: a death, someone
 * going down, a revive, a big find. Derived from a tick's effects, so the panel can mark any
 * logged line, live or from history.
 */

export type KeyMoment = 'death' | 'down' | 'revive' | 'find';

/** Supplies found in one tick that count as a big find. */
export const BIG_FIND_SUPPLIES = 8;

/** Tags of a line a viewer may care about: which perks, statuses, weather and time of day acted. */
const SHOWN_TAG = /^(perk|status|weather|time):/;

/** The most important moment of a tick, or null for an ordinary one. */
export function keyMoment(effects: readonly TickEffect[]): KeyMoment | null {
  let found: KeyMoment | null = null;
  const rank: Record<KeyMoment, number> = { death: 4, down: 3, revive: 2, find: 1 };
  const consider = (m: KeyMoment) => {
    if (found === null || rank[m] > rank[found]) found = m;
  };
  for (const e of effects) {
    if (e.t === 'dead') consider('death');
    else if (e.t === 'down') consider('down');
    else if (e.t === 'up') consider('revive');
    else if (e.t === 'sup' && e.d >= BIG_FIND_SUPPLIES) consider('find');
  }
  return found;
}

/** The modifiers of a logged tick worth showing on its line ("perk:night-owl", "status:bleeding"…). */
export function shownTags(modifiers: readonly string[]): string[] {
  return modifiers.filter((m) => SHOWN_TAG.test(m));
}
