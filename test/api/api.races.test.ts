import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type Caller, openApiFixture } from './api-fixture.js';

describe('racing requests on the real stores', () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await openApiFixture('real', { LOBBY_IDLE_TTL_MS: '1000' });
  });
  afterAll(async () => {
    await f?.close();
  });

  const survivorOf = async (v: Caller, name: string) =>
    (await f.call(v, 'POST', '/v1/survivors', { name })).json().id as string;
  const openLobby = async (v: Caller, survivorId: string) =>
    (await f.call(v, 'POST', '/v1/lobbies', { survivorId, location: 'flooded-mall', difficulty: 1 })).json()
      .id as string;

  it('20 concurrent starts of one lobby make exactly one mission', async () => {
    const [a, b] = [await f.viewer(), await f.viewer()];
    const lobbyId = await openLobby(a, await survivorOf(a, 'Racer'));
    await f.call(b, 'POST', `/v1/lobbies/${lobbyId}/join`, { survivorId: await survivorOf(b, 'Chaser') });
    for (const v of [a, b]) await f.call(v, 'PUT', `/v1/lobbies/${lobbyId}/ready`, { ready: true });

    const starts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => f.call(i % 2 ? a : b, 'POST', `/v1/lobbies/${lobbyId}/start`)),
    );
    const statuses = starts.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(starts.filter((r) => r.statusCode !== 201).map((r) => r.json().code)).toEqual(
      Array(19).fill('lobby_not_open'),
    );
    const { rows } = await f.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM missions WHERE kind = 'group'`,
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('one survivor joining two lobbies at once ends up in one', async () => {
    const [a, b, c] = [await f.viewer(), await f.viewer(), await f.viewer()];
    const first = await openLobby(a, await survivorOf(a, 'Host One'));
    const second = await openLobby(b, await survivorOf(b, 'Host Two'));
    const survivorId = await survivorOf(c, 'Joiner');
    const joins = await Promise.all([
      f.call(c, 'POST', `/v1/lobbies/${first}/join`, { survivorId }),
      f.call(c, 'POST', `/v1/lobbies/${second}/join`, { survivorId }),
    ]);
    expect(joins.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(['already_in_lobby', 'survivor_busy']).toContain(
      joins.find((r) => r.statusCode === 409)!.json().code,
    );
    const lobbies = await Promise.all([first, second].map((id) => f.call(c, 'GET', `/v1/lobbies/${id}`)));
    const memberships = lobbies.filter((l) =>
      l.json().members.some((m: { survivorId: string }) => m.survivorId === survivorId),
    );
    expect(memberships).toHaveLength(1);
  });

  it('five creations at once never pass the limit of three living survivors', async () => {
    const v = await f.viewer();
    await f.call(v, 'GET', '/v1/me');
    const created = await Promise.all(
      Array.from({ length: 5 }, (_, i) => f.call(v, 'POST', '/v1/survivors', { name: `Twin ${'abcde'[i]}` })),
    );
    expect(created.filter((r) => r.statusCode === 201)).toHaveLength(3);
    expect(created.filter((r) => r.statusCode === 409).map((r) => r.json().code)).toEqual([
      'survivor_limit',
      'survivor_limit',
    ]);
  });

  it('an expired lobby answers lobby_expired and its survivors go back to idle', async () => {
    const [a, b] = [await f.viewer(), await f.viewer()];
    const lobbyId = await openLobby(a, await survivorOf(a, 'Waiter'));
    await f.call(b, 'POST', `/v1/lobbies/${lobbyId}/join`, { survivorId: await survivorOf(b, 'Sleeper') });
    expect((await f.call(a, 'GET', '/v1/poll')).json().survivors[0].state).toBe('in_lobby');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const gone = await f.call(a, 'PUT', `/v1/lobbies/${lobbyId}/ready`, { ready: true });
    expect(gone.statusCode).toBe(410);
    expect(gone.json().code).toBe('lobby_expired');
    const poll = (await f.call(a, 'GET', '/v1/poll')).json();
    expect(poll.lobby).toBeNull();
    expect(poll.survivors[0]).toMatchObject({ state: 'idle', lobbyId: null });
    expect((await f.call(b, 'GET', '/v1/me')).json().survivors[0].state).toBe('idle');
  });

  it('the sweeper sends back to idle the survivors of lobbies nobody looks at', async () => {
    const a = await f.viewer();
    const survivorId = await survivorOf(a, 'Forgotten');
    await openLobby(a, survivorId);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const { LobbyService } = await import('../../src/engine/lobby-service.js');
    const { apiContextFor } = await import('../../src/api/build-app.js');
    expect(await new LobbyService(apiContextFor(f.runtime)).sweep()).toBeGreaterThanOrEqual(1);
    const { rows } = await f.db.query<{ state: string }>('SELECT state FROM survivors WHERE id = $1', [
      survivorId,
    ]);
    expect(rows[0]!.state).toBe('idle');
  });
});
