/**
 * One Redis against a Redis Cluster (issue 18), in the same run: the tick engine's ticks/s and CPU per
 * 1,000 ticks (the worker's, the Redis servers', Postgres's) on one throwaway redis-server and on a
 * throwaway cluster of 3 masters + 3 replicas, same missions and schedule shards, in interleaved
 * rounds; then the poll benchmark (poll/bare, bench/poll-endpoint.ts) on each of the two.
 *
 *   npm run bench:cluster
 *   BENCH_MISSIONS=20000 BENCH_TICK_DURATION_S=20 BENCH_TICK_ROUNDS=2 BENCH_VIEWERS=1000 npm run bench:cluster
 *
 * Env: BENCH_MISSIONS (2000), BENCH_SHARDS schedule shards on both (3), BENCH_MASTERS (3),
 * BENCH_WORKERS worker processes (1), BENCH_TICK_DURATION_S (10), BENCH_TICK_ROUNDS (1); the poll part
 * reads poll-endpoint.ts's BENCH_VIEWERS, BENCH_CONNECTIONS, BENCH_DURATION_S, BENCH_ROUNDS, and
 * BENCH_POLL=false skips it. Prints the tables; docs/benchmarks.md records them by hand.
 */
import { loadavg } from 'node:os';
import { startRedisCluster } from '../test/support/redis-cluster.js';
import { startRedisServer } from '../test/support/redis-server.js';
import { measurePoll, type PollRatios } from './poll-endpoint.js';
import type { BenchRedisShape } from './tick-engine/bench-world.js';
import { HoldoutSystem } from './tick-engine/holdout-system.js';
import { runStep, type StepResult } from './tick-engine/run-step.js';

const MISSIONS = Number(process.env.BENCH_MISSIONS ?? 2_000);
const SHARDS = Number(process.env.BENCH_SHARDS ?? 3);
const MASTERS = Number(process.env.BENCH_MASTERS ?? 3);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const TICK_DURATION_S = Number(process.env.BENCH_TICK_DURATION_S ?? 10);
const TICK_ROUNDS = Number(process.env.BENCH_TICK_ROUNDS ?? 1);
const POLL = process.env.BENCH_POLL !== 'false';
/** Production's cadence; a smoke may shorten it. */
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 5_000);

const DEPLOYMENTS: { label: string; shape: BenchRedisShape }[] = [
  { label: 'one Redis', shape: { cluster: false } },
  { label: `cluster, ${MASTERS} masters + ${MASTERS} replicas`, shape: { cluster: true, masters: MASTERS } },
];

const load = () => loadavg()[0]!.toFixed(2);
const perK = (cpuS: number, r: StepResult) =>
  r.ticksPerS > 0 ? cpuS / ((r.ticksPerS * r.durationS) / 1000) : 0;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measureTicks(): Promise<void> {
  const results = new Map<string, StepResult[]>(DEPLOYMENTS.map((d) => [d.label, []]));
  // Rounds alternate the deployments, so that a slow minute of a shared machine hits both alike.
  for (let round = 1; round <= TICK_ROUNDS; round++) {
    for (const { label, shape } of DEPLOYMENTS) {
      process.stdout.write(
        `ticks, ${label}, N = ${MISSIONS}, round ${round} of ${TICK_ROUNDS} (load ${load()})\n`,
      );
      const system = new HoldoutSystem(WORKERS, { REDIS_SCHEDULE_SHARDS: String(SHARDS) });
      const result = await runStep(system, MISSIONS, {
        durationMs: TICK_DURATION_S * 1000,
        intervalMs: INTERVAL_MS,
        redis: shape,
        ...(INTERVAL_MS < 5_000 ? { warmUpMs: 1_000, graceMs: 1_500 } : {}),
        log: (line) => process.stdout.write(`${line}\n`),
      });
      if (!result.log.complete)
        throw new Error(`${label}: the durable log is incomplete: ${JSON.stringify(result.log)}`);
      results.get(label)!.push(result);
    }
  }
  const rows = [...results].flatMap(([label, steps]) =>
    steps.map((r, i) => ({
      redis: label,
      round: i + 1,
      'ticks/s': Math.round(r.ticksPerS),
      'p99 ms': Math.round(r.lateness.p99Ms),
      missed: r.lateness.missed,
      'CPU s/1k': +r.cpuSPer1kTicks.toFixed(3),
      'worker s/1k': +perK(r.cpuS.workers, r).toFixed(3),
      'Redis data s/1k': +perK(r.cpuS.redis, r).toFixed(3),
      'replicas s/1k': +perK(r.cpuS.redisReplicas, r).toFixed(3),
      'Postgres s/1k': +perK(r.cpuS.postgres, r).toFixed(3),
      'Redis B/mission': Math.round(r.redisBytesPerMission ?? 0),
      sustained: r.sustained,
    })),
  );
  console.table(rows);
  const [single, cluster] = DEPLOYMENTS.map((d) => results.get(d.label)!);
  const ratio = (pick: (r: StepResult) => number) =>
    median(single!.map((s, i) => pick(cluster![i]!) / pick(s)));
  process.stdout.write(
    `ticks: ${MISSIONS} missions, ${SHARDS} shards, ${WORKERS} worker(s), ${TICK_DURATION_S} s × ${TICK_ROUNDS} rounds; ` +
      `cluster/one Redis = ticks/s ${ratio((r) => r.ticksPerS).toFixed(2)}, ` +
      `CPU per 1k ticks ${ratio((r) => r.cpuSPer1kTicks).toFixed(2)} (all processes), ` +
      `worker ${ratio((r) => r.cpuS.workers / r.ticksPerS).toFixed(2)}, ` +
      `Redis ${ratio((r) => (r.cpuS.redis + r.cpuS.redisReplicas) / r.ticksPerS).toFixed(2)} (with replicas); median of the rounds\n`,
  );
}

async function measurePolls(): Promise<void> {
  const ratios: [string, PollRatios][] = [];
  const server = await startRedisServer();
  try {
    process.stdout.write(`poll, one Redis (load ${load()})\n`);
    ratios.push([
      'one Redis',
      await measurePoll({ url: server.url, env: { REDIS_SCHEDULE_SHARDS: String(SHARDS) } }),
    ]);
  } finally {
    await server.stop();
  }
  const cluster = await startRedisCluster(MASTERS);
  try {
    process.stdout.write(`poll, cluster (load ${load()})\n`);
    ratios.push([
      'cluster',
      await measurePoll({ url: cluster.url, env: { REDIS_SCHEDULE_SHARDS: String(SHARDS) } }),
    ]);
  } finally {
    await cluster.stop();
  }
  for (const [label, r] of ratios) {
    process.stdout.write(
      `poll on ${label}: poll/bare = ${r.poll.median.toFixed(2)} (200), ${r.poll304.median.toFixed(2)} (304)\n`,
    );
  }
}

process.stdout.write(
  `bench:cluster, load average at start ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}\n`,
);
await measureTicks();
if (POLL) await measurePolls();
