import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHoldout } from '../support/holdout-process.js';
import { seededRandom, withSeed } from '../support/seeded-random.js';
import { eventually } from '../support/services.js';
import {
  activeMissionsInRedis,
  completionsHeldBack,
  flusherOf,
  missionsHeldBy,
  pendingByFlusher,
  recoveredFrom,
} from './compound-fault-probes.js';
import {
  CHAOS_SETUP_TIMEOUT_MS,
  CHAOS_TEST_TIMEOUT_MS,
  type ChaosRun,
  CONDITION_MS,
  openChaosRun,
  startWorkers,
} from './engine-chaos-harness.js';
import { type MonitorReport, startMissionLogMonitor } from './mission-log-monitor.js';

/**
 * Issue 12's compound fault: Postgres blips so every flusher keeps a batch it could not write, one
 * worker holding such a batch is killed (kill -9), and Redis loses its data before another flusher
 * takes that batch over — and the same three faults in every other order.
 */
type Fault = 'postgres blip' | 'kill -9' | 'Redis FLUSHALL';
const ORDERS: Fault[][] = [
  ['postgres blip', 'kill -9', 'Redis FLUSHALL'],
  ['postgres blip', 'Redis FLUSHALL', 'kill -9'],
  ['kill -9', 'postgres blip', 'Redis FLUSHALL'],
  ['kill -9', 'Redis FLUSHALL', 'postgres blip'],
  ['Redis FLUSHALL', 'postgres blip', 'kill -9'],
  ['Redis FLUSHALL', 'kill -9', 'postgres blip'],
];

const WORKERS = 3;
const MISSION_TICK_MS = 500;
/** Long missions outlast the faults; short ones (5-7 s) end inside the reclaim window, as in the issue. */
const LONG_MISSIONS = 40;
const SHORT_MISSIONS = 20;
/** Wide enough that the Redis loss lands before the dead flusher's batch is taken over. */
const RECLAIM_IDLE_MS = 8_000;
/** How long Postgres stays unreachable after the fault that follows its cut, in ms (issue: ~1.5 s). */
const BLIP_MS = 1_500;
/**
 * From the last fault to recovered (see recoveredFrom): 1-12 s measured, loaded; a gap the Redis
 * loss made permanent is repaired after 3 × RECLAIM_IDLE_MS (24 s) plus a reconcile pass.
 */
const RECOVERY_MS = 120_000;

