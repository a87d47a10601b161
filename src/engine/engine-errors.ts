/** Failures of the engine's services that a caller (the API) can act on; each has a stable code. */
export class EngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class SurvivorNotFoundError extends EngineError {
  constructor(survivorId: string) {
    super('survivor_not_found', `There is no survivor ${survivorId} of yours`);
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
