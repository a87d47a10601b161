/*
 * Story lines from templates. Placeholders:
 *   {name}      the survivor who acts
 *   {party}     everyone the outcome hits: "Ana", "Ana and Bo", "Ana, Bo and Cy"
 *   {target}    the downed survivor in a revive encounter
 *   {hp} {stamina} {xp}   the size of the outcome's first effect of that type
 *   {supplies}  the same, with its noun: "1 supply", "4 supplies"
 *   {one|many}  grammatical number agreeing with {party}: "{crawls|crawl}", "{was|were}"
 * Content validation (src/content) rejects any other placeholder and any number placeholder
 * whose effect the outcome lacks, so a rendered line never shows braces, undefined or NaN.
 */

export const NAME_PLACEHOLDERS = ['name', 'party', 'target'] as const;
export const AMOUNT_PLACEHOLDERS = ['hp', 'stamina', 'supplies', 'xp'] as const;
export type TextValues = Partial<
  Record<(typeof NAME_PLACEHOLDERS)[number] | (typeof AMOUNT_PLACEHOLDERS)[number], string>
>;

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
