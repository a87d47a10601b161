/*
 * Story lines from templates. Placeholders:
 *   {name}      the survivor who acts
 *   {party}     everyone the outcome hits: "Ana", "Ana and Bo", "Ana, Bo and Cy"
 *   {target}    the downed survivor in a revive encounter
 *   {hp} {stamina} {xp}   the amount the outcome's first effect of that type actually applied
 *   {supplies}  the same, with its noun: "1 supply", "4 supplies"
 *   {place} {weather} {time}   the location's name and the modifiers' phrases (opening and closing lines)
 *   {one|many}  grammatical number agreeing with {party}: "{crawls|crawl}", "{was|were}"
 * Content validation (src/content) rejects any other placeholder and any number placeholder
 * whose effect the outcome lacks, so a rendered line never shows braces, undefined or NaN.
 *
 * Facts a template may require or exclude besides the scene's tags (see TEXT_FACTS):
 *   one / many            {party} is one survivor / several
 *   zero-hp, zero-stamina, zero-supplies, zero-xp   that effect changed nothing (healing at full
 *                         health, supplies lost from an empty pack); a template that shows the
 *                         amount is never told then
 *   losses / carried      (closing lines) someone died / someone is carried out
 */

export const NAME_PLACEHOLDERS = ['name', 'party', 'target'] as const;
export const AMOUNT_PLACEHOLDERS = ['hp', 'stamina', 'supplies', 'xp'] as const;
export const SCENE_PLACEHOLDERS = ['place', 'weather', 'time'] as const;
export type AmountName = (typeof AMOUNT_PLACEHOLDERS)[number];
export type TextValues = Partial<
  Record<(typeof NAME_PLACEHOLDERS)[number] | AmountName | (typeof SCENE_PLACEHOLDERS)[number], string>
>;
/** Amounts an outcome actually applied, by placeholder: the first effect of each type. */
export type AppliedAmounts = Partial<Record<AmountName, number>>;

export const TEXT_FACTS = [
  'one',
  'many',
  'zero-hp',
  'zero-stamina',
  'zero-supplies',
  'zero-xp',
  'losses',
  'carried',
] as const;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Placeholder names used by a template, agreement pairs excluded. */
export function placeholdersOf(template: string): string[] {
  const found: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const key = match[1] ?? '';
    if (!key.includes('|')) found.push(key);
  }
  return found;
}

export function suppliesText(n: number): string {
  return `${n} ${n === 1 ? 'supply' : 'supplies'}`;
}

/** The text values of applied amounts: magnitudes, supplies with their noun. */
export function amountValues(amounts: AppliedAmounts, values: TextValues): void {
  for (const key of AMOUNT_PLACEHOLDERS) {
    const n = amounts[key];
    if (n === undefined) continue;
    values[key] = key === 'supplies' ? suppliesText(Math.abs(n)) : String(Math.abs(n));
  }
}

/** "Ana", "Ana and Bo", "Ana, Bo and Cy". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** A template split once into literal text (even indexes) and placeholder keys (odd indexes). */
type ParsedTemplate = string[];
// Templates come from content and are few; parsing each once keeps rendering off the regex engine.
const parsed = new Map<string, ParsedTemplate>();

function parse(template: string): ParsedTemplate {
  let parts = parsed.get(template);
  if (!parts) {
    parts = template.split(PLACEHOLDER);
    parsed.set(template, parts);
  }
  return parts;
}

/** The amount placeholders a template shows (cached with its parse). */
export function shownAmounts(template: string): AmountName[] {
  const parts = parse(template);
  const out: AmountName[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i] as AmountName;
    if ((AMOUNT_PLACEHOLDERS as readonly string[]).includes(key)) out.push(key);
  }
  return out;
}

export function renderText(template: string, values: TextValues, plural: boolean): string {
  const parts = parse(template);
  let out = parts[0] ?? '';
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i]!;
    const bar = key.indexOf('|');
    let value: string | undefined;
    if (bar >= 0) value = plural ? key.slice(bar + 1) : key.slice(0, bar);
    else value = values[key as keyof TextValues];
    if (value === undefined) throw new Error(`Template placeholder {${key}} has no value: "${template}"`);
    out += value + (parts[i + 1] ?? '');
  }
  return out;
}
