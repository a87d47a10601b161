import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHAOS_SETUP_TIMEOUT_MS,
  CHAOS_TEST_TIMEOUT_MS,
  type ChaosRun,
  openChaosRun,
  startWorkers,
} from '../chaos/engine-chaos-harness.js';
import { runHoldout } from '../support/holdout-process.js';

/** Schedule shards of the run: two per master, so every master holds missions. */
const SHARDS = 6;
const MISSIONS = 120;

describe('the tick engine on a Redis Cluster of 3 masters and 3 replicas', () => {
  let run: ChaosRun;
  beforeAll(async () => {
    run = await openChaosRun({ workers: 2, redisCluster: { scheduleShards: SHARDS } });
  }, CHAOS_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await run?.dispose();
  }, CHAOS_SETUP_TIMEOUT_MS);

  it('spreads the schedule shards over every master', async () => {
    const masters = new Set<number>();
    for (let shard = 0; shard < SHARDS; shard++) {
      masters.add((await run.redisCluster!.masterOf(run.store.keys.missionsDue(shard))).port);
    }
    expect(masters.size).toBe(3);
  });

  it(
    'runs many missions to the end: ticks 1..n exactly once per mission, replay --verify clean',
    async () => {
      await startWorkers(run);
      const ids = await run.startMissions(MISSIONS);
      const shards = new Set(ids.map((id) => run.store.keys.scheduleShardOf(id)));
      expect(shards.size).toBe(SHARDS);
      await run.waitUntilAllEnded();
      const audit = await run.audit();
      expect(audit.problems).toEqual([]);
      expect(audit.survivorProblems).toEqual([]);
      expect(audit.ended).toBe(MISSIONS);
      for (const id of [ids[0]!, ids.at(-1)!]) {
        const verified = await runHoldout(['replay', id, '--verify'], {
          DATABASE_URL: run.cluster.env.DATABASE_URL,
        });
        expect(verified.output).toMatch(/logged ticks match the replay/);
        expect(verified.code).toBe(0);
      }
      console.info(
        `engine on a cluster: ${audit.ticks} ticks of ${audit.missions} missions over ${SHARDS} shards`,
      );
    },
    CHAOS_TEST_TIMEOUT_MS,
  );
});
