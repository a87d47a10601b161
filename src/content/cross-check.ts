import type { Content, EffectSpec, Encounter, ModifierRule, Outcome, TextTemplate } from '../game/index.js';
import {
  AMOUNT_PLACEHOLDERS,
  DEFAULT_STANCE,
  NAME_PLACEHOLDERS,
  placeholdersOf,
  SCENE_PLACEHOLDERS,
} from '../game/index.js';
import { ContentError } from './content-error.js';

/*
 * Checks that need more than one file or more than a field's own value: references resolve,
 * ranges are ordered, every location can always draw an encounter, and every template's
 * placeholders can be filled. Anything that passes here is safe for the rules to run on.
 */

type Unversioned = Omit<Content, 'version'>;

const AMOUNT_EFFECT: Record<(typeof AMOUNT_PLACEHOLDERS)[number], readonly string[]> = {
  hp: ['health', 'revive'],
  stamina: ['stamina'],
  supplies: ['supplies'],
  xp: ['xp'],
};

function checkRules(file: string, path: string, rules: readonly ModifierRule[]): void {
  rules.forEach((rule, i) => {
    const at = `${path}.rules[${i}]`;
    if (rule.attribute !== undefined && rule.kind !== 'check') {
      throw new ContentError(file, `${at}.attribute`, 'only check rules can name an attribute');
    }
    if (rule.kind === 'weight' && !(rule.value > 0)) {
      throw new ContentError(file, `${at}.value`, 'a weight rule multiplies weights and must be positive');
    }
  });
}

/** Whether an effect can change nothing at all (healing at full health, losing from an empty pack). */
function canBeZero(effect: EffectSpec): boolean {
  switch (effect.type) {
    case 'health':
      return effect.min > 0;
    case 'stamina':
      return true;
    case 'supplies':
    case 'xp':
      return effect.min <= 0;
    default:
      return false;
  }
}

/**
 * Every outcome keeps one template told when nothing else fits: no gate, and no amount that
 * may be 0 — so the rules never need to tell a line that does not fit.
 */
function checkFallback(file: string, at: string, outcome: Outcome): void {
  const plain = outcome.text.some(
    (t) =>
      t.requires.length === 0 &&
      t.excludes.length === 0 &&
      placeholdersOf(t.text).every((key) => {
        const types = AMOUNT_EFFECT[key as keyof typeof AMOUNT_EFFECT];
        if (!types) return true;
        const effect = outcome.effects.find((e) => types.includes(e.type));
        return effect === undefined || !canBeZero(effect);
      }),
  );
  if (!plain) {
    throw new ContentError(
      file,
      at,
      'needs one template with no requires/excludes that shows no amount which can be 0',
    );
  }
}

/** Opening and closing lines: the scene's placeholders only, and one plain template. */
function checkNarration(content: Unversioned): void {
  const lists: [string, readonly TextTemplate[]][] = [
    ['opening', content.narration.opening],
    ...Object.entries(content.narration.closing).map(
      ([k, v]) => [`closing.${k}`, v] as [string, readonly TextTemplate[]],
    ),
  ];
  for (const [path, templates] of lists) {
    templates.forEach((t, i) => {
      for (const key of placeholdersOf(t.text)) {
        if (key !== 'party' && !(SCENE_PLACEHOLDERS as readonly string[]).includes(key)) {
          throw new ContentError('narration.json', `${path}[${i}]`, `unknown placeholder {${key}}`);
        }
      }
    });
    if (!templates.some((t) => t.requires.length === 0 && t.excludes.length === 0)) {
      throw new ContentError('narration.json', path, 'needs one template with no requires/excludes');
    }
  }
}

function checkTemplate(file: string, at: string, template: string, encounter: Encounter, outcome: Outcome) {
  const stripped = template.replace(/\{[^{}]*\}/g, '');
  if (stripped.includes('{') || stripped.includes('}')) {
    throw new ContentError(file, at, `unbalanced brace in "${template}"`);
  }
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    const key = match[1] ?? '';
    if (key.includes('|') && (key.split('|').length !== 2 || key.startsWith('|') || key.endsWith('|'))) {
      throw new ContentError(file, at, `agreement "{${key}}" must be {singular|plural}`);
    }
  }
  for (const key of placeholdersOf(template)) {
    if ((NAME_PLACEHOLDERS as readonly string[]).includes(key)) {
      if (key === 'target' && encounter.kind !== 'revive') {
        throw new ContentError(file, at, '{target} is only available in revive encounters');
      }
      continue;
    }
    const effectTypes = AMOUNT_EFFECT[key as keyof typeof AMOUNT_EFFECT];
    if (!effectTypes) {
      const known = [...NAME_PLACEHOLDERS, ...AMOUNT_PLACEHOLDERS].map((k) => `{${k}}`).join(' ');
      throw new ContentError(file, at, `unknown placeholder {${key}}; known: ${known} and {singular|plural}`);
    }
    if (!outcome.effects.some((e) => effectTypes.includes(e.type))) {
      throw new ContentError(file, at, `{${key}} needs a ${effectTypes.join(' or ')} effect in this outcome`);
    }
  }
}

