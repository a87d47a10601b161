import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { getChannelSettings } from '../durable/channels.js';
import type { PlayerName } from '../durable/player-names.js';
import {
  lockOwnSurvivor,
  moveSurvivorToLobby,
  releaseSurvivorsFromLobby,
  userLobbyId,
} from '../durable/survivors.js';
import { lockUser } from '../durable/users.js';
import type { Lobby, LobbyStore, StoredLobby } from '../ephemeral/lobby-store.js';
import { type Content, SurvivorBusyError, SurvivorDeadError } from '../game/index.js';
import type { Logger } from '../logger.js';
import type { EngineDeps } from './engine-deps.js';
import { SurvivorNotFoundError } from './engine-errors.js';
import { assertCarryable } from './lobby-carry.js';
import {
  AlreadyInLobbyError,
  GroupMissionsDisabledError,
  LobbyBusyError,
  LobbyClosedError,
  LobbyExpiredError,
  LobbyFullError,
  NotInLobbyError,
  WrongChannelError,
} from './lobby-errors.js';
import { MAX_GROUP_SIZE, startLobby } from './lobby-start.js';
import { sweepVanishedLobbies } from './lobby-sweep.js';

export { MAX_GROUP_SIZE, MIN_GROUP_SIZE } from './lobby-start.js';

import { type LobbyView, lobbyView, NO_NAMES } from './lobby-view.js';
import { assertMissionAllowed } from './mission-allowed.js';
import type { StartedMission } from './start-mission.js';
import { type RosterDeps, settleSurvivors } from './viewer-roster.js';

/** Compare-and-set attempts before giving up on a lobby that keeps changing under us. */
const SAVE_ATTEMPTS = 10;

export type { LobbyMemberView, LobbyView } from './lobby-view.js';

/** Who calls: a lobby is played from its own channel. */
export interface LobbyCaller {
  channelId: string;
}

/** What the lobby services use: the stores, the engine, the game's content, names, the clock. */
export interface LobbyDeps extends RosterDeps {
  config: Pick<Config, 'LOBBY_IDLE_TTL_MS' | 'VIEWER_CACHE_TTL_MS'>;
  lobbies: LobbyStore;
  content: Content;
  engine: EngineDeps;
  logger: Logger;
  /** How survivors' owners are shown (display name, title), by user id. */
  playerNames: { of(userIds: readonly string[]): Promise<Map<string, PlayerName>> };
}

/** What one compare-and-set attempt makes of a lobby: a new version of it, or its removal. */
export type Change = { lobby: Lobby; ttlMs?: number } | { remove: true };

export class LobbyService {
  constructor(private readonly deps: LobbyDeps) {}

  private get ttlMs(): number {
    return this.deps.config.LOBBY_IDLE_TTL_MS;
  }

  /** `lobby` as the user `callerUserId` sees it (lobby-view.ts); `names` from `namesIn`. */
  view(
    lobby: Lobby,
    callerUserId: string | null,
    names: ReadonlyMap<string, PlayerName> = NO_NAMES,
    ttlMs = this.ttlMs,
  ): LobbyView {
    return lobbyView(lobby, callerUserId, names, ttlMs);
  }

  /** How the members of these lobbies are shown, in one lookup. */
  namesIn(lobbies: readonly Lobby[]): Promise<Map<string, PlayerName>> {
    return this.deps.playerNames.of(lobbies.flatMap((l) => l.members.map((m) => m.userId)));
  }

  /** `view` with the members' names looked up. */
  async show(lobby: Lobby, callerUserId: string | null): Promise<LobbyView> {
    return this.view(lobby, callerUserId, await this.namesIn([lobby]));
  }

  /**
   * The lobby, read from its own channel only: another channel's lobby answers exactly as an unknown
   * id does, so ids cannot be tried across channels (as missions, issue 13 item 4).
   */
  async get(lobbyId: string, channelId: string): Promise<Lobby> {
    const lobby = await this.current(lobbyId);
    if (lobby.channelId !== channelId) throw new LobbyExpiredError(lobbyId);
    return lobby;
  }

  /** The lobby in any channel, for the writes that check the caller's channel themselves. */
  async current(lobbyId: string): Promise<Lobby> {
    const stored = await this.deps.lobbies.get(lobbyId);
    if (!stored) throw new LobbyExpiredError(lobbyId);
    return stored.lobby;
  }

