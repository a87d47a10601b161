import { randomBytes } from 'node:crypto';
import { getChannelSettings } from '../durable/channels.js';
import type { PlayerName } from '../durable/player-names.js';
import {
  lobbiesWithSurvivors,
  lockOwnSurvivor,
  moveSurvivorToLobby,
  releaseSurvivorsFromLobby,
  userLobbyId,
} from '../durable/survivors.js';
import { lockUser } from '../durable/users.js';
import { startMission } from '../engine/start-mission.js';
import type { Lobby, StoredLobby } from '../ephemeral/lobby-store.js';
import { SurvivorBusyError, SurvivorDeadError } from '../game/index.js';
import type { ApiContext, StartedMission } from './api-context.js';
import type { Viewer } from './auth/twitch-jwt.js';
import { assertCarryable } from './lobby-carry.js';
import { type LobbyView, lobbyView, NO_NAMES, STARTED_LOBBY_KEEP_MS } from './lobby-view.js';
import {
  AlreadyInLobbyError,
  GroupMissionsDisabledError,
  LobbyBusyError,
  LobbyClosedError,
  LobbyExpiredError,
  LobbyFullError,
  LobbyNotReadyError,
  NotInLobbyError,
  UnknownSurvivorError,
  WrongChannelError,
} from './problem-errors.js';
import { assertMissionAllowed } from './routes/mission-routes.js';
import { settleSurvivors } from './viewer-roster.js';

export const MIN_GROUP_SIZE = 2;
export const MAX_GROUP_SIZE = 4;
/** Compare-and-set attempts before giving up on a lobby that keeps changing under us. */
const SAVE_ATTEMPTS = 10;
/** Lobbies the sweeper checks per run. */
const SWEEP_BATCH = 500;

export type { LobbyMemberView, LobbyView } from './lobby-view.js';

type Change = { lobby: Lobby; ttlMs?: number } | { remove: true };

export class LobbyService {
  constructor(private readonly ctx: ApiContext) {}

