import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

async function readyz(url: string): Promise<{ status: number; body: { down: string[] } }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as { down: string[] } };
}

async function serveAndProbe(env: NodeJS.ProcessEnv) {
  const port = await freePort();
  const server = startHoldout(['serve'], { PORT: String(port), ...env });
  try {
    const [, url] = await server.waitFor(/serving on (http:\/\/\S+)/, 60_000);
    const health = await fetch(`${url}/healthz`);
    const ready = await readyz(url!);
    return { health: health.status, ready, server };
  } finally {
    expect(await server.stop()).toBe(0);
  }
}

// Start-up alone took up to 41 s on a loaded 2-core machine (PGlite's first open); 30 s was not enough.
describe('holdout serve', { timeout: 120_000 }, () => {
  let dataDir: string;
  let database: TestDatabase;
  const prefix = `${uniqueName('serve')}:`;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'holdout-serve-'));
    database = await createTestDatabase();
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await database.drop();
    await deleteKeysWithPrefix(prefix);
  });

  it('is ready on embedded defaults with no server running', async () => {
    const { health, ready } = await serveAndProbe({ HOLDOUT_DATA_DIR: dataDir });
    expect(health).toBe(200);
    expect(ready).toEqual({ status: 200, body: expect.objectContaining({ status: 'ready', down: [] }) });
  });

  it('is ready on the real Postgres and Redis', async () => {
    const { ready, server } = await serveAndProbe({
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
    });
    expect(ready.status).toBe(200);
    expect(server.output()).toMatch(/postgres \+ redis/);
  });

  it('answers 503 naming Redis when Redis is unreachable', async () => {
    const deadRedis = `redis://127.0.0.1:${await freePort()}`;
    const { health, ready } = await serveAndProbe({ DATABASE_URL: database.url, REDIS_URL: deadRedis });
    expect(health).toBe(200);
    expect(ready.status).toBe(503);
    expect(ready.body.down).toEqual(['redis']);
  });

  it('stops with a clear message and exit code 2 on a bad configuration', async () => {
    const { code, output } = await runHoldout(['serve'], { PORT: 'eighty', REDIS_URL: 'http://x' });
    expect(code).toBe(2);
    expect(output).toContain('PORT: expected a whole number');
    expect(output).toContain('REDIS_URL: expected a URL starting with redis://');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('lists its subcommands in --help', async () => {
    const { code, output } = await runHoldout(['--help']);
    expect(code).toBe(0);
    expect(output).toMatch(/serve/);
    expect(output).toMatch(/migrate/);
  });
});
