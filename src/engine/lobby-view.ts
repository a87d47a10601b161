import { NO_PLAYER_NAME, type PlayerName } from '../durable/player-names.js';
import type { Lobby, LobbyMember } from '../ephemeral/lobby-store.js';

/*
 * How a lobby is shown to one caller: internal user ids never leave the server (issue 13, item 4);
 * each member says whether it is the caller's and whether it leads, and what it will carry.
 */

/** How long a started lobby stays readable (pointing at its mission), in ms. */
export const STARTED_LOBBY_KEEP_MS = 2 * 60 * 1000;

/**
 * A member as one caller sees it: whether it is theirs and whether it leads, not whose it is; its owner
 * by Twitch display name (and Bits title) when known.
 */
export interface LobbyMemberView extends Omit<LobbyMember, 'userId' | 'carry'>, PlayerName {
  mine: boolean;
  leader: boolean;
  /** Stash items the member's survivor will carry (taken from the stash when the mission starts). */
  carry: string[];
}

export const NO_NAMES: ReadonlyMap<string, PlayerName> = new Map();

/** A lobby as one caller sees it. */
export interface LobbyView extends Omit<Lobby, 'startToken' | 'leaderUserId' | 'members'> {
  expiresAt: number;
  members: LobbyMemberView[];
}

/**
 * `lobby` as the user `callerUserId` sees it (null: a logged-out viewer, whose member is none);
 * `names` says how each member's owner is shown; an open lobby expires `ttlMs` after its last change.
 */
export function lobbyView(
  lobby: Lobby,
  callerUserId: string | null,
  names: ReadonlyMap<string, PlayerName>,
  ttlMs: number,
): LobbyView {
  const { startToken: _token, leaderUserId, members, ...rest } = lobby;
  return {
    ...rest,
    expiresAt: lobby.updatedAt + (lobby.status === 'started' ? STARTED_LOBBY_KEEP_MS : ttlMs),
    members: members.map(({ userId, carry, ...member }) => ({
      ...member,
      carry: carry ?? [],
      mine: userId === callerUserId,
      leader: userId === leaderUserId,
      ...(names.get(userId) ?? NO_PLAYER_NAME),
    })),
  };
}
