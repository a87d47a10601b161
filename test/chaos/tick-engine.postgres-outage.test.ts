import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/services.js';
import {
  CHAOS_SETUP_TIMEOUT_MS,
  CHAOS_TEST_TIMEOUT_MS,
  type ChaosRun,
  CONDITION_MS,
  openChaosRun,
  startWorkers,
} from './engine-chaos-harness.js';

const OUTAGE_MS = 10_000;

async function sampleDuring(ms: number, sample: () => Promise<number>): Promise<number[]> {
  const values: number[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    values.push(await sample());
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return values;
}

describe('Postgres unreachable for 10 s mid-run', () => {
  let run: ChaosRun | undefined;
  afterEach(async () => {
    await run?.dispose();
    run = undefined;
  }, CHAOS_SETUP_TIMEOUT_MS);

  it(
    'keeps ticking in Redis, grows the outbox, then drains it with nothing lost',
    async () => {
      run = await openChaosRun({ workers: 2, postgresThroughProxy: true });
      await startWorkers(run);
      await run.startMissions(100, 'long');
      await eventually(
        async () => (await run!.durableTicks()) >= 100,
        'ticks to reach Postgres',
        CONDITION_MS,
      );
      run.proxy!.cut();
      const ticksAtCut = await run.durableTicks();
      const depths = await sampleDuring(OUTAGE_MS, () => run!.store.outboxDepth());
      expect(await run.durableTicks()).toBe(ticksAtCut);
      expect(Math.max(...depths)).toBeGreaterThan(500);
      run.proxy!.restore();
      const restoredAt = Date.now();
      await eventually(
        async () => (await run!.store.outboxDepth()) < Math.max(...depths) / 4,
        'the outbox to drain',
        CONDITION_MS,
      );
      // Drained: no more than one round of ticks (one per mission) waiting, as before the outage.
      await eventually(
        async () => (await run!.store.outboxDepth()) <= 100,
        'the outbox to drain',
        CONDITION_MS,
      );
      console.info(
        `postgres-outage: ${Math.max(...depths)} outbox entries after ${OUTAGE_MS} ms, drained ${Date.now() - restoredAt} ms after Postgres returned`,
      );
      await run.waitUntilAllEnded();
      const audit = await run.audit();
      expect(audit.problems).toEqual([]);
      expect(audit.survivorProblems).toEqual([]);
      expect(await run.store.outboxDepth()).toBe(0);
    },
    CHAOS_TEST_TIMEOUT_MS,
  );

  it(
    'stops claiming once the outbox passes its limit (back-pressure), and resumes after',
    async () => {
      const limit = 300;
      const batch = 50;
      run = await openChaosRun({
        workers: 2,
        postgresThroughProxy: true,
        env: { OUTBOX_MAX_DEPTH: String(limit), WORKER_BATCH_SIZE: String(batch) },
      });
      await startWorkers(run);
      await run.startMissions(100, 'long');
      await eventually(
        async () => (await run!.durableTicks()) >= 100,
        'ticks to reach Postgres',
        CONDITION_MS,
      );
      run.proxy!.cut();
      const depths = await sampleDuring(OUTAGE_MS, () => run!.store.outboxDepth());
      // Without back-pressure 100 missions at 5 ticks/s would add ~5,000 entries in 10 s.
      expect(Math.max(...depths)).toBeGreaterThanOrEqual(limit);
      expect(Math.max(...depths)).toBeLessThanOrEqual(limit + 2 * batch);
      run.proxy!.restore();
      await run.waitUntilAllEnded();
      const audit = await run.audit();
      expect(audit.problems).toEqual([]);
      expect(audit.survivorProblems).toEqual([]);
    },
    CHAOS_TEST_TIMEOUT_MS,
  );
});
