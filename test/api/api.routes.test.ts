import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { simulateCell } from '../../src/game/balance-matrix.js';
import { ODDS_RUNS, ODDS_SEED } from '../../src/game/picker-odds.js';
import { playerPolicy } from '../../src/game/player-policy.js';
import { eventually } from '../support/services.js';
import {
  type ApiFixture,
  type Backend,
  type Caller,
  openApiFixture,
  TEST_TICK_INTERVAL_MS,
} from './api-fixture.js';

describe.each<Backend>(['real', 'embedded'])('every route on the %s stores', (backend) => {
  let f: ApiFixture;
  let ada: Caller;
  let survivorId: string;

  beforeAll(async () => {
    f = await openApiFixture(backend, { TICK_INTERVAL_MS: String(TEST_TICK_INTERVAL_MS) }, { engine: true });
    ada = await f.viewer();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('mints development tokens that the API accepts', async () => {
    const minted = await f.call(null, 'POST', '/dev/token', { role: 'viewer' });
    expect(minted.statusCode).toBe(200);
    const { token, opaqueUserId } = minted.json();
    expect(opaqueUserId).toMatch(/^U/);
    const me = await f.call({ token, opaqueUserId, channelId: '1000' }, 'GET', '/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().viewer).toMatchObject({ opaqueUserId, loggedIn: true });
  });

  it('creates a user on first sight and shows an empty roster', async () => {
    const me = await f.call(ada, 'GET', '/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ survivors: [], maxLivingSurvivors: 3 });
    expect(me.json().viewer.userId).toMatch(/^\d+$/);
  });

  it('creates, renames, equips, unequips a survivor', async () => {
    const created = await f.call(ada, 'POST', '/v1/survivors', { name: '  Ada   Vance ' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Ada Vance', state: 'idle', level: 1, perkSlots: 2 });
    survivorId = created.json().id;

    const renamed = await f.call(ada, 'PATCH', `/v1/survivors/${survivorId}`, { name: 'Ada' });
    expect(renamed.json()).toMatchObject({ id: survivorId, name: 'Ada' });
    // A new survivor is offered perks for its first slots; it may take only those.
    const offers: string[] = created.json().perkOffers;
    expect(offers).toHaveLength(3);
    const offered = offers[0]!;
    const equipped = await f.call(ada, 'POST', `/v1/survivors/${survivorId}/perks`, { perkId: offered });
    expect(equipped.json()).toMatchObject({ perks: [offered], perkOffers: offers.slice(1) });
    const unequipped = await f.call(ada, 'DELETE', `/v1/survivors/${survivorId}/perks/${offered}`);
    expect(unequipped.json()).toMatchObject({ perks: [], perkOffers: [...offers.slice(1), offered] });
    const content = loadContent();
    const notOffered = Object.keys(content.perks).find(
      (p) => !offers.includes(p) && content.perks[p]!.minLevel === 1,
    )!;
    const refused = await f.call(ada, 'POST', `/v1/survivors/${survivorId}/perks`, { perkId: notOffered });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('perk_not_offered');
    const me = await f.call(ada, 'GET', '/v1/me');
    expect(me.json().survivors.map((s: { name: string }) => s.name)).toEqual(['Ada']);
  });

  it('serves the catalog within the channel settings, which only the broadcaster changes', async () => {
    const broadcaster = await f.viewer({ role: 'broadcaster', channelId: '2000' });
    const viewer = await f.viewer({ channelId: '2000' });
    expect((await f.call(viewer, 'GET', '/v1/channel/settings')).json()).toEqual({
      maxDifficulty: 5,
      groupMissionsEnabled: true,
      missionLength: 'standard',
      chatMessagesEnabled: true,
      moderatorsRunEvents: false,
      seasonPeriod: 'weekly',
      seasonGoal: 500,
    });
    const put = await f.call(broadcaster, 'PUT', '/v1/channel/settings', {
      maxDifficulty: 2,
      missionLength: 'short',
      chatMessagesEnabled: false,
      moderatorsRunEvents: false,
      seasonPeriod: 'weekly',
      seasonGoal: 500,
    });
    expect(put.json()).toEqual({
      maxDifficulty: 2,
      groupMissionsEnabled: true,
      missionLength: 'short',
      chatMessagesEnabled: false,
      moderatorsRunEvents: false,
      seasonPeriod: 'weekly',
      seasonGoal: 500,
    });
    const catalog = (await f.call(viewer, 'GET', '/v1/missions/catalog')).json();
    expect(catalog.locations.length).toBeGreaterThanOrEqual(6);
    expect(
      catalog.difficulties
        .filter((d: { allowed: boolean }) => d.allowed)
        .map((d: { level: number }) => d.level),
    ).toEqual([1, 2]);
    expect(catalog.perks.length).toBeGreaterThanOrEqual(12);
    expect(catalog.retreatVoteWindowMs).toBe(30_000);
    // Each location's odds per difficulty: the simulator's solo cell on the fixed seed, the same
    // figures `holdout simulate --matrix` would print for those runs.
    const mall = catalog.locations.find((l: { id: string }) => l.id === 'flooded-mall');
    expect(mall.odds.map((o: { difficulty: number }) => o.difficulty)).toEqual([1, 2, 3, 4, 5]);
    const cell = simulateCell(
      loadContent(),
      { location: 'flooded-mall', difficulty: 3, partySize: 1 },
      ODDS_RUNS,
      ODDS_SEED,
      {},
      playerPolicy('default'),
    );
    expect(mall.odds[2]).toEqual({
      difficulty: 3,
      success: Math.round(cell.successRate * 100) / 100,
      death: Math.round(cell.deathRate * 100) / 100,
    });
    // Harder is riskier: the d5 odds are no better than the d1 odds anywhere.
    for (const l of catalog.locations) expect(l.odds[4].success).toBeLessThanOrEqual(l.odds[0].success);
  });

  it('polls: 304 while unchanged, new lines after a tick, and the full log and history afterwards', async () => {
    // Before the mission nothing of Ada's changes between two polls: the second must be a 304.
    const idle = await f.call(ada, 'GET', '/v1/poll');
    expect(idle.statusCode).toBe(200);
    expect(idle.headers.etag).toBeTruthy();
    const unchanged = await f.call(ada, 'GET', '/v1/poll', undefined, {
      'if-none-match': idle.headers.etag as string,
    });
    expect(unchanged.statusCode).toBe(304);

    const started = await f.call(ada, 'POST', '/v1/missions', {
      survivorId,
      location: 'flooded-mall',
      difficulty: 1,
    });
    expect(started.statusCode).toBe(201);
    const { missionId } = started.json();

    // The mission changed the state: the old ETag no longer matches.
    const first = await f.call(ada, 'GET', '/v1/poll', undefined, {
      'if-none-match': idle.headers.etag as string,
    });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).not.toBe(idle.headers.etag);

    const withLines = await eventually(async () => {
      const poll = await f.call(ada, 'GET', `/v1/poll?cursor=${first.json().cursor}`);
      const mission = poll.json().missions.find((m: { id: string }) => m.id === missionId);
      return mission?.lines.length > 0 ? poll : null;
    }, 'a log line in the poll');
    const body = withLines.json();
    expect(body.survivors[0]).toMatchObject({ id: survivorId, state: 'on_mission', missionId });
    const mission = body.missions[0];
    expect(mission.lines[0].tick).toBeGreaterThan(0);
    expect(mission.nextTickAt === null || mission.nextTickAt > mission.startedAt).toBe(true);
    expect(body.cursor).toBe(`${missionId}:${mission.tick}`);

    const retreat = await f.call(ada, 'POST', `/v1/missions/${missionId}/retreat`);
    // The mission may have ended on its own already at this tick rate.
    expect([202, 409]).toContain(retreat.statusCode);
    const ended = await eventually(async () => {
      const m = await f.call(ada, 'GET', `/v1/missions/${missionId}`);
      return m.json().status !== 'active' ? m.json() : null;
    }, 'the mission to end');
    expect(ended.participants).toEqual([expect.objectContaining({ survivorId, name: 'Ada', slot: 0 })]);
    const log = await eventually(async () => {
      const page = (await f.call(ada, 'GET', `/v1/missions/${missionId}/log?limit=2`)).json();
      return page.lines.length > 0 ? page : null;
    }, 'log lines in Postgres');
    expect(log.lines[0].tick).toBe(1);
    const history = (await f.call(ada, 'GET', `/v1/survivors/${survivorId}/history`)).json();
    expect(history.missions[0]).toMatchObject({ id: missionId, kind: 'solo' });
  });

  it('lists, creates, joins, readies, leaves lobbies', async () => {
    const bo = await f.viewer();
    const cy = await f.viewer();
    const boSurvivor = (await f.call(bo, 'POST', '/v1/survivors', { name: 'Bo' })).json().id;
    const cySurvivor = (await f.call(cy, 'POST', '/v1/survivors', { name: 'Cy' })).json().id;
    const created = await f.call(bo, 'POST', '/v1/lobbies', {
      survivorId: boSurvivor,
      location: 'flooded-mall',
      difficulty: 1,
    });
    expect(created.statusCode).toBe(201);
    const lobbyId = created.json().id;
    expect(
      (await f.call(cy, 'GET', '/v1/lobbies')).json().lobbies.map((l: { id: string }) => l.id),
    ).toContain(lobbyId);
    const joined = await f.call(cy, 'POST', `/v1/lobbies/${lobbyId}/join`, { survivorId: cySurvivor });
    expect(joined.json().members.map((m: { survivorId: string }) => m.survivorId)).toEqual([
      boSurvivor,
      cySurvivor,
    ]);
    const ready = await f.call(cy, 'PUT', `/v1/lobbies/${lobbyId}/ready`, { ready: true });
    expect(ready.json().members[1].ready).toBe(true);
    expect((await f.call(cy, 'GET', `/v1/lobbies/${lobbyId}`)).json().id).toBe(lobbyId);
    const poll = (await f.call(cy, 'GET', '/v1/poll')).json();
    expect(poll.lobby).toMatchObject({ id: lobbyId });
    expect(poll.survivors[0]).toMatchObject({ state: 'in_lobby', lobbyId });

    const left = await f.call(bo, 'POST', `/v1/lobbies/${lobbyId}/leave`);
    // Bo's survivor left: Cy's leads now, and Bo (who asked) owns none of them.
    expect(left.json().lobby.members).toEqual([
      expect.objectContaining({ survivorId: cySurvivor, leader: true, mine: false }),
    ]);
    expect((await f.call(bo, 'GET', '/v1/me')).json().survivors[0].state).toBe('idle');
    const closed = await f.call(cy, 'POST', `/v1/lobbies/${lobbyId}/leave`);
    expect(closed.json().lobby).toBeNull();
    const gone = await f.call(cy, 'GET', `/v1/lobbies/${lobbyId}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().code).toBe('lobby_expired');
  });

  it('retires an idle survivor, refuses a busy one, and shows the channel leaderboard', async () => {
    const idle = (await f.call(ada, 'POST', '/v1/survivors', { name: 'Ida' })).json().id;
    const retired = await f.call(ada, 'POST', `/v1/survivors/${idle}/retire`, { confirm: true });
    expect(retired.statusCode).toBe(200);
    expect(retired.json().state).toBe('dead');
    // Retiring is for survivors at home: one waiting in a lobby is busy.
    const waiting = (await f.call(ada, 'POST', '/v1/survivors', { name: 'Wes' })).json().id;
    const lobby = await f.call(ada, 'POST', '/v1/lobbies', {
      survivorId: waiting,
      location: 'flooded-mall',
      difficulty: 1,
    });
    expect(lobby.statusCode).toBe(201);
    const busy = await f.call(ada, 'POST', `/v1/survivors/${waiting}/retire`, { confirm: true });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().code).toBe('survivor_busy');
    const board = (await f.call(ada, 'GET', '/v1/channel/leaderboard')).json();
    expect(board.entries[0]).toMatchObject({ rank: 1, survivorId, missions: 1 });
  });

  it('describes every route in /openapi.json', async () => {
    const doc = (await f.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const routes = f.app.printRoutes({ commonPrefix: false });
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/v1/poll',
      '/v1/survivors/{survivorId}/perks/{perkId}',
      '/v1/lobbies/{lobbyId}/start',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(Object.keys(doc.paths).length).toBeGreaterThanOrEqual(20);
    expect(routes).toContain('poll');
  });
});
