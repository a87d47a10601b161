import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type Backend, type Caller, openApiFixture } from './api-fixture.js';

describe.each<Backend>(['real', 'embedded'])(
  'lobby members carrying stash items on the %s stores',
  (backend) => {
    let f: ApiFixture;
    let channel = 7100;
    beforeAll(async () => {
      f = await openApiFixture(backend);
    }, 60_000);
    afterAll(async () => {
      await f?.close();
    });

    /** A viewer of `channelId` with one idle survivor and these items in the stash. */
    async function player(channelId: string, name: string, items: Record<string, number>) {
      const v = await f.viewer({ channelId });
      const survivorId = (await f.call(v, 'POST', '/v1/survivors', { name })).json().id as string;
      const ids = Object.keys(items);
      await f.db.query(
        `INSERT INTO stash_items (user_id, item_id, count)
       SELECT user_id, i, c FROM survivors, unnest($2::text[], $3::int[]) AS t(i, c) WHERE id = $1`,
        [survivorId, ids, ids.map((id) => items[id])],
      );
      return { v, survivorId };
    }
    const itemsOf = async (v: Caller) =>
      Object.fromEntries(
        ((await f.call(v, 'GET', '/v1/stash')).json().items as { id: string; count: number }[]).map((i) => [
          i.id,
          i.count,
        ]),
      );
    /** Two players of a fresh channel in one open lobby. */
    async function lobbyOfTwo(annItems: Record<string, number>, benItems: Record<string, number>) {
      const channelId = String(channel++);
      const ann = await player(channelId, 'Ann', annItems);
      const ben = await player(channelId, 'Ben', benItems);
      const created = await f.call(ann.v, 'POST', '/v1/lobbies', {
        survivorId: ann.survivorId,
        location: 'maple-row-suburbs',
        difficulty: 1,
      });
      expect(created.statusCode, created.body).toBe(201);
      const lobbyId = created.json().id as string;
      expect(
        (await f.call(ben.v, 'POST', `/v1/lobbies/${lobbyId}/join`, { survivorId: ben.survivorId }))
          .statusCode,
      ).toBe(200);
      return { ann, ben, lobbyId };
    }
    const carry = (v: Caller, lobbyId: string, items: unknown) =>
      f.call(v, 'PUT', `/v1/lobbies/${lobbyId}/carry`, { carry: items });
    const readyAll = async (lobbyId: string, ...callers: Caller[]) => {
      for (const c of callers) await f.call(c, 'PUT', `/v1/lobbies/${lobbyId}/ready`, { ready: true });
    };

    it("takes each member's chosen items from that member's stash once, when the group mission starts", async () => {
      const { ann, ben, lobbyId } = await lobbyOfTwo({ crowbar: 1, 'bandage-roll': 2 }, { flashlight: 1 });
      const chosen = await carry(ann.v, lobbyId, ['crowbar', 'bandage-roll']);
      expect(chosen.statusCode, chosen.body).toBe(200);
      const mineOf = (body: { members: { mine: boolean; carry: string[] }[] }) =>
        body.members.find((m) => m.mine)!;
      expect(mineOf(chosen.json()).carry).toEqual(['crowbar', 'bandage-roll']);
      expect((await carry(ben.v, lobbyId, ['flashlight'])).statusCode).toBe(200);
      // Everyone in the lobby sees what each member carries.
      const seen = (await f.call(ben.v, 'GET', `/v1/lobbies/${lobbyId}`)).json();
      expect(seen.members.map((m: { carry: string[] }) => m.carry)).toEqual([
        ['crowbar', 'bandage-roll'],
        ['flashlight'],
      ]);
      // Nothing leaves the stash before the start.
      expect(await itemsOf(ann.v)).toEqual({ crowbar: 1, 'bandage-roll': 2 });

      await readyAll(lobbyId, ann.v, ben.v);
      const started = await f.call(ann.v, 'POST', `/v1/lobbies/${lobbyId}/start`);
      expect(started.statusCode, started.body).toBe(201);
      const again = await f.call(ben.v, 'POST', `/v1/lobbies/${lobbyId}/start`);
      expect(again.statusCode).toBe(409);
      expect(await itemsOf(ann.v)).toEqual({ 'bandage-roll': 1 });
      expect(await itemsOf(ben.v)).toEqual({});
      const { missionId } = started.json();
      const { rows } = await f.db.query<{ start_snapshot: { party: { id: string; carry?: string[] }[] } }>(
        'SELECT start_snapshot FROM missions WHERE id = $1',
        [missionId],
      );
      const party = rows[0]!.start_snapshot.party;
      expect(party.find((p) => p.id === ann.survivorId)!.carry).toEqual(['crowbar', 'bandage-roll']);
      expect(party.find((p) => p.id === ben.survivorId)!.carry).toEqual(['flashlight']);
      const record = JSON.parse((await f.store.getActiveMission(missionId))!);
      expect(record.state.party.map((m: { items: string[] }) => m.items)).toEqual([
        ['crowbar', 'bandage-roll'],
        ['flashlight'],
      ]);
    });

    it('refuses items not owned, unknown items, too many and non-members, and changes nothing', async () => {
      const { ann, ben, lobbyId } = await lobbyOfTwo({ crowbar: 1 }, {});
      const before = (await f.call(ann.v, 'GET', `/v1/lobbies/${lobbyId}`)).json();
      const twoCrowbars = await carry(ann.v, lobbyId, ['crowbar', 'crowbar']);
      expect(twoCrowbars.statusCode).toBe(409);
      expect(twoCrowbars.json().code).toBe('item_not_in_stash');
      const notOwned = await carry(ben.v, lobbyId, ['crowbar']);
      expect(notOwned.statusCode).toBe(409);
      expect(notOwned.json().code).toBe('item_not_in_stash');
      const unknown = await carry(ann.v, lobbyId, ['laser-rifle']);
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json()).toMatchObject({ code: 'unknown_item', field: 'body.carry' });
      const tooMany = await carry(ann.v, lobbyId, ['crowbar', 'crowbar', 'crowbar']);
      expect(tooMany.statusCode).toBe(400);
      expect(JSON.stringify(tooMany.json())).toContain('body.carry');
      const notAList = await carry(ann.v, lobbyId, 'crowbar');
      expect(notAList.statusCode).toBe(400);
      const stranger = await player(ann.v.channelId, 'Cat', { crowbar: 1 });
      const outsider = await carry(stranger.v, lobbyId, ['crowbar']);
      expect(outsider.statusCode).toBe(403);
      expect(outsider.json().code).toBe('not_in_lobby');
      const after = (await f.call(ann.v, 'GET', `/v1/lobbies/${lobbyId}`)).json();
      expect(after.members).toEqual(before.members);
      expect(await itemsOf(ann.v)).toEqual({ crowbar: 1 });
    });

    it('refuses the start and takes nothing when a member spent a chosen item meanwhile; the lobby stays open', async () => {
      const { ann, ben, lobbyId } = await lobbyOfTwo({ crowbar: 1 }, { flashlight: 1 });
      expect((await carry(ann.v, lobbyId, ['crowbar'])).statusCode).toBe(200);
      expect((await carry(ben.v, lobbyId, ['flashlight'])).statusCode).toBe(200);
      // Ben's flashlight goes elsewhere (as a solo start would take it) after he chose it.
      await f.db.query(
        `UPDATE stash_items SET count = 0 WHERE item_id = 'flashlight'
         AND user_id = (SELECT user_id FROM survivors WHERE id = $1)`,
        [ben.survivorId],
      );
      await readyAll(lobbyId, ann.v, ben.v);
      const refused = await f.call(ann.v, 'POST', `/v1/lobbies/${lobbyId}/start`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('item_not_in_stash');
      expect(await itemsOf(ann.v)).toEqual({ crowbar: 1 });
      const lobby = (await f.call(ann.v, 'GET', `/v1/lobbies/${lobbyId}`)).json();
      expect(lobby.status).toBe('open');
      const states = (await f.call(ann.v, 'GET', '/v1/me'))
        .json()
        .survivors.map((s: { state: string }) => s.state);
      expect(states).toEqual(['in_lobby']);
      // Choosing again without it lets the party go.
      expect((await carry(ben.v, lobbyId, [])).statusCode).toBe(200);
      expect((await f.call(ann.v, 'POST', `/v1/lobbies/${lobbyId}/start`)).statusCode).toBe(201);
      expect(await itemsOf(ann.v)).toEqual({});
    });
  },
);
