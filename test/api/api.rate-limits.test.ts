import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUser } from '../../src/durable/users.js';
import { ViewerCache } from '../../src/ephemeral/viewer-cache.js';
import { type ApiFixture, type Backend, openApiFixture } from './api-fixture.js';

describe.each<Backend>(['real', 'embedded'])('rate limits on the %s stores', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await openApiFixture(backend, {
      RATE_LIMIT_WINDOW_MS: '1000',
      RATE_LIMIT_WRITE: '3',
      RATE_LIMIT_POLL: '5',
    });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('trip past the budget with 429 and Retry-After, per endpoint, and recover after the window', async () => {
    const v = await f.viewer({ role: 'broadcaster' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await f.call(v, 'PUT', '/v1/channel/settings', { maxDifficulty: 2 })).statusCode);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await f.call(v, 'PUT', '/v1/channel/settings', { maxDifficulty: 2 });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('rate_limited');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);

    // Another endpoint has a budget of its own; polling is generous.
    expect((await f.call(v, 'POST', '/v1/survivors', { name: 'Still Here' })).statusCode).toBe(201);
    for (let i = 0; i < 5; i++) expect((await f.call(v, 'GET', '/v1/poll')).statusCode).toBe(200);
    expect((await f.call(v, 'GET', '/v1/poll')).statusCode).toBe(429);

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 100));
    expect((await f.call(v, 'PUT', '/v1/channel/settings', { maxDifficulty: 2 })).statusCode).toBe(200);
    expect((await f.call(v, 'GET', '/v1/poll')).statusCode).toBe(200);
    if (backend === 'real') {
      expect(await f.store.getValue(f.store.keys.rateLimit(v.opaqueUserId, 'poll'))).not.toBeNull();
    }
  });

  it('count each viewer on their own', async () => {
    const [a, b] = [await f.viewer(), await f.viewer()];
    for (let i = 0; i < 5; i++) await f.call(a, 'GET', '/v1/poll');
    expect((await f.call(a, 'GET', '/v1/poll')).statusCode).toBe(429);
    expect((await f.call(b, 'GET', '/v1/poll')).statusCode).toBe(200);
  });

  it('count logged-out viewers and cold rosters too, once per poll', async () => {
    const guest = await f.viewer({ opaqueUserId: `Aguest${process.pid}` });
    for (let i = 0; i < 5; i++) expect((await f.call(guest, 'GET', '/v1/poll')).statusCode).toBe(200);
    expect((await f.call(guest, 'GET', '/v1/poll')).statusCode).toBe(429);

    // Every poll of this player rebuilds the roster from Postgres: still one count per poll.
    const player = await f.viewer();
    expect((await f.call(player, 'POST', '/v1/survivors', { name: 'Cold Start' })).statusCode).toBe(201);
    const userId = (await findUser(f.db, player.opaqueUserId))!.id;
    for (let i = 0; i < 5; i++) {
      await new ViewerCache(f.store).invalidate([userId]);
      expect((await f.call(player, 'GET', '/v1/poll')).statusCode).toBe(200);
    }
    expect((await f.call(player, 'GET', '/v1/poll')).statusCode).toBe(429);
  });
});
