/**
 * The API's own failures, one class per failure a caller can act on. Each carries its HTTP status and
 * a stable `code`; error-handler.ts turns them (and the game's and engine's typed errors) into
 * application/problem+json.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra members of the problem document. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface FieldProblem {
  /** Where: `body.name`, `query.limit`, `params.survivorId`. */
  field: string;
  message: string;
}

export class ValidationError extends ApiError {
  constructor(readonly problems: FieldProblem[]) {
    const first = problems[0];
    super(400, 'invalid_request', first ? `${first.field}: ${first.message}` : 'The request is not valid', {
      errors: problems,
    });
  }
}

export class MissingTokenError extends ApiError {
  constructor() {
    super(401, 'missing_token', 'Send the Twitch extension token as "Authorization: Bearer <token>"');
  }
}

export class InvalidTokenError extends ApiError {
  constructor(reason: string) {
    super(401, 'invalid_token', `The token is not valid: ${reason}`);
  }
}

export class TokenExpiredError extends ApiError {
  constructor() {
    super(401, 'token_expired', 'The token has expired; ask Twitch for a fresh one');
  }
}

export class LoginRequiredError extends ApiError {
  constructor() {
    super(403, 'login_required', 'Log in to Twitch (and share your identity with the extension) to play');
  }
}

export class BroadcasterOnlyError extends ApiError {
  constructor() {
    super(
      403,
      'broadcaster_only',
      "Only the channel's broadcaster may do this (its settings, removing a lobby member)",
    );
  }
}

/** Events are run by the broadcaster, and by moderators only where the broadcaster allows it. */
export class EventHostOnlyError extends ApiError {
  constructor() {
    super(
      403,
      'event_host_only',
      "Only the channel's broadcaster (or a moderator they allow) may run events",
    );
  }
}

export class ModeratorEventsDisabledError extends ApiError {
  constructor() {
    super(
      403,
      'moderator_events_disabled',
      'The broadcaster has not allowed moderators to run events (channel setting moderatorsRunEvents)',
    );
  }
}

export class SurvivorLimitError extends ApiError {
  constructor(limit: number) {
    super(409, 'survivor_limit', `You already keep ${limit} living survivors; retire one first`, { limit });
  }
}

/** A purchase costs more supplies than the stash holds: nothing was taken, nothing changed. */
export class NotEnoughSuppliesError extends ApiError {
  constructor(needed: number, have: number) {
    super(409, 'not_enough_supplies', `This costs ${needed} supplies; your stash holds ${have}`, {
      needed,
      have,
    });
  }
}

export class UnknownSurvivorError extends ApiError {
  constructor(survivorId: string) {
    super(404, 'survivor_not_found', `You have no survivor ${survivorId}`);
  }
}

export class UnknownMissionError extends ApiError {
  constructor(missionId: string) {
    super(404, 'mission_not_found', `There is no mission ${missionId}`);
  }
}

export class DifficultyNotAllowedError extends ApiError {
  constructor(maxDifficulty: number) {
    super(403, 'difficulty_not_allowed', `This channel allows difficulties up to ${maxDifficulty}`, {
      maxDifficulty,
    });
  }
}

export class GroupMissionsDisabledError extends ApiError {
  constructor() {
    super(403, 'group_missions_disabled', 'The broadcaster has turned group missions off on this channel');
  }
}

export class LobbyExpiredError extends ApiError {
  constructor(lobbyId: string) {
    super(410, 'lobby_expired', `Lobby ${lobbyId} has expired or closed; its survivors are back to idle`);
  }
}

export class LobbyFullError extends ApiError {
  constructor(max: number) {
    super(409, 'lobby_full', `The lobby already has ${max} members`);
  }
}

export class LobbyClosedError extends ApiError {
  constructor(status: string) {
    super(409, 'lobby_not_open', `The lobby is ${status}, no longer open`);
  }
}

export class LobbyNotReadyError extends ApiError {
  constructor(reason: string) {
    super(409, 'lobby_not_ready', reason);
  }
}

export class NotInLobbyError extends ApiError {
  constructor() {
    super(403, 'not_in_lobby', 'You are not a member of this lobby');
  }
}

export class LobbyMemberNotFoundError extends ApiError {
  constructor(survivorId: string) {
    super(404, 'lobby_member_not_found', `Survivor ${survivorId} is not waiting in this lobby`);
  }
}

export class AlreadyInLobbyError extends ApiError {
  constructor(lobbyId: string) {
    super(409, 'already_in_lobby', `You are already in lobby ${lobbyId}; leave it first`, { lobbyId });
  }
}

export class WrongChannelError extends ApiError {
  constructor() {
    super(403, 'wrong_channel', 'That lobby belongs to another channel');
  }
}

export class LobbyBusyError extends ApiError {
  constructor() {
    super(409, 'lobby_busy', 'The lobby is changing too fast; try again');
  }
}

export class RateLimitedError extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'rate_limited', `Too many requests; retry in ${retryAfterSeconds} s`, {
      retryAfter: retryAfterSeconds,
    });
  }
}

export class RouteNotFoundError extends ApiError {
  constructor(method: string, url: string) {
    super(404, 'not_found', `No route ${method} ${url.split('?')[0]}`);
  }
}

/** A store this request needs does not answer. */
export type StoreName = 'postgres' | 'redis';

/** How long a client should wait before retrying a request that met an outage, in s. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

export class StoreUnavailableError extends ApiError {
  constructor(readonly store: StoreName) {
    const name = store === 'postgres' ? 'The database' : 'The game state store';
    super(
      503,
      `${store}_unavailable`,
      `${name} is not answering right now; retry in ${OUTAGE_RETRY_AFTER_SECONDS} s`,
      { retryAfter: OUTAGE_RETRY_AFTER_SECONDS },
    );
  }
}
