import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollResponse } from '../../src/api/poll-response.js';
import { loadContent } from '../../src/content/index.js';
import { parseActiveMissionRecord } from '../../src/engine/active-mission-record.js';
import { launchChannelEvent } from '../../src/engine/launch-channel-event.js';
import { OutboxFlusher } from '../../src/engine/outbox-flusher.js';
import { TickWorker } from '../../src/engine/tick-worker.js';
import { testAccess } from '../support/ephemeral-test-access.js';
import { type ApiFixture, type Caller, openApiFixture } from './api-fixture.js';

/*
 * GET /v1/poll builds its body by hand (a string spliced around the cached survivors' JSON) instead of
 * letting Fastify serialize it through the declared schema: nothing but this test keeps the two
 * together. Real bodies of every kind the panel receives are checked against the 200 schema the route
 * declares in /openapi.json (what clients are told), with no field missing, none unknown, none of
 * another type. Ticks are run by the test (the interval is long), so each poll lands where it says.
 */

const TICK_INTERVAL_MS = 600_000;
const POLL_PATH = '/paths/~1v1~1poll/get/responses/200/content/application~1json/schema';

describe('the hand-built poll body matches the route’s declared response schema', () => {
  let f: ApiFixture;
  let worker: TickWorker;
  let flusher: OutboxFlusher;
  let validate: ValidateFunction;
  const content = loadContent();

  beforeAll(async () => {
    f = await openApiFixture('real', { TICK_INTERVAL_MS: String(TICK_INTERVAL_MS) });
    const deps = { db: f.db, store: f.store, content, tickIntervalMs: TICK_INTERVAL_MS };
    worker = new TickWorker(deps);
    flusher = new OutboxFlusher(deps);
    const doc = (await f.call(null, 'GET', '/openapi.json')).json();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema(doc, 'openapi');
    validate = ajv.getSchema(`openapi#${POLL_PATH}`)!;
    expect(validate, 'the poll route declares its 200 body in /openapi.json').toBeTypeOf('function');
  });
  afterAll(async () => {
    await f?.close();
  });

  /** A full poll body (never a 304: no If-None-Match), checked against the schema. */
  async function poll(caller: Caller, what: string): Promise<Record<string, unknown>> {
    const response = await f.call(caller, 'GET', '/v1/poll');
    expect(response.statusCode, what).toBe(200);
    const body = response.json();
    const valid = validate(body);
    expect(validate.errors ?? [], `${what}: ${JSON.stringify(validate.errors, null, 1)}`).toEqual([]);
    expect(valid, what).toBe(true);
    // The body is spliced in pollResponse's order: serverTime, the cached survivors, then the rest.
    expect(Object.keys(body), what).toEqual(Object.keys(pollResponse.shape));
    return body;
  }
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
  const missionOf = (body: Record<string, unknown>, id: string) =>
    (body.missions as { id: string }[]).find((m) => m.id === id) as Record<string, unknown> | undefined;

  it('rejects a body with a field the schema does not declare, or without one it does (the check can fail)', async () => {
    const body = await poll(await f.viewer(), 'a new viewer');
    expect(validate({ ...body, extra: 1 })).toBe(false);
    const { cursor: _cursor, ...withoutCursor } = body;
    expect(validate(withoutCursor)).toBe(false);
  });

  it('holds for a guest, an idle roster and a viewer waiting in a lobby', async () => {
    const guest = await f.viewer({ opaqueUserId: `Aguest${process.pid}` });
    expect((await poll(guest, 'a guest')).survivors).toEqual([]);
    const ida = await f.viewer();
    await survivor(ida, 'Ida');
    expect((await poll(ida, 'an idle roster')).survivors).toHaveLength(1);

    const host = await f.viewer();
    const lobby = (
      await f.call(host, 'POST', '/v1/lobbies', {
        survivorId: await survivor(host, 'Hal'),
        location: 'maple-row-suburbs',
        difficulty: 1,
      })
    ).json();
    const [idaSurvivor] = (await poll(ida, 'before joining')).survivors as { id: string }[];
    await f.call(ida, 'POST', `/v1/lobbies/${lobby.id}/join`, { survivorId: idaSurvivor!.id });
    expect((await poll(ida, 'in a lobby')).lobby).toMatchObject({ id: lobby.id });
  });

  it('holds for a solo mission with lines, with a choice pending and voted on, and with its result', async () => {
    const ada = await f.viewer();
    const missionId = (
      await f.call(ada, 'POST', '/v1/missions', {
        survivorId: await survivor(ada, 'Ada'),
        location: 'maple-row-suburbs',
        difficulty: 1,
      })
    ).json().missionId;
    expect(missionOf(await poll(ada, 'a solo mission just started'), missionId)).toBeDefined();
    await tickTo(missionId, 3);
    expect(missionOf(await poll(ada, 'a solo mission with lines'), missionId)?.lines).not.toEqual([]);

    await tickTo(missionId, 8);
    expect(missionOf(await poll(ada, 'a choice pending'), missionId)?.choice).toMatchObject({
      decidesAt: 10,
    });
    await f.call(ada, 'POST', `/v1/missions/${missionId}/choice`, { stance: 'sneak' });
    expect(missionOf(await poll(ada, 'a choice voted on'), missionId)?.choice).toMatchObject({
      mine: 'sneak',
    });

    expect((await f.call(ada, 'POST', `/v1/missions/${missionId}/retreat`)).statusCode).toBeLessThan(300);
    expect(missionOf(await poll(ada, 'retreated, no result yet'), missionId)).toMatchObject({
      status: 'retreated',
      result: null,
    });
    while ((await flusher.flushBatch()) > 0);
    const ended = missionOf(await poll(ada, 'retreated with its result'), missionId);
    expect(ended?.result).toMatchObject({ status: 'retreated' });
  });

  it('holds for a group mission with a choice and a retreat vote under way, seen by each member', async () => {
    const viewers = [await f.viewer(), await f.viewer(), await f.viewer()];
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
    const missionId = (await f.call(viewers[0]!, 'POST', `/v1/lobbies/${lobby.id}/start`)).json().missionId;
    await tickTo(missionId, 8);
    await f.call(viewers[1]!, 'POST', `/v1/missions/${missionId}/choice`, { stance: 'rest' });
    await f.call(viewers[2]!, 'POST', `/v1/missions/${missionId}/retreat`);
    for (const [i, v] of viewers.entries()) {
      const seen = missionOf(await poll(v, `group member ${i + 1}`), missionId);
      expect(seen).toMatchObject({ kind: 'group', retreatVote: { votes: 1, needed: 2 } });
      expect(seen?.choice).toMatchObject({ votes: { rest: 1 } });
      expect(seen?.party).toHaveLength(3);
    }
  });

  it('holds for a channel event participant', async () => {
    const channelId = '7700';
    const caster = await f.viewer({ role: 'broadcaster', channelId });
    const runner = await f.viewer({ channelId });
    const survivorId = await survivor(runner, 'Runner');
    const event = (
      await f.call(caster, 'POST', '/v1/events', {
        kind: 'horde_night',
        location: 'flooded-mall',
        difficulty: 1,
        signupSeconds: 600,
      })
    ).json();
    expect((await f.call(runner, 'POST', `/v1/events/${event.id}/join`, { survivorId })).statusCode).toBe(
      200,
    );
    // What the engine's event keeper does once the sign-up is over.
    expect(
      await launchChannelEvent(
        { db: f.db, store: f.store, content, tickIntervalMs: TICK_INTERVAL_MS },
        event.id,
      ),
    ).toBe(true);
    const body = await poll(runner, 'an event participant');
    const missions = body.missions as { id: string }[];
    expect(missions).toHaveLength(1);
    await tickTo(missions[0]!.id, 2);
    await poll(runner, 'an event participant after two ticks');
  });

  it('answers a poll whose tag still matches with an empty 304, which the check leaves out', async () => {
    const ada = await f.viewer();
    await survivor(ada, 'Ada');
    const first = await f.call(ada, 'GET', '/v1/poll');
    const again = await f.call(ada, 'GET', '/v1/poll', undefined, {
      'if-none-match': String(first.headers.etag),
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });
});
