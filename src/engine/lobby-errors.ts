import { EngineError } from './engine-errors.js';

/* Refusals of the lobby services (lobby-service.ts, lobby-start.ts); api/error-handler.ts gives each its HTTP status. */

export class GroupMissionsDisabledError extends EngineError {
  constructor() {
    super('group_missions_disabled', 'The broadcaster has turned group missions off on this channel');
  }
}

export class LobbyExpiredError extends EngineError {
  constructor(lobbyId: string) {
    super('lobby_expired', `Lobby ${lobbyId} has expired or closed; its survivors are back to idle`);
  }
}

export class LobbyFullError extends EngineError {
  constructor(max: number) {
    super('lobby_full', `The lobby already has ${max} members`);
  }
}

export class LobbyClosedError extends EngineError {
  constructor(status: string) {
    super('lobby_not_open', `The lobby is ${status}, no longer open`);
  }
}

export class LobbyNotReadyError extends EngineError {
  constructor(reason: string) {
    super('lobby_not_ready', reason);
  }
}

export class NotInLobbyError extends EngineError {
  constructor() {
    super('not_in_lobby', 'You are not a member of this lobby');
  }
}

export class AlreadyInLobbyError extends EngineError {
  constructor(lobbyId: string) {
    super('already_in_lobby', `You are already in lobby ${lobbyId}; leave it first`, { lobbyId });
  }
}

export class WrongChannelError extends EngineError {
  constructor() {
    super('wrong_channel', 'That lobby belongs to another channel');
  }
}

export class LobbyBusyError extends EngineError {
  constructor() {
    super('lobby_busy', 'The lobby is changing too fast; try again');
  }
}
