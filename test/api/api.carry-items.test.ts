import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type Backend, type Caller, openApiFixture } from './api-fixture.js';

describe.each<Backend>(['real', 'embedded'])(
  'carrying stash items on a mission on the %s stores',
  (backend) => {
    let f: ApiFixture;
    beforeAll(async () => {
      f = await openApiFixture(backend);
    });
    afterAll(async () => {
      await f?.close();
    });

    /** A viewer with one idle survivor and a crowbar and two bandage rolls in the stash. */
    async function player(): Promise<{ v: Caller; survivorId: string }> {
      const v = await f.viewer();
      const survivorId = (await f.call(v, 'POST', '/v1/survivors', { name: 'Ada' })).json().id as string;
      await f.db.query(
        `INSERT INTO stash_items (user_id, item_id, count)
       SELECT user_id, i, c FROM survivors, unnest(ARRAY['crowbar', 'bandage-roll'], ARRAY[1, 2]) AS t(i, c)
        WHERE id = $1`,
        [survivorId],
      );
      return { v, survivorId };
    }
    const start = (v: Caller, survivorId: string, carry: unknown) =>
      f.call(v, 'POST', '/v1/missions', { survivorId, location: 'maple-row-suburbs', difficulty: 1, carry });
    const itemsOf = async (v: Caller) =>
      Object.fromEntries(
        ((await f.call(v, 'GET', '/v1/stash')).json().items as { id: string; count: number }[]).map((i) => [
          i.id,
          i.count,
        ]),
      );

    it('takes the carried items out of the stash and into the mission, where the rules read them', async () => {
      const { v, survivorId } = await player();
      const started = await start(v, survivorId, ['crowbar', 'bandage-roll']);
      expect(started.statusCode).toBe(201);
      const { missionId } = started.json();
      expect(await itemsOf(v)).toEqual({ 'bandage-roll': 1 });
      const { rows } = await f.db.query<{ start_snapshot: { party: { carry?: string[] }[] } }>(
        'SELECT start_snapshot FROM missions WHERE id = $1',
        [missionId],
      );
      expect(rows[0]!.start_snapshot.party[0]!.carry).toEqual(['crowbar', 'bandage-roll']);
      const record = JSON.parse((await f.store.getActiveMission(missionId))!);
      expect(record.state.party[0].items).toEqual(['crowbar', 'bandage-roll']);
    });

    it('refuses items the stash does not hold, unknown items and too many, and changes nothing', async () => {
      const { v, survivorId } = await player();
      const twoCrowbars = await start(v, survivorId, ['crowbar', 'crowbar']);
      expect(twoCrowbars.statusCode).toBe(409);
      expect(twoCrowbars.json().code).toBe('item_not_in_stash');
      const unknown = await start(v, survivorId, ['laser-rifle']);
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json()).toMatchObject({ code: 'unknown_item', field: 'body.carry' });
      const tooMany = await start(v, survivorId, ['crowbar', 'bandage-roll', 'bandage-roll']);
      expect(tooMany.statusCode).toBe(400);
      expect(JSON.stringify(tooMany.json())).toContain('body.carry');
      expect(await itemsOf(v)).toEqual({ crowbar: 1, 'bandage-roll': 2 });
      const me = (await f.call(v, 'GET', '/v1/me')).json();
      expect(me.survivors[0].state).toBe('idle');
      const { rows } = await f.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM mission_participants WHERE survivor_id = $1',
        [survivorId],
      );
      expect(rows[0]!.n).toBe(0);
    });
  },
);
