import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHAOS_SETUP_TIMEOUT_MS,
  CHAOS_TEST_TIMEOUT_MS,
  type ChaosRun,
  openChaosRun,
  startWorkers,
} from './engine-chaos-harness.js';

describe('three worker processes, 300 missions', () => {
  let run: ChaosRun;
  beforeAll(async () => {
    run = await openChaosRun({ workers: 3 });
  }, CHAOS_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await run?.dispose();
  }, CHAOS_SETUP_TIMEOUT_MS);

  it(
    'run every mission to its end with each tick logged exactly once, equal to a one-process reference',
    async () => {
      await startWorkers(run);
      const ids = await run.startMissions(300);
      expect(ids).toHaveLength(300);
      await run.waitUntilAllEnded();
      const audit = await run.audit();
      expect(audit.problems).toEqual([]);
      expect(audit.survivorProblems).toEqual([]);
      expect(audit.ended).toBe(300);
      expect(audit.ticks).toBeGreaterThan(300 * 5);
      expect(await run.store.outboxDepth()).toBe(0);
    },
    CHAOS_TEST_TIMEOUT_MS,
  );
});
