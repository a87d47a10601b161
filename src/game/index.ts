// The game rules: pure, deterministic, no I/O. Everything public is re-exported here.

export type { BalanceOptions, BalanceReport, DifficultyFigures } from './balance-simulation.js';
export { DEFAULT_RETREAT_BELOW, playMission, shouldRetreat, simulateBalance } from './balance-simulation.js';
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
export * from './errors.js';
export type { MissionResult, SurvivorOutcome } from './finish-mission.js';
export { finishMission } from './finish-mission.js';
export { transition } from './lifecycle.js';
export { MISSION_LENGTH_SCALE, type MissionLength, scaledMissionLength } from './mission-length.js';
export type { MissionState, MissionStatus, PartyMember } from './mission-state.js';
export { closingLine, LINE_BREAK, openingLine, sceneTags } from './narrate-mission.js';
export { equipPerk, unequipPerk } from './perks.js';
export { levelForXp, MAX_LEVEL, perkSlotsForLevel, xpForLevel } from './progression.js';
export {
  AMOUNT_PLACEHOLDERS,
  NAME_PLACEHOLDERS,
  placeholdersOf,
  SCENE_PLACEHOLDERS,
  TEXT_FACTS,
} from './render-text.js';
export { newMissionSeed, tickSeed } from './rng.js';
export type { TickLog } from './simulate-tick.js';
export { RETREAT_ENCOUNTER_ID, retreatTick, simulateTick } from './simulate-tick.js';
export {
  MAX_DIFFICULTY,
  MAX_PARTY_SIZE,
  MIN_DIFFICULTY,
  MIN_PARTY_SIZE,
  startMission,
} from './start-mission.js';
export type { Attributes, LifecycleState, Survivor } from './survivor.js';
export { createSurvivor, MAX_ATTRIBUTE, maxHealthFor, maxStaminaFor } from './survivor.js';
export { MAX_NAME_LENGTH, MIN_NAME_LENGTH, validateSurvivorName } from './survivor-name.js';
export type { TickEffect } from './tick-effects.js';
export { applyEffects } from './tick-effects.js';
