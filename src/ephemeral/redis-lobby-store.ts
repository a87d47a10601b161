import type { Redis } from 'ioredis';
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

const saveLobbyScript = luaScript('save-lobby', 2);

function toStored(hash: Record<string, string> | null | undefined): StoredLobby | null {
  if (!hash || hash.d === undefined || hash.v === undefined) return null;
  return { lobby: parseLobby(hash.d), version: Number(hash.v) };
}

/** Lobbies on Redis: a hash per lobby (version + JSON) with a TTL, and a set of open lobbies per channel. */
export class RedisLobbyStore implements LobbyStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeyNames,
  ) {
    defineScripts(redis, [saveLobbyScript]);
  }

  async get(lobbyId: string): Promise<StoredLobby | null> {
    return toStored(await this.redis.hgetall(this.keys.missionLobby(lobbyId)));
  }

  async getMany(lobbyIds: readonly string[]): Promise<(StoredLobby | null)[]> {
    if (lobbyIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of lobbyIds) pipeline.hgetall(this.keys.missionLobby(id));
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, hash]) => {
      if (error) throw error;
      return toStored(hash as Record<string, string>);
    });
  }

  private async run(lobby: Lobby, expectedVersion: number, json: string, options: SaveLobbyOptions) {
    return Number(
      await runScript(
        this.redis,
        saveLobbyScript,
        [this.keys.missionLobby(lobby.id), this.keys.channelLobbies(lobby.channelId)],
        [
          expectedVersion,
          json,
          options.ttlMs,
          lobby.id,
          options.listed ? '1' : '0',
          options.ttlMs * CHANNEL_LIST_TTL_FACTOR,
        ],
      ),
    );
  }

  async save(lobby: Lobby, expectedVersion: number, options: SaveLobbyOptions): Promise<number | null> {
    const version = await this.run(lobby, expectedVersion, JSON.stringify(lobby), options);
    return version > 0 ? version : null;
  }

  async remove(lobby: Lobby, expectedVersion: number): Promise<boolean> {
    return (await this.run(lobby, expectedVersion, '', { ttlMs: 1, listed: false })) === 0;
  }

  async listChannel(channelId: string): Promise<StoredLobby[]> {
    const setKey = this.keys.channelLobbies(channelId);
    const ids = await this.redis.smembers(setKey);
    const found = await this.getMany(ids);
    const gone = ids.filter((_, i) => found[i] === null);
    if (gone.length > 0) await this.redis.srem(setKey, ...gone);
    return found.filter((l): l is StoredLobby => l !== null);
  }
}
