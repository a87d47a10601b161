import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { parseActiveMissionRecord } from '../../src/engine/active-mission-record.js';
import { TickWorker } from '../../src/engine/tick-worker.js';
import { testAccess } from '../support/ephemeral-test-access.js';
import { type ApiFixture, type Backend, type Caller, openApiFixture } from './api-fixture.js';

/*
 * Decisions inside a mission through the API: the stance at a choice point (solo: the viewer's
 * choice; group: a vote, most votes wins, a tie keeps the stance) and a group's retreat as a vote.
 * Ticks are run by the test (the interval is long), so each call lands where the test says.
 */
describe.each<Backend>(['real', 'embedded'])('decisions inside a mission on the %s stores', (backend) => {
  let f: ApiFixture;
  let worker: TickWorker;
  beforeAll(async () => {
    f = await openApiFixture(backend, { TICK_INTERVAL_MS: '600000' });
    worker = new TickWorker({ db: f.db, store: f.store, content: loadContent(), tickIntervalMs: 600_000 });
  });
  afterAll(async () => {
    await f?.close();
  });

  const tickOf = async (missionId: string) =>
    parseActiveMissionRecord((await f.store.getActiveMission(missionId))!).tick;
  async function tickTo(missionId: string, tick: number): Promise<void> {
    while ((await tickOf(missionId)) < tick) {
      await testAccess(f.store).scheduleMission(missionId, 0);
      await worker.runBatch();
    }
  }
  async function survivor(caller: Caller, name: string): Promise<string> {
    return (await f.call(caller, 'POST', '/v1/survivors', { name })).json().id;
  }
  async function pollMission(caller: Caller, missionId: string) {
    const poll = (await f.call(caller, 'GET', '/v1/poll')).json();
    return poll.missions.find((m: { id: string }) => m.id === missionId);
  }
  async function groupMission(viewers: Caller[]): Promise<string> {
    const ids = await Promise.all(viewers.map((v, i) => survivor(v, `Member ${i + 1}`)));
    const lobby = (
      await f.call(viewers[0]!, 'POST', '/v1/lobbies', {
        survivorId: ids[0],
        location: 'maple-row-suburbs',
        difficulty: 1,
      })
    ).json();
    for (const [i, v] of viewers.entries()) {
      if (i > 0) await f.call(v, 'POST', `/v1/lobbies/${lobby.id}/join`, { survivorId: ids[i] });
    }
    for (const v of viewers) await f.call(v, 'PUT', `/v1/lobbies/${lobby.id}/ready`, { ready: true });
    const started = await f.call(viewers[0]!, 'POST', `/v1/lobbies/${lobby.id}/start`);
    expect(started.statusCode).toBe(201);
    return started.json().missionId;
  }

  it('lets a solo viewer choose only while the choice is open, shows it in the poll, and applies it', async () => {
    const ada = await f.viewer();
    const missionId = (
      await f.call(ada, 'POST', '/v1/missions', {
        survivorId: await survivor(ada, 'Ada'),
        location: 'maple-row-suburbs',
        difficulty: 1,
      })
    ).json().missionId;
    await tickTo(missionId, 7);
    const early = await f.call(ada, 'POST', `/v1/missions/${missionId}/choice`, { stance: 'sneak' });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'choice_closed' });
    expect((await pollMission(ada, missionId)).choice).toBeNull();

    await tickTo(missionId, 8);
    const offered = (await pollMission(ada, missionId)).choice;
    expect(offered).toMatchObject({ decidesAt: 10, current: 'push', leading: 'push', mine: null, votes: {} });
    expect(offered.options).toEqual(['push', 'rest', 'search', 'sneak']);
    const chosen = await f.call(ada, 'POST', `/v1/missions/${missionId}/choice`, { stance: 'sneak' });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json()).toMatchObject({
      decidesAt: 10,
      leading: 'sneak',
      mine: 'sneak',
      votes: { sneak: 1 },
    });
    expect((await pollMission(ada, missionId)).choice).toMatchObject({ mine: 'sneak', leading: 'sneak' });
    expect((await pollMission(ada, missionId)).retreatVote).toBeNull();

    await tickTo(missionId, 10);
    const late = await f.call(ada, 'POST', `/v1/missions/${missionId}/choice`, { stance: 'rest' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('choice_closed');
    expect((await pollMission(ada, missionId)).choice).toBeNull();
    expect(parseActiveMissionRecord((await f.store.getActiveMission(missionId))!).state.stance).toBe('sneak');
  });

  it('takes a group vote at a choice point: a tie keeps the stance', async () => {
    const viewers = [await f.viewer(), await f.viewer()];
    const missionId = await groupMission(viewers);
    await tickTo(missionId, 8);
    await f.call(viewers[0]!, 'POST', `/v1/missions/${missionId}/choice`, { stance: 'sneak' });
    const tie = await f.call(viewers[1]!, 'POST', `/v1/missions/${missionId}/choice`, { stance: 'rest' });
    expect(tie.json()).toMatchObject({ votes: { sneak: 1, rest: 1 }, leading: 'push', mine: 'rest' });
    // The first viewer sees both votes, and their own.
    expect((await pollMission(viewers[0]!, missionId)).choice).toMatchObject({
      votes: { sneak: 1, rest: 1 },
      mine: 'sneak',
    });
    await tickTo(missionId, 10);
    expect(parseActiveMissionRecord((await f.store.getActiveMission(missionId))!).state.stance).toBe('push');
  });

  it('retreats a group only when more than half of the party voted, and shows the vote to everyone', async () => {
    const viewers = [await f.viewer(), await f.viewer(), await f.viewer()];
    const missionId = await groupMission(viewers);
    await tickTo(missionId, 2);
    const first = await f.call(viewers[0]!, 'POST', `/v1/missions/${missionId}/retreat`);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ missionId, retreating: false, votes: 1, needed: 2 });
    // Asking twice is still one vote.
    expect((await f.call(viewers[0]!, 'POST', `/v1/missions/${missionId}/retreat`)).json().votes).toBe(1);
    const seen = await pollMission(viewers[2]!, missionId);
    expect(seen.status).toBe('active');
    expect(seen.retreatVote).toEqual({ votes: 1, needed: 2, mine: false });
    expect((await pollMission(viewers[0]!, missionId)).retreatVote.mine).toBe(true);

    const second = await f.call(viewers[1]!, 'POST', `/v1/missions/${missionId}/retreat`);
    expect(second.json()).toEqual({ missionId, retreating: true, votes: 2, needed: 2 });
    expect((await pollMission(viewers[2]!, missionId)).status).toBe('retreated');
    const again = await f.call(viewers[2]!, 'POST', `/v1/missions/${missionId}/retreat`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('mission_ended');
  });
});
