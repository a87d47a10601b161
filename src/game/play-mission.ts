import { isDecisionTick } from './choice-point.js';
import type { Content } from './content-types.js';
import type { MissionState } from './mission-state.js';
import type { PlayerPolicy } from './player-policy.js';
import { retreatTick, simulateTick } from './simulate-tick.js';

/** Plays one mission to its end as `policy` would; returns the final state. */
export function playMission(state: MissionState, content: Content, policy: PlayerPolicy): MissionState {
  let s = state;
  while (s.status === 'active') {
    if (policy.retreat(s)) {
      s = retreatTick(s, content).state;
      continue;
    }
    const stance = isDecisionTick(s.tick + 1, content.rules) ? policy.choose(s, content) : undefined;
    s = simulateTick(s, content, stance === undefined ? {} : { stance }).state;
  }
  return s;
}
