import { assertStance, isDecisionTick, type TickInput } from './choice-point.js';
import { chooseEncounter } from './choose-encounter.js';
import type { Content } from './content-types.js';
import { MissionNotActiveError, UnknownEncounterError } from './errors.js';
import { findLoot } from './find-loot.js';
import { cloneMissionState, isConscious, type MissionState } from './mission-state.js';
import { closingLine, LINE_BREAK, openingLine } from './narrate-mission.js';
import { resolveEncounter } from './resolve-encounter.js';
import { Rng, tickSeed, tickSeedBits } from './rng.js';
import { TickContext } from './tick-context.js';
import { applyEffects, type TickEffect } from './tick-effects.js';

/** One row of the mission log: what the durable log stores for each tick. */
export interface TickLog {
  /** Index of this tick, 1..length. */
  tick: number;
  encounterId: string;
  /** One rendered line, with survivors' names. */
  text: string;
  /** The derived seed of this tick's random stream (decimal 64-bit). */
  seed: string;
  /** Modifiers applied: "perk:<id>", "weather:<id>", "time:<id>", "status:<id>", "help", "fatigue". */
  modifiers: string[];
  /** Exactly what changed: applyEffects(stateBefore, effects) deep-equals the state after. */
  effects: TickEffect[];
}

export const RETREAT_ENCOUNTER_ID = 'retreat';
/** The encounter id of a retreat the game called itself: a survivor's auto-retreat threshold was hit. */
export const AUTO_RETREAT_ENCOUNTER_ID = 'auto-retreat';

function assertActive(state: MissionState): void {
  if (state.status !== 'active') throw new MissionNotActiveError(state.status);
}

/** Before the encounter: survivors catch their breath, then status effects act and count down. */
function upkeep(ctx: TickContext): void {
  const regen = ctx.content.rules.staminaRegen;
  ctx.draft.party.forEach((member, m) => {
    if (!isConscious(member)) return;
    const breath = Math.min(regen, member.maxStamina - member.stamina);
    if (breath > 0) ctx.emit({ t: 'sta', m, d: breath });
    const mend = Math.min(ctx.ruleBonus(m, 'regen'), member.maxHealth - member.health);
    if (mend > 0) ctx.emit({ t: 'hp', m, d: mend });
    for (const [id, left] of Object.entries(member.status)) {
      const status = ctx.content.statuses[id];
      if (status) {
        // Never below 1 health: a status alone does not down anyone, an encounter line always does.
        const hp = Math.max(
          1 - member.health,
          Math.min(status.healthPerTick, member.maxHealth - member.health),
        );
        if (hp !== 0) ctx.emit({ t: 'hp', m, d: hp });
        const sta = Math.max(
          -member.stamina,
          Math.min(status.staminaPerTick, member.maxStamina - member.stamina),
        );
        if (sta !== 0) ctx.emit({ t: 'sta', m, d: sta });
        if (hp !== 0 || sta !== 0) ctx.note(`status:${id}`);
      }
      ctx.emit({ t: 'fx', m, s: id, n: left - 1 });
    }
  });
}

/**
 * Advances an active mission by one tick. Pure: the input is not mutated. The effects are
 * computed first, then the returned state is applyEffects(state, effects), so the logged
 * effects and the state can never disagree.
 */
export function simulateTick(
  state: MissionState,
  content: Content,
  input: TickInput = {},
): { state: MissionState; log: TickLog } {
  assertActive(state);
  const quitter = autoRetreatBy(state);
  if (quitter >= 0) return retreatTick(state, content, quitter);
  const tick = state.tick + 1;
  const seedBits = tickSeedBits(state.seed, tick);
  const seed = seedBits.toString();
  const ctx = new TickContext(cloneMissionState(state), content, new Rng(seedBits));
  ctx.emit({ t: 'tick', n: tick });
  // A choice applies only at its decision tick; an input at any other tick is ignored, not logged.
  if (isDecisionTick(tick, content.rules)) {
    const stance = assertStance(input.stance ?? state.stance, content);
    ctx.emit({ t: 'stance', s: stance });
    ctx.note(`stance:${stance}`);
  }
  upkeep(ctx);
  const encounterId = chooseEncounter(ctx);
  const encounter = content.encounters[encounterId];
  if (!encounter) throw new UnknownEncounterError(encounterId);
  let text = resolveEncounter(ctx, encounterId, encounter) + findLoot(ctx);
  if (tick === 1) text = openingLine(state, content) + LINE_BREAK + text;
  if (!ctx.draft.party.some(isConscious)) ctx.emit({ t: 'end', s: 'failed' });
  else if (tick >= state.length) ctx.emit({ t: 'end', s: 'succeeded' });
  if (ctx.draft.status !== 'active') text += LINE_BREAK + closingLine(ctx.draft, content);
  return {
    state: applyEffects(state, ctx.effects),
    log: { tick, encounterId, text, seed, modifiers: ctx.applied, effects: ctx.effects },
  };
}

/** The first conscious survivor at or below its auto-retreat threshold, or -1. */
function autoRetreatBy(state: MissionState): number {
  return state.party.findIndex((m) => isConscious(m) && (m.retreatAt ?? 0) > 0 && m.health <= m.retreatAt);
}

/**
 * Ends an active mission early. Logged as a tick of its own, so the durable log folds to the final
 * state. `quitter` is the survivor whose auto-retreat threshold called it (the game's own call).
 * The line is a `closing.retreated` template (closingLine: fixed per mission seed, no random draw).
 */
export function retreatTick(
  state: MissionState,
  content: Content,
  quitter = -1,
): { state: MissionState; log: TickLog } {
  assertActive(state);
  const tick = state.tick + 1;
  const effects: TickEffect[] = [
    { t: 'tick', n: tick },
    { t: 'end', s: 'retreated' },
  ];
  const ended = applyEffects(state, effects);
  const limit = quitter >= 0 ? `${state.party[quitter]?.name ?? 'Someone'} has had enough. ` : '';
  return {
    state: ended,
    log: {
      tick,
      encounterId: quitter >= 0 ? AUTO_RETREAT_ENCOUNTER_ID : RETREAT_ENCOUNTER_ID,
      text: limit + closingLine(ended, content),
      seed: tickSeed(state.seed, tick),
      modifiers: [],
      effects,
    },
  };
}
