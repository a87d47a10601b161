/** Failures of the engine's services that a caller (the API) can act on; each has a stable code. */
export class EngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Extra members of the problem document the API answers with. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class SurvivorNotFoundError extends EngineError {
  constructor(survivorId: string) {
    super('survivor_not_found', `You have no survivor ${survivorId}`);
  }
}

export class MissionNotFoundError extends EngineError {
  constructor(missionId: string) {
    super('mission_not_found', `There is no mission ${missionId}`);
  }
}

export class NotYourMissionError extends EngineError {
  constructor(missionId: string) {
    super('not_your_mission', `Mission ${missionId} has none of your survivors`);
  }
}

export class MissionEndedError extends EngineError {
  constructor(missionId: string) {
    super('mission_ended', `Mission ${missionId} has already ended`);
  }
}

/** The mission is being ticked or rebuilt right now; the same request will work in a moment. */
export class MissionBusyError extends EngineError {
  constructor(missionId: string) {
    super('mission_busy', `Mission ${missionId} is busy; try again in a moment`);
  }
}

/** No choice is open in the mission now: none was yet, or its vote has closed (the tick applied it). */
export class ChoiceClosedError extends EngineError {
  constructor(missionId: string) {
    super(
      'choice_closed',
      `Mission ${missionId} has no open choice: it opens every few ticks, for a short time`,
    );
  }
}

/** A survivor was to carry an item its owner's stash does not hold (enough of). */
export class ItemNotInStashError extends EngineError {
  constructor(itemId: string) {
    super('item_not_in_stash', `Your stash holds no (more) "${itemId}" to carry`);
  }
}

/** The caller owns no survivor of this id (as the API words it for the viewer's own roster). */
/** A purchase costs more supplies than the stash holds: nothing was taken, nothing changed. */
export class NotEnoughSuppliesError extends EngineError {
  constructor(needed: number, have: number) {
    super('not_enough_supplies', `This costs ${needed} supplies; your stash holds ${have}`, { needed, have });
  }
}

export class DifficultyNotAllowedError extends EngineError {
  constructor(maxDifficulty: number) {
    super('difficulty_not_allowed', `This channel allows difficulties up to ${maxDifficulty}`, {
      maxDifficulty,
    });
  }
}
