export type LobbyStatus = 'open' | 'starting' | 'started';

export interface LobbyMember {
  userId: string;
  survivorId: string;
  /** Shown to the other members; copied at join time. */
  name: string;
  level: number;
  ready: boolean;
  joinedAt: number;
  /** Stash items the survivor will carry, taken from the member's stash when the mission starts. */
  carry?: string[];
}

/** A group forming for a mission: `mission_lobby:{lobbyId}` (DESIGN §4). Lost with Redis, by design. */
export interface Lobby {
  id: string;
  channelId: string;
  leaderUserId: string;
  location: string;
  difficulty: number;
  length: 'short' | 'standard' | 'long';
  status: LobbyStatus;
  /** Set once started. */
  missionId: string | null;
  /** The token of the one start call that won the lobby while it is `starting`. */
  startToken: string | null;
  createdAt: number;
  updatedAt: number;
  members: LobbyMember[];
}

export interface StoredLobby {
  lobby: Lobby;
  /** Bumped by every save: the compare-and-set token. */
  version: number;
}

export interface SaveLobbyOptions {
  /** The lobby expires this long after the save, in ms. */
  ttlMs: number;
  /** Whether the lobby appears in channel_lobbies:{channelId} (open lobbies only). */
  listed: boolean;
}

/**
 * Lobbies in the ephemeral store. The rules live with the caller; the store makes every change a
 * compare-and-set on the lobby's version, so that racing changes cannot overwrite each other.
 */
export interface LobbyStore {
  get(lobbyId: string): Promise<StoredLobby | null>;
  /** Many lobbies in one round trip; null where one is gone. */
  getMany(lobbyIds: readonly string[]): Promise<(StoredLobby | null)[]>;
  /**
   * Writes `lobby` if its stored version is still `expectedVersion` (0: it must not exist yet).
   * Returns the new version, or null if someone else changed (or expiry removed) it in between.
   */
  save(lobby: Lobby, expectedVersion: number, options: SaveLobbyOptions): Promise<number | null>;
  /** Deletes the lobby if its version is still `expectedVersion`; false otherwise. */
  remove(lobby: Lobby, expectedVersion: number): Promise<boolean>;
  /** The channel's listed lobbies that still exist (expired ones are dropped from the list on the way). */
  listChannel(channelId: string): Promise<StoredLobby[]>;
}

/** How long a channel's list outlives its last change, in ms: longer than any lobby it lists. */
export const CHANNEL_LIST_TTL_FACTOR = 2;

export function parseLobby(json: string): Lobby {
  return JSON.parse(json) as Lobby;
}
