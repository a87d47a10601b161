import { describe, expect, it } from 'vitest';
import {
  CHAOS_TEST_TIMEOUT_MS,
  chaosRunPerDescribe,
  expectCleanEnd,
  startWorkers,
} from '../chaos/engine-chaos-harness.js';

/** Schedule shards of the run: two per master, so every master holds missions. */
const SHARDS = 6;
const MISSIONS = 120;

describe('the tick engine on a Redis Cluster of 3 masters and 3 replicas', () => {
  const opened = chaosRunPerDescribe({ workers: 2, redisCluster: { scheduleShards: SHARDS } });

  it('spreads the schedule shards over every master', async () => {
    const run = opened.run;
    const masters = new Set<number>();
    for (let shard = 0; shard < SHARDS; shard++) {
      masters.add((await run.redisCluster!.masterOf(run.store.keys.missionsDue(shard))).port);
    }
    expect(masters.size).toBe(3);
  });

  it(
    'runs many missions to the end: ticks 1..n exactly once per mission, replay --verify clean',
    async () => {
      const run = opened.run;
      await startWorkers(run);
      const ids = await run.startMissions(MISSIONS);
      const shards = new Set(ids.map((id) => run.store.keys.scheduleShardOf(id)));
      expect(shards.size).toBe(SHARDS);
      await run.waitUntilAllEnded();
      const audit = await expectCleanEnd(run, MISSIONS, [ids[0]!, ids.at(-1)!]);
      console.info(
        `engine on a cluster: ${audit.ticks} ticks of ${audit.missions} missions over ${SHARDS} shards`,
      );
    },
    CHAOS_TEST_TIMEOUT_MS,
  );
});
