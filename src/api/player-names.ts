import type { Database } from '../durable/database.js';
import { NO_PLAYER_NAME, type PlayerName, playerNamesOf } from '../durable/player-names.js';
import type { EphemeralStore } from '../ephemeral/ephemeral-store.js';
import { PlayerNameCache } from '../ephemeral/player-name-cache.js';

/**
 * How long this process trusts a name it read, in ms: a lobby's poll every 2 s costs no round trip,
 * and a name fetched (or a title bought) shows within this long. @default 30 s
 */
const MEMORY_TTL_MS = 30_000;
/** Names remembered in this process at most. */
const MEMORY_ENTRIES = 50_000;

interface Remembered {
  name: PlayerName;
  until: number;
}

/**
 * How the owners of survivors are shown in lobbies and live group missions: in this process for a
 * short while, then Redis (`display_name:{userId}`), then Postgres (which fills Redis). The names
 * themselves come from Twitch through the display-name refresher, never from a request.
 */
export class PlayerNames {
  private readonly remembered = new Map<string, Remembered>();
  private readonly cache: PlayerNameCache;

  constructor(
    private readonly db: Database,
    store: EphemeralStore,
    private readonly clock: () => number = Date.now,
  ) {
    this.cache = new PlayerNameCache(store);
  }

  /** The names of `userIds` (every id answered: without a name, `player` is null). */
  async of(userIds: readonly string[]): Promise<Map<string, PlayerName>> {
    const now = this.clock();
    const names = new Map<string, PlayerName>();
    const missing: string[] = [];
    for (const id of new Set(userIds)) {
      const local = this.remembered.get(id);
      if (local && local.until > now) names.set(id, local.name);
      else missing.push(id);
    }
    if (missing.length === 0) return names;
    const cached = await this.cache.read(missing);
    const fromPostgres = missing.filter((id) => !cached.has(id));
    if (fromPostgres.length > 0) {
      const durable = await playerNamesOf(this.db, fromPostgres);
      for (const id of fromPostgres) cached.set(id, durable.get(id) ?? NO_PLAYER_NAME);
      await this.cache.write(new Map(fromPostgres.map((id) => [id, cached.get(id)!])));
    }
    for (const [id, name] of cached) {
      names.set(id, name);
      this.remember(id, name, now);
    }
    return names;
  }

  /** Forgets `userIds` here and in Redis (a title was bought). */
  async forget(userIds: readonly string[]): Promise<void> {
    for (const id of userIds) this.remembered.delete(id);
    await this.cache.forget(userIds);
  }

  private remember(id: string, name: PlayerName, now: number): void {
    if (this.remembered.size >= MEMORY_ENTRIES) this.remembered.delete(this.remembered.keys().next().value!);
    this.remembered.set(id, { name, until: now + MEMORY_TTL_MS });
  }
}
