import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BroadcastNotice } from '../../src/twitch/broadcast-notice.js';
import { type ApiFixture, type Backend, openApiFixture, TEST_TICK_INTERVAL_MS } from '../api/api-fixture.js';
import { eventually } from '../support/services.js';
import { STAND_IN_DEFAULTS, standInEnv, TwitchStandIn } from '../support/twitch-stand-in.js';

const notices = (standIn: TwitchStandIn, channelId: string): BroadcastNotice[] =>
  standIn.pubsub
    .filter((r) => r.channelId === channelId)
    .map((r) => JSON.parse(r.message) as BroadcastNotice);

describe.each<Backend>(['real', 'embedded'])('PubSub notices on the %s stores', (backend) => {
  let f: ApiFixture;
  let standIn: TwitchStandIn;
  beforeAll(async () => {
    standIn = await new TwitchStandIn(STAND_IN_DEFAULTS).start();
    f = await openApiFixture(
      backend,
      { TICK_INTERVAL_MS: String(TEST_TICK_INTERVAL_MS), ...standInEnv(standIn) },
      { engine: true },
    );
  });
  afterAll(async () => {
    await f?.close();
    await standIn?.stop();
  });

  it('announces the ticks of a mission to its channel, coalesced within 1 message a second', async () => {
    const ada = await f.viewer({ channelId: '4100' });
    const catalog = (await f.call(ada, 'GET', '/v1/missions/catalog')).json();
    expect(catalog.broadcasts).toBe(true);
    const survivorId = (await f.call(ada, 'POST', '/v1/survivors', { name: 'Ada' })).json().id;
    const started = await f.call(ada, 'POST', '/v1/missions', {
      survivorId,
      location: 'flooded-mall',
      difficulty: 1,
    });
    expect(started.statusCode).toBe(201);
    const { missionId } = started.json();
    // 50 ms ticks: about 20 ticks a second, but Twitch hears at most the burst and then one a second.
    await eventually(() => notices(standIn, '4100').length >= 2, 'two broadcasts for the mission', 10_000);
    const heard = notices(standIn, '4100');
    expect(heard.every((n) => n.missions?.includes(missionId))).toBe(true);
    const spanMs = standIn.pubsub.at(-1)!.at - standIn.pubsub[0]!.at;
    expect(heard.length).toBeLessThanOrEqual(5 + Math.ceil(spanMs / 1_000) + 1);
    expect(notices(standIn, '1000')).toEqual([]);
  });

  it('tells the channel when a lobby opens, and the lobby alone when someone joins', async () => {
    const [leader, joiner] = await Promise.all([
      f.viewer({ channelId: '4200' }),
      f.viewer({ channelId: '4200' }),
    ]);
    const s1 = (await f.call(leader, 'POST', '/v1/survivors', { name: 'Lead' })).json().id;
    const s2 = (await f.call(joiner, 'POST', '/v1/survivors', { name: 'Join' })).json().id;
    const lobby = (
      await f.call(leader, 'POST', '/v1/lobbies', {
        survivorId: s1,
        location: 'maple-row-suburbs',
        difficulty: 1,
      })
    ).json();
    await eventually(() => notices(standIn, '4200').length >= 1, 'the lobby-opened broadcast');
    expect(notices(standIn, '4200')[0]).toEqual({ v: 1, lobbies: [lobby.id], channel: true });
    await f.call(joiner, 'POST', `/v1/lobbies/${lobby.id}/join`, { survivorId: s2 });
    await eventually(() => notices(standIn, '4200').length >= 2, 'the join broadcast');
    expect(notices(standIn, '4200')[1]).toEqual({ v: 1, lobbies: [lobby.id] });
  });

  it("tells the channel's panels to read the catalog again when the broadcaster changes the rules", async () => {
    const caster = await f.viewer({ channelId: '4300', role: 'broadcaster' });
    const changed = await f.call(caster, 'PUT', '/v1/channel/settings', { maxDifficulty: 2 });
    expect(changed.statusCode).toBe(200);
    await eventually(() => notices(standIn, '4300').length >= 1, 'the settings broadcast');
    expect(notices(standIn, '4300')).toEqual([{ v: 1, settings: true }]);
    // A refused change changes nothing and announces nothing.
    expect((await f.call(caster, 'PUT', '/v1/channel/settings', { maxDifficulty: 9 })).statusCode).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(notices(standIn, '4300')).toHaveLength(1);
  });
});
