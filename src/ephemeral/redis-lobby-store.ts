import type { KeyNames } from './keys.js';
import {
  CHANNEL_LIST_TTL_FACTOR,
  type Lobby,
  type LobbyStore,
  parseLobby,
  type SaveLobbyOptions,
  type StoredLobby,
} from './lobby-store.js';
import { defineScripts, luaScript, runScript } from './lua-scripts.js';
import type { RedisConnection } from './redis-connection.js';

const saveLobbyScript = luaScript('save-lobby', 1);

function toStored(hash: Record<string, string> | null | undefined): StoredLobby | null {
  if (!hash || hash.d === undefined || hash.v === undefined) return null;
  return { lobby: parseLobby(hash.d), version: Number(hash.v) };
}

/**
 * Lobbies on Redis: a hash per lobby (version, JSON, listed flag) with a TTL, and a set per channel of
 * the lobbies that were listed. The set only ever grows ahead of the lobbies (added before a listed
 * save, pruned of lobbies gone); a listing trusts each lobby's own flag, so the set and the lobby may
 * live in different slots of a cluster, and no order of two saves can list a lobby that is not listed.
 */
export class RedisLobbyStore implements LobbyStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: KeyNames,
  ) {
    defineScripts(redis, [saveLobbyScript]);
  }

  async get(lobbyId: string): Promise<StoredLobby | null> {
    return toStored(await this.redis.hgetall(this.keys.missionLobby(lobbyId)));
  }

  // One command per lobby, sent together: a cluster refuses a pipeline across slots.
  async getMany(lobbyIds: readonly string[]): Promise<(StoredLobby | null)[]> {
    const hashes = await Promise.all(lobbyIds.map((id) => this.redis.hgetall(this.keys.missionLobby(id))));
    return hashes.map(toStored);
  }

  private async run(lobby: Lobby, expectedVersion: number, json: string, options: SaveLobbyOptions) {
    const listed = json !== '' && options.listed;
    const setKey = this.keys.channelLobbies(lobby.channelId);
    const [version] = await Promise.all([
      runScript(
        this.redis,
        saveLobbyScript,
        [this.keys.missionLobby(lobby.id)],
        [expectedVersion, json, options.ttlMs, listed ? '1' : '0'],
      ),
      // Sent with the save (one round trip): a refused save leaves an id the listing skips.
      ...(listed
        ? [
            this.redis.sadd(setKey, lobby.id),
            this.redis.pexpire(setKey, options.ttlMs * CHANNEL_LIST_TTL_FACTOR),
          ]
        : []),
    ]);
    return Number(version);
  }

  async save(lobby: Lobby, expectedVersion: number, options: SaveLobbyOptions): Promise<number | null> {
    const version = await this.run(lobby, expectedVersion, JSON.stringify(lobby), options);
    return version > 0 ? version : null;
  }

  // A removed lobby leaves its channel's set too, so a lobby created and removed at once (a create
  // refused after its empty save) leaves Redis as it found it. Only after the delete: the set may run
  // ahead of the lobbies, never behind.
  async remove(lobby: Lobby, expectedVersion: number): Promise<boolean> {
    const removed = (await this.run(lobby, expectedVersion, '', { ttlMs: 1, listed: false })) === 0;
    if (removed) await this.redis.srem(this.keys.channelLobbies(lobby.channelId), lobby.id);
    return removed;
  }

  async listChannel(channelId: string): Promise<StoredLobby[]> {
    const setKey = this.keys.channelLobbies(channelId);
    const ids = await this.redis.smembers(setKey);
    const hashes = await Promise.all(ids.map((id) => this.redis.hgetall(this.keys.missionLobby(id))));
    const found = hashes.map(toStored);
    const gone = ids.filter((_, i) => found[i] === null);
    if (gone.length > 0) await this.redis.srem(setKey, ...gone);
    return found.filter((lobby, i): lobby is StoredLobby => lobby !== null && hashes[i]!.l === '1');
  }
}
