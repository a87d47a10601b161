import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { HOLDOUT_BIN } from '../support/holdout-process.js';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  eventually,
  TEST_REDIS_URL,
  type TestDatabase,
  uniqueName,
} from '../support/services.js';

/*
 * The image's process tree without Docker: a new PID namespace (unshare, as root) in which tini is
 * PID 1 and runs `node bin/holdout.js worker`, as the image's ENTRYPOINT does. SIGTERM to PID 1 (what
 * `docker stop` sends) must reach Node and end the worker cleanly; the health check, run inside the
 * namespace without a role, must find the worker's role on PID 1's command line.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TINI = '/usr/bin/tini';
const runnable =
  process.getuid?.() === 0 &&
  existsSync(TINI) &&
  spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;

describe.skipIf(!runnable)('tini as PID 1, as in the image', () => {
  let database: TestDatabase;
  const prefix = `${uniqueName('pid1')}:`;
  let namespace: ChildProcess | undefined;
  beforeAll(async () => {
    database = await createTestDatabase('holdout_pid1');
  });
  afterAll(async () => {
    if (namespace && namespace.exitCode === null) namespace.kill('SIGKILL');
    await database?.drop();
    await deleteKeysWithPrefix(prefix);
  });

  it('passes SIGTERM on to the worker, which stops cleanly; the health check finds the role', async () => {
    const metricsPort = await freePort();
    namespace = spawn(
      'unshare',
      ['--pid', '--fork', '--mount-proc', TINI, '--', process.execPath, HOLDOUT_BIN, 'worker'],
      {
        env: {
          PATH: process.env.PATH,
          LOG_LEVEL: 'info',
          DATABASE_URL: database.url,
          REDIS_URL: TEST_REDIS_URL,
          REDIS_KEY_PREFIX: prefix,
          WORKER_METRICS_PORT: String(metricsPort),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    namespace.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    namespace.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(namespace, 'exit');
    await eventually(() => /worker \S+ started/.test(output), 'the worker to start', 60_000, 100);

    // unshare's one child is tini, PID 1 in the namespace.
    const tini = Number(
      spawnSync('pgrep', ['-P', String(namespace.pid)], { encoding: 'utf8' }).stdout.trim(),
    );
    expect(tini).toBeGreaterThan(0);
    const inNamespace = (command: string[]) =>
      spawnSync('nsenter', ['-t', String(tini), '-p', '-m', ...command], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, WORKER_METRICS_PORT: String(metricsPort) },
      });
    expect(inNamespace(['cat', '/proc/1/comm']).stdout.trim()).toBe('tini');
    const health = inNamespace([process.execPath, join(ROOT, 'bin', 'healthcheck.js')]);
    expect(`${health.stdout}${health.stderr}`).toBe('');
    expect(health.status).toBe(0);

    process.kill(tini, 'SIGTERM');
    const [code] = await exited;
    expect(output).toMatch(/"signal":"SIGTERM","msg":"shutting down"/);
    expect(code, output).toBe(0);
  }, 120_000);
});
