import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lobby, LobbyStore } from '../../src/ephemeral/lobby-store.js';
import { ephemeralBackends, type OpenedStore } from './ephemeral-backends.js';

function lobby(id: string, channelId = '1000'): Lobby {
  return {
    id,
    channelId,
    leaderUserId: '1',
    location: 'flooded-mall',
    difficulty: 1,
    length: 'standard',
    status: 'open',
    missionId: null,
    startToken: null,
    createdAt: 1,
    updatedAt: 1,
    members: [],
  };
}

const TTL = { ttlMs: 60_000, listed: true };

describe.each(ephemeralBackends)('lobby store on $name', ({ open }) => {
  let opened: OpenedStore;
  let lobbies: LobbyStore;
  beforeEach(() => {
    opened = open();
    lobbies = opened.store.lobbies;
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('creates a lobby only once, and lists it in its channel while listed', async () => {
    expect(await lobbies.save(lobby('a'), 0, TTL)).toBe(1);
    expect(await lobbies.save(lobby('a'), 0, TTL)).toBeNull();
    expect(await lobbies.get('a')).toEqual({ lobby: lobby('a'), version: 1 });
    expect((await lobbies.listChannel('1000')).map((s) => s.lobby.id)).toEqual(['a']);
    expect(await lobbies.listChannel('2000')).toEqual([]);
    expect(
      await lobbies.save({ ...lobby('a'), status: 'started' }, 1, { ttlMs: 60_000, listed: false }),
    ).toBe(2);
    expect(await lobbies.listChannel('1000')).toEqual([]);
  });

  it('refuses a save from a stale version: of racing changes, exactly one wins', async () => {
    await lobbies.save(lobby('b'), 0, TTL);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => lobbies.save({ ...lobby('b'), leaderUserId: String(i) }, 1, TTL)),
    );
    expect(results.filter((v) => v === 2)).toHaveLength(1);
    expect(results.filter((v) => v === null)).toHaveLength(19);
  });

  it('removes only at the expected version', async () => {
    await lobbies.save(lobby('c'), 0, TTL);
    expect(await lobbies.remove(lobby('c'), 7)).toBe(false);
    expect(await lobbies.remove(lobby('c'), 1)).toBe(true);
    expect(await lobbies.get('c')).toBeNull();
    expect(await lobbies.listChannel('1000')).toEqual([]);
  });

  it('forgets a lobby after its TTL, and drops it from the channel list', async () => {
    await lobbies.save(lobby('d'), 0, { ttlMs: 50, listed: true });
    expect(await lobbies.getMany(['d', 'nope'])).toEqual([{ lobby: lobby('d'), version: 1 }, null]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await lobbies.get('d')).toBeNull();
    expect(await lobbies.listChannel('1000')).toEqual([]);
    // An expired lobby is gone: a save expecting its old version fails.
    expect(await lobbies.save(lobby('d'), 1, TTL)).toBeNull();
  });
});
