// The game rules: pure, deterministic, no I/O. Everything public is re-exported here.

export { growAttributes } from './attribute-growth.js';
export {
  DEFAULT_TICK_INTERVAL_MS,
  type MatrixCell,
  type MatrixOptions,
  type MatrixReport,
  poolCells,
  simulateCell,
  simulateMatrix,
} from './balance-matrix.js';
export type { BalanceOptions, BalanceReport, DifficultyFigures } from './balance-simulation.js';
export { simulateBalance } from './balance-simulation.js';
export {
  assertStance,
  isDecisionTick,
  openChoice,
  stanceOptions,
  type TickInput,
  tallyStance,
  tickInputOf,
} from './choice-point.js';
export { fits } from './choose-template.js';
export type {
  AttributeName,
  Content,
  Difficulty,
  EffectSpec,
  Encounter,
  Gate,
  Location,
  Modifier,
  ModifierRule,
  Outcome,
  OutcomeTier,
  Perk,
  Rules,
  StatusEffect,
  TextTemplate,
} from './content-types.js';
export {
  assertRevivable,
  PURCHASES,
  type Purchase,
  perkOfferSeed,
  purchasePrice,
  redrawnPerkOffers,
} from './economy.js';
export * from './errors.js';
export type { MissionResult, SurvivorOutcome } from './finish-mission.js';
export { finishMission } from './finish-mission.js';
export { indefiniteArticle, itemDeterminer, itemPhrase } from './item-phrase.js';
export { BIG_FIND_SUPPLIES, type KeyMoment, keyMoment, shownTags } from './key-moment.js';
export { recoveryOver, transition, wakeIfRecovered } from './lifecycle.js';
export { MISSION_LENGTH_SCALE, type MissionLength, scaledMissionLength } from './mission-length.js';
export type { MissionState, MissionStatus, PartyMember } from './mission-state.js';
export { DEFAULT_STANCE } from './mission-state.js';
export { closingLine, LINE_BREAK, openingLine, sceneTags } from './narrate-mission.js';
export { drawPerkOffers, firstPerkOffers } from './perk-offers.js';
export { equipPerk, returnPerkToOffers, takeOfferedPerk, unequipPerk } from './perks.js';
export { playMission } from './play-mission.js';
export {
  DEFAULT_RETREAT_BELOW,
  type PlayerPolicy,
  POLICY_NAMES,
  type PolicyName,
  partyHealthShare,
  playerPolicy,
  retreatBelowPolicy,
} from './player-policy.js';
export { levelForXp, MAX_LEVEL, perkSlotsForLevel, xpForLevel } from './progression.js';
export { recoveryPrice } from './recovery-price.js';
export {
  AMOUNT_PLACEHOLDERS,
  NAME_PLACEHOLDERS,
  placeholdersOf,
  SCENE_PLACEHOLDERS,
  TEXT_FACTS,
} from './render-text.js';
export { newMissionSeed, tickSeed } from './rng.js';
export { type SimPlayer, simSurvivor } from './sim-survivor.js';
export type { TickLog } from './simulate-tick.js';
export {
  AUTO_RETREAT_ENCOUNTER_ID,
  RETREAT_ENCOUNTER_ID,
  retreatTick,
  simulateTick,
} from './simulate-tick.js';
export {
  MAX_DIFFICULTY,
  MAX_PARTY_SIZE,
  MIN_DIFFICULTY,
  MIN_PARTY_SIZE,
  startMission,
} from './start-mission.js';
export type { Attributes, LifecycleState, Survivor } from './survivor.js';
export {
  createSurvivor,
  MAX_ATTRIBUTE,
  MAX_CARRIED_ITEMS,
  MAX_LIVING_SURVIVORS,
  maxHealthFor,
  maxStaminaFor,
} from './survivor.js';
export { MAX_NAME_LENGTH, MIN_NAME_LENGTH, validateSurvivorName } from './survivor-name.js';
export type { TickEffect } from './tick-effects.js';
export { applyEffects } from './tick-effects.js';
