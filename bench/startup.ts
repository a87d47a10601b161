/**
 * Start-up time of the `holdout` command (issue 14), each figure also as a ratio to `node -e 0`
 * measured in the same run on the same machine:
 *
 *   - `holdout --version`: spawn to exit;
 *   - `holdout api`: spawn to the first 200 from GET /readyz (Postgres migrated, Redis answering);
 *   - `holdout worker`: spawn to its first committed tick of a mission that is already due
 *     (holdout_ticks_total ≥ 1 on its metrics port);
 *
 * and the resident memory (RSS) of each at that moment. Medians over BENCH_ROUNDS rounds (default 5).
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
  rssMb: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Resident memory of a running process, from /proc (Linux). */
function rssMbOf(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** Spawn to exit of `node [args]`, and its RSS at exit. */
async function timeToExit(args: string[]): Promise<Sample> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', PRINT_RSS, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = await once(child, 'exit');
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}: ${stderr}`);
  return { ms, rssMb: Number(/rss=(\d+)/.exec(stderr)?.[1]) / 2 ** 20 };
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
  };
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
      samples.api.push({ ms: apiMs, rssMb: rssMbOf(api.child.pid!) });
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
      samples.worker.push({ ms: workerMs, rssMb: rssMbOf(worker.child.pid!) });
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
    const ms = median(list.map((s) => s.ms));
    return `| ${label} | ${ms.toFixed(0)} | ${(ms / bare).toFixed(1)}× | ${median(list.map((s) => s.rssMb)).toFixed(0)} |`;
  };
  const versionRatio = median(samples.version.map((s) => s.ms)) / bare;
  const apiMs = median(samples.api.map((s) => s.ms));
  process.stdout.write(
    [
      '',
      `Node ${process.version}, ${ROUNDS} rounds, medians:`,
      '',
      '| start-up | ms | × node -e 0 | RSS MB |',
      '|---|---|---|---|',
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
