import { IllegalTransitionError } from './errors.js';
import type { LifecycleState, Survivor } from './survivor.js';

/*
 * idle → in_lobby → on_mission → recovering (until a time) → idle, or dead, kept for history.
 * idle → dead is allowed so that a player can retire a survivor. Only a revive (economy.ts
 * assertRevivable, bought with supplies or Bits) brings a fallen survivor back; a retired one never.
 */
const ALLOWED: Record<LifecycleState, readonly LifecycleState[]> = {
  idle: ['in_lobby', 'on_mission', 'dead'],
  in_lobby: ['idle', 'on_mission'],
  on_mission: ['idle', 'recovering', 'dead'],
  recovering: ['idle'],
  dead: [],
};

/**
 * Moves a survivor to another lifecycle state, or throws IllegalTransitionError.
 * - to `recovering` needs `opts.until` (ms epoch);
 * - recovering → idle needs `opts.now >= stateUntil`, and restores health and stamina,
 *   because resting is what recovery is.
 */
export function transition(
  s: Survivor,
  to: LifecycleState,
  opts: { now?: number; until?: number } = {},
): Survivor {
  if (!ALLOWED[s.state].includes(to)) throw new IllegalTransitionError(s.state, to);
  if (to === 'recovering') {
    if (opts.until === undefined || !Number.isFinite(opts.until)) {
      throw new IllegalTransitionError(s.state, to, 'recovery needs an end time');
    }
    return { ...s, state: to, stateUntil: opts.until };
  }
  if (s.state === 'recovering') {
    if (opts.now === undefined || s.stateUntil === null || opts.now < s.stateUntil) {
      throw new IllegalTransitionError(s.state, to, `still recovering until ${s.stateUntil ?? 'unknown'}`);
    }
    return { ...s, state: to, stateUntil: null, health: s.maxHealth, stamina: s.maxStamina };
  }
  return { ...s, state: to, stateUntil: null };
}

/** Whether a recovering survivor's rest is over at `now` (ms epoch). */
export function recoveryOver(s: Pick<Survivor, 'state' | 'stateUntil'>, now: number): boolean {
  return s.state === 'recovering' && s.stateUntil !== null && s.stateUntil <= now;
}

/**
 * The survivor as it stands at `now`: one whose recovery is over is idle again, healed and rested
 * (the recovering → idle transition); any other is returned as it is. Every path that finds a
 * survivor whose recovery ended (a start, an event's launch) goes through here, and the durable
 * wake-up (durable/survivors.ts wakeRecoveredSurvivors) writes the same: one rule.
 */
export function wakeIfRecovered(s: Survivor, now: number): Survivor {
  return recoveryOver(s, now) ? transition(s, 'idle', { now }) : s;
}