function checkEncounter(file: string, id: string, e: Encounter, content: Unversioned): void {
  if (e.minDifficulty > e.maxDifficulty) {
    throw new ContentError(file, `${id}.maxDifficulty`, 'must not be below minDifficulty');
  }
  for (const [tier, outcome] of Object.entries(e.outcomes)) {
    outcome.effects.forEach((effect, i) => {
      const at = `${id}.outcomes.${tier}.effects[${i}]`;
      if (effect.type === 'status' || effect.type === 'cure') {
        if (!Object.hasOwn(content.statuses, effect.status)) {
          throw new ContentError(file, `${at}.status`, `unknown status "${effect.status}"`);
        }
        return;
      }
      if (effect.min > effect.max) throw new ContentError(file, `${at}.max`, 'must not be below min');
      if (effect.type === 'revive' && e.kind !== 'revive') {
        throw new ContentError(file, `${at}.type`, 'revive effects belong in revive encounters');
      }
      if (effect.type === 'xp' && effect.min < 0)
        throw new ContentError(file, `${at}.min`, 'XP is never lost');
      if ((effect.type === 'health' || effect.type === 'stamina') && effect.min < 0 !== effect.max < 0) {
        throw new ContentError(file, at, 'a range must be all gains or all losses');
      }
      if (effect.type === 'health' && (effect.min === 0 || effect.max === 0)) {
        throw new ContentError(file, at, 'a health change of 0 says nothing; leave the effect out');
      }
    });
    outcome.text.forEach((template, i) => {
      checkTemplate(file, `${id}.outcomes.${tier}.text[${i}]`, template.text, e, outcome);
    });
    checkFallback(file, `${id}.outcomes.${tier}.text`, outcome);
  }
  if (e.kind === 'revive' && !e.outcomes.success.effects.some((x) => x.type === 'revive')) {
    throw new ContentError(
      file,
      `${id}.outcomes.success.effects`,
      'a revive encounter must revive on success',
    );
  }
}

/** Throws ContentError on the first problem found. `encounterFiles` maps an encounter id to its file. */
export function crossCheck(content: Unversioned, encounterFiles: ReadonlyMap<string, string>): void {
  content.difficulties.forEach((d, i) => {
    if (d.level !== i + 1) {
      throw new ContentError('difficulties.json', `[${i}].level`, `expected level ${i + 1} here, in order`);
    }
  });
  for (const [id, perk] of Object.entries(content.perks)) checkRules('perks.json', id, perk.rules);
  for (const [id, modifier] of Object.entries(content.modifiers))
    checkRules('modifiers.json', id, modifier.rules);
  for (const [id, e] of Object.entries(content.encounters)) {
    checkEncounter(encounterFiles.get(id) ?? 'encounters', id, e, content);
  }
  for (const level of [1, 2, 3, 4, 5]) {
    const revives = Object.values(content.encounters).filter(
      (e) => e.kind === 'revive' && e.minDifficulty <= level && e.maxDifficulty >= level,
    );
    if (revives.length === 0) {
      throw new ContentError(
        'encounters',
        '(all files)',
        `no revive encounter is available at difficulty ${level}`,
      );
    }
  }
  for (const [id, location] of Object.entries(content.locations)) {
    for (const encounterId of Object.keys(location.encounters)) {
      const e = content.encounters[encounterId];
      const at = `${id}.encounters.${encounterId}`;
      if (!e) throw new ContentError('locations.json', at, `unknown encounter "${encounterId}"`);
      if (e.kind === 'revive') {
        throw new ContentError(
          'locations.json',
          at,
          'revive encounters are drawn by the rules, not from tables',
        );
      }
    }
    for (const level of [1, 2, 3, 4, 5]) {
      // An ungated one, so that every weather and time of day has something to tell.
      const any = Object.keys(location.encounters).some((encounterId) => {
        const e = content.encounters[encounterId];
        return (
          e !== undefined &&
          e.minDifficulty <= level &&
          e.maxDifficulty >= level &&
          e.requires.length === 0 &&
          e.excludes.length === 0
        );
      });
      if (!any) {
        throw new ContentError(
          'locations.json',
          `${id}.encounters`,
          `no encounter is available at difficulty ${level}`,
        );
      }
    }
  }
  checkNarration(content);
  if (Object.keys(content.locations).length === 0) {
    throw new ContentError('locations.json', '', 'there must be at least one location');
  }
  checkEconomy(content);
}

/** Stances, items and loot tables: every id they name exists, every location can be looted. */
function checkEconomy(content: Unversioned): void {
  for (const [id, stance] of Object.entries(content.stances)) checkRules('stances.json', id, stance.rules);
  for (const [id, item] of Object.entries(content.items)) checkRules('items.json', id, item.rules);
  if (!Object.hasOwn(content.stances, DEFAULT_STANCE)) {
    throw new ContentError('stances.json', '', `the default stance "${DEFAULT_STANCE}" must exist`);
  }
  for (const [locationId, table] of Object.entries(content.loot)) {
    if (!Object.hasOwn(content.locations, locationId))
      throw new ContentError('loot.json', locationId, `unknown location "${locationId}"`);
    for (const itemId of Object.keys(table)) {
      if (!Object.hasOwn(content.items, itemId))
        throw new ContentError('loot.json', `${locationId}.${itemId}`, `unknown item "${itemId}"`);
    }
  }
  for (const locationId of Object.keys(content.locations)) {
    if (Object.keys(content.loot[locationId] ?? {}).length === 0)
      throw new ContentError('loot.json', locationId, 'every location needs a loot table');
  }
}
