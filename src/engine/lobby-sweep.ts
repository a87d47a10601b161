import type { Database } from '../durable/database.js';
import { lobbiesWithSurvivors, releaseSurvivorsFromLobby } from '../durable/survivors.js';
import type { LobbyStore } from '../ephemeral/lobby-store.js';
import type { ViewerCache } from '../ephemeral/viewer-cache.js';

/** Lobbies the sweeper checks per run. */
const SWEEP_BATCH = 500;

/**
 * Sends back to idle the survivors of lobbies that vanished (expired, or lost with Redis). Safe to
 * run on every instance at once: each release is a conditional update.
 */
export async function sweepVanishedLobbies(deps: {
  db: Database;
  lobbies: Pick<LobbyStore, 'getMany'>;
  viewerCache: Pick<ViewerCache, 'invalidate'>;
}): Promise<number> {
  const lobbyIds = await lobbiesWithSurvivors(deps.db, SWEEP_BATCH);
  const found = await deps.lobbies.getMany(lobbyIds);
  let released = 0;
  for (const [i, lobbyId] of lobbyIds.entries()) {
    if (found[i]) continue;
    const users = await releaseSurvivorsFromLobby(deps.db, lobbyId, null);
    await deps.viewerCache.invalidate(users);
    released += users.length;
  }
  return released;
}
