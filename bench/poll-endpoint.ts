/**
 * The poll endpoint under load (issue 5): autocannon with many distinct viewer tokens against the
 * API on real Redis and Postgres, side by side in the same run with a bare Fastify route that returns
 * a constant (this machine's ceiling). The servers run in a child process so that autocannon does not
 * share their event loop.
 *
 *   npm run bench:api        # 1000 viewers, 50 connections, 10 s per scenario, 3 interleaved rounds
 *   BENCH_VIEWERS=5000 BENCH_DURATION_S=20 BENCH_ROUNDS=5 npm run bench:api
 *   BENCH_PROFILE_DIR=/tmp/prof npm run bench:api   # and the server's CPU profile of each scenario
 *
 * The headline is the median over the rounds of poll/bare, each round's ratio from back-to-back runs.
 *
 * Uses TEST_POSTGRES_URL (a fresh database, dropped at the end) and TEST_REDIS_URL (a unique key prefix).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { signTwitchToken } from '../src/api/auth/twitch-jwt.js';
import { buildApp } from '../src/api/build-app.js';
import { DEVELOPMENT_EXTENSION_SECRET, loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { openRuntime } from '../src/runtime.js';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  TEST_REDIS_URL,
  uniqueName,
} from '../test/support/services.js';

const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 1000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const SETUP_CONCURRENCY = 20;

async function serve(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
  const runtime = await openRuntime(config, createLogger('silent'));
  const app = await buildApp(runtime, { sweepLobbies: false });
  const bare = Fastify();
  bare.get('/bare', async () => ({ ok: true }));
  const api = await app.listen({ host: '127.0.0.1', port: 0 });
  const ceiling = await bare.listen({ host: '127.0.0.1', port: 0 });
  process.send?.({ api, ceiling });
  const profiler = new ScenarioProfiler();
  process.on('message', (message: ProfileMessage) => {
    void profiler.handle(message).then(() => process.send?.('profiled'));
  });
  process.on('disconnect', () => {
    void Promise.all([app.close(), bare.close()])
      .then(() => runtime.close())
      .then(() => process.exit(0));
  });
}

type ProfileMessage = { profile: 'start' } | { profile: 'stop'; file: string };

/** The server's side of BENCH_PROFILE_DIR: a CPU profile of the load phase only, without the setup. */
class ScenarioProfiler {
  private readonly session = new Session();

  async handle(message: ProfileMessage): Promise<void> {
    if (message.profile === 'start') {
      this.session.connect();
      await this.session.post('Profiler.enable');
      await this.session.post('Profiler.start');
      return;
    }
    const { profile } = await this.session.post('Profiler.stop');
    await writeFile(message.file, JSON.stringify(profile));
    this.session.disconnect();
  }
}

async function inBatches<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += SETUP_CONCURRENCY)
    await Promise.all(items.slice(i, i + SETUP_CONCURRENCY).map(work));
}

async function run(
  server: ChildProcess,
  title: string,
  url: string,
  headersFor: () => Record<string, string>,
): Promise<autocannon.Result> {
  const profiled = async (message: ProfileMessage) => {
    if (!PROFILE_DIR) return;
    const done = once(server, 'message');
    server.send(message);
    await done;
  };
  await profiled({ profile: 'start' });
  const result = await autocannon({
    title,
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, headers: { ...request.headers, ...headersFor() } }),
      },
    ],
  });
  await profiled({ profile: 'stop', file: join(PROFILE_DIR ?? '', `${slug(title)}.cpuprofile`) });
  return result;
}

const slug = (title: string) =>
  title
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

