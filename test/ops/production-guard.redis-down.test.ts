import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import type { EngineDeps } from '../../src/engine/engine-deps.js';
import { startMission } from '../../src/engine/start-mission.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';
import { freePort } from '../support/free-port.js';
import { type HoldoutProcess, startHoldout } from '../support/holdout-process.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { eventually, openTestPgDatabase } from '../support/services.js';
import { createUsersWithSurvivors } from '../support/survivor-fixtures.js';

const ACL_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'deploy', 'redis', 'users.acl');
const PASSWORD = randomBytes(18).toString('base64url');
/** Start-up of a process on this loaded machine took up to ~15 s (measured); the margin is generous. */
const START_MS = 60_000;
/** The deferred check retries every 0.5 s; readiness is cached 1 s; ticks every 0.5 s: seconds, loaded. */
const RECOVER_MS = 30_000;

async function readyz(base: string): Promise<{ status: number; down: string[] }> {
  const response = await fetch(`${base}/readyz`);
  const body = (await response.json()) as { down: string[] };
  return { status: response.status, down: body.down };
}

async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

/**
 * Issue 12: every process starts while a store is down — in production too, where the guard checks
 * that Redis refuses anonymous clients. With Redis unreachable at start the check is deferred, not a
 * refusal: the process comes up not ready, and checks Redis once it answers.
 */
describe('production processes started while Redis is unreachable', { timeout: 240_000 }, () => {
  let dir: string;
  let aclPath: string;
  let db: Awaited<ReturnType<typeof openTestPgDatabase>>;
  let redis: RedisServer | undefined;
  const running: HoldoutProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'holdout-guard-down-'));
    const hash = createHash('sha256').update(PASSWORD).digest('hex');
    aclPath = join(dir, 'users.acl');
    writeFileSync(aclPath, readFileSync(ACL_FILE, 'utf8').replace('#PASSWORD_SHA256', `#${hash}`));
    db = await openTestPgDatabase();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
    await redis?.stop();
    redis = undefined;
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A production process whose Redis is `redisPort`, where nothing listens yet. */
  async function start(command: 'api' | 'worker', redisPort: number) {
    const port = await freePort();
    const child = startHoldout([command], {
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      REDIS_URL: `redis://holdout:${PASSWORD}@127.0.0.1:${redisPort}`,
      TWITCH_EXTENSION_SECRET: randomBytes(32).toString('base64'),
      TICK_INTERVAL_MS: '500',
      // The check's passing is logged at info.
      LOG_LEVEL: 'info',
      ...(command === 'api' ? { PORT: String(port) } : { WORKER_METRICS_PORT: String(port) }),
    });
    running.push(child);
    await child.waitFor(command === 'api' ? /API is serving on/ : /worker \S+ started/, START_MS);
    return { child, base: `http://127.0.0.1:${port}` };
  }

  it('come up not ready, then check Redis once it answers, become ready and tick', async () => {
    const redisPort = await freePort();
    const [api, worker] = await Promise.all([start('api', redisPort), start('worker', redisPort)]);
    for (const { child, base } of [api, worker]) {
      expect(await readyz(base)).toEqual({ status: 503, down: ['redis'] });
      expect(child.output()).toMatch(/could not be reached to check that it requires a password/);
    }

    redis = await startRedisServer(['--aclfile', aclPath], redisPort);
    for (const { base } of [api, worker]) {
      await eventually(async () => (await readyz(base)).status === 200, `${base} ready`, RECOVER_MS);
    }
    expect(worker.child.output()).toMatch(/production check passed/);

    const store = new RedisStore({ url: `redis://holdout:${PASSWORD}@127.0.0.1:${redisPort}` });
    try {
      const deps: EngineDeps = { db, store, content: loadContent(), tickIntervalMs: 500 };
      const [member] = await createUsersWithSurvivors(db, 1);
      await startMission(deps, {
        channelId: 'guard',
        kind: 'solo',
        location: 'flooded-mall',
        difficulty: 1,
        length: 'short',
        members: [member!],
        fromState: 'idle',
      });
    } finally {
      await store.close();
    }
    await eventually(
      async () => (await metric(worker.base, 'holdout_ticks_total')) > 0,
      'the worker to tick',
      RECOVER_MS,
    );
  });

  it('exit 2 with the guard message if the Redis that comes up accepts anonymous clients', async () => {
    const redisPort = await freePort();
    const worker = await start('worker', redisPort);
    expect((await readyz(worker.base)).status).toBe(503);

    redis = await startRedisServer([], redisPort);
    const code = await Promise.race([
      worker.child.exited,
      eventually(() => false, 'the worker to exit', RECOVER_MS),
    ]);
    expect(code).toBe(2);
    expect(worker.child.output()).toMatch(/Refusing to start with NODE_ENV=production/);
    expect(worker.child.output()).toMatch(/accepts clients without a password/);
    // It never touched Redis: nothing of the engine ran before the check.
    const anonymous = new Redis(redis.url);
    try {
      expect(await anonymous.dbsize()).toBe(0);
    } finally {
      anonymous.disconnect();
    }
  });
});
