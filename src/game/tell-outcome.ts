import { chooseTemplate, zeroFacts } from './choose-template.js';
import type { Outcome, OutcomeTier } from './content-types.js';
import { type AppliedAmounts, amountValues, joinNames, renderText, type TextValues } from './render-text.js';
import { encounterPositions, toldSlot } from './text-memory.js';
import type { TickContext } from './tick-context.js';

export interface Telling {
  encounterId: string;
  tier: OutcomeTier;
  outcome: Outcome;
  amounts: AppliedAmounts;
  /** Party indexes: who acts, who bears the outcome, who is down (-1: nobody). */
  actor: number;
  targets: number[];
  downed: number;
}

/**
 * The line of a resolved outcome: a template that fits the scene and the amounts actually applied,
 * not told lately in this mission, rendered with the survivors' names. Records the telling in the
 * mission's text memory (a `told` effect), so the next ticks damp this encounter and template.
 */
export function tellOutcome(ctx: TickContext, t: Telling): string {
  const names: string[] = [];
  for (const i of t.targets) names.push(ctx.member(i).name);
  const plural = names.length > 1;
  const tags = [...ctx.tags, plural ? 'many' : 'one', ...zeroFacts(t.amounts)];
  const position = encounterPositions(ctx.content, ctx.draft.location).get(t.encounterId) ?? 0;
  const { template, told } = chooseTemplate(t.outcome.text, tags, t.amounts, {
    seed: ctx.draft.seed,
    key: `${t.encounterId}:${t.tier}`,
    told: ctx.draft.told?.[toldSlot(position, t.tier)] ?? 0,
  });
  const values: TextValues = {
    name: ctx.member(t.actor).name,
    party: joinNames(names),
    target: t.downed >= 0 ? ctx.member(t.downed).name : ctx.member(t.actor).name,
  };
  amountValues(t.amounts, values);
  ctx.emit({ t: 'told', e: t.encounterId, o: t.tier, p: position, v: told });
  return renderText(template.text, values, plural);
}
