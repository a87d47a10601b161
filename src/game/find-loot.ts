import { itemPhrase } from './item-phrase.js';
import { isConscious } from './mission-state.js';
import type { TickContext } from './tick-context.js';

/*
 * Items found along the way. Each tick the party may find one item from the location's loot table:
 * the chance grows with the difficulty's reward (risk pays) and with loot rules (the search stance,
 * a lucky charm). Drawn after the encounter from the same tick stream, so it is as deterministic as
 * the rest of the tick.
 */

/** Finds at most one item this tick; returns the sentence to append to the line ('' for none). */
export function findLoot(ctx: TickContext): string {
  const table = ctx.content.loot[ctx.draft.location];
  if (!table) return '';
  let finder = -1;
  let bonus = 0;
  ctx.draft.party.forEach((m, i) => {
    if (!isConscious(m)) return;
    const mine = ctx.ruleBonus(i, 'loot');
    if (finder < 0 || mine > bonus) {
      finder = i;
      bonus = mine;
    }
  });
  if (finder < 0) return '';
  const chance = ctx.content.rules.lootChance * ctx.level.reward * Math.max(0, 1 + bonus / 100);
  if (!ctx.rng.chance(Math.min(1, chance))) return '';
  const ids = Object.keys(table).sort();
  const id = ids[ctx.rng.weightedIndex(ids.map((i) => table[i] ?? 0))];
  const item = id === undefined ? undefined : ctx.content.items[id];
  if (!id || !item) return '';
  ctx.emit({ t: 'item', i: id });
  return ` ${ctx.member(finder).name} finds ${itemPhrase(item)}.`;
}