  private get ttlMs(): number {
    return this.ctx.config.LOBBY_IDLE_TTL_MS;
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
    return this.ctx.playerNames.of(lobbies.flatMap((l) => l.members.map((m) => m.userId)));
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
  private async current(lobbyId: string): Promise<Lobby> {
    const stored = await this.ctx.lobbies.get(lobbyId);
    if (!stored) throw new LobbyExpiredError(lobbyId);
    return stored.lobby;
  }

  async listChannel(channelId: string): Promise<Lobby[]> {
    const stored = await this.ctx.lobbies.listChannel(channelId);
    return stored
      .map((s) => s.lobby)
      .filter((l) => l.status === 'open' && l.members.length > 0)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  /**
   * Applies `change` to the lobby as a compare-and-set, retrying on a concurrent change. `change`
   * sees a fresh copy each attempt and throws to refuse.
   */
  private async update(lobbyId: string, change: (lobby: Lobby) => Change): Promise<Lobby | null> {
    for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
      const stored: StoredLobby | null = await this.ctx.lobbies.get(lobbyId);
      if (!stored) throw new LobbyExpiredError(lobbyId);
      const outcome = change(structuredClone(stored.lobby));
      if ('remove' in outcome) {
        if (await this.ctx.lobbies.remove(stored.lobby, stored.version)) return null;
        continue;
      }
      const lobby = { ...outcome.lobby, updatedAt: this.ctx.clock() };
      const saved = await this.ctx.lobbies.save(lobby, stored.version, {
        ttlMs: outcome.ttlMs ?? this.ttlMs,
        listed: lobby.status === 'open',
      });
      if (saved !== null) return lobby;
    }
    throw new LobbyBusyError();
  }

  private async assertGroupAllowed(channelId: string, location: string, difficulty: number) {
    const settings = await getChannelSettings(this.ctx.db, channelId);
    if (!settings.groupMissionsEnabled) throw new GroupMissionsDisabledError();
    assertMissionAllowed(this.ctx, settings, location, difficulty);
    return settings;
  }

  async create(
    viewer: Viewer,
    userId: string,
    input: { survivorId: string; location: string; difficulty: number },
  ): Promise<Lobby> {
    const settings = await this.assertGroupAllowed(viewer.channelId, input.location, input.difficulty);
    const now = this.ctx.clock();
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
    if ((await this.ctx.lobbies.save(lobby, 0, { ttlMs: this.ttlMs, listed: true })) === null) {
      throw new LobbyBusyError();
    }
    try {
      return await this.join(viewer, userId, lobby.id, input.survivorId);
    } catch (error) {
      const stored = await this.ctx.lobbies.get(lobby.id);
      if (stored && stored.lobby.members.length === 0)
        await this.ctx.lobbies.remove(stored.lobby, stored.version);
      throw error;
    }
  }

  private assertJoinable(lobby: Lobby, viewer: Viewer, userId: string): void {
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
  async join(viewer: Viewer, userId: string, lobbyId: string, survivorId: string): Promise<Lobby> {
    this.assertJoinable(await this.current(lobbyId), viewer, userId);
    await settleSurvivors(this.ctx, userId);
    const survivor = await this.ctx.db.transaction(async (tx) => {
      await lockUser(tx, userId);
      const waiting = await userLobbyId(tx, userId);
      if (waiting !== null) throw new AlreadyInLobbyError(waiting);
      const s = await lockOwnSurvivor(tx, userId, survivorId);
      if (!s) throw new UnknownSurvivorError(survivorId);
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
          joinedAt: this.ctx.clock(),
        });
        if (lobby.members.length === 1) lobby.leaderUserId = userId;
        return { lobby };
      });
      return joined!;
    } catch (error) {
      await releaseSurvivorsFromLobby(this.ctx.db, lobbyId, [survivor.id]);
      throw error;
    } finally {
      await this.ctx.viewerCache.invalidate([userId]);
    }
  }

  /** A lobby is played from its own channel: a token of another channel may not act in it. */
  private assertChannel(lobby: Lobby, viewer: Viewer): void {
    if (lobby.channelId !== viewer.channelId) throw new WrongChannelError();
  }

  async setReady(viewer: Viewer, userId: string, lobbyId: string, ready: boolean): Promise<Lobby> {
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
  async setCarry(viewer: Viewer, userId: string, lobbyId: string, items: string[]): Promise<Lobby> {
    const before = await this.current(lobbyId);
    this.assertChannel(before, viewer);
    const member = before.members.find((m) => m.userId === userId);
    if (!member) throw new NotInLobbyError();
    await assertCarryable(this.ctx, userId, items, member.survivorId);
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
  async leave(viewer: Viewer, userId: string, lobbyId: string): Promise<Lobby | null> {
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
    await releaseSurvivorsFromLobby(this.ctx.db, lobbyId, [survivorId]);
    await this.ctx.viewerCache.invalidate([userId]);
    return lobby;
  }

  /**
   * Starts the lobby's mission at most once: a compare-and-set moves it open → starting with this
   * call's token (every racing call but one is refused there), then the engine starts the mission in
   * one Postgres transaction. On failure the lobby opens again.
   */
  async start(viewer: Viewer, userId: string, lobbyId: string): Promise<StartedMission> {
    const before = await this.current(lobbyId);
    this.assertChannel(before, viewer);
    await this.assertGroupAllowed(before.channelId, before.location, before.difficulty);
    const token = randomBytes(12).toString('base64url');
    const claimed = (await this.update(lobbyId, (lobby) => {
      this.assertChannel(lobby, viewer);
      if (!lobby.members.some((m) => m.userId === userId)) throw new NotInLobbyError();
      if (lobby.status !== 'open') throw new LobbyClosedError(lobby.status);
      if (lobby.members.length < MIN_GROUP_SIZE) {
        throw new LobbyNotReadyError(`A group mission needs ${MIN_GROUP_SIZE} to ${MAX_GROUP_SIZE} members`);
      }
      const waiting = lobby.members.filter((m) => !m.ready).map((m) => m.name);
      if (waiting.length > 0) throw new LobbyNotReadyError(`Waiting for ${waiting.join(', ')} to be ready`);
      lobby.status = 'starting';
      lobby.startToken = token;
      return { lobby };
    }))!;
    const mine = (change: (lobby: Lobby) => Change) => (lobby: Lobby) =>
      lobby.startToken === token ? change(lobby) : { lobby };
    let started: StartedMission;
    try {
      started = await startMission(this.ctx.engine, {
        channelId: claimed.channelId,
        kind: 'group',
        location: claimed.location,
        difficulty: claimed.difficulty,
        length: claimed.length,
        members: claimed.members.map((m) => ({ userId: m.userId, survivorId: m.survivorId })),
        fromState: 'in_lobby',
        // Each member's choice leaves its own viewer's stash in the start transaction, all or none.
        carry: Object.fromEntries(claimed.members.map((m) => [m.survivorId, m.carry ?? []])),
      });
    } catch (error) {
      await this.update(
        lobbyId,
        mine((lobby) => ({ lobby: { ...lobby, status: 'open', startToken: null } })),
      ).catch((reopenError: unknown) => {
        // The start's own error is the one the caller gets; the lobby stays 'starting' until it expires.
        this.ctx.logger.warn({ err: reopenError, lobbyId }, 'could not reopen a lobby whose start failed');
      });
      throw error;
    }
    await this.update(
      lobbyId,
      mine((lobby) => ({
        lobby: { ...lobby, status: 'started', startToken: null, missionId: started.missionId },
        ttlMs: STARTED_LOBBY_KEEP_MS,
      })),
    ).catch((markError: unknown) => {
      // The mission has started (Postgres and Redis): the lobby's own record only shows it; it expires.
      this.ctx.logger.warn({ err: markError, lobbyId }, 'could not mark a lobby as started');
    });
    await this.ctx.viewerCache.invalidate(claimed.members.map((m) => m.userId));
    return started;
  }

  /**
   * Sends back to idle the survivors of lobbies that vanished (expired, or lost with Redis). Safe to
   * run on every instance at once: each release is a conditional update.
   */
  async sweep(): Promise<number> {
    const lobbyIds = await lobbiesWithSurvivors(this.ctx.db, SWEEP_BATCH);
    const found = await this.ctx.lobbies.getMany(lobbyIds);
    let released = 0;
    for (const [i, lobbyId] of lobbyIds.entries()) {
      if (found[i]) continue;
      const users = await releaseSurvivorsFromLobby(this.ctx.db, lobbyId, null);
      await this.ctx.viewerCache.invalidate(users);
      released += users.length;
    }
    return released;
  }
}
