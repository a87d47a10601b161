import type { AttributeName, EffectSpec, Encounter, OutcomeTier } from './content-types.js';
import { isConscious } from './mission-state.js';
import type { AppliedAmounts } from './render-text.js';
import { tellOutcome } from './tell-outcome.js';
import type { TickContext } from './tick-context.js';

/** Who acts in an encounter, who bears its outcome, and whom a revive is for. */
interface Cast {
  actor: number;
  targets: number[];
  downed: number;
}

function bestAt(ctx: TickContext, members: number[], attribute: AttributeName): number {
  let best = members[0] ?? 0;
  for (const i of members) if (ctx.member(i)[attribute] > ctx.member(best)[attribute]) best = i;
  return best;
}

function castFor(ctx: TickContext, encounter: Encounter): Cast {
  const conscious: number[] = [];
  let downed = -1;
  const party = ctx.draft.party;
  for (let i = 0; i < party.length; i++) {
    const m = party[i]!;
    if (isConscious(m)) conscious.push(i);
    else if (downed < 0 && m.downed && !m.dead) downed = i;
  }
  if (encounter.kind === 'spotlight') {
    const actor = ctx.rng.pick(conscious);
    return { actor, targets: [actor], downed };
  }
  const actor = bestAt(ctx, conscious, encounter.check.attribute);
  return { actor, targets: encounter.kind === 'party' ? conscious : [actor], downed };
}

/** d20-style check with attribute, perks, weather/time, status effects, help and fatigue. */
function rollCheck(ctx: TickContext, encounter: Encounter, cast: Cast): OutcomeTier {
  const { rules } = ctx.content;
  const attribute = encounter.check.attribute;
  const actor = ctx.member(cast.actor);
  let bonus = actor[attribute] + ctx.ruleBonus(cast.actor, 'check', attribute);
  for (const id of Object.keys(actor.status)) {
    const status = ctx.content.statuses[id];
    if (status && status.checkBonus !== 0) {
      bonus += status.checkBonus;
      ctx.note(`status:${id}`);
    }
  }
  if (encounter.kind === 'party' && cast.targets.length > 1) {
    bonus += Math.min(rules.maxHelpBonus, rules.helpBonus * (cast.targets.length - 1));
    ctx.note('help');
  }
  const cost = Math.max(0, encounter.check.stamina - ctx.ruleBonus(cast.actor, 'stamina_cost'));
  if (actor.stamina >= cost) {
    if (cost > 0) ctx.emit({ t: 'sta', m: cast.actor, d: -cost });
  } else {
    bonus -= rules.fatiguePenalty;
    ctx.note('fatigue');
    if (actor.stamina > 0) ctx.emit({ t: 'sta', m: cast.actor, d: -actor.stamina });
  }
  const roll = ctx.rng.int(1, rules.die);
  // The die's extremes always count, so no check is ever certain either way.
  if (roll === rules.die) return 'success';
  if (roll === 1) return 'failure';
  const dc = ctx.level.dc + encounter.check.dc;
  const total = roll + bonus;
  if (total >= dc) return 'success';
  return total >= dc - rules.partialMargin ? 'partial' : 'failure';
}

/**
 * Brings a member to 0. While someone is still standing, a downed survivor only waits for help:
 * death is rolled once, for each survivor left down, when the last one standing falls (a solo
 * survivor falls alone). Rolling on every knock-out made a revived survivor roll again and again,
 * so a group died more per survivor than a solo at the same difficulty.
 */
function knockOut(ctx: TickContext, index: number): void {
  ctx.emit({ t: 'down', m: index });
  if (ctx.level.deathChance <= 0 || ctx.draft.party.some(isConscious)) return;
  ctx.draft.party.forEach((m, i) => {
    if (m.downed && !m.dead && ctx.rng.chance(ctx.level.deathChance)) ctx.emit({ t: 'dead', m: i });
  });
}

/** Deals damage and returns the health actually lost. */
function damage(ctx: TickContext, index: number, rolled: number): number {
  const member = ctx.member(index);
  // Reduction is capped: stacked perks and items must not make the hardest missions safe.
  const reduction = Math.min(ctx.content.rules.maxDamageReduction, ctx.ruleBonus(index, 'damage'));
  const amount = Math.max(1, Math.round(rolled * ctx.level.danger) - reduction);
  const d = -Math.min(amount, member.health);
  if (d !== 0) ctx.emit({ t: 'hp', m: index, d });
  if (member.health === 0) knockOut(ctx, index);
  return -d;
}

