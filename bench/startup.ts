/**
 * Start-up time of the `holdout` command (issue 14), each figure also as a ratio to `node -e 0`
 * measured in the same run on the same machine:
 *
 *   - `holdout --version`: spawn to exit;
 *   - `holdout api`: spawn to the first 200 from GET /readyz (Postgres migrated, Redis answering);
 *   - `holdout worker`: spawn to its first committed tick of a mission that is already due
 *     (holdout_ticks_total ≥ 1 on its metrics port);
 *
 * and the CPU time (user + system, all threads) and resident memory (RSS) of each at that moment.
 * Minimum and median over BENCH_ROUNDS rounds (default 5). On a machine shared with other work the
 * CPU time moves far less than the wall time: compare it first.
 *
 *   npm run bench:startup                 # builds dist/ first: the command runs the compiled code
 *   BENCH_ROUNDS=10 npm run bench:startup
 *
 * Uses TEST_POSTGRES_URL (a fresh database, dropped at the end) and TEST_REDIS_URL (a unique key prefix),
 * in development mode (the production guard's Redis probe is left out: it measures the network).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signTwitchToken } from '../src/api/auth/twitch-jwt.js';
import { DEVELOPMENT_EXTENSION_SECRET } from '../src/config.js';
import { freePort } from '../test/support/free-port.js';
import { HOLDOUT_BIN, runHoldout, startHoldout } from '../test/support/holdout-process.js';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  TEST_REDIS_URL,
  uniqueName,
} from '../test/support/services.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Prints the process's RSS on exit (for processes too short-lived to sample from outside). */
const PRINT_RSS = join(fileURLToPath(new URL('.', import.meta.url)), 'startup-rss.mjs');
/** The targets of issue 14. */
const TARGET_CLI_RATIO = 8;
const TARGET_API_READY_MS = 1_000;

interface Sample {
  ms: number;
  cpuMs: number;
  rssMb: number;
}

