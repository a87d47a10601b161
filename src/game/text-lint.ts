import type { Item } from './content-types.js';
import { indefiniteArticle, itemDeterminer } from './item-phrase.js';
import type { TickEffect } from './tick-effects.js';

/*
 * A lint over rendered lines: the defects a reader notices, each a rule with a name. It runs as
 * a property test over simulated missions (test/game/text.lint.test.ts) and in
 * `holdout simulate --lines`. Scene rules know the mission's tags (location traits, weather and
 * time of day), so town text in the forest or snow in a heatwave is a defect, not a judgement.
 */

export interface LineScene {
  /** Location traits and the weather's and time of day's tags. */
  tags: readonly string[];
  /** Survivors who set out. */
  partySize: number;
  names: readonly string[];
  /** The line of a retreat (the only lines that may say so). */
  retreat: boolean;
  /** What the tick applied: the amounts a line shows must be among them. */
  effects: readonly TickEffect[];
  /** The content's items, to check how a line names the items the tick found (`item` effects). */
  items?: Readonly<Record<string, Pick<Item, 'name' | 'plural'>>>;
}

/** A word that only fits some scenes: needs one of `needs` (if given) and none of `never`. */
interface SceneWord {
  rule: string;
  pattern: RegExp;
  needs?: string[];
  never?: string[];
}

const SCENE_WORDS: SceneWord[] = [
  {
    rule: 'night-words',
    pattern: /\b(moon\w*|midnight|starlight|tonight|all night|the night)\b/i,
    needs: ['night', 'dusk'],
  },
  {
    rule: 'sun-words',
    pattern: /\b(sun|sunlight|sunshine|sunlit|noon|midday)\b/i,
    needs: ['day'],
    never: ['fog', 'wet', 'snow'],
  },
  {
    rule: 'snow-words',
    pattern: /\b(snow\w*|blizzard|whiteout|frost\w*|icy|ice)\b/i,
    needs: ['cold'],
    never: ['heat'],
  },
  { rule: 'rain-words', pattern: /\b(rain(?! barrel)\w*|downpour|drizzle)\b/i, needs: ['wet'] },
  { rule: 'storm-words', pattern: /\b(thunder\w*|lightning)\b/i, needs: ['storm'] },
  { rule: 'fog-words', pattern: /\b(fog\w*|mist)\b/i, needs: ['fog'] },
  { rule: 'heat-words', pattern: /\b(heatwave|sweltering|scorching|the heat)\b/i, needs: ['heat'] },
  {
    rule: 'town-in-the-wild',
    pattern:
      /\b(streets?|shops?|sidewalks?|pavement|doorways?|storefronts?|parking|alleys?|kerb|basement|bricks?|rooftops?|joists)\b/i,
    never: ['wild'],
  },
  { rule: 'mall-words', pattern: /\b(mannequins?|escalators?|food court)\b/i, needs: ['shops'] },
  {
    rule: 'hospital-words',
    pattern: /\b(gurney|operating theatre|quarantine|nurses?|CPR)\b/i,
    needs: ['medical'],
  },
  { rule: 'forest-words', pattern: /\b(pines?|forest|undergrowth|bracken|ferns?)\b/i, needs: ['wild'] },
];

const GROUP_WORDS =
  /\b(everyone|everybody|all of them|each of them|the others|the whole party|every member)\b/i;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function hpDeltas(effects: readonly TickEffect[]): number[] {
  const out: number[] = [];
  for (const e of effects) if (e.t === 'hp') out.push(e.d);
  return out;
}

function amountDefects(part: string, effects: readonly TickEffect[]): string[] {
  const defects: string[] = [];
  const hp = hpDeltas(effects);
  for (const m of part.matchAll(/(\+?)(\d+) (health|damage)\b/g)) {
    const n = Number(m[2]);
    const ok =
      m[3] === 'damage' ? hp.includes(-n) : m[1] === '+' ? hp.includes(n) : hp.includes(n) || hp.includes(-n);
    if (!ok) defects.push('amount-not-applied');
  }
  const sup: number[] = [];
  for (const e of effects) if (e.t === 'sup') sup.push(Math.abs(e.d));
  for (const m of part.matchAll(/(\d+) suppl(y|ies)\b/g)) {
    if (!sup.includes(Number(m[1]))) defects.push('amount-not-applied');
  }
  return defects;
}

