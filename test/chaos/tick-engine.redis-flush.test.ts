import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/services.js';
import {
  CHAOS_SETUP_TIMEOUT_MS,
  CHAOS_TEST_TIMEOUT_MS,
  type ChaosRun,
  CONDITION_MS,
  openChaosRun,
  startWorkers,
} from './engine-chaos-harness.js';

/** "Within seconds": the reconciler looks for a lost marker every second. */
const RESUME_WITHIN_MS = 5_000;

describe('Redis FLUSHALL mid-run', () => {
  let run: ChaosRun;
  beforeAll(async () => {
    run = await openChaosRun({ workers: 2 });
  }, CHAOS_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await run?.dispose();
  }, CHAOS_SETUP_TIMEOUT_MS);

  it(
    'resumes every mission from its last durable tick within seconds, re-running lost ticks identically',
    async () => {
      await startWorkers(run);
      const ids = await run.startMissions(100, 'standard');
      await eventually(
        async () => (await run.durableTicks()) >= 300,
        'ticks to reach Postgres',
        CONDITION_MS,
      );
      await run.flushRedis();
      const flushedAt = Date.now();
      await eventually(
        async () =>
          (await run.store.activeMissionsExist(ids)).filter(Boolean).length >= (await run.activeMissions()),
        'every active mission to be back in Redis',
        RESUME_WITHIN_MS,
        50,
      );
      const resumedAfter = Date.now() - flushedAt;
      console.info(`redis-flush: active missions back in Redis ${resumedAfter} ms after FLUSHALL`);
      await run.waitUntilAllEnded();
      const audit = await run.audit();
      expect(audit.problems).toEqual([]);
      expect(audit.survivorProblems).toEqual([]);
      expect(audit.ended).toBe(100);
    },
    CHAOS_TEST_TIMEOUT_MS,
  );
});
