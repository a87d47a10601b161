import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { runHoldout, startHoldout } from '../support/holdout-process.js';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  TEST_REDIS_URL,
  type TestDatabase,
  uniqueName,
} from '../support/services.js';

const PRINT_LOADED = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'support',
  'print-loaded-packages.mjs',
);

describe('holdout api and holdout worker as separate processes', () => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const prefix = `${uniqueName('split')}:`;

  beforeAll(async () => {
    database = await createTestDatabase();
    // The API starts missions, so its TICK_INTERVAL_MS sets their cadence.
    env = {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      TICK_INTERVAL_MS: '100',
    };
  });
  afterAll(async () => {
    await database?.drop();
    await deleteKeysWithPrefix(prefix);
  });

  it('refuse to run on the in-process store, which no other process could share', async () => {
    for (const command of ['api', 'worker']) {
      const { code, output } = await runHoldout([command], { DATABASE_URL: database.url });
      expect(code).toBe(2);
      expect(output).toMatch(new RegExp(`holdout ${command} needs REDIS_URL`));
    }
  });

  it('split the work: the API starts a mission, a worker ticks it, both show it in /metrics', async () => {
    const apiPort = await freePort();
    const metricsPort = await freePort();
    const api = startHoldout(['api'], { ...env, PORT: String(apiPort) });
    const worker = startHoldout(['worker'], {
      ...env,
      WORKER_METRICS_PORT: String(metricsPort),
      TICK_INTERVAL_MS: '100',
    });
    try {
      const [, url] = (await api.waitFor(/API is serving on (http:\/\/\S+)/, 60_000)) as [string, string];
      await worker.waitFor(/worker \S+ started/, 60_000);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const post = async (path: string, body: unknown, token?: string) =>
        (await (
          await fetch(`${url}${path}`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
            body: JSON.stringify(body),
          })
        ).json()) as Record<string, string>;
      const { token } = await post('/dev/token', { opaqueUserId: 'Usplit1', channelId: '1001' });
      const survivor = await post('/v1/survivors', { name: 'Split' }, token);
      const started = await post(
        '/v1/missions',
        { survivorId: survivor.id, location: 'flooded-mall', difficulty: 1 },
        token,
      );
      expect(started.missionId).toMatch(/^\d+$/);
      // The API process runs no engine: only the worker's metrics count ticks.
      const deadline = Date.now() + 30_000;
      let ticks = 0;
      while (ticks === 0 && Date.now() < deadline) {
        const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        ticks = Number(/^holdout_ticks_total (\S+)$/m.exec(text)?.[1] ?? 0);
        if (ticks === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(ticks).toBeGreaterThan(0);
      expect(await (await fetch(`${url}/metrics`)).text()).not.toMatch(/^holdout_ticks_total/m);
    } finally {
      expect(await worker.stop()).toBe(0);
      expect(await api.stop()).toBe(0);
    }
  });

  it("stop cleanly on a SIGTERM sent the moment they report ready, and never load Fastify's default schema compilers (Ajv)", async () => {
    const runs = [
      { args: ['api'], env: { PORT: String(await freePort()) }, ready: /API is serving/ },
      {
        args: ['worker'],
        env: { WORKER_METRICS_PORT: String(await freePort()) },
        ready: /worker \S+ started/,
      },
    ];
    for (const run of runs) {
      const holdout = startHoldout(run.args, { ...env, ...run.env }, ['--import', PRINT_LOADED]);
      // The list is printed at exit: read the output once the pipes are closed, not at 'exit'.
      const closed = once(holdout.child, 'close');
      let code: number | null;
      try {
        await holdout.waitFor(run.ready, 60_000);
      } finally {
        code = await holdout.stop();
        await closed;
      }
      // Not killed by the signal: its handler was in place before the process said it was ready.
      expect(code, holdout.output()).toBe(0);
      // Every route's schema is a zod schema, validated and serialized by zod.
      const loaded = /loaded packages: (.*)/.exec(holdout.output())?.[1]?.split(',') ?? [];
      expect(loaded, holdout.output()).toContain('fastify');
      expect(loaded).not.toContain('ajv');
      expect(loaded).not.toContain('@fastify/ajv-compiler');
    }
  }, 120_000);
});
