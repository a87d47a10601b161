import type { Content } from './content-types.js';
import { isConscious, type MissionState } from './mission-state.js';

/*
 * How a simulated player plays: when it calls the party home, and what it picks at a choice point.
 * The balance figures and the balance tests are stated for the default policy, the way a viewer
 * who watches now and then plays; the others answer "what if players did X".
 */

export interface PlayerPolicy {
  name: PolicyName;
  /** True when the player calls the party home before this tick. */
  retreat(state: MissionState): boolean;
  /** The stance picked at a choice point; undefined keeps the current one (what an absent viewer does). */
  choose(state: MissionState, content: Content): string | undefined;
}

export const POLICY_NAMES = ['default', 'absent', 'greedy', 'cautious'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** Retreat threshold of the default policy: below this share of the party's health. */
export const DEFAULT_RETREAT_BELOW = 0.3;

/** The standing survivors' health as a share of the whole party's maximum. */
export function partyHealthShare(state: MissionState): number {
  let standing = 0;
  let max = 0;
  for (const m of state.party) {
    max += m.maxHealth;
    if (isConscious(m)) standing += m.health;
  }
  return max === 0 ? 0 : standing / max;
}

/** A player who retreats below `retreatBelow` of party health and rests when hurt. */
export function retreatBelowPolicy(retreatBelow: number, name: PolicyName = 'default'): PlayerPolicy {
  return {
    name,
    retreat: (state) => partyHealthShare(state) < retreatBelow,
    choose: (state) => (partyHealthShare(state) < 0.6 ? 'rest' : 'push'),
  };
}

export function playerPolicy(name: PolicyName): PlayerPolicy {
  switch (name) {
    case 'default':
      return retreatBelowPolicy(DEFAULT_RETREAT_BELOW);
    case 'absent':
      // Never looks: no retreat, no choices; only the survivors' own thresholds act.
      return { name, retreat: () => false, choose: () => undefined };
    case 'greedy':
      return {
        name,
        retreat: (state) => partyHealthShare(state) < 0.2,
        choose: (state) => (partyHealthShare(state) > 0.7 ? 'search' : 'push'),
      };
    case 'cautious':
      return {
        name,
        retreat: (state) => partyHealthShare(state) < 0.5,
        choose: (state) =>
          state.difficulty >= 4 ? 'sneak' : partyHealthShare(state) < 0.8 ? 'rest' : 'push',
      };
  }
}
