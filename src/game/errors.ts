/**
 * Typed errors of the game rules. Each carries a stable `code` that the API maps once to a
 * problem+json response, so callers branch on `code`, never on message text.
 */
export class GameRuleError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

export class InvalidSurvivorNameError extends GameRuleError {
  constructor(reason: string) {
    super('invalid_name', `Invalid survivor name: ${reason}`);
  }
}

export class IllegalTransitionError extends GameRuleError {
  constructor(
    readonly from: string,
    readonly to: string,
    reason?: string,
  ) {
    super('illegal_transition', `A survivor cannot go from ${from} to ${to}${reason ? `: ${reason}` : ''}`);
  }
}

export class SurvivorBusyError extends GameRuleError {
  constructor(survivorId: string, state: string) {
    super('survivor_busy', `Survivor ${survivorId} is ${state.replace('_', ' ')}`);
  }
}

export class SurvivorDeadError extends GameRuleError {
  constructor(survivorId: string) {
    super('survivor_dead', `Survivor ${survivorId} is dead`);
  }
}

export class UnknownPerkError extends GameRuleError {
  constructor(perkId: string) {
    super('unknown_perk', `There is no perk "${perkId}"`);
  }
}

export class PerkLockedError extends GameRuleError {
  constructor(perkId: string, minLevel: number) {
    super('perk_locked', `Perk "${perkId}" needs level ${minLevel}`);
  }
}

export class PerkSlotsFullError extends GameRuleError {
  constructor(slots: number) {
    super('perk_slots_full', `All ${slots} perk slots are in use`);
  }
}

export class PerkAlreadyEquippedError extends GameRuleError {
  constructor(perkId: string) {
    super('perk_already_equipped', `Perk "${perkId}" is already equipped`);
  }
}

export class PerkNotEquippedError extends GameRuleError {
  constructor(perkId: string) {
    super('perk_not_equipped', `Perk "${perkId}" is not equipped`);
  }
}

export class UnknownLocationError extends GameRuleError {
  constructor(location: string) {
    super('unknown_location', `There is no location "${location}"`);
  }
}

export class InvalidDifficultyError extends GameRuleError {
  constructor(difficulty: unknown) {
    super('invalid_difficulty', `Difficulty must be an integer from 1 to 5, got ${String(difficulty)}`);
  }
}

export class PartySizeError extends GameRuleError {
  constructor(size: number, min: number, max: number) {
    super('party_size', `A party has ${min} to ${max} survivors, got ${size}`);
  }
}

export class DuplicateSurvivorError extends GameRuleError {
  constructor(survivorId: string) {
    super('duplicate_survivor', `Survivor ${survivorId} is in the party twice`);
  }
}

export class InvalidSeedError extends GameRuleError {
  constructor(seed: unknown) {
    super('invalid_seed', `A mission seed is an unsigned 64-bit integer in decimal, got ${String(seed)}`);
  }
}

export class MissionNotActiveError extends GameRuleError {
  constructor(status: string) {
    super('mission_not_active', `The mission is ${status}, not active`);
  }
}

export class UnknownEncounterError extends GameRuleError {
  constructor(encounterId: string) {
    super('unknown_encounter', `Content has no encounter "${encounterId}"`);
  }
}

export class MissionStillActiveError extends GameRuleError {
  constructor() {
    super('mission_active', 'The mission is still active');
  }
}

export class UnknownStanceError extends GameRuleError {
  constructor(stance: string) {
    super('unknown_stance', `There is no stance "${stance}"`);
  }
}

export class PerkNotOfferedError extends GameRuleError {
  constructor(perkId: string) {
    super('perk_not_offered', `Perk "${perkId}" is not among this survivor's offers`);
  }
}

export class UnknownItemError extends GameRuleError {
  constructor(itemId: string) {
    super('unknown_item', `There is no item "${itemId}"`);
  }
}

export class NotRecoveringError extends GameRuleError {
  constructor(survivorId: string, state: string) {
    super('not_recovering', `Survivor ${survivorId} is ${state.replace('_', ' ')}, not recovering`);
  }
}

export class NotRevivableError extends GameRuleError {
  constructor(
    survivorId: string,
    readonly reason: string,
  ) {
    super('not_revivable', `Survivor ${survivorId} cannot be revived: ${reason}`);
  }
}

export class NoFreePerkSlotError extends GameRuleError {
  constructor(survivorId: string) {
    super('no_free_perk_slot', `Survivor ${survivorId} has no free perk slot to draw offers for`);
  }
}

export class TooManyItemsError extends GameRuleError {
  constructor(survivorId: string, max: number) {
    super('too_many_items', `Survivor ${survivorId} can carry at most ${max} items`);
  }
}
