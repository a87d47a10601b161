import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/services.js';
import { type ApiFixture, type Backend, openApiFixture, TEST_TICK_INTERVAL_MS } from './api-fixture.js';

describe.each<Backend>(['real', 'embedded'])('a group mission on the %s stores', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await openApiFixture(backend, { TICK_INTERVAL_MS: String(TEST_TICK_INTERVAL_MS) }, { engine: true });
    // Short missions keep the test quick: difficulty 1 is 24 ticks, 12 when short.
    const broadcaster = await f.viewer({ role: 'broadcaster' });
    await f.call(broadcaster, 'PUT', '/v1/channel/settings', { missionLength: 'short' });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('three viewers form a lobby, start, watch the log to the end, and all see it in their history', async () => {
    const viewers = await Promise.all([f.viewer(), f.viewer(), f.viewer()]);
    const survivors: string[] = [];
    for (const [i, v] of viewers.entries()) {
      const created = await f.call(v, 'POST', '/v1/survivors', { name: ['Ash', 'Birch', 'Cedar'][i] });
      survivors.push(created.json().id);
    }
    const lobby = (
      await f.call(viewers[0]!, 'POST', '/v1/lobbies', {
        survivorId: survivors[0],
        location: 'maple-row-suburbs',
        difficulty: 1,
      })
    ).json();
    for (const i of [1, 2]) {
      const joined = await f.call(viewers[i]!, 'POST', `/v1/lobbies/${lobby.id}/join`, {
        survivorId: survivors[i],
      });
      expect(joined.statusCode).toBe(200);
    }
    const notReady = await f.call(viewers[0]!, 'POST', `/v1/lobbies/${lobby.id}/start`);
    expect(notReady.json().code).toBe('lobby_not_ready');
    for (const v of viewers) await f.call(v, 'PUT', `/v1/lobbies/${lobby.id}/ready`, { ready: true });

    const started = await f.call(viewers[1]!, 'POST', `/v1/lobbies/${lobby.id}/start`);
    expect(started.statusCode).toBe(201);
    const { missionId } = started.json();
    expect((await f.call(viewers[2]!, 'GET', `/v1/lobbies/${lobby.id}`)).json()).toMatchObject({
      status: 'started',
      missionId,
    });

    // Each viewer polls as the panel does: with the cursor and ETag of the previous answer.
    const seen = viewers.map(() => [] as number[]);
    const state = viewers.map(() => ({ cursor: '', etag: '' }));
    let result: unknown = null;
    await eventually(
      async () => {
        for (const [i, v] of viewers.entries()) {
          const poll = await f.call(
            v,
            'GET',
            `/v1/poll?cursor=${state[i]!.cursor}`,
            undefined,
            state[i]!.etag ? { 'if-none-match': state[i]!.etag } : {},
          );
          if (poll.statusCode === 304) continue;
          expect(poll.statusCode).toBe(200);
          const body = poll.json();
          state[i] = { cursor: body.cursor, etag: poll.headers.etag as string };
          const mission = body.missions.find((m: { id: string }) => m.id === missionId);
          if (!mission) continue;
          expect(mission.party.map((m: { id: string }) => m.id)).toEqual(survivors);
          seen[i]!.push(...mission.lines.map((l: { tick: number }) => l.tick));
          if (mission.result) result = mission.result;
        }
        return result;
      },
      'the mission to end in the poll',
      20_000,
      TEST_TICK_INTERVAL_MS,
    );
    for (const ticks of seen) {
      expect(ticks.length).toBeGreaterThan(0);
      // New lines only: never the same tick twice, always in order.
      expect([...ticks].sort((a, b) => a - b)).toEqual(ticks);
      expect(new Set(ticks).size).toBe(ticks.length);
    }

    for (const [i, v] of viewers.entries()) {
      const history = await eventually(async () => {
        const page = (await f.call(v, 'GET', `/v1/survivors/${survivors[i]}/history`)).json();
        return page.missions[0]?.status !== 'active' ? page : null;
      }, 'the ended mission in the history');
      expect(history.missions[0]).toMatchObject({ id: missionId, kind: 'group' });
      expect(history.missions[0].participants).toHaveLength(3);
    }
    const board = (await f.call(viewers[0]!, 'GET', '/v1/channel/leaderboard')).json();
    expect(board.entries.map((e: { survivorId: string }) => e.survivorId).sort()).toEqual(
      [...survivors].sort(),
    );
  });
});