/** Adds the workers' last output to a failure: what they logged is the first clue. */
async function withWorkerOutput<T>(run: ChaosRun, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw Object.assign(error as Error, {
      message: `${(error as Error).message}\n--- workers ---\n${run.cluster.output().slice(-6_000)}`,
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('compound faults: Postgres blip, kill -9 of a worker with an unflushed batch, Redis loss', () => {
  const random = seededRandom();
  let run: ChaosRun;
  let tokens: string[];
  let monitor: ReturnType<typeof startMissionLogMonitor>;
  const figures: string[] = [];

  beforeAll(async () => {
    run = await openChaosRun({
      workers: WORKERS,
      postgresThroughProxy: true,
      env: { OUTBOX_RECLAIM_IDLE_MS: String(RECLAIM_IDLE_MS) },
    });
    tokens = await startWorkers(run);
    monitor = startMissionLogMonitor(run.db);
  }, CHAOS_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    const report: MonitorReport | undefined = await monitor?.stop();
    console.info(
      [
        `compound faults (CHAOS_SEED=${random.seed}):`,
        ...figures,
        report
          ? `monitor: ${report.polls} polls of Postgres during the run, ${report.violations.length} missions seen completed with a gap; ` +
            `${report.gapsSeen} missions seen with a gap while active, ${report.heldBack} of them with their final row already durable (completion held back); ` +
            `longest gap ${report.longestGapMs} ms`
          : 'monitor did not run',
      ].join('\n'),
    );
    await run?.dispose();
  }, CHAOS_SETUP_TIMEOUT_MS);

  it.each(ORDERS)(
    '%s, then %s, then %s: every tick exactly once, replay --verify clean, never completed with a gap',
    async (...order) =>
      withSeed(random, () =>
        withWorkerOutput(run, async () => {
          const began = Date.now();
          run.deps.tickIntervalMs = MISSION_TICK_MS;
          const shortIds = await run.startMissions(SHORT_MISSIONS, 'short');
          const ids = [...(await run.startMissions(LONG_MISSIONS, 'long')), ...shortIds];
          const ticks = async () => {
            const { rows } = await run.db.query<{ n: number }>(
              'SELECT count(*)::int AS n FROM mission_logs WHERE mission_id = ANY($1::bigint[])',
              [ids],
            );
            return rows[0]!.n;
          };
          await eventually(
            async () => (await ticks()) >= 2 * ids.length,
            'the missions to be under way',
            CONDITION_MS,
          );

          const events: string[] = [];
          const at = (since: number) => `+${Date.now() - since} ms`;
          const mark = (what: string) => events.push(`${what} ${at(began)}`);
          let cutOpen = false;
          let flushed = false;
          let victim = -1;
          let victimHeld = 0;
          const faultAt: Partial<Record<Fault, number>> = {};
          try {
            for (const [i, fault] of order.entries()) {
              if (fault === 'postgres blip') {
                run.proxy!.cut();
                faultAt[fault] = Date.now();
                mark('Postgres cut');
                const live = run.cluster.workers.flatMap((worker, index) => (worker ? [index] : []));
                // Every live flusher reads a batch it cannot write — unless Redis has just lost every
                // mission and the reconciler cannot rebuild them from Postgres: then there is nothing
                // to read, and the outbox (and its group) may not even exist. Seen, not waited for.
                const holding = flushed
                  ? (await pendingByFlusher(run)).size
                  : await eventually(
                      async () => {
                        const pending = await pendingByFlusher(run);
                        return (
                          live.every((w) => (pending.get(flusherOf(tokens[w]!)) ?? 0) > 0) && pending.size
                        );
                      },
                      'every live flusher to hold an unwritten batch',
                      CONDITION_MS,
                      50,
                    );
                mark(`${holding} flushers hold unwritten batches`);
                cutOpen = true;
                if (i < order.length - 1) continue;
              } else if (fault === 'kill -9') {
                // A worker whose flusher holds a batch, if any does (the victim), preferably one
                // holding a tick of a short mission: that mission's final row lands before the batch is
                // taken over, and its completion must wait.
                const pending = await pendingByFlusher(run);
                const running = run.cluster.workers.flatMap((worker, index) => (worker ? [index] : []));
                const holders = running.filter((w) => (pending.get(flusherOf(tokens[w]!)) ?? 0) > 0);
                const holdingShort: number[] = [];
                for (const w of holders) {
                  const held = await missionsHeldBy(run, flusherOf(tokens[w]!));
                  if (shortIds.some((id) => held.has(id))) holdingShort.push(w);
                }
                const pool = [holdingShort, holders, running].find((workers) => workers.length > 0)!;
                victim = pool[random.below(pool.length)]!;
                victimHeld = pending.get(flusherOf(tokens[victim]!)) ?? 0;
                expect(await run.cluster.kill(victim, 'SIGKILL')).toBeNull();
                faultAt[fault] = Date.now();
                const ofShort = holdingShort.includes(victim) ? ", a short mission's among them" : '';
                mark(`worker ${victim} killed holding ${victimHeld} entries${ofShort}`);
              } else {
                if (order[0] === 'postgres blip' && order[i - 1] === 'kill -9') {
                  // The order: Postgres is back, the live flushers write newer ticks — final
                  // rows among them, held back because the dead flusher holds earlier ticks — and
                  // Redis goes before that batch is taken over (or once it has been, if this slow
                  // machine let the reclaim come first).
                  const dead = flusherOf(tokens[victim]!);
                  const heldBack = await eventually(
                    async (): Promise<string | null> => {
                      if ((await completionsHeldBack(run, ids)) > 0) return 'a completion held back';
                      const deadHolds = (await pendingByFlusher(run)).get(dead) ?? 0;
                      return deadHolds === 0 ? 'the dead batch taken over' : null;
                    },
                    'a completion held back, or the dead batch taken over',
                    CONDITION_MS,
                    50,
                  );
                  mark(heldBack);
                }
                await run.flushRedis();
                faultAt[fault] = Date.now();
                flushed = true;
                mark('Redis FLUSHALL');
              }
              if (cutOpen) {
                await sleep(BLIP_MS);
                run.proxy!.restore();
                cutOpen = false;
                faultAt['postgres blip'] = Date.now();
                mark('Postgres back');
              }
            }
          } finally {
            // Never leave the next order a cut Postgres: it would fail for this one's reason.
            if (cutOpen) run.proxy!.restore();
          }
          const lastFault = Math.max(...Object.values(faultAt));
          const recovery: string[] = [];
          const flushedAt = faultAt['Redis FLUSHALL']!;
          await eventually(
            () => activeMissionsInRedis(run, ids),
            'the active missions to be back in Redis',
            CONDITION_MS,
            50,
          );
          recovery.push(`missions back in Redis ${at(flushedAt)} after FLUSHALL`);
          const dead = flusherOf(tokens[victim]!);
          await eventually(
            async () => ((await pendingByFlusher(run)).get(dead) ?? 0) === 0,
            "the dead flusher's batch to be taken over",
            CONDITION_MS,
            50,
          );
          recovery.push(`dead flusher's batch gone ${at(faultAt['kill -9']!)} after the kill`);
          tokens[victim] = await run.cluster.start(victim);
          mark(`worker ${victim} restarted`);
          await eventually(() => recoveredFrom(run, ids, lastFault), 'recovery', RECOVERY_MS, 100);
          recovery.push(`recovered ${at(lastFault)} after the last fault`);
          await run.waitUntilAllEnded(CHAOS_TEST_TIMEOUT_MS / 2);
          mark('every mission ended');

          const audit = await run.audit();
          expect(audit.problems).toEqual([]);
          expect(audit.survivorProblems).toEqual([]);
          // The operator's own check, on a few of the missions (each run of the CLI takes seconds).
          for (const id of [ids[random.below(ids.length)]!, ids.at(-1)!]) {
            const verified = await runHoldout(['replay', id, '--verify'], {
              DATABASE_URL: run.cluster.env.DATABASE_URL,
            });
            expect(verified.output).toMatch(/logged ticks match the replay/);
            expect(verified.code).toBe(0);
          }
          figures.push(
            `${order.join(' → ')}: ${audit.ticks} ticks of ${audit.missions} missions; ${recovery.join(', ')}; ${events.join(', ')}`,
          );
        }),
      ),
    CHAOS_TEST_TIMEOUT_MS,
  );

  it('never showed a mission completed with a gap, polling Postgres throughout', async () => {
    const report = await monitor.stop();
    monitor = { stop: async () => report };
    expect(report.polls).toBeGreaterThan(10);
    expect(report.violations).toEqual([]);
  });
});
