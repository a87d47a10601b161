import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/services.js';
import { type ChaosRun, openChaosRun, startWorkers } from './engine-chaos-harness.js';

const EXIT_WITHIN_MS = 5_000;

describe('SIGTERM to a worker mid-run', () => {
  let run: ChaosRun;
  beforeAll(async () => {
    run = await openChaosRun({ workers: 2 });
  });
  afterAll(async () => {
    await run?.dispose();
  });

  it('exits cleanly within seconds and loses or duplicates no tick', async () => {
    await startWorkers(run);
    await run.startMissions(150, 'standard');
    await eventually(async () => (await run.durableTicks()) >= 300, 'the run to be under way');
    const started = Date.now();
    const code = await run.cluster.kill(0, 'SIGTERM');
    const tookMs = Date.now() - started;
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(EXIT_WITHIN_MS);
    await run.waitUntilAllEnded();
    const audit = await run.audit();
    expect(audit.problems).toEqual([]);
    expect(audit.survivorProblems).toEqual([]);
    expect(audit.ended).toBe(150);
  });
});