/** The amount a line shows: the actor's own, or else the first target's that changed. */
function shownAmount(shown: number | undefined, index: number, actor: number, d: number): number {
  if (shown === undefined || index === actor || (shown === 0 && d !== 0)) return d;
  return shown;
}

/** Targets still standing: one may go down part-way through an outcome. */
function living(ctx: TickContext, cast: Cast): number[] {
  const out: number[] = [];
  for (const i of cast.targets) if (isConscious(ctx.member(i))) out.push(i);
  return out;
}

/** Applies one effect spec; records in `amounts` what the first of its type actually changed. */
function applySpec(ctx: TickContext, spec: EffectSpec, cast: Cast, amounts: AppliedAmounts): void {
  const { rng } = ctx;
  switch (spec.type) {
    case 'health': {
      const rolled = rng.int(spec.min, spec.max);
      let shown: number | undefined;
      for (const i of living(ctx, cast)) {
        const m = ctx.member(i);
        let applied: number;
        if (rolled < 0) applied = damage(ctx, i, -rolled);
        else {
          applied = Math.max(0, Math.min(rolled + ctx.ruleBonus(i, 'heal'), m.maxHealth - m.health));
          if (applied > 0) ctx.emit({ t: 'hp', m: i, d: applied });
        }
        shown = shownAmount(shown, i, cast.actor, applied);
      }
      amounts.hp ??= shown ?? 0;
      return;
    }
    case 'stamina': {
      const rolled = rng.int(spec.min, spec.max);
      let shown: number | undefined;
      for (const i of living(ctx, cast)) {
        const m = ctx.member(i);
        const d = Math.max(-m.stamina, Math.min(rolled, m.maxStamina - m.stamina));
        if (d !== 0) ctx.emit({ t: 'sta', m: i, d });
        shown = shownAmount(shown, i, cast.actor, d);
      }
      amounts.stamina ??= shown ?? 0;
      return;
    }
    case 'supplies': {
      const rolled = rng.int(spec.min, spec.max);
      const amount =
        rolled > 0 ? Math.round(rolled * ctx.level.reward) + ctx.ruleBonus(cast.actor, 'supplies') : rolled;
      const d = Math.max(-ctx.draft.supplies, amount);
      if (d !== 0) ctx.emit({ t: 'sup', d });
      amounts.supplies ??= d;
      return;
    }
    case 'xp': {
      const base = Math.round(rng.int(spec.min, spec.max) * ctx.level.reward);
      let shown: number | undefined;
      for (const i of cast.targets) {
        const d = Math.max(0, Math.round(base * (1 + ctx.ruleBonus(i, 'xp') / 100)));
        if (d > 0) ctx.emit({ t: 'xp', m: i, d });
        shown = shownAmount(shown, i, cast.actor, d);
      }
      amounts.xp ??= shown ?? 0;
      return;
    }
    case 'status':
      for (const i of living(ctx, cast)) {
        const left = ctx.member(i).status[spec.status] ?? 0;
        if (spec.ticks > left) ctx.emit({ t: 'fx', m: i, s: spec.status, n: spec.ticks });
      }
      return;
    case 'cure':
      for (const i of living(ctx, cast)) {
        if (ctx.member(i).status[spec.status] !== undefined)
          ctx.emit({ t: 'fx', m: i, s: spec.status, n: 0 });
      }
      return;
    case 'revive': {
      if (cast.downed < 0) return;
      const m = ctx.member(cast.downed);
      const healed = rng.int(spec.min, spec.max) + ctx.ruleBonus(cast.actor, 'heal');
      const health = Math.min(m.maxHealth, Math.max(ctx.content.rules.minReviveHealth, healed));
      ctx.emit({ t: 'up', m: cast.downed });
      ctx.emit({ t: 'hp', m: cast.downed, d: health - m.health });
      amounts.hp ??= health;
      return;
    }
  }
}

/** Resolves the encounter onto the context's draft and returns the rendered line. */
export function resolveEncounter(ctx: TickContext, encounterId: string, encounter: Encounter): string {
  ctx.tags.push(...encounter.tags);
  const cast = castFor(ctx, encounter);
  const tier = rollCheck(ctx, encounter, cast);
  const outcome = encounter.outcomes[tier];
  const amounts: AppliedAmounts = {};
  for (const spec of outcome.effects) applySpec(ctx, spec, cast, amounts);
  return tellOutcome(ctx, { encounterId, tier, outcome, amounts, ...cast });
}
