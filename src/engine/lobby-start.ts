import { randomBytes } from 'node:crypto';
import type { Lobby } from '../ephemeral/lobby-store.js';
import { LobbyClosedError, LobbyNotReadyError, NotInLobbyError } from './lobby-errors.js';
import type { Change, LobbyCaller, LobbyDeps, LobbyService } from './lobby-service.js';
import { STARTED_LOBBY_KEEP_MS } from './lobby-view.js';
import { type StartedMission, startMission } from './start-mission.js';

export const MIN_GROUP_SIZE = 2;
export const MAX_GROUP_SIZE = 4;

/**
 * Starts the lobby's mission at most once: a compare-and-set moves it open → starting with this
 * call's token (every racing call but one is refused there), then the engine starts the mission in
 * one Postgres transaction. On failure the lobby opens again.
 */
export async function startLobby(
  lobbies: LobbyService,
  deps: Pick<LobbyDeps, 'engine' | 'logger' | 'viewerCache'>,
  viewer: LobbyCaller,
  userId: string,
  lobbyId: string,
): Promise<StartedMission> {
  const before = await lobbies.current(lobbyId);
  lobbies.assertChannel(before, viewer);
  await lobbies.assertGroupAllowed(before.channelId, before.location, before.difficulty);
  const token = randomBytes(12).toString('base64url');
  const claimed = (await lobbies.update(lobbyId, (lobby) => {
    lobbies.assertChannel(lobby, viewer);
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
    started = await startMission(deps.engine, {
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
    await lobbies
      .update(
        lobbyId,
        mine((lobby) => ({ lobby: { ...lobby, status: 'open', startToken: null } })),
      )
      .catch((reopenError: unknown) => {
        // The start's own error is the one the caller gets; the lobby stays 'starting' until it expires.
        deps.logger.warn({ err: reopenError, lobbyId }, 'could not reopen a lobby whose start failed');
      });
    throw error;
  }
  await lobbies
    .update(
      lobbyId,
      mine((lobby) => ({
        lobby: { ...lobby, status: 'started', startToken: null, missionId: started.missionId },
        ttlMs: STARTED_LOBBY_KEEP_MS,
      })),
    )
    .catch((markError: unknown) => {
      // The mission has started (Postgres and Redis): the lobby's own record only shows it; it expires.
      deps.logger.warn({ err: markError, lobbyId }, 'could not mark a lobby as started');
    });
  await deps.viewerCache.invalidate(claimed.members.map((m) => m.userId));
  return started;
}