/** Linux's clock tick (USER_HZ), the unit of utime and stime in /proc/<pid>/stat. */
const CLOCK_TICK_MS = 10;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** CPU time so far and resident memory of a running process, from /proc (Linux). */
function usageOf(pid: number): { cpuMs: number; rssMb: number } {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { cpuMs: (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS, rssMb: Number(kb) / 1024 };
}

/** Spawn to exit of `node [args]`, and its CPU time and RSS at exit. */
async function timeToExit(args: string[]): Promise<Sample> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', PRINT_RSS, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH, ...compileCacheEnv() },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = await once(child, 'exit');
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}: ${stderr}`);
  return {
    ms,
    cpuMs: Number(/cpu=(\d+)/.exec(stderr)?.[1]) / 1000,
    rssMb: Number(/rss=(\d+)/.exec(stderr)?.[1]) / 2 ** 20,
  };
}

/** Node's compile cache settings (Node 22.1+), passed on, so that a cold cache can be measured. */
function compileCacheEnv(): Record<string, string> {
  const names = ['NODE_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE'];
  return Object.fromEntries(names.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));
}

/** Polls `probe` every 2 ms until it is true; the time from `started` to then. */
async function timeUntil(started: number, probe: () => Promise<boolean>, what: string): Promise<number> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function main(): Promise<void> {
  const database = await createTestDatabase('holdout_bench_startup');
  const prefix = `${uniqueName('startup')}:`;
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    // Short ticks, so that a mission started by the API is due by the time a worker starts.
    TICK_INTERVAL_MS: '100',
    LOG_LEVEL: 'warn',
    ...compileCacheEnv(),
  };
  const loadAtStart = loadavg();
  const samples = {
    node: [] as Sample[],
    version: [] as Sample[],
    api: [] as Sample[],
    worker: [] as Sample[],
  };
  try {
    const migrated = await runHoldout(['migrate'], env);
    if (migrated.code !== 0) throw new Error(`migrate failed:\n${migrated.output}`);
    for (let round = 1; round <= ROUNDS; round++) {
      samples.node.push(await timeToExit(['-e', '0']));
      samples.version.push(await timeToExit([HOLDOUT_BIN, '--version']));

      const port = await freePort();
      let started = performance.now();
      const api = startHoldout(['api'], { ...env, PORT: String(port) });
      const url = `http://127.0.0.1:${port}`;
      const apiMs = await timeUntil(
        started,
        async () => (await fetch(`${url}/readyz`)).status === 200,
        'the API to be ready',
      );
      samples.api.push({ ms: apiMs, ...usageOf(api.child.pid!) });
      // A mission for the worker to tick: it is due 100 ms after it starts.
      const token = await signTwitchToken(DEVELOPMENT_EXTENSION_SECRET, {
        opaqueUserId: `Ustartup${round}`,
        channelId: '5150',
        role: 'viewer',
      });
      const post = async (path: string, body: unknown) =>
        (await (
          await fetch(`${url}${path}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).json()) as { id: string };
      const survivor = await post('/v1/survivors', { name: `Runner ${round}` });
      await post('/v1/missions', { survivorId: survivor.id, location: 'flooded-mall', difficulty: 1 });
      await api.stop();

      const metricsPort = await freePort();
      started = performance.now();
      const worker = startHoldout(['worker'], { ...env, WORKER_METRICS_PORT: String(metricsPort) });
      const workerMs = await timeUntil(
        started,
        async () => {
          const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
          return Number(/^holdout_ticks_total (\S+)$/m.exec(text)?.[1] ?? 0) >= 1;
        },
        "the worker's first tick",
      );
      samples.worker.push({ ms: workerMs, ...usageOf(worker.child.pid!) });
      await worker.stop();
      process.stdout.write(
        `round ${round}: node -e 0 ${samples.node.at(-1)!.ms.toFixed(0)} ms, --version ${samples.version.at(-1)!.ms.toFixed(0)} ms, ` +
          `api ready ${apiMs.toFixed(0)} ms, worker first tick ${workerMs.toFixed(0)} ms\n`,
      );
    }
  } finally {
    await database.drop();
    await deleteKeysWithPrefix(prefix);
  }

  const bare = median(samples.node.map((s) => s.ms));
  const row = (label: string, list: Sample[]) => {
    const ms = list.map((s) => s.ms);
    const cpu = list.map((s) => s.cpuMs);
    return (
      `| ${label} | ${Math.min(...ms).toFixed(0)} | ${median(ms).toFixed(0)} | ${(median(ms) / bare).toFixed(1)}× ` +
      `| ${Math.min(...cpu).toFixed(0)} | ${median(cpu).toFixed(0)} | ${median(list.map((s) => s.rssMb)).toFixed(0)} |`
    );
  };
  const versionRatio = median(samples.version.map((s) => s.ms)) / bare;
  const apiMs = median(samples.api.map((s) => s.ms));
  const load = (averages: number[]) => averages.map((a) => a.toFixed(2)).join(', ');
  process.stdout.write(
    [
      '',
      `Node ${process.version}, ${ROUNDS} rounds; load average ${load(loadAtStart)} at the start, ${load(loadavg())} at the end:`,
      '',
      '| start-up | min ms | median ms | median × node -e 0 | min CPU ms | median CPU ms | RSS MB |',
      '|---|---|---|---|---|---|---|',
      row('`node -e 0`', samples.node),
      row('`holdout --version`', samples.version),
      row('`holdout api` → /readyz 200', samples.api),
      row('`holdout worker` → first tick', samples.worker),
      '',
      `--version/node = ${versionRatio.toFixed(1)} (target ≤ ${TARGET_CLI_RATIO}: ${versionRatio <= TARGET_CLI_RATIO ? 'met' : 'missed'})`,
      `api ready = ${apiMs.toFixed(0)} ms (target ≤ ${TARGET_API_READY_MS} ms on an idle machine: ${apiMs <= TARGET_API_READY_MS ? 'met' : 'missed'})`,
      '',
    ].join('\n'),
  );
}

await main();
