import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHAOS_SETUP_TIMEOUT_MS,
  CHAOS_TEST_TIMEOUT_MS,
  type ChaosRun,
  openChaosRun,
  startWorkers,
} from './engine-chaos-harness.js';

describe('a start that crashed between its Postgres and Redis halves', () => {
  let run: ChaosRun;
  beforeAll(async () => {
    run = await openChaosRun({ workers: 2 });
  }, CHAOS_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await run?.dispose();
  }, CHAOS_SETUP_TIMEOUT_MS);

  it(
    'is completed by the reconciler and the mission runs to its end',
    async () => {
      const ids = await run.startMissions(20);
      // What a crash right after the Postgres commit leaves: the mission exists durably, Redis knows nothing.
      await run.flushRedis();
      expect((await run.store.activeMissionsExist(ids)).some(Boolean)).toBe(false);
      await startWorkers(run);
      await run.waitUntilAllEnded();
      const audit = await run.audit();
      expect(audit.problems).toEqual([]);
      expect(audit.ended).toBe(20);
      expect(audit.survivorProblems).toEqual([]);
    },
    CHAOS_TEST_TIMEOUT_MS,
  );
});
