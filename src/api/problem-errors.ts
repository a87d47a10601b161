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

export class UnknownMissionError extends ApiError {
  constructor(missionId: string) {
    super(404, 'mission_not_found', `There is no mission ${missionId}`);
  }
}

export class LobbyMemberNotFoundError extends ApiError {
  constructor(survivorId: string) {
    super(404, 'lobby_member_not_found', `Survivor ${survivorId} is not waiting in this lobby`);
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
