import { fits, isWorn } from './choose-template.js';
import type { Content, ModifierRule } from './content-types.js';
import { isConscious } from './mission-state.js';
import { encounterPositions, TIERS, toldSlot } from './text-memory.js';
import type { TickContext } from './tick-context.js';

interface Table {
  ids: string[];
  weights: number[];
}

/** Eligible encounters by difficulty (index level - 1), per location and for revives. */
interface Tables {
  byLocation: Record<string, Table[]>;
  revive: Table[];
}

// Derived once per content object; the cache holds only data computed from the content, so it
// cannot change any result.
const tablesByContent = new WeakMap<Content, Tables>();

function buildTable(content: Content, entries: [string, number][], level: number, revive: boolean): Table {
  const table: Table = { ids: [], weights: [] };
  for (const [id, weight] of entries) {
    const e = content.encounters[id];
    if (!e || e.minDifficulty > level || e.maxDifficulty < level) continue;
    if ((e.kind === 'revive') !== revive) continue;
    table.ids.push(id);
    table.weights.push(weight);
  }
  return table;
}

function tablesFor(content: Content): Tables {
  let tables = tablesByContent.get(content);
  if (tables) return tables;
  const levels = content.difficulties.map((d) => d.level);
  const reviveEntries: [string, number][] = Object.keys(content.encounters).map((id) => [id, 1]);
  const byLocation: Record<string, Table[]> = {};
  for (const [id, location] of Object.entries(content.locations)) {
    const entries = Object.entries(location.encounters);
    byLocation[id] = levels.map((level) => buildTable(content, entries, level, false));
  }
  tables = { byLocation, revive: levels.map((level) => buildTable(content, reviveEntries, level, true)) };
  tablesByContent.set(content, tables);
  return tables;
}

/** Weight rules of the mission's weather/time and the conscious survivors' perks. */
function weightRules(ctx: TickContext): [string, ModifierRule][] {
  const rules: [string, ModifierRule][] = [];
  for (const id of ctx.draft.modifiers) {
    const modifier = ctx.content.modifiers[id];
    for (const rule of modifier?.rules ?? []) {
      if (rule.kind === 'weight') rules.push([`${modifier?.kind}:${id}`, rule]);
    }
  }
  rules.push(...ctx.stanceRules('weight'));
  for (const member of ctx.draft.party) {
    if (!isConscious(member)) continue;
    for (const id of member.items) {
      for (const rule of ctx.content.items[id]?.rules ?? []) {
        if (rule.kind === 'weight') rules.push([`item:${id}`, rule]);
      }
    }
    for (const id of member.perks) {
      for (const rule of ctx.content.perks[id]?.rules ?? []) {
        if (rule.kind === 'weight') rules.push([`perk:${id}`, rule]);
      }
    }
  }
  return rules;
}

/**
 * Weight kept by an encounter told 1, 2, 3, 4 ticks ago: never the same twice in a row, and the
 * recent ones seldom, so a location's whole table comes round before anything repeats.
 */
const RECENT_DAMPING = [0, 0.25, 0.5, 0.75];

/**
 * The share of weight an encounter keeps for its worn outcomes: each outcome whose fitting
 * templates were all told this round (choose-template.ts) multiplies it by the rules'
 * `wornTextWeight`, so an encounter with nothing new to say waits while others have.
 */
function wornFactor(ctx: TickContext, position: number): number {
  const told = ctx.draft.told ?? [];
  let factor = 1;
  for (const tier of TIERS)
    if (isWorn(told[toldSlot(position, tier)] ?? 0)) factor *= ctx.content.rules.wornTextWeight;
  return factor;
}

/**
 * Weights of the table's encounters that fit the scene (location, weather, time), damped by
 * recency and by worn text.
 */
function sceneWeights(ctx: TickContext, table: Table, damp: boolean): number[] {
  const recent = ctx.draft.recent ?? [];
  const positions = encounterPositions(ctx.content, ctx.draft.location);
  return table.ids.map((id, i) => {
    const e = ctx.content.encounters[id];
    if (!e || !fits(e, ctx.tags)) return 0;
    let w = table.weights[i] ?? 0;
    if (damp) {
      const position = positions.get(id) ?? -1;
      const ago = recent.length - recent.lastIndexOf(position);
      if (ago <= recent.length) w *= RECENT_DAMPING[ago - 1] ?? 1;
      w *= wornFactor(ctx, position);
    }
    return w;
  });
}

/**
 * The tick's encounter: a revive while someone is down and someone can help, otherwise one
 * from the location's table for this difficulty; only encounters that fit the scene, damped
 * when told lately, weighted by weather, time and perks.
 */
export function chooseEncounter(ctx: TickContext): string {
  const party = ctx.draft.party;
  const needsRevive = party.some((m) => m.downed && !m.dead) && party.some(isConscious);
  const tables = tablesFor(ctx.content);
  const byLevel = needsRevive ? tables.revive : tables.byLocation[ctx.draft.location];
  const table = byLevel?.[ctx.draft.difficulty - 1] ?? { ids: [], weights: [] };
  const rules = weightRules(ctx);
  let weights = sceneWeights(ctx, table, true);
  // Only one encounter fits (a lone revive): telling it again beats telling nothing.
  if (!weights.some((w) => w > 0)) weights = sceneWeights(ctx, table, false);
  if (!weights.some((w) => w > 0)) weights = table.weights;
  if (rules.length > 0) {
    weights = table.ids.map((id, i) => {
      const tags = ctx.content.encounters[id]?.tags ?? [];
      let w = weights[i] ?? 0;
      for (const [, rule] of rules) if (rule.tag === undefined || tags.includes(rule.tag)) w *= rule.value;
      return w;
    });
  }
  const index = ctx.rng.weightedIndex(weights);
  const id = table.ids[index];
  if (id === undefined) {
    throw new RangeError(
      `No eligible encounter at ${ctx.draft.location}, difficulty ${ctx.draft.difficulty}`,
    );
  }
  const chosenTags = ctx.content.encounters[id]?.tags ?? [];
  for (const [source, rule] of rules) {
    if (rule.value !== 1 && (rule.tag === undefined || chosenTags.includes(rule.tag))) ctx.note(source);
  }
  return id;
}
