/*
 * The shape of game content. The data lives in src/content/ (loaded and validated there);
 * the rules only read it. Every number a designer may want to tune lives here, not in code.
 */

export type AttributeName = 'grit' | 'wits' | 'agility';

/**
 * One rule that perks, weather and time of day share; encounters consult the rules in play.
 * - check: added to check rolls (negative is a penalty)
 * - damage: subtracted from damage taken (negative means more damage), never below 1
 * - heal: added to healing received
 * - supplies: added to supplies found
 * - xp: percent added to XP earned
 * - stamina_cost: subtracted from an encounter's stamina cost
 * - weight: multiplies the weight of encounters carrying `tag` (e.g. storms make storm encounters likelier)
 * - regen: health each conscious survivor regains at the start of every tick
 * - loot: percent added to the chance of finding an item each tick
 */
export interface ModifierRule {
  kind: 'check' | 'damage' | 'heal' | 'supplies' | 'xp' | 'stamina_cost' | 'weight' | 'regen' | 'loot';
  value: number;
  /** Applies only while this tag is active (location trait, weather/time tag or encounter tag). */
  tag?: string;
  /** For `check` rules: applies only to checks of this attribute. */
  attribute?: AttributeName;
}

export interface Perk {
  name: string;
  description: string;
  /** Lowest survivor level that may equip it. */
  minLevel: number;
  rules: ModifierRule[];
}

/**
 * Which scene a piece of content fits. The scene's tags are the location's traits, the weather's
 * and time of day's tags and, for templates, facts of the outcome (see render-text.ts).
 */
export interface Gate {
  /** Every one of these tags must be active. */
  requires: string[];
  /** None of these tags may be active. */
  excludes: string[];
}

/** One line of text and the scenes it fits. See render-text.ts for placeholders. */
export interface TextTemplate extends Gate {
  text: string;
}

/** Weather or time of day, drawn once at mission start. */
export interface Modifier {
  kind: 'weather' | 'time';
  name: string;
  /** How the opening line says it: "through thick fog", "at dusk". */
  phrase: string;
  /** Relative chance of being drawn among modifiers of the same kind. */
  weight: number;
  /** Tags it makes active for the whole mission. */
  tags: string[];
  rules: ModifierRule[];
}

/** A way of moving through a mission, chosen at choice points; its rules apply while it holds. */
export interface Stance {
  name: string;
  description: string;
  rules: ModifierRule[];
}

/** Something found on a mission and kept in the stash; carried on a later mission, it is a modifier. */
export interface Item {
  name: string;
  /** The name is a plural ("Energy bars"): a line says "finds some energy bars", not "a". */
  plural: boolean;
  description: string;
  /** What it is worth in supplies (the leaderboard's loot value). */
  value: number;
  rules: ModifierRule[];
}

export interface Location {
  name: string;
  description: string;
  /** Tags active for every encounter here (perks and modifiers key on them). */
  traits: string[];
  /** Encounter id → relative weight. */
  encounters: Record<string, number>;
}

export interface Difficulty {
  level: number;
  name: string;
  /** Mission length in ticks. */
  length: number;
  /** Base difficulty class of checks; encounters add their own offset. */
  dc: number;
  /** Multiplier of XP and supplies found. */
  reward: number;
  /** Multiplier of damage taken. */
  danger: number;
  /** Chance that a survivor brought to 0 health dies instead of going down; 0 means nobody dies. */
  deathChance: number;
}

export type EffectSpec =
  | { type: 'health' | 'stamina' | 'supplies' | 'xp'; min: number; max: number }
  | { type: 'status'; status: string; ticks: number }
  | { type: 'cure'; status: string }
  | { type: 'revive'; min: number; max: number };

export interface Outcome {
  effects: EffectSpec[];
  /** Templates; the rules tell them in turn (choose-template.ts), skipping those that do not fit. */
  text: TextTemplate[];
}

export type OutcomeTier = 'success' | 'partial' | 'failure';