  async listChannel(channelId: string): Promise<Lobby[]> {
    const stored = await this.deps.lobbies.listChannel(channelId);
    return stored
      .map((s) => s.lobby)
      .filter((l) => l.status === 'open' && l.members.length > 0)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  /**
   * Applies `change` to the lobby as a compare-and-set, retrying on a concurrent change. `change`
   * sees a fresh copy each attempt and throws to refuse.
   */
  async update(lobbyId: string, change: (lobby: Lobby) => Change): Promise<Lobby | null> {
    for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
      const stored: StoredLobby | null = await this.deps.lobbies.get(lobbyId);
      if (!stored) throw new LobbyExpiredError(lobbyId);
      const outcome = change(structuredClone(stored.lobby));
      if ('remove' in outcome) {
        if (await this.deps.lobbies.remove(stored.lobby, stored.version)) return null;
        continue;
      }
      const lobby = { ...outcome.lobby, updatedAt: this.deps.clock() };
      const saved = await this.deps.lobbies.save(lobby, stored.version, {
        ttlMs: outcome.ttlMs ?? this.ttlMs,
        listed: lobby.status === 'open',
      });
      if (saved !== null) return lobby;
    }
    throw new LobbyBusyError();
  }

  /** Refuses a group mission the channel does not allow (off, unknown location, too hard). */
  async assertGroupAllowed(channelId: string, location: string, difficulty: number) {
    const settings = await getChannelSettings(this.deps.db, channelId);
    if (!settings.groupMissionsEnabled) throw new GroupMissionsDisabledError();
    assertMissionAllowed(this.deps.content, settings, location, difficulty);
    return settings;
  }

  async create(
    viewer: LobbyCaller,
    userId: string,
    input: { survivorId: string; location: string; difficulty: number },
  ): Promise<Lobby> {
    const settings = await this.assertGroupAllowed(viewer.channelId, input.location, input.difficulty);
    const now = this.deps.clock();
    const lobby: Lobby = {
      id: randomBytes(9).toString('base64url'),
      channelId: viewer.channelId,
      leaderUserId: userId,
      location: input.location,
      difficulty: input.difficulty,
      length: settings.missionLength,
      status: 'open',
      missionId: null,
      startToken: null,
      createdAt: now,
      updatedAt: now,
      members: [],
    };
    // Saved empty first: from here on the lobby exists, so the sweeper leaves its joining survivor alone.
    if ((await this.deps.lobbies.save(lobby, 0, { ttlMs: this.ttlMs, listed: true })) === null) {
      throw new LobbyBusyError();
    }
    try {
      return await this.join(viewer, userId, lobby.id, input.survivorId);
    } catch (error) {
      const stored = await this.deps.lobbies.get(lobby.id);
      if (stored && stored.lobby.members.length === 0)
        await this.deps.lobbies.remove(stored.lobby, stored.version);
      throw error;
    }
  }

  private assertJoinable(lobby: Lobby, viewer: LobbyCaller, userId: string): void {
    this.assertChannel(lobby, viewer);
    if (lobby.status !== 'open') throw new LobbyClosedError(lobby.status);
    if (lobby.members.some((m) => m.userId === userId)) throw new AlreadyInLobbyError(lobby.id);
    if (lobby.members.length >= MAX_GROUP_SIZE) throw new LobbyFullError(MAX_GROUP_SIZE);
  }

