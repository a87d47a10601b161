import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHAOS_SETUP_TIMEOUT_MS,
  CHAOS_TEST_TIMEOUT_MS,
  type ChaosRun,
  LOCK_TTL_MS,
  openChaosRun,
  startWorkers,
} from './engine-chaos-harness.js';

const REFUSED = /tick commits refused/;

describe('a worker frozen (SIGSTOP) past its lock TTL, then woken (SIGCONT)', () => {
  let run: ChaosRun;
  beforeAll(async () => {
    run = await openChaosRun({ workers: 3 });
  }, CHAOS_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await run?.dispose();
  }, CHAOS_SETUP_TIMEOUT_MS);

  it(
    'has its commits refused, and no tick is run twice',
    async () => {
      await startWorkers(run);
      // The victim pauses between simulating and committing, so a freeze nearly always lands mid-batch.
      await run.cluster.kill(0, 'SIGTERM');
      await run.cluster.start(0, { HOLDOUT_FAULT_COMMIT_DELAY_MS: '400' });
      await run.startMissions(150, 'standard');
      const victim = run.cluster.workers[0]!;
      for (let attempt = 0; attempt < 8 && !REFUSED.test(victim.output()); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        victim.child.kill('SIGSTOP');
        await new Promise((resolve) => setTimeout(resolve, LOCK_TTL_MS + 700));
        victim.child.kill('SIGCONT');
        await victim.waitFor(REFUSED, 2_000).catch(() => undefined);
      }
      expect(victim.output()).toMatch(REFUSED);
      await run.waitUntilAllEnded();
      const audit = await run.audit();
      expect(audit.problems).toEqual([]);
      expect(audit.survivorProblems).toEqual([]);
      expect(audit.ended).toBe(150);
    },
    CHAOS_TEST_TIMEOUT_MS,
  );
});
