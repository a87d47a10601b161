import { EngineError } from './engine-errors.js';

export class EventNotFoundError extends EngineError {
  constructor(eventId: string) {
    super('event_not_found', `There is no event ${eventId} on this channel`);
  }
}

export class EventAlreadyOpenError extends EngineError {
  constructor() {
    super('event_already_open', 'This channel already has an event signing up or running');
  }
}

/** Joining, leaving, removing and cancelling happen only while the sign-up window is open. */
export class EventSignupClosedError extends EngineError {
  constructor(status: string) {
    super('event_signup_closed', `The event's sign-up has closed (it is ${status})`);
  }
}

export class EventFullError extends EngineError {
  constructor(max: number) {
    super('event_full', `The event already has ${max} participants`);
  }
}

export class NotParticipatingError extends EngineError {
  /** Internal user ids are never shown: the detail names the viewer or the survivor in words. */
  constructor(detail = 'That viewer has not joined this event') {
    super('not_participating', detail);
  }
}
