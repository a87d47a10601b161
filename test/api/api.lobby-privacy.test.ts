import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type Caller, openApiFixture } from './api-fixture.js';

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      into.add(key);
      keysOf(inner, into);
    }
  }
  return into;
}

/** The answer's JSON, after checking that it names no user id under any key. */
function withoutUserIds(response: LightMyRequestResponse, what: string) {
  expect(response.statusCode, `${what}: ${response.body}`).toBeLessThan(300);
  const body = response.json();
  expect(
    [...keysOf(body)].filter((key) => /user/i.test(key)),
    what,
  ).toEqual([]);
  return body;
}

describe('lobbies and polls show whose survivor is yours, never internal user ids (issue 13, item 4)', () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await openApiFixture('real');
  }, 60_000);
  afterAll(async () => {
    await f?.close();
  });

  it('in every lobby answer, the poll, and the party of the group mission they start', async () => {
    const channelId = '3000';
    const [ann, ben, cat] = (await Promise.all([
      f.viewer({ channelId }),
      f.viewer({ channelId }),
      f.viewer({ channelId }),
    ])) as [Caller, Caller, Caller];
    const anonymous = await f.viewer({ opaqueUserId: 'Alobbywatcher', channelId });
    const survivorOf = async (caller: Caller, name: string) =>
      (await f.call(caller, 'POST', '/v1/survivors', { name })).json().id as string;
    const annSurvivor = await survivorOf(ann, 'Ann');
    const benSurvivor = await survivorOf(ben, 'Ben');
    // The internal ids exist (each viewer may see their own on /v1/me): they must not travel further.
    const ids = await Promise.all(
      [ann, ben, cat].map(async (c) => (await f.call(c, 'GET', '/v1/me')).json().viewer.userId as string),
    );
    expect(new Set(ids).size).toBe(3);

    const created = withoutUserIds(
      await f.call(ann, 'POST', '/v1/lobbies', {
        survivorId: annSurvivor,
        location: 'flooded-mall',
        difficulty: 1,
      }),
      'create',
    );
    const lobbyUrl = `/v1/lobbies/${created.id}`;
    expect(created.members).toEqual([
      {
        survivorId: annSurvivor,
        name: 'Ann',
        level: 1,
        ready: false,
        joinedAt: expect.any(Number),
        carry: [],
        mine: true,
        leader: true,
        // Ann has not shared her identity: no Twitch display name to show.
        player: null,
        playerTitle: null,
      },
    ]);
    const joined = withoutUserIds(
      await f.call(ben, 'POST', `${lobbyUrl}/join`, { survivorId: benSurvivor }),
      'join',
    );
    const flags = (lobby: { members: { survivorId: string; mine: boolean; leader: boolean }[] }) =>
      lobby.members.map(({ survivorId, mine, leader }) => ({ survivorId, mine, leader }));
    const annLeads = (benMine: boolean, annMine: boolean) => [
      { survivorId: annSurvivor, mine: annMine, leader: true },
      { survivorId: benSurvivor, mine: benMine, leader: false },
    ];
    expect(flags(joined)).toEqual(annLeads(true, false));
    expect(
      flags(withoutUserIds(await f.call(ben, 'PUT', `${lobbyUrl}/ready`, { ready: true }), 'ready')),
    ).toEqual(annLeads(true, false));

    // Everyone who can see the lobby: its members, a viewer of the channel, a logged-out one.
    for (const [caller, annMine, benMine] of [
      [ann, true, false],
      [ben, false, true],
      [cat, false, false],
      [anonymous, false, false],
    ] as const) {
      const list = withoutUserIds(await f.call(caller, 'GET', '/v1/lobbies'), 'list');
      const listed = list.lobbies.find((l: { id: string }) => l.id === created.id);
      expect(flags(listed)).toEqual(annLeads(benMine, annMine));
      expect(flags(withoutUserIds(await f.call(caller, 'GET', lobbyUrl), 'get'))).toEqual(
        annLeads(benMine, annMine),
      );
    }
    const annPoll = withoutUserIds(await f.call(ann, 'GET', '/v1/poll'), 'poll');
    expect(flags(annPoll.lobby)).toEqual(annLeads(false, true));
    expect(flags(withoutUserIds(await f.call(ben, 'GET', '/v1/poll'), 'poll').lobby)).toEqual(
      annLeads(true, false),
    );

    // The leader leaves and comes back: Ben leads, and each sees it from their side.
    const left = withoutUserIds(await f.call(ann, 'POST', `${lobbyUrl}/leave`), 'leave');
    expect(flags(left.lobby)).toEqual([{ survivorId: benSurvivor, mine: false, leader: true }]);
    const back = withoutUserIds(
      await f.call(ann, 'POST', `${lobbyUrl}/join`, { survivorId: annSurvivor }),
      'join again',
    );
    expect(flags(back)).toEqual([
      { survivorId: benSurvivor, mine: false, leader: true },
      { survivorId: annSurvivor, mine: true, leader: false },
    ]);
    for (const caller of [ann, ben]) await f.call(caller, 'PUT', `${lobbyUrl}/ready`, { ready: true });

    const started = await f.call(ann, 'POST', `${lobbyUrl}/start`);
    expect(started.statusCode, started.body).toBe(201);
    for (const [caller, own] of [
      [ann, annSurvivor],
      [ben, benSurvivor],
    ] as const) {
      const poll = withoutUserIds(await f.call(caller, 'GET', '/v1/poll'), 'poll of the mission');
      const [mission] = poll.missions;
      expect(mission.id).toBe(started.json().missionId);
      expect(
        mission.party
          .map(({ id, mine }: { id: string; mine: boolean }) => ({ id, mine }))
          .sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id)),
      ).toEqual(
        [annSurvivor, benSurvivor]
          .map((id) => ({ id, mine: id === own }))
          .sort((a, b) => a.id.localeCompare(b.id)),
      );
      // The started lobby, still readable: no ids there either.
      withoutUserIds(await f.call(caller, 'GET', lobbyUrl), 'started lobby');
    }
  });

  it('reads a lobby only from its own channel: from another it answers as an unknown id does', async () => {
    const [owner, outsider, outsiderBroadcaster] = (await Promise.all([
      f.viewer({ channelId: '3100' }),
      f.viewer({ channelId: '3200' }),
      f.viewer({ channelId: '3200', role: 'broadcaster' }),
    ])) as [Caller, Caller, Caller];
    const survivorId = (await f.call(owner, 'POST', '/v1/survivors', { name: 'Ona' })).json().id as string;
    const created = await f.call(owner, 'POST', '/v1/lobbies', {
      survivorId,
      location: 'flooded-mall',
      difficulty: 1,
    });
    expect(created.statusCode, created.body).toBe(201);
    const lobbyUrl = `/v1/lobbies/${created.json().id}`;
    expect((await f.call(owner, 'GET', lobbyUrl)).statusCode).toBe(200);

    const unknown = await f.call(outsider, 'GET', '/v1/lobbies/AAAAAAAAAAAA');
    const foreign = await f.call(outsider, 'GET', lobbyUrl);
    expect(foreign.statusCode, foreign.body).toBe(unknown.statusCode);
    expect(foreign.json().code).toBe(unknown.json().code);
    const removal = await f.call(outsiderBroadcaster, 'POST', `${lobbyUrl}/remove`, { survivorId });
    expect(removal.statusCode, removal.body).toBe(unknown.statusCode);
    // Nothing changed: the owner is still in the lobby.
    expect((await f.call(owner, 'GET', lobbyUrl)).json().members).toHaveLength(1);
  });
});
