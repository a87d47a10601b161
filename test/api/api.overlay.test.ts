import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type Backend, openApiFixture } from './api-fixture.js';

describe.each<Backend>(['real', 'embedded'])('the OBS browser source on the %s stores', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await openApiFixture(backend);
  });
  afterAll(async () => {
    await f?.close();
  });

  it('gives the broadcaster a secret URL that shows the channel event without a Twitch token, until replaced', async () => {
    const channelId = '7200';
    const caster = await f.viewer({ channelId, role: 'broadcaster' });
    const viewer = await f.viewer({ channelId });
    expect((await f.call(viewer, 'GET', '/v1/channel/overlay')).json().code).toBe('broadcaster_only');

    const first = (await f.call(caster, 'GET', '/v1/channel/overlay')).json();
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(first.path).toBe(`/obs.html#${first.secret}`);
    // Asked again: the same URL (the streamer pasted it into OBS once).
    expect((await f.call(caster, 'GET', '/v1/channel/overlay')).json().secret).toBe(first.secret);

    const none = await f.call(null, 'GET', `/overlay/${first.secret}/event`);
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual({ event: null, canHost: false, yours: null });
    await f.call(caster, 'POST', '/v1/events', {
      kind: 'boss_raid',
      location: 'flooded-mall',
      difficulty: 2,
    });
    const shown = (await f.call(null, 'GET', `/overlay/${first.secret}/event`)).json();
    expect(shown.event).toMatchObject({ kind: 'boss_raid', status: 'signup', difficulty: 2 });

    const rotated = (await f.call(caster, 'POST', '/v1/channel/overlay/rotate')).json();
    expect(rotated.secret).not.toBe(first.secret);
    const old = await f.call(null, 'GET', `/overlay/${first.secret}/event`);
    expect(old.statusCode).toBe(404);
    expect(old.json().code).toBe('overlay_not_found');
    expect((await f.call(null, 'GET', `/overlay/${rotated.secret}/event`)).json().event.kind).toBe(
      'boss_raid',
    );
    // Another channel's secret shows that channel, never this one.
    const other = (
      await f.call(await f.viewer({ channelId: '7201', role: 'broadcaster' }), 'GET', '/v1/channel/overlay')
    ).json();
    expect((await f.call(null, 'GET', `/overlay/${other.secret}/event`)).json().event).toBeNull();
  });

  it('refuses a malformed secret', async () => {
    const bad = await f.call(null, 'GET', '/overlay/short/event');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('invalid_request');
  });
});
