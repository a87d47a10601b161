import type { Gate, TextTemplate } from './content-types.js';
import { type AppliedAmounts, shownAmounts } from './render-text.js';

/** FNV-1a 32 of a string: a fixed, cheap order of templates per mission and outcome. */
function orderHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** True when every required tag is active and no excluded one is. */
export function fits(gate: Gate, tags: readonly string[]): boolean {
  for (const t of gate.requires) if (!tags.includes(t)) return false;
  for (const t of gate.excludes) if (tags.includes(t)) return false;
  return true;
}

/** The facts of applied amounts: "zero-hp" when the health effect changed nothing, and so on. */
export function zeroFacts(amounts: AppliedAmounts): string[] {
  const facts: string[] = [];
  for (const [key, n] of Object.entries(amounts)) if (n === 0) facts.push(`zero-${key}`);
  return facts;
}

function tellable(template: TextTemplate, amounts: AppliedAmounts): boolean {
  for (const key of shownAmounts(template.text)) if (amounts[key] === 0) return false;
  return true;
}

/*
 * What the memory keeps per outcome slot, in one number: the templates told since the last round
 * began (a bit each, index < TEMPLATE_BITS), above them the last one told plus one (LAST_BITS),
 * and above that the WORN_FLAG: the last telling told the last template that fitted, so the next
 * one in that scene starts a new round and repeats an earlier line unless its amounts differ.
 */
const TEMPLATE_BITS = 16;
const TEMPLATE_MASK = (1 << TEMPLATE_BITS) - 1;
const LAST_BITS = 5;
const LAST_MASK = (1 << LAST_BITS) - 1;
const WORN_FLAG = 1 << (TEMPLATE_BITS + LAST_BITS);
/** Templates an outcome may have at most: one bit each in the memory. */
export const MAX_TEMPLATES = TEMPLATE_BITS;

/** True when an outcome slot's memory says every template that fitted has been told this round. */
export function isWorn(told: number): boolean {
  return (told & WORN_FLAG) !== 0;
}

function fittingIndexes(
  templates: readonly TextTemplate[],
  tags: readonly string[],
  amounts: AppliedAmounts,
): number[] {
  const all = templates.map((_, i) => i);
  let fitting = all.filter((i) => fits(templates[i]!, tags) && tellable(templates[i]!, amounts));
  if (fitting.length === 0) fitting = all.filter((i) => tellable(templates[i]!, amounts));
  return fitting.length > 0 ? fitting : all;
}

/**
 * The template to tell and the slot's new memory. Of the templates that fit the scene and the
 * amounts, the first not told this round, in an order fixed per mission and outcome; once all
 * were told a new round begins, never with the one told last. Needs no random draw, so it never
 * shifts the rules' random stream. Falls back to templates that only respect zero amounts, then
 * to all of them (content validation guarantees a plain one exists). Marks the slot worn when
 * this telling used up the fitting templates (encounter choice damps worn outcomes).
 */
export function chooseTemplate(
  templates: readonly TextTemplate[],
  tags: readonly string[],
  amounts: AppliedAmounts,
  memory: { seed: string; key: string; told: number },
): { template: TextTemplate; told: number } {
  const fitting = fittingIndexes(templates, tags, amounts);
  let round = memory.told & TEMPLATE_MASK;
  const last = ((memory.told >> TEMPLATE_BITS) & LAST_MASK) - 1;
  let open = fitting.filter((i) => (round & (1 << i)) === 0);
  if (open.length === 0) {
    round = 0;
    open = fitting.length > 1 ? fitting.filter((i) => i !== last) : fitting;
  }
  const offset = orderHash(`${memory.seed}:${memory.key}`) % templates.length;
  const n = templates.length;
  let chosen = open[0]!;
  for (const i of open) if ((i - offset + n) % n < (chosen - offset + n) % n) chosen = i;
  round |= 1 << chosen;
  const worn = fitting.every((i) => (round & (1 << i)) !== 0) ? WORN_FLAG : 0;
  return { template: templates[chosen]!, told: worn | ((chosen + 1) << TEMPLATE_BITS) | round };
}
