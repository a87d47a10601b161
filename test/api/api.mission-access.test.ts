import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, openApiFixture } from './api-fixture.js';

describe('who may read a mission', () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await openApiFixture('real');
  }, 60_000);
  afterAll(async () => {
    await f?.close();
  });

  it("its channel's viewers and its participants; anyone else gets 404, and nobody sees user ids", async () => {
    const bo = await f.viewer({ channelId: '1000' });
    const survivorId = (await f.call(bo, 'POST', '/v1/survivors', { name: 'Bo' })).json().id;
    const started = await f.call(bo, 'POST', '/v1/missions', {
      survivorId,
      location: 'flooded-mall',
      difficulty: 1,
    });
    expect(started.statusCode).toBe(201);
    const { missionId } = started.json();

    const neighbour = await f.viewer({ channelId: '1000' });
    const stranger = await f.viewer({ channelId: '2000' });
    const anonymousStranger = await f.viewer({ opaqueUserId: 'Astranger2000', channelId: '2000' });
    const boElsewhere = await f.viewer({ opaqueUserId: bo.opaqueUserId, channelId: '2000' });

    for (const outsider of [stranger, anonymousStranger]) {
      for (const url of [`/v1/missions/${missionId}`, `/v1/missions/${missionId}/log`]) {
        const refused = await f.call(outsider, 'GET', url);
        expect(refused.statusCode, url).toBe(404);
        expect(refused.json().code).toBe('mission_not_found');
      }
    }

    const seen = await f.call(neighbour, 'GET', `/v1/missions/${missionId}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().participants).toEqual([
      { survivorId, name: 'Bo', slot: 0, mine: false, player: null, playerTitle: null },
    ]);
    expect(seen.body).not.toMatch(/userId/);
    expect((await f.call(neighbour, 'GET', `/v1/missions/${missionId}/log`)).statusCode).toBe(200);

    // Survivors follow their viewer between channels: their missions do too.
    const own = await f.call(boElsewhere, 'GET', `/v1/missions/${missionId}`);
    expect(own.statusCode).toBe(200);
    expect(own.json().participants[0].mine).toBe(true);
    expect((await f.call(boElsewhere, 'GET', `/v1/missions/${missionId}/log`)).statusCode).toBe(200);
    const history = await f.call(bo, 'GET', `/v1/survivors/${survivorId}/history`);
    expect(history.json().missions[0].participants[0]).toEqual({
      survivorId,
      name: 'Bo',
      slot: 0,
      mine: true,
      player: null,
      playerTitle: null,
    });
  });
});
