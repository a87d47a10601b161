import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiFixture,
  type Backend,
  type Caller,
  openApiFixture,
  TEST_TICK_INTERVAL_MS,
} from '../api/api-fixture.js';
import { eventually } from '../support/services.js';
import { STAND_IN_DEFAULTS, standInEnv, TwitchStandIn } from '../support/twitch-stand-in.js';

interface Shown {
  name: string;
  player: string | null;
  playerTitle: string | null;
}

const shown = (list: Shown[]) => list.map(({ name, player, playerTitle }) => ({ name, player, playerTitle }));

describe.each<Backend>(['real', 'embedded'])('display names in the views on the %s stores', (backend) => {
  let f: ApiFixture;
  let standIn: TwitchStandIn;
  /** The API's clock, moved past its 30 s memory of names. */
  let offset = 0;

  beforeAll(async () => {
    standIn = await new TwitchStandIn(STAND_IN_DEFAULTS).start();
    f = await openApiFixture(
      backend,
      { TICK_INTERVAL_MS: String(TEST_TICK_INTERVAL_MS), ...standInEnv(standIn) },
      { engine: true, clock: () => Date.now() + offset, twitch: { displayNamePollMs: 50 } },
    );
  });
  afterAll(async () => {
    await f?.close();
    await standIn?.stop();
  });

  const namedUsers = async () =>
    (await f.db.query(`SELECT 1 FROM users WHERE display_name IS NOT NULL`)).rows.length;

  it('shows Twitch display names (and a Bits title) in lobbies, the poll, mission parties and the leaderboard', async () => {
    const channelId = '7100';
    const broadcaster = await f.viewer({ role: 'broadcaster', channelId });
    await f.call(broadcaster, 'PUT', '/v1/channel/settings', { missionLength: 'short' });
    standIn.addUser('71001', 'Ash_Streams');
    standIn.addUser('71002', 'Birch');
    const ash = await f.viewer({ channelId, twitchUserId: '71001' });
    const birch = await f.viewer({ channelId, twitchUserId: '71002' });
    const cedar = await f.viewer({ channelId });
    const viewers = [ash, birch, cedar];
    const survivors: string[] = [];
    for (const [i, v] of viewers.entries()) {
      survivors.push(
        (await f.call(v, 'POST', '/v1/survivors', { name: ['Ash', 'Birch', 'Cedar'][i] })).json().id,
      );
    }
    // The refresher runs in the background (every 50 ms here): nothing above waited for Twitch.
    await eventually(async () => (await namedUsers()) === 2, 'the two names fetched');

    const lobby = (
      await f.call(ash, 'POST', '/v1/lobbies', {
        survivorId: survivors[0],
        location: 'maple-row-suburbs',
        difficulty: 1,
      })
    ).json();
    await f.call(birch, 'POST', `/v1/lobbies/${lobby.id}/join`, { survivorId: survivors[1] });
    const joined = (
      await f.call(cedar, 'POST', `/v1/lobbies/${lobby.id}/join`, { survivorId: survivors[2] })
    ).json();
    const expected = [
      { name: 'Ash', player: 'Ash_Streams', playerTitle: null },
      { name: 'Birch', player: 'Birch', playerTitle: null },
      { name: 'Cedar', player: null, playerTitle: null },
    ];
    expect(shown(joined.members)).toEqual(expected);
    const listed = (await f.call(birch, 'GET', '/v1/lobbies')).json().lobbies;
    expect(shown(listed[0].members)).toEqual(expected);

    // Ash buys a title: the lobby in the poll shows it at once (the cached name is dropped).
    const firstPoll = await f.call(cedar, 'GET', '/v1/poll');
    expect(shown(firstPoll.json().lobby.members)).toEqual(expected);
    const { receipt } = await standIn.purchase({
      userId: '71001',
      channelId,
      sku: 'title_last_light',
      bits: 50,
    });
    const bought = await f.call(ash, 'POST', '/v1/bits/transactions', { receipt, target: {} });
    expect(bought.json().status).toBe('fulfilled');
    // Only a name changed for Cedar (no roster, no lobby version): the ETag still moves.
    const afterTitle = await f.call(cedar, 'GET', '/v1/poll', undefined, {
      'if-none-match': firstPoll.headers.etag as string,
    });
    expect(afterTitle.statusCode).toBe(200);
    expect(afterTitle.json().lobby.members[0]).toMatchObject({
      player: 'Ash_Streams',
      playerTitle: 'Last Light',
    });

    for (const v of viewers) await f.call(v, 'PUT', `/v1/lobbies/${lobby.id}/ready`, { ready: true });
    const { missionId } = (await f.call(ash, 'POST', `/v1/lobbies/${lobby.id}/start`)).json();
    const party = await eventually(async () => {
      const body = (await f.call(birch, 'GET', '/v1/poll')).json();
      return body.missions.find((m: { id: string }) => m.id === missionId)?.party as Shown[] | undefined;
    }, 'the mission in the poll');
    expect(shown(party)).toEqual([{ ...expected[0]!, playerTitle: 'Last Light' }, expected[1], expected[2]]);

    const ended = await eventually(
      async () => {
        const mission = (await f.call(cedar, 'GET', `/v1/missions/${missionId}`)).json();
        return mission.status !== 'active' ? mission : null;
      },
      'the mission to end',
      20_000,
    );
    expect(ended.participants.map((p: Shown) => p.player)).toEqual(['Ash_Streams', 'Birch', null]);
    const board = (await f.call(cedar, 'GET', '/v1/channel/leaderboard')).json().entries as (Shown & {
      survivorId: string;
    })[];
    expect(board.find((e) => e.survivorId === survivors[0])).toMatchObject({
      player: 'Ash_Streams',
      playerTitle: 'Last Light',
    });
    expect(board.find((e) => e.survivorId === survivors[2])?.player).toBeNull();
  });

  it('shows a name fetched after the lobby was first seen, once the API forgets what it read', async () => {
    const channelId = '7200';
    const hidden: Caller = await f.viewer({ channelId, opaqueUserId: `Udana${process.pid}` });
    const survivorId = (await f.call(hidden, 'POST', '/v1/survivors', { name: 'Dana' })).json().id;
    const lobby = (
      await f.call(hidden, 'POST', '/v1/lobbies', {
        survivorId,
        location: 'maple-row-suburbs',
        difficulty: 1,
      })
    ).json();
    expect(lobby.members[0].player).toBeNull();
    // Dana shares her identity: the next token carries her Twitch id, and the refresher finds her name.
    standIn.addUser('72001', 'DanaDoesDishes');
    const shared = await f.viewer({ channelId, opaqueUserId: hidden.opaqueUserId, twitchUserId: '72001' });
    await f.call(shared, 'GET', '/v1/poll');
    await eventually(
      async () =>
        (await f.db.query(`SELECT 1 FROM users WHERE display_name = 'DanaDoesDishes'`)).rows.length === 1,
      "Dana's name fetched",
    );
    offset += 31_000;
    const seen = (await f.call(shared, 'GET', `/v1/lobbies/${lobby.id}`)).json();
    expect(seen.members[0].player).toBe('DanaDoesDishes');
  });
});