function agreementDefects(part: string, names: readonly string[]): string[] {
  const defects: string[] = [];
  if (/\bsomething\b[^.;]*\bthat (do|are|were|have)\b|\bsomething (do|are|were|have)\b/i.test(part))
    defects.push('agreement');
  for (const name of names) {
    // A name on its own as the subject takes a singular verb ("Ana are" is wrong, "Bo and Ana are" is not).
    if (new RegExp(`(?<!(, |and ))\\b${escapeRegExp(name)} (are|were|have|do)\\b`).test(part))
      defects.push('agreement');
  }
  if (names.length > 1) {
    const any = names.map(escapeRegExp).join('|');
    // Two or more names joined by "and" take a plural verb.
    if (new RegExp(`\\b(${any}) and (${any}) (is|was|has|does)\\b`).test(part)) defects.push('agreement');
  }
  return defects;
}

/** "a" before a vowel sound, "an" before a consonant: "a energy bar", "an crowbar". */
function articleDefects(part: string): string[] {
  const defects: string[] = [];
  for (const m of part.matchAll(/\b(a|an) ([A-Za-z][\w'-]*)/gi)) {
    if (m[1]!.toLowerCase() !== indefiniteArticle(m[2]!)) defects.push('article');
  }
  return defects;
}

// Words that may stand before an item's name other than its own a/an/some: "Cy's crowbar".
const OTHER_DETERMINERS = /^(the|this|that|his|her|their|its|my|your|our|\S+'s)$/;

/**
 * A found item named with its determiner: "finds a bandage roll", "finds some energy bars", never
 * "finds bandage roll" or "finds a energy bars".
 */
function itemDefects(text: string, scene: LineScene): string[] {
  const defects: string[] = [];
  for (const e of scene.effects) {
    if (e.t !== 'item') continue;
    const item = scene.items?.[e.i];
    if (!item) continue;
    const name = escapeRegExp(item.name.toLowerCase());
    for (const m of text.matchAll(new RegExp(`(\\S+) ${name}\\b`, 'gi'))) {
      const before = m[1]!.toLowerCase();
      if (before !== itemDeterminer(item) && !OTHER_DETERMINERS.test(before)) defects.push('item-article');
    }
  }
  return defects;
}

/** Defects of one line part (a rendered template), by rule name; empty when it reads well. */
export function lintPart(part: string, scene: LineScene): string[] {
  const defects: string[] = [];
  if (/[{}]|\bundefined\b|\bNaN\b|\bnull\b/.test(part)) defects.push('placeholder');
  if (/\b1 supplies\b|\b(0|[2-9]|\d{2,}) supply\b/.test(part)) defects.push('number-noun');
  if (/\b0 (health|damage|stamina|supplies|supply|XP)\b|\+0\b/.test(part)) defects.push('zero-amount');
  if (/ {2}|\s[,.;:!?)]|\(\s|^\s|\s$/.test(part)) defects.push('spacing');
  if (!/[.!?]$/.test(part)) defects.push('ending');
  const startsWithName = scene.names.some((n) => part.startsWith(n));
  if (!startsWithName && /^\p{Ll}/u.test(part)) defects.push('capital');
  if (/\b(\w+) \1\b/i.test(part)) defects.push('doubled-word');
  if (scene.partySize === 1 && GROUP_WORDS.test(part)) defects.push('group-word-solo');
  if (!scene.retreat && /\bretreat/i.test(part)) defects.push('retreat-word');
  for (const w of SCENE_WORDS) {
    if (!w.pattern.test(part)) continue;
    if (w.needs && !w.needs.some((t) => scene.tags.includes(t))) defects.push(w.rule);
    else if (w.never?.some((t) => scene.tags.includes(t))) defects.push(w.rule);
  }
  defects.push(...agreementDefects(part, scene.names));
  defects.push(...amountDefects(part, scene.effects));
  defects.push(...articleDefects(part));
  return defects;
}

/** Defects of a logged line, which may carry an opening or closing line (split on '\n'). */
export function lintLine(text: string, scene: LineScene): string[] {
  const defects: string[] = [];
  for (const part of text.split('\n')) defects.push(...lintPart(part, scene));
  defects.push(...itemDefects(text, scene));
  return defects;
}

/** How a mission's lines repeat: lines equal to an earlier one, and lines equal to the one before. */
export function repetition(texts: readonly string[]): { repeats: number; selfFollows: number } {
  const seen = new Set<string>();
  let repeats = 0;
  let selfFollows = 0;
  texts.forEach((text, i) => {
    if (seen.has(text)) repeats++;
    seen.add(text);
    if (i > 0 && texts[i - 1] === text) selfFollows++;
  });
  return { repeats, selfFollows };
}
