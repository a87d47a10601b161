import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTwitchToken } from '../../src/api/auth/twitch-jwt.js';
import { freePort } from '../support/free-port.js';
import { runHoldout, startHoldout } from '../support/holdout-process.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { createTestDatabase, type TestDatabase } from '../support/services.js';

/*
 * What the image runs, run directly: node bin/holdout.js on the compiled dist/ (vitest's global setup
 * builds it), with NODE_ENV=production, only the production dependencies importable (as after
 * `npm ci --omit=dev --omit=optional`: no tsx, no vite, no PGlite), a Redis on the shipped ACL file.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LIMIT_PACKAGES = join(ROOT, 'test', 'support', 'limit-packages.mjs');
const AS_IN_THE_IMAGE = ['--max-semi-space-size=64', '--import', LIMIT_PACKAGES];
/** bin/healthcheck.js, as the image's HEALTHCHECK runs it. */
function healthcheck(role: string, env: NodeJS.ProcessEnv): { code: number | null; output: string } {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'healthcheck.js'), role], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

const PASSWORD = randomBytes(18).toString('base64url');
const SECRET = randomBytes(32).toString('base64');

describe('the production artifact: dist/ with production dependencies only', () => {
  let dir: string;
  let redis: RedisServer;
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'holdout-artifact-'));
    const hash = createHash('sha256').update(PASSWORD).digest('hex');
    const acl = readFileSync(join(ROOT, 'deploy', 'redis', 'users.acl'), 'utf8');
    writeFileSync(join(dir, 'users.acl'), acl.replace('#PASSWORD_SHA256', `#${hash}`));
    redis = await startRedisServer(['--aclfile', join(dir, 'users.acl')]);
    database = await createTestDatabase('holdout_artifact');
    env = {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      REDIS_URL: `redis://holdout:${PASSWORD}@127.0.0.1:${redis.port}`,
      TWITCH_EXTENSION_SECRET: SECRET,
      TWITCH_CLIENT_ID: 'artifacttest',
      TICK_INTERVAL_MS: '200',
      // Where the image keeps data; a writable folder of the test's own here.
      HOLDOUT_DATA_DIR: join(dir, 'data'),
    };
  });
  afterAll(async () => {
    await redis?.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrates, then serves the API and ticks in a worker, and both stop cleanly on SIGTERM', async () => {
    const migrated = await runHoldout(['migrate'], env, AS_IN_THE_IMAGE);
    expect(migrated.output).toMatch(/migrations applied: 0001_initial\.sql/);
    expect(migrated.code).toBe(0);

    const port = await freePort();
    const metricsPort = await freePort();
    const api = startHoldout(['api'], { ...env, HOST: '127.0.0.1', PORT: String(port) }, AS_IN_THE_IMAGE);
    const worker = startHoldout(
      ['worker'],
      { ...env, WORKER_METRICS_PORT: String(metricsPort) },
      AS_IN_THE_IMAGE,
    );
    try {
      const [, url] = (await api.waitFor(/API is serving on (http:\/\/\S+)/, 60_000)) as [string, string];
      await worker.waitFor(/worker \S+ started/, 60_000);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      // Production: no development tokens, no local play page.
      expect((await fetch(`${url}/dev/token`, { method: 'POST' })).status).toBe(404);

      const token = await signTwitchToken(SECRET, {
        opaqueUserId: 'Uartifact1',
        channelId: '4242',
        role: 'viewer',
        twitchUserId: '90001',
      });
      const call = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const survivor = await call('POST', '/v1/survivors', { name: 'Shipped' });
      expect(survivor.status).toBe(201);
      const mission = await call('POST', '/v1/missions', {
        survivorId: survivor.body.id,
        location: 'flooded-mall',
        difficulty: 1,
      });
      expect(mission.status).toBe(201);
      // The worker ticks it (the API process runs no engine): the poll shows it advancing.
      const deadline = Date.now() + 30_000;
      let tick = 0;
      while (tick < 2 && Date.now() < deadline) {
        const poll = await call('GET', '/v1/poll');
        expect(poll.status).toBe(200);
        const [shown] = poll.body.missions as { tick: number }[];
        tick = shown?.tick ?? 0;
        if (tick < 2) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(tick, worker.output()).toBeGreaterThanOrEqual(2);

      // The image's HEALTHCHECK, against each role.
      expect(healthcheck('api', { PORT: String(port) })).toEqual({ code: 0, output: '' });
      expect(healthcheck('worker', { WORKER_METRICS_PORT: String(metricsPort) })).toEqual({
        code: 0,
        output: '',
      });
      const nobody = await freePort();
      const down = healthcheck('api', { PORT: String(nobody) });
      expect(down.code).toBe(1);
      expect(down.output).toMatch(new RegExp(`^healthcheck: api on port ${nobody}: `));
    } finally {
      const [apiCode, workerCode] = await Promise.all([api.stop(), worker.stop()]);
      expect(apiCode, api.output()).toBe(0);
      expect(workerCode, worker.output()).toBe(0);
    }
  }, 120_000);

  it('refuses embedded mode with one clear line: PGlite is not in the image', async () => {
    const { code, output } = await runHoldout(
      ['migrate'],
      { ...env, NODE_ENV: 'development', DATABASE_URL: '' },
      AS_IN_THE_IMAGE,
    );
    expect(output).toMatch(
      /^holdout: DATABASE_URL is not set and this installation has no embedded PostgreSQL/,
    );
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(code).toBe(2);
  });
});