  /**
   * Postgres decides who waits where: the survivor moves idle → in_lobby in one transaction that also
   * checks the viewer waits in no other lobby. Only then is it added to the Redis lobby; if that fails
   * (the lobby filled up, started or vanished meanwhile) the survivor goes back to idle.
   */
  async join(viewer: LobbyCaller, userId: string, lobbyId: string, survivorId: string): Promise<Lobby> {
    this.assertJoinable(await this.current(lobbyId), viewer, userId);
    await settleSurvivors(this.deps, userId);
    const survivor = await this.deps.db.transaction(async (tx) => {
      await lockUser(tx, userId);
      const waiting = await userLobbyId(tx, userId);
      if (waiting !== null) throw new AlreadyInLobbyError(waiting);
      const s = await lockOwnSurvivor(tx, userId, survivorId);
      if (!s) throw new SurvivorNotFoundError(survivorId);
      if (s.state === 'dead') throw new SurvivorDeadError(s.id);
      if (s.state !== 'idle') throw new SurvivorBusyError(s.id, s.state);
      await moveSurvivorToLobby(tx, s.id, lobbyId);
      return s;
    });
    try {
      const joined = await this.update(lobbyId, (lobby) => {
        this.assertJoinable(lobby, viewer, userId);
        lobby.members.push({
          userId,
          survivorId: survivor.id,
          name: survivor.name,
          level: survivor.level,
          ready: false,
          joinedAt: this.deps.clock(),
        });
        if (lobby.members.length === 1) lobby.leaderUserId = userId;
        return { lobby };
      });
      return joined!;
    } catch (error) {
      await releaseSurvivorsFromLobby(this.deps.db, lobbyId, [survivor.id]);
      throw error;
    } finally {
      await this.deps.viewerCache.invalidate([userId]);
    }
  }

  /** A lobby is played from its own channel: a token of another channel may not act in it. */
  assertChannel(lobby: Lobby, viewer: LobbyCaller): void {
    if (lobby.channelId !== viewer.channelId) throw new WrongChannelError();
  }

  async setReady(viewer: LobbyCaller, userId: string, lobbyId: string, ready: boolean): Promise<Lobby> {
    const lobby = await this.update(lobbyId, (lobby) => {
      this.assertChannel(lobby, viewer);
      const member = lobby.members.find((m) => m.userId === userId);
      if (!member) throw new NotInLobbyError();
      if (lobby.status !== 'open') throw new LobbyClosedError(lobby.status);
      member.ready = ready;
      return { lobby };
    });
    return lobby!;
  }

  /**
   * The items the caller's survivor will carry (lobby-carry.ts): checked against the stash now,
   * taken from it when the mission starts. Refused (and nothing changed) unless the lobby is open.
   */
  async setCarry(viewer: LobbyCaller, userId: string, lobbyId: string, items: string[]): Promise<Lobby> {
    const before = await this.current(lobbyId);
    this.assertChannel(before, viewer);
    const member = before.members.find((m) => m.userId === userId);
    if (!member) throw new NotInLobbyError();
    await assertCarryable(this.deps, userId, items, member.survivorId);
    const lobby = await this.update(lobbyId, (lobby) => {
      this.assertChannel(lobby, viewer);
      const mine = lobby.members.find((m) => m.userId === userId);
      if (!mine) throw new NotInLobbyError();
      if (lobby.status !== 'open') throw new LobbyClosedError(lobby.status);
      mine.carry = [...items];
      return { lobby };
    });
    return lobby!;
  }

  /** The leader leaving hands the lobby to the longest-waiting member; the last one out closes it. */
  async leave(viewer: LobbyCaller, userId: string, lobbyId: string): Promise<Lobby | null> {
    let survivorId = '';
    const lobby = await this.update(lobbyId, (lobby) => {
      this.assertChannel(lobby, viewer);
      const member = lobby.members.find((m) => m.userId === userId);
      if (!member) throw new NotInLobbyError();
      if (lobby.status !== 'open') throw new LobbyClosedError(lobby.status);
      survivorId = member.survivorId;
      lobby.members = lobby.members.filter((m) => m.userId !== userId);
      if (lobby.members.length === 0) return { remove: true };
      if (lobby.leaderUserId === userId) lobby.leaderUserId = lobby.members[0]!.userId;
      return { lobby };
    });
    await releaseSurvivorsFromLobby(this.deps.db, lobbyId, [survivorId]);
    await this.deps.viewerCache.invalidate([userId]);
    return lobby;
  }

  /** Starts the lobby's mission at most once (lobby-start.ts). */
  start(viewer: LobbyCaller, userId: string, lobbyId: string): Promise<StartedMission> {
    return startLobby(this, this.deps, viewer, userId, lobbyId);
  }

  /** Sends back to idle the survivors of lobbies that vanished (lobby-sweep.ts). */
  sweep(): Promise<number> {
    return sweepVanishedLobbies(this.deps);
  }
}
