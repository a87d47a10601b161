import type { ChannelEventKind } from './channel-event.js';
import type { TickInput } from './choice-point.js';
import type { Content } from './content-types.js';
import { MissionNotActiveError } from './errors.js';
import { isConscious, type MissionState } from './mission-state.js';
import { joinNames } from './render-text.js';
import { tickSeed } from './rng.js';
import { simulateTick, type TickLog } from './simulate-tick.js';
import { applyEffects, type TickEffect } from './tick-effects.js';

/** The encounter id of the tick that ends an event mission once the channel reached its goal. */
export const EVENT_END_ENCOUNTER_ID = 'event_end';
/** Damage a standing survivor deals the boss each tick, before what the encounter earned. */
const BOSS_BASE_DAMAGE = 1;
/** A boss hit this large (or larger) is shown on stream. */
const BIG_HIT = 10;

/**
 * What one tick of a participant adds to the event's goal, read from what the tick did:
 * a horde night counts the wave held (1 while anyone stands), a boss raid counts the damage done
 * (a standing survivor's base hit plus the XP the encounter earned).
 */
export function eventContribution(
  kind: ChannelEventKind,
  after: MissionState,
  effects: readonly TickEffect[],
) {
  const standing = after.party.some(isConscious);
  if (!standing) return 0;
  if (kind === 'horde_night') return 1;
  let earned = 0;
  for (const e of effects) if (e.t === 'xp' && e.d > 0) earned += e.d;
  return BOSS_BASE_DAMAGE + earned;
}

/** The goal effect a tick logs: present on every tick of an event mission, even at 0. */
function withGoal(step: { state: MissionState; log: TickLog }, d: number) {
  const effects: TickEffect[] = [...step.log.effects, { t: 'goal', d }];
  return { state: step.state, log: { ...step.log, effects }, contribution: d };
}

/** One tick of an event mission: the ordinary tick, plus its contribution logged as a goal effect. */
export function simulateEventTick(
  state: MissionState,
  kind: ChannelEventKind,
  content: Content,
  input: TickInput = {},
) {
  const step = simulateTick(state, content, input);
  return withGoal(step, eventContribution(kind, step.state, step.log.effects));
}

/**
 * Ends an event mission early because the channel reached its goal: logged as a tick of its own
 * (an input, like a retreat), so the durable log folds to the final state and replay follows it.
 */
export function eventEndTick(state: MissionState, kind: ChannelEventKind) {
  if (state.status !== 'active') throw new MissionNotActiveError(state.status);
  const tick = state.tick + 1;
  const effects: TickEffect[] = [
    { t: 'tick', n: tick },
    { t: 'end', s: 'succeeded' },
  ];
  const standing = state.party.filter(isConscious);
  const names = joinNames((standing.length > 0 ? standing : state.party).map((m) => m.name));
  const text =
    kind === 'boss_raid'
      ? `The boss falls! ${names} ${standing.length > 1 ? 'walk' : 'walks'} out over the wreckage.`
      : `Dawn breaks and the horde scatters. ${names} ${standing.length > 1 ? 'have' : 'has'} held out.`;
  const step = {
    state: applyEffects(state, effects),
    log: {
      tick,
      encounterId: EVENT_END_ENCOUNTER_ID,
      text,
      seed: tickSeed(state.seed, tick),
      modifiers: [],
      effects,
    },
  };
  return withGoal(step, 0);
}

/** Worth showing on stream: someone went down or died, or a boss hit far above the ordinary. */
export function isEventHighlight(kind: ChannelEventKind, log: TickLog, contribution: number): boolean {
  if (log.effects.some((e) => e.t === 'down' || e.t === 'dead')) return true;
  return kind === 'boss_raid' && contribution >= BIG_HIT;
}
