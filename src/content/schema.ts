import { z } from 'zod';

/*
 * The schema of each content file. Objects are strict so that a misspelt key is an error
 * instead of a silently ignored setting. Cross-references between files are checked in
 * cross-check.ts, after every file has passed these.
 */

const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case id (a-z, 0-9, -)');
const tag = z.string().regex(/^[a-z0-9-]+$/, 'must be a lowercase tag');
const attribute = z.enum(['grit', 'wits', 'agility']);
const int = z.number().int();
const difficultyLevel = int.min(1).max(5);

const gate = {
  requires: z.array(tag).default([]),
  excludes: z.array(tag).default([]),
};

/** A template is a plain string (fits every scene) or a string with the scenes it fits. */
const templateSchema = z
  .union([z.string().min(1), z.strictObject({ text: z.string().min(1), ...gate })])
  .transform((t) => (typeof t === 'string' ? { text: t, requires: [], excludes: [] } : t));

/** Templates an outcome or a closing needs at least, so that a mission's lines rarely repeat. */
export const MIN_TEMPLATES = 4;
/** The most an outcome may have: the text's memory keeps one bit per template. */
const MAX_TEMPLATES = 16;

export const ruleSchema = z.strictObject({
  kind: z.enum(['check', 'damage', 'heal', 'supplies', 'xp', 'stamina_cost', 'weight', 'regen', 'loot']),
  value: z.number().finite(),
  tag: tag.optional(),
  attribute: attribute.optional(),
});

/** Bounds of rules.json retreatVoteWindowMs: at least two ticks' worth, at most 10 minutes. */
const RETREAT_VOTE_WINDOW_MIN_MS = 10_000;
const RETREAT_VOTE_WINDOW_MAX_MS = 600_000;

export const rulesFileSchema = z.strictObject({
  die: int.min(2),
  partialMargin: int.min(0),
  helpBonus: int.min(0),
  maxHelpBonus: int.min(0),
  fatiguePenalty: int.min(0),
  staminaRegen: int.min(0),
  startingSupplies: int.min(0),
  completionXpPerTick: z.number().min(0),
  retreatXpShare: z.number().min(0).max(1),
  failedXpShare: z.number().min(0).max(1),
  retreatSuppliesShare: z.number().min(0).max(1),
  failedSuppliesShare: z.number().min(0).max(1),
  recoveryMsPerHealth: int.min(0),
  perkOffers: int.min(0),
  minReviveHealth: int.min(1),
  choiceEvery: int.min(2),
  choiceWindow: int.min(1),
  // A vote shorter than a tick or two cannot gather a party; votes are kept an hour in Redis.
  retreatVoteWindowMs: int.min(RETREAT_VOTE_WINDOW_MIN_MS).max(RETREAT_VOTE_WINDOW_MAX_MS),
  maxDamageReduction: int.min(0),
  lootChance: z.number().min(0).max(1),
  wornTextWeight: z.number().positive().max(1),
  prices: z.strictObject({
    recoverPerMinute: int.min(0),
    revive: int.min(0),
    rerollOffers: int.min(0),
  }),
});

export const stancesFileSchema = z.record(
  id,
  z.strictObject({
    name: z.string().min(1),
    description: z.string().min(1),
    rules: z.array(ruleSchema),
  }),
);

export const itemsFileSchema = z.record(
  id,
  z.strictObject({
    name: z.string().min(1),
    plural: z.boolean(),
    description: z.string().min(1),
    value: int.min(0),
    rules: z.array(ruleSchema).min(1, 'an item is a modifier: it needs at least one rule'),
  }),
);

export const lootFileSchema = z.record(id, z.record(id, z.number().positive('weights must be positive')));

export const difficultiesFileSchema = z
  .array(
    z.strictObject({
      level: difficultyLevel,
      name: z.string().min(1),
      length: int.min(1).max(1000),
      dc: int,
      reward: z.number().positive(),
      danger: z.number().positive(),
      deathChance: z.number().min(0).max(1),
    }),
  )
  .length(5, 'there must be exactly 5 difficulties');

export const statusesFileSchema = z.record(
  id,
  z.strictObject({
    name: z.string().min(1),
    healthPerTick: int,
    staminaPerTick: int,
    checkBonus: int,
  }),
);

export const modifiersFileSchema = z.record(
  id,
  z.strictObject({
    kind: z.enum(['weather', 'time']),
    name: z.string().min(1),
    phrase: z.string().min(1),
    weight: z.number().positive(),
    tags: z.array(tag),
    rules: z.array(ruleSchema),
  }),
);

export const perksFileSchema = z.record(
  id,
  z.strictObject({
    name: z.string().min(1),
    description: z.string().min(1),
    minLevel: int.min(1),
    rules: z.array(ruleSchema).min(1, 'a perk needs at least one rule'),
  }),
);

export const locationsFileSchema = z.record(
  id,
  z.strictObject({
    name: z.string().min(1),
    description: z.string().min(1),
    traits: z.array(tag),
    encounters: z.record(id, z.number().positive('weights must be positive')),
  }),
);

const range = { min: int, max: int };
const effectSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.enum(['health', 'stamina', 'supplies', 'xp']), ...range }),
  z.strictObject({ type: z.literal('status'), status: id, ticks: int.min(1) }),
  z.strictObject({ type: z.literal('cure'), status: id }),
  z.strictObject({ type: z.literal('revive'), min: int.min(1), max: int.min(1) }),
]);

const outcomeSchema = z.strictObject({
  effects: z.array(effectSchema),
  text: z
    .array(templateSchema)
    .min(MIN_TEMPLATES, `each outcome needs at least ${MIN_TEMPLATES} text templates`)
    .max(MAX_TEMPLATES, `an outcome may have at most ${MAX_TEMPLATES} text templates`),
});

export const encountersFileSchema = z.record(
  id,
  z.strictObject({
    kind: z.enum(['spotlight', 'party', 'revive']),
    tags: z.array(tag),
    ...gate,
    minDifficulty: difficultyLevel,
    maxDifficulty: difficultyLevel,
    check: z.strictObject({ attribute, dc: int, stamina: int.min(0) }),
    outcomes: z.strictObject({ success: outcomeSchema, partial: outcomeSchema, failure: outcomeSchema }),
  }),
);

const templates = z.array(templateSchema).min(MIN_TEMPLATES, `needs at least ${MIN_TEMPLATES} templates`);

export const narrationFileSchema = z.strictObject({
  opening: templates,
  closing: z.strictObject({ succeeded: templates, failed: templates, retreated: templates }),
});
