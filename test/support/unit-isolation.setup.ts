import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { afterAll } from 'vitest';

/**
 * Setup file of the unit project (vitest.config.ts): a unit test touches no Postgres, no Redis and
 * starts no process (no `holdout`, no redis-server, no Chromium). Each attempt is refused where it
 * happens and named once more when the file ends, because a store client that retries in the
 * background would otherwise only show as a timeout.
 */

const STORE_PORTS = new Set([5432, 6379]);
for (const url of [process.env.TEST_POSTGRES_URL, process.env.TEST_REDIS_URL]) {
  const port = url ? Number(new URL(url).port) : 0;
  if (port > 0) STORE_PORTS.add(port);
}

// Test files share a worker (isolate: false): patch once per worker, collect the attempts per file.
const state = globalThis as typeof globalThis & { holdoutUnitIsolation?: { attempts: string[] } };
const isolation = state.holdoutUnitIsolation ?? patchOnce();
isolation.attempts.length = 0;

function patchOnce(): { attempts: string[] } {
  const installed = { attempts: [] as string[] };
  state.holdoutUnitIsolation = installed;
  const refuse = (what: string): never => {
    const message =
      `a unit test ${what}; unit tests touch no Postgres, Redis, process or browser ` +
      '(move the file out of the unit list in vitest.config.ts)';
    installed.attempts.push(message);
    throw new Error(message);
  };

  const PROCESS_STARTERS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'];
  for (const name of PROCESS_STARTERS) {
    Object.assign(childProcess, {
      [name]: (command: unknown) => refuse(`started a process (child_process.${name} ${String(command)})`),
    });
  }
  // ESM importers of node:child_process see the replacements too.
  syncBuiltinESMExports();

  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function connectUnlessStore(this: net.Socket, ...args: unknown[]) {
    // connect(port, host), connect({ port }), or net.connect's already normalized [{ port }, callback].
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    const port =
      typeof first === 'object' && first !== null
        ? Number((first as { port?: unknown }).port)
        : Number(first);
    if (STORE_PORTS.has(port)) refuse(`connected to port ${port} (Postgres or Redis)`);
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;
  return installed;
}

afterAll(() => {
  if (isolation.attempts.length > 0) throw new Error(isolation.attempts.join('\n'));
});