/** The round with the median rate of a scenario stands for it (its latencies come along). */
function medianRound(results: autocannon.Result[]): autocannon.Result {
  return [...results].sort((a, b) => a.requests.average - b.requests.average)[
    Math.floor(results.length / 2)
  ]!;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Poll/bare, median of the rounds' ratios, with each round's. */
export interface PollRatios {
  poll: { median: number; rounds: number[] };
  poll304: { median: number; rounds: number[] };
}

function report(rounds: Record<'bare' | 'poll' | 'poll304', autocannon.Result>[]): PollRatios {
  const rows = (['bare', 'poll', 'poll304'] as const).map((scenario) => {
    const r = medianRound(rounds.map((round) => round[scenario]));
    return {
      scenario: r.title,
      'req/s (median round)': Math.round(r.requests.average),
      'p50 ms': r.latency.p50,
      'p99 ms': r.latency.p99,
      'B/response': Math.round(r.throughput.total / r.requests.total),
      '2xx/3xx': r['2xx'] + r['3xx'],
      // autocannon's non2xx counts the 304s too.
      refused: r.non2xx - r['3xx'],
      errors: r.errors,
    };
  });
  console.table(rows);
  // A refused request (429, 401…) is cheap: timing refusals would flatter the poll. Every one counts.
  const refused = rows.filter((row) => row.refused > 0 || row.errors > 0);
  if (refused.length > 0) {
    throw new Error(`refused answers (4xx/5xx) or errors in: ${refused.map((r) => r.scenario).join(', ')}`);
  }
  const ratios = (scenario: 'poll' | 'poll304') =>
    rounds.map((round) => round[scenario].requests.average / round.bare.requests.average);
  const show = (scenario: 'poll' | 'poll304') =>
    `${median(ratios(scenario)).toFixed(2)} (rounds: ${ratios(scenario)
      .map((r) => r.toFixed(2))
      .join(', ')})`;
  process.stdout.write(
    `${VIEWERS} viewers, ${CONNECTIONS} connections, ${DURATION_S} s per scenario, ${rounds.length} rounds\n` +
      `poll/bare = ${show('poll')} (200), ${show('poll304')} (304); median of the rounds' ratios\n`,
  );
  return {
    poll: { median: median(ratios('poll')), rounds: ratios('poll') },
    poll304: { median: median(ratios('poll304')), rounds: ratios('poll304') },
  };
}

/** Where the measured API keeps its ephemeral state; by default the shared test Redis under a unique prefix. */
export interface PollRedis {
  /** redis://… or redis-cluster://… */
  url: string;
  /** Extra environment of the API process, e.g. REDIS_SCHEDULE_SHARDS. */
  env?: NodeJS.ProcessEnv;
}

/** The whole measurement: a fresh database, the API in a child process on `redis`, the rounds, the table. */
export async function measurePoll(redis: PollRedis = { url: TEST_REDIS_URL }): Promise<PollRatios> {
  const database = await createTestDatabase('holdout_bench');
  const prefix = `${uniqueName('bench')}:`;
  let child: ChildProcess | undefined;
  try {
    child = fork(fileURLToPath(import.meta.url), ['--serve'], {
      // The flags the Dockerfile and `npm start` run every process with.
      execArgv: ['--max-semi-space-size=64', '--import', 'tsx'],
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: prefix,
        ...redis.env,
        RATE_LIMIT_POLL: '1000000',
        RATE_LIMIT_READ: '1000000',
        RATE_LIMIT_WRITE: '1000000',
        // Every viewer's token comes from this one address: the per-address budget of new tokens would
        // answer most of them 429, and the bench would time refusals instead of polls.
        RATE_LIMIT_NEW_TOKENS_PER_IP: '1000000',
      },
    });
    const exited = once(child, 'exit').then(() => {
      throw new Error('the server process exited before it was ready');
    });
    const [{ api, ceiling }] = (await Promise.race([once(child, 'message'), exited])) as [
      { api: string; ceiling: string },
    ];

    process.stdout.write(`setting up ${VIEWERS} viewers (half of them with a survivor on a mission)…\n`);
    const tokens: string[] = [];
    for (let i = 0; i < VIEWERS; i++) {
      tokens.push(
        await signTwitchToken(DEVELOPMENT_EXTENSION_SECRET, {
          opaqueUserId: `Ubench${i}`,
          channelId: '1000',
          role: 'viewer',
          ttlSeconds: 7200,
        }),
      );
    }
    const etags: string[] = new Array(VIEWERS);
    await inBatches([...tokens.keys()], async (i) => {
      const headers = { authorization: `Bearer ${tokens[i]}`, 'content-type': 'application/json' };
      const created = await fetch(`${api}/v1/survivors`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'Bench' }),
      });
      if (created.status !== 201) throw new Error(`setup: POST /v1/survivors answered ${created.status}`);
      const { id } = (await created.json()) as { id: string };
      if (i % 2 === 0) {
        await fetch(`${api}/v1/missions`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ survivorId: id, location: 'flooded-mall', difficulty: 1 }),
        });
      }
      const poll = await fetch(`${api}/v1/poll`, { headers: { authorization: headers.authorization } });
      etags[i] = poll.headers.get('etag') ?? '';
    });

    if (PROFILE_DIR) await mkdir(PROFILE_DIR, { recursive: true });
    let next = 0;
    const scenarios = {
      bare: () => run(child!, 'bare Fastify route', `${ceiling}/bare`, () => ({})),
      poll: () =>
        run(child!, 'GET /v1/poll (200)', `${api}/v1/poll`, () => ({
          authorization: `Bearer ${tokens[next++ % VIEWERS]}`,
        })),
      poll304: () =>
        run(child!, 'GET /v1/poll (304)', `${api}/v1/poll`, () => {
          const i = next++ % VIEWERS;
          return { authorization: `Bearer ${tokens[i]}`, 'if-none-match': etags[i]! };
        }),
    };
    // Rounds interleave the scenarios, so that a slow minute of a shared machine hits them all alike.
    const rounds: Record<keyof typeof scenarios, autocannon.Result>[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      process.stdout.write(`round ${round} of ${ROUNDS}…\n`);
      rounds.push({
        bare: await scenarios.bare(),
        poll: await scenarios.poll(),
        poll304: await scenarios.poll304(),
      });
    }
    return report(rounds);
  } finally {
    if (child?.connected) {
      child.disconnect();
      await once(child, 'exit');
    }
    await database.drop();
    // A Redis of the caller's own (bench/cluster.ts) is thrown away whole; the shared one is cleaned.
    if (redis.url === TEST_REDIS_URL) await deleteKeysWithPrefix(prefix);
  }
}

// bench/cluster.ts imports measurePoll; only as the entry point (or the forked server) does this run.
const entry = process.argv[1] ? pathToFileURL(process.argv[1]).href : '';
if (process.argv.includes('--serve')) await serve();
else if (entry === import.meta.url) await measurePoll();
