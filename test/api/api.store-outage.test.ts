import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReadinessProbe } from '../../src/api/readiness-probe.js';
import { createLogger } from '../../src/logger.js';
import { TEST_POSTGRES_URL, TEST_REDIS_URL } from '../support/services.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { type ApiFixture, type Caller, openApiFixture } from './api-fixture.js';

const PROBLEM = 'application/problem+json';

describe('the API while a store is down', { timeout: 60_000 }, () => {
  let pgProxy: TcpProxy;
  let redisProxy: TcpProxy;
  let f: ApiFixture;

  beforeAll(async () => {
    pgProxy = await startTcpProxy(Number(new URL(TEST_POSTGRES_URL).port || 5432));
    redisProxy = await startTcpProxy(Number(new URL(TEST_REDIS_URL).port || 6379));
    f = await openApiFixture(
      'real',
      {},
      {
        connectThrough: { postgresPort: pgProxy.port, redisPort: redisProxy.port },
      },
    );
  });
  afterEach(() => {
    pgProxy.restore();
    redisProxy.restore();
  });
  afterAll(async () => {
    await f?.close();
    await pgProxy?.close();
    await redisProxy?.close();
  });

  async function onMission(): Promise<{ caller: Caller; userId: string; missionId: string }> {
    const caller = await f.viewer();
    const survivor = await f.call(caller, 'POST', '/v1/survivors', { name: 'Cutter' });
    expect(survivor.statusCode).toBe(201);
    const started = await f.call(caller, 'POST', '/v1/missions', {
      survivorId: survivor.json().id,
      location: 'flooded-mall',
      difficulty: 1,
    });
    expect(started.statusCode).toBe(201);
    const { rows } = await f.db.query<{ id: string }>('SELECT id FROM users WHERE opaque_user_id = $1', [
      caller.opaqueUserId,
    ]);
    return { caller, userId: String(rows[0]!.id), missionId: started.json().missionId };
  }

  /** As if the cached roster had expired: the next poll must rebuild it. */
  async function expireRoster(userId: string): Promise<void> {
    await f.store.deleteKeys([f.store.keys.viewer(userId)]);
  }

  it('answers 503 postgres_unavailable with Retry-After to a request that needs Postgres', async () => {
    const caller = await f.viewer();
    pgProxy.cut();
    const response = await f.call(caller, 'POST', '/v1/survivors', { name: 'Nobody' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toContain(PROBLEM);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ status: 503, code: 'postgres_unavailable', retryAfter: 5 });
    // The driver's text and the address stay in the log.
    expect(response.body).not.toMatch(/127\.0\.0\.1|ECONN|terminated/);
  });

  it('answers 503 redis_unavailable with Retry-After to a poll while Redis is down', async () => {
    const caller = await f.viewer();
    redisProxy.cut();
    const response = await f.call(caller, 'GET', '/v1/poll');
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toContain(PROBLEM);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ code: 'redis_unavailable' });
  });

  it('serves the last known roster to a poll whose cache expired while Postgres is down', async () => {
    const { caller, userId, missionId } = await onMission();
    const before = await f.call(caller, 'GET', '/v1/poll');
    expect(before.statusCode).toBe(200);
    await expireRoster(userId);
    pgProxy.cut();
    const during = await f.call(caller, 'GET', '/v1/poll');
    expect(during.statusCode).toBe(200);
    expect(during.json().survivors).toEqual(before.json().survivors);
    expect(during.json().missions.map((m: { id: string }) => m.id)).toEqual([missionId]);
    // Nothing stale was cached: once Postgres is back, the next miss rebuilds from it.
    expect(await f.store.getValue(f.store.keys.viewer(userId))).toBeNull();
  });

  it("falls back to the client's own missions when no roster is kept, and to 503 without them", async () => {
    const { caller, userId, missionId } = await onMission();
    expect((await f.call(caller, 'GET', '/v1/poll')).statusCode).toBe(200);
    await expireRoster(userId);
    await f.store.deleteKeys([f.store.keys.viewerLastKnown(userId)]);
    pgProxy.cut();
    const following = await f.call(caller, 'GET', `/v1/poll?cursor=${missionId}:0`);
    expect(following.statusCode).toBe(200);
    expect(following.json().survivors).toEqual([]);
    expect(following.json().missions.map((m: { id: string }) => m.id)).toEqual([missionId]);
    const blind = await f.call(caller, 'GET', '/v1/poll');
    expect(blind.statusCode).toBe(503);
    expect(blind.json().code).toBe('postgres_unavailable');
  });

  it('answers /readyz from a cached result, naming the store that is down', async () => {
    const logger = createLogger('silent');
    const cached = new ReadinessProbe(f.runtime, logger, { cacheMs: 60_000 });
    expect(await cached.read()).toEqual({ ready: true, down: [] });
    pgProxy.cut();
    // Within its cache period the probe does not ask the stores again.
    expect(await cached.read()).toEqual({ ready: true, down: [] });
    const fresh = new ReadinessProbe(f.runtime, logger, { cacheMs: 0, timeoutMs: 5_000 });
    expect((await fresh.read()).down).toEqual(['postgres', 'migrations']);
    pgProxy.restore();
    redisProxy.cut();
    expect((await fresh.read()).down).toEqual(['redis']);
  });
});
