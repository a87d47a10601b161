import type { Content, Rules } from './content-types.js';
import { UnknownStanceError } from './errors.js';
import type { MissionState } from './mission-state.js';
import type { TickEffect } from './tick-effects.js';

/*
 * Choice points. After every `choiceEvery` ticks a choice opens; it stays open for `choiceWindow`
 * ticks (the vote's timer) and applies at the start of the tick after the window. What was chosen
 * is the tick's input, and the tick logs it as its first effect after the tick index, so a mission
 * is fully determined by its seed, its starting snapshot and these logged inputs.
 */

/** What the players decided for one tick; absent fields mean nobody chose (the default holds). */
export interface TickInput {
  stance?: string;
}

/** True when tick `tick` is the one a choice applies at. */
export function isDecisionTick(tick: number, rules: Pick<Rules, 'choiceEvery' | 'choiceWindow'>): boolean {
  return tick > rules.choiceEvery && tick % rules.choiceEvery === rules.choiceWindow % rules.choiceEvery;
}

/** The open choice of an active mission: the tick it applies at, or null when none is open. */
export function openChoice(state: MissionState, rules: Rules): { decidesAt: number } | null {
  if (state.status !== 'active' || state.tick < rules.choiceEvery) return null;
  const since = state.tick % rules.choiceEvery;
  if (since >= rules.choiceWindow) return null;
  const decidesAt = state.tick - since + rules.choiceWindow;
  return decidesAt <= state.length ? { decidesAt } : null;
}

/** The stances a party may choose from, in a stable order. */
export function stanceOptions(content: Content): string[] {
  return Object.keys(content.stances).sort();
}

export function assertStance(stance: string, content: Content): string {
  if (!Object.hasOwn(content.stances, stance)) throw new UnknownStanceError(stance);
  return stance;
}

/**
 * The stance a choice point settles on, from the votes cast (one per viewer): the option with the
 * most votes. No vote, or a tie for the most, keeps the current stance (the default). A vote for a
 * stance the content no longer has counts for nothing. Solo, the viewer's one vote decides.
 */
export function tallyStance(votes: Iterable<string>, current: string, content: Content): string {
  const counts = new Map<string, number>();
  for (const vote of votes) {
    if (Object.hasOwn(content.stances, vote)) counts.set(vote, (counts.get(vote) ?? 0) + 1);
  }
  let best = current;
  let most = 0;
  let tied = false;
  for (const [stance, n] of counts) {
    if (n > most) [best, most, tied] = [stance, n, false];
    else if (n === most) tied = true;
  }
  return most === 0 || tied ? current : best;
}

/** The input a logged tick was run with, read back from its effects (replay and repair use this). */
export function tickInputOf(effects: readonly TickEffect[]): TickInput {
  for (const e of effects) if (e.t === 'stance') return { stance: e.s };
  return {};
}
