import type { MissionState, MissionStatus } from './mission-state.js';
import { cloneMissionState, RECENT_ENCOUNTERS_KEPT } from './mission-state.js';
import { toldSlot } from './text-memory.js';

/**
 * One exact change a tick made to the mission state; `m` is the index of a party member.
 * Deltas are the amounts actually applied (already clamped), so folding is plain arithmetic.
 * - tick: the tick index becomes n
 * - hp / sta / xp: member m's health / stamina / mission XP change by d
 * - sup: the party's supplies change by d
 * - fx: member m's status effect s has n ticks left (0 removes it)
 * - down / up / dead: member m goes down, is revived, dies
 * - end: the mission's status becomes s
 * - told: encounter e (position p, text-memory.ts) was told with outcome o; that outcome's memory
 *   becomes v (choose-template.ts)
 * - stance: the party's stance becomes s (the logged input of a choice point)
 * - item: item i is found (appended to the mission's finds)
 * - goal: this tick's contribution d to its channel event's shared goal (changes nothing in the mission)
 */
export type TickEffect =
  | { t: 'tick'; n: number }
  | { t: 'hp' | 'sta' | 'xp'; m: number; d: number }
  | { t: 'sup'; d: number }
  | { t: 'fx'; m: number; s: string; n: number }
  | { t: 'down' | 'up' | 'dead'; m: number }
  | { t: 'end'; s: Exclude<MissionStatus, 'active'> }
  | { t: 'told'; e: string; o: string; p: number; v: number }
  | { t: 'stance'; s: string }
  | { t: 'item'; i: string }
  | { t: 'goal'; d: number };

/** Applies one effect to a state the caller owns (mutates it). */
export function applyEffectInPlace(state: MissionState, e: TickEffect): void {
  switch (e.t) {
    case 'tick':
      state.tick = e.n;
      return;
    case 'sup':
      state.supplies += e.d;
      return;
    case 'end':
      state.status = e.s;
      return;
    case 'told': {
      state.recent ??= [];
      state.told ??= [];
      state.recent.push(e.p);
      if (state.recent.length > RECENT_ENCOUNTERS_KEPT) state.recent.shift();
      const slot = toldSlot(e.p, e.o);
      while (state.told.length <= slot) state.told.push(0);
      state.told[slot] = e.v;
      return;
    }
    case 'stance':
      state.stance = e.s;
      return;
    case 'item':
      state.found.push(e.i);
      return;
    case 'goal':
      return;
  }
  const member = state.party[e.m];
  if (!member) throw new RangeError(`Effect ${e.t} names party member ${e.m}, who does not exist`);
  switch (e.t) {
    case 'hp':
      member.health += e.d;
      return;
    case 'sta':
      member.stamina += e.d;
      return;
    case 'xp':
      member.xp += e.d;
      return;
    case 'fx':
      if (e.n > 0) member.status[e.s] = e.n;
      else delete member.status[e.s];
      return;
    case 'down':
      member.downed = true;
      return;
    case 'up':
      member.downed = false;
      return;
    case 'dead':
      member.downed = false;
      member.dead = true;
      return;
  }
}

/** Pure fold of logged effects onto a state: what crash recovery rebuilds missions with. */
export function applyEffects(state: MissionState, effects: readonly TickEffect[]): MissionState {
  const next = cloneMissionState(state);
  for (const e of effects) applyEffectInPlace(next, e);
  return next;
}
