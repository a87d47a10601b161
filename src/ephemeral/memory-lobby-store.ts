import type { KeyNames } from './keys.js';
import type { Lobby, LobbyStore, SaveLobbyOptions, StoredLobby } from './lobby-store.js';

interface Entry {
  version: number;
  json: string;
  expiresAt: number;
}

/**
 * Lobbies inside the process (embedded mode). Each method does its work synchronously inside its
 * promise, so a save is as atomic here as save-lobby.lua is in Redis.
 */
export class MemoryLobbyStore implements LobbyStore {
  private readonly lobbies = new Map<string, Entry>();
  private readonly channels = new Map<string, Set<string>>();

  constructor(
    private readonly keys: KeyNames,
    private readonly clock: () => number = Date.now,
  ) {}

  private read(lobbyId: string): StoredLobby | null {
    const key = this.keys.missionLobby(lobbyId);
    const entry = this.lobbies.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.clock()) {
      this.lobbies.delete(key);
      return null;
    }
    return { lobby: JSON.parse(entry.json) as Lobby, version: entry.version };
  }

  async get(lobbyId: string): Promise<StoredLobby | null> {
    return this.read(lobbyId);
  }

  async getMany(lobbyIds: readonly string[]): Promise<(StoredLobby | null)[]> {
    return lobbyIds.map((id) => this.read(id));
  }

  private listFor(channelId: string): Set<string> {
    const key = this.keys.channelLobbies(channelId);
    let set = this.channels.get(key);
    if (!set) {
      set = new Set();
      this.channels.set(key, set);
    }
    return set;
  }

  async save(lobby: Lobby, expectedVersion: number, options: SaveLobbyOptions): Promise<number | null> {
    const current = this.read(lobby.id)?.version ?? 0;
    if (current !== expectedVersion) return null;
    const version = current + 1;
    this.lobbies.set(this.keys.missionLobby(lobby.id), {
      version,
      json: JSON.stringify(lobby),
      expiresAt: this.clock() + options.ttlMs,
    });
    if (options.listed) this.listFor(lobby.channelId).add(lobby.id);
    else this.listFor(lobby.channelId).delete(lobby.id);
    return version;
  }

  async remove(lobby: Lobby, expectedVersion: number): Promise<boolean> {
    const current = this.read(lobby.id)?.version ?? 0;
    if (current !== expectedVersion) return false;
    this.lobbies.delete(this.keys.missionLobby(lobby.id));
    this.listFor(lobby.channelId).delete(lobby.id);
    return true;
  }

  async listChannel(channelId: string): Promise<StoredLobby[]> {
    const set = this.listFor(channelId);
    const found: StoredLobby[] = [];
    for (const id of set) {
      const stored = this.read(id);
      if (stored) found.push(stored);
      else set.delete(id);
    }
    return found;
  }
}
