import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { type HoldoutProcess, startHoldout } from '../support/holdout-process.js';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  eventually,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  type TestDatabase,
  uniqueName,
} from '../support/services.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

/** Start-up of a process on this loaded machine took up to ~15 s (measured); the margin is generous. */
const START_MS = 60_000;
/** A store that returns is retried within 5 s (backoff cap) plus one readiness cache period. */
const RECOVER_MS = 30_000;

interface Readyz {
  status: number;
  text: string;
  body: { status: string; down: string[]; checks: Record<string, string> };
}

async function readyz(base: string): Promise<Readyz> {
  const response = await fetch(`${base}/readyz`);
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Readyz['body'] };
}

async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

function proxiedUrl(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.host = `127.0.0.1:${port}`;
  return parsed.toString();
}

async function post(base: string, path: string, body: unknown, token?: string) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe('holdout api and holdout worker while a store is down', { timeout: 180_000 }, () => {
  let database: TestDatabase;
  let pgProxy: TcpProxy;
  let redisProxy: TcpProxy;
  const prefix = `${uniqueName('down')}:`;
  const running: HoldoutProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    pgProxy = await startTcpProxy(Number(new URL(TEST_POSTGRES_URL).port || 5432));
    redisProxy = await startTcpProxy(Number(new URL(TEST_REDIS_URL).port || 6379));
  });
  afterEach(async () => {
    pgProxy.restore();
    redisProxy.restore();
    await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
  });
  afterAll(async () => {
    await pgProxy?.close();
    await redisProxy?.close();
    await database?.drop();
    await deleteKeysWithPrefix(prefix);
  });

  async function start(command: 'api' | 'worker', env: NodeJS.ProcessEnv = {}) {
    const port = await freePort();
    const processEnv = {
      DATABASE_URL: proxiedUrl(database.url, pgProxy.port),
      REDIS_URL: proxiedUrl(TEST_REDIS_URL, redisProxy.port),
      REDIS_KEY_PREFIX: prefix,
      TICK_INTERVAL_MS: '500',
      ...(command === 'api' ? { PORT: String(port) } : { WORKER_METRICS_PORT: String(port) }),
      ...env,
    };
    const child = startHoldout([command], processEnv);
    running.push(child);
    await child.waitFor(command === 'api' ? /API is serving on/ : /worker \S+ started/, START_MS);
    return { child, base: `http://127.0.0.1:${port}` };
  }

  async function startMission(api: string): Promise<string> {
    const { body } = await post(api, '/dev/token', { opaqueUserId: uniqueName('U'), channelId: '1001' });
    const survivor = await post(api, '/v1/survivors', { name: 'Outage' }, body.token);
    expect(survivor.status).toBe(201);
    const started = await post(
      api,
      '/v1/missions',
      { survivorId: survivor.body.id, location: 'flooded-mall', difficulty: 1 },
      body.token,
    );
    expect(started.status).toBe(201);
    return started.body.missionId!;
  }

  async function loggedTicks(missionId: string): Promise<number> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM mission_logs WHERE mission_id = $1',
        [missionId],
      );
      return rows[0]!.n;
    } finally {
      await client.end();
    }
  }

  it('start with Postgres unreachable, say so on /readyz without addresses, and serve once it returns', async () => {
    pgProxy.cut();
    const [api, worker] = await Promise.all([start('api'), start('worker')]);
    for (const { base } of [api, worker]) {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await readyz(base);
      expect(ready.status).toBe(503);
      expect(ready.body.down).toEqual(['postgres', 'migrations']);
      expect(ready.body.checks).toEqual({ postgres: 'down', migrations: 'down', redis: 'up' });
      // Neither the address nor the driver's error text leaks.
      expect(ready.text).not.toMatch(/127\.0\.0\.1|\d{4,5}|terminated|ECONN|timeout/i);
    }
    expect(api.child.output()).toMatch(/could not prepare the database/);

    pgProxy.restore();
    for (const { base } of [api, worker]) {
      await eventually(async () => (await readyz(base)).status === 200, `${base} ready`, RECOVER_MS);
    }
    const missionId = await startMission(api.base);
    await eventually(async () => (await loggedTicks(missionId)) > 0, 'ticks in mission_logs', RECOVER_MS);
  });

  it('start with Redis unreachable, say so on /readyz, and tick once it returns', async () => {
    redisProxy.cut();
    const [api, worker] = await Promise.all([start('api'), start('worker')]);
    for (const { base } of [api, worker]) {
      const ready = await readyz(base);
      expect(ready.status).toBe(503);
      expect(ready.body.down).toEqual(['redis']);
      expect(ready.text).not.toMatch(/127\.0\.0\.1|\d{4,5}|ECONN/);
    }
    redisProxy.restore();
    for (const { base } of [api, worker]) {
      await eventually(async () => (await readyz(base)).status === 200, `${base} ready`, RECOVER_MS);
    }
    const missionId = await startMission(api.base);
    await eventually(async () => (await metric(worker.base, 'holdout_ticks_total')) > 0, 'ticks', RECOVER_MS);
    await eventually(async () => (await loggedTicks(missionId)) > 0, 'ticks in mission_logs', RECOVER_MS);
  });

  it('a worker restarted during a Postgres outage ticks from Redis, and its ticks reach Postgres after', async () => {
    // 24 ticks of a second: the mission outlives a worker's restart on a loaded machine.
    const api = await start('api', { TICK_INTERVAL_MS: '1000' });
    const first = await start('worker');
    await eventually(async () => (await readyz(first.base)).status === 200, 'worker ready', RECOVER_MS);
    const missionId = await startMission(api.base);
    await eventually(async () => (await loggedTicks(missionId)) > 0, 'first ticks logged', RECOVER_MS);

    pgProxy.cut();
    await first.child.stop('SIGKILL');
    const second = await start('worker');
    expect((await readyz(second.base)).body.down).toContain('postgres');
    // The restarted worker claims, simulates and commits in Redis with Postgres unreachable.
    await eventually(
      async () => (await metric(second.base, 'holdout_ticks_total')) >= 2,
      'ticks by the restarted worker during the outage',
      RECOVER_MS,
    );
    const before = await metric(second.base, 'holdout_ticks_total');

    pgProxy.restore();
    await eventually(async () => (await readyz(second.base)).status === 200, 'worker ready', RECOVER_MS);
    // Everything it ticked during the outage is flushed: the log holds at least those ticks.
    await eventually(
      async () => (await loggedTicks(missionId)) >= before + 1,
      'outage ticks flushed',
      RECOVER_MS,
    );
  });
});