/**
 * - spotlight: one conscious survivor acts and bears the outcome
 * - party: the best-suited survivor acts, the others help; the outcome hits everyone conscious
 * - revive: drawn instead of the location's table while someone is down and someone can help
 */
export interface Encounter extends Gate {
  kind: 'spotlight' | 'party' | 'revive';
  tags: string[];
  minDifficulty: number;
  maxDifficulty: number;
  check: { attribute: AttributeName; dc: number; stamina: number };
  outcomes: Record<OutcomeTier, Outcome>;
}

export interface StatusEffect {
  name: string;
  /** Health change per tick (negative hurts, but never below 1: a status alone never downs anyone). */
  healthPerTick: number;
  staminaPerTick: number;
  checkBonus: number;
}

/** Global tunables. */
export interface Rules {
  /** Sides of the check die. */
  die: number;
  /** A roll that misses the DC by at most this much is a partial success. */
  partialMargin: number;
  /** Check bonus per helping survivor in party encounters, and its cap. */
  helpBonus: number;
  maxHelpBonus: number;
  /** Check penalty when the actor lacks the stamina an encounter costs. */
  fatiguePenalty: number;
  /** Stamina every conscious survivor regains at the start of each tick. */
  staminaRegen: number;
  startingSupplies: number;
  /** XP per completed tick granted at the end of a successful mission, before the reward multiplier. */
  completionXpPerTick: number;
  /** Share of XP earned kept on a retreat and on a failure. */
  retreatXpShare: number;
  failedXpShare: number;
  /** Share of supplies kept on a retreat and on a failure. */
  retreatSuppliesShare: number;
  failedSuppliesShare: number;
  /** Recovery time per point of lost health, in ms. */
  recoveryMsPerHealth: number;
  /** Perks offered per level-up. */
  perkOffers: number;
  /** Health a revived survivor is brought back to is at least this. */
  minReviveHealth: number;
  /** A choice point opens after every this many ticks. */
  choiceEvery: number;
  /** Ticks a choice point stays open (the vote's timer) before the choice applies. */
  choiceWindow: number;
  /**
   * How long a group member's vote to retreat counts, in ms (10,000–600,000): the party falls back
   * once more than half of its members have asked within this time. @default 30000
   */
  retreatVoteWindowMs: number;
  /** The most damage reduction that perks, items and stances together can give. */
  maxDamageReduction: number;
  /** Chance per tick of finding an item, before the difficulty's reward and loot rules. */
  lootChance: number;
  /**
   * Weight an encounter keeps for each of its outcomes that has told every template fitting the
   * scene this round (0 < w <= 1; 1 turns the damping off): its next telling would repeat a line.
   */
  wornTextWeight: number;
  /** What supplies buy. */
  prices: {
    /** Supplies per started minute of recovery skipped. */
    recoverPerMinute: number;
    /** Bringing a dead survivor back. */
    revive: number;
    /** A new draw of a survivor's perk offers. */
    rerollOffers: number;
  };
}

/** The lines that open and close a mission (narrate-mission.ts). */
export interface Narration {
  opening: TextTemplate[];
  closing: Record<'succeeded' | 'failed' | 'retreated', TextTemplate[]>;
}

export interface Content {
  /** sha256 of the canonical content, first 16 hex chars: recorded on every mission. */
  version: string;
  rules: Rules;
  locations: Record<string, Location>;
  /** Indexed by level - 1: difficulties[0] is level 1. */
  difficulties: Difficulty[];
  encounters: Record<string, Encounter>;
  perks: Record<string, Perk>;
  /** Weather and time-of-day modifiers by id. */
  modifiers: Record<string, Modifier>;
  stances: Record<string, Stance>;
  items: Record<string, Item>;
  /** Location id → item id → relative weight: what can be found where. */
  loot: Record<string, Record<string, number>>;
  statuses: Record<string, StatusEffect>;
  narration: Narration;
}
