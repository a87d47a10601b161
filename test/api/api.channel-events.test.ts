import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/services.js';
import {
  type ApiFixture,
  type Backend,
  type Caller,
  openApiFixture,
  TEST_TICK_INTERVAL_MS,
} from './api-fixture.js';

const OPEN = { kind: 'horde_night', location: 'flooded-mall', difficulty: 1, signupSeconds: 600 };

describe.each<Backend>(['real', 'embedded'])('channel events through the API on the %s stores', (backend) => {
  let f: ApiFixture;
  let channel = 5000;
  beforeAll(async () => {
    f = await openApiFixture(backend, { TICK_INTERVAL_MS: String(TEST_TICK_INTERVAL_MS) }, { engine: true });
  });
  afterAll(async () => {
    await f?.close();
  });

  /** A channel of its own per test, with its broadcaster, a moderator and viewers that each own a survivor. */
  async function channelWith(viewers: number) {
    const channelId = String(++channel);
    const caster = await f.viewer({ role: 'broadcaster', channelId });
    const mod = await f.viewer({ role: 'moderator', channelId });
    const players: { who: Caller; survivorId: string }[] = [];
    for (let i = 0; i < viewers; i++) {
      const who = await f.viewer({ channelId });
      const created = await f.call(who, 'POST', '/v1/survivors', { name: `Runner ${i + 1}` });
      players.push({ who, survivorId: created.json().id });
    }
    return { caster, mod, players };
  }

  it('lets a moderator run events only once the broadcaster allows it', async () => {
    const { caster, mod, players } = await channelWith(1);
    const viewer = players[0]!.who;
    expect((await f.call(viewer, 'POST', '/v1/events', OPEN)).json().code).toBe('event_host_only');
    expect((await f.call(mod, 'POST', '/v1/events', OPEN)).json().code).toBe('moderator_events_disabled');
    expect((await f.call(mod, 'GET', '/v1/events/current')).json()).toEqual({
      event: null,
      canHost: false,
      yours: null,
    });

    const allowed = await f.call(caster, 'PUT', '/v1/channel/settings', { moderatorsRunEvents: true });
    expect(allowed.json().moderatorsRunEvents).toBe(true);
    expect((await f.call(mod, 'GET', '/v1/events/current')).json().canHost).toBe(true);
    const opened = await f.call(mod, 'POST', '/v1/events', OPEN);
    expect(opened.statusCode).toBe(201);
    expect(opened.json()).toMatchObject({ status: 'signup', kind: 'horde_night', participants: 0 });
    const cancelled = await f.call(mod, 'POST', `/v1/events/${opened.json().id}/cancel`);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', result: { outcome: 'cancelled' } });
    expect((await f.call(viewer, 'GET', '/v1/events/current')).json().canHost).toBe(false);
  });

  it('signs viewers up, lets one leave and the host remove another, and shows each their own', async () => {
    const { caster, players } = await channelWith(4);
    const [a, b, c, d] = players as [
      (typeof players)[0],
      (typeof players)[0],
      (typeof players)[0],
      (typeof players)[0],
    ];
    const event = (await f.call(caster, 'POST', '/v1/events', OPEN)).json();
    for (const p of players) {
      const joined = await f.call(p.who, 'POST', `/v1/events/${event.id}/join`, { survivorId: p.survivorId });
      expect(joined.statusCode).toBe(200);
    }
    const seenByA = (await f.call(a.who, 'GET', '/v1/events/current?yours=true')).json();
    expect(seenByA.event.participants).toBe(4);
    expect(seenByA.event.signups.map((s: { name: string; mine: boolean }) => [s.name, s.mine])).toEqual([
      ['Runner 1', true],
      ['Runner 2', false],
      ['Runner 3', false],
      ['Runner 4', false],
    ]);
    expect(seenByA.yours).toEqual({ survivorId: a.survivorId, name: 'Runner 1', reward: null });
    expect(JSON.stringify(seenByA)).not.toMatch(/userId/);

    expect((await f.call(b.who, 'POST', `/v1/events/${event.id}/leave`)).json().participants).toBe(3);
    const removed = await f.call(caster, 'POST', `/v1/events/${event.id}/remove`, {
      survivorId: c.survivorId,
    });
    expect(removed.json().signups.map((s: { survivorId: string }) => s.survivorId)).toEqual([
      a.survivorId,
      d.survivorId,
    ]);
    expect((await f.call(c.who, 'GET', '/v1/events/current?yours=true')).json().yours).toBeNull();
    // A viewer cannot remove anyone; the removed one may join again while it signs up.
    const byViewer = await f.call(d.who, 'POST', `/v1/events/${event.id}/remove`, {
      survivorId: a.survivorId,
    });
    expect(byViewer.json().code).toBe('event_host_only');
    expect(
      (await f.call(c.who, 'POST', `/v1/events/${event.id}/join`, { survivorId: c.survivorId })).statusCode,
    ).toBe(200);
    await f.call(caster, 'POST', `/v1/events/${event.id}/cancel`);
  });

  it('starts early on the host’s word, runs, and shows progress and then the result', async () => {
    const { caster, players } = await channelWith(3);
    const event = (await f.call(caster, 'POST', '/v1/events', OPEN)).json();
    for (const p of players)
      await f.call(p.who, 'POST', `/v1/events/${event.id}/join`, { survivorId: p.survivorId });
    const started = await f.call(caster, 'POST', `/v1/events/${event.id}/start`);
    expect(started.json().status).toBe('signup');
    expect(started.json().signupEndsAt).toBeLessThanOrEqual(Date.now());

    const viewer = players[0]!.who;
    let sawProgress = false;
    const ended = await eventually(
      async () => {
        const current = (await f.call(viewer, 'GET', '/v1/events/current?yours=true')).json();
        if (current.event.status === 'running') {
          expect(current.event.goal).toBeGreaterThan(0);
          expect(current.event.endsAt).toBeGreaterThan(current.event.startedAt);
          if (current.event.progress > 0) sawProgress = true;
        }
        return ['succeeded', 'failed'].includes(current.event.status) ? current : null;
      },
      'the event to end',
      30_000,
      TEST_TICK_INTERVAL_MS,
    );
    expect(sawProgress).toBe(true);
    expect(ended.event.result).toMatchObject({ participants: 3, goal: ended.event.goal });
    expect(ended.event.result.top.length).toBe(3);
    expect(ended.event.result.top.filter((t: { mine: boolean }) => t.mine)).toHaveLength(1);
    expect(ended.yours.reward).toMatchObject({ contribution: expect.any(Number), xp: expect.any(Number) });
    // Sign-up is over: joining, leaving and cancelling are refused.
    const late = await f.call(players[1]!.who, 'POST', `/v1/events/${event.id}/leave`);
    expect(late.json().code).toBe('event_signup_closed');
  });

  it('lets the broadcaster remove a lobby member, whose survivor goes back to idle', async () => {
    const { caster, players } = await channelWith(2);
    const [a, b] = players as [(typeof players)[0], (typeof players)[0]];
    const lobby = (
      await f.call(a.who, 'POST', '/v1/lobbies', {
        survivorId: a.survivorId,
        location: 'flooded-mall',
        difficulty: 1,
      })
    ).json();
    await f.call(b.who, 'POST', `/v1/lobbies/${lobby.id}/join`, { survivorId: b.survivorId });
    const refused = await f.call(a.who, 'POST', `/v1/lobbies/${lobby.id}/remove`, {
      survivorId: b.survivorId,
    });
    expect(refused.json().code).toBe('broadcaster_only');
    const removed = await f.call(caster, 'POST', `/v1/lobbies/${lobby.id}/remove`, {
      survivorId: b.survivorId,
    });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().lobby.members.map((m: { survivorId: string }) => m.survivorId)).toEqual([
      a.survivorId,
    ]);
    const me = (await f.call(b.who, 'GET', '/v1/me')).json();
    expect(me.survivors[0]).toMatchObject({ id: b.survivorId, state: 'idle', lobbyId: null });
  });
});
