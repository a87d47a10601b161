import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { hashTagOf } from '../../src/ephemeral/hash-slot.js';
import {
  CHAOS_TEST_TIMEOUT_MS,
  CONDITION_MS,
  chaosRunPerDescribe,
  expectCleanEnd,
  startStandardMissions,
} from '../chaos/engine-chaos-harness.js';
import { eventually } from '../support/services.js';

const SHARDS = 6;
const MISSIONS = 60;
/** Ticks half a second apart: standard missions then outlast the failover (node timeout 2 s). */
const MISSION_TICK_MS = 500;

/** The tick index at the head of each record (records start with {"tick":N,). */
const tickOf = (record: string | null) => (record ? Number(/^\{"tick":(\d+),/.exec(record)?.[1]) : -1);

/** Every key of one schedule shard on its master, as DUMP payloads, read atomically (MULTI). */
async function snapshotShard(node: Redis, tag: string): Promise<Map<string, { ttl: number; dump: Buffer }>> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await node.scan(cursor, 'MATCH', `*{${tag}}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...found.filter((key) => hashTagOf(key) === tag));
  } while (cursor !== '0');
  const multi = node.multi();
  for (const key of keys) multi.pttl(key).dumpBuffer(key);
  const replies = (await multi.exec()) ?? [];
  const snapshot = new Map<string, { ttl: number; dump: Buffer }>();
  keys.forEach((key, i) => {
    const ttl = replies[2 * i]?.[1] as number;
    const dump = replies[2 * i + 1]?.[1] as Buffer | null;
    if (dump) snapshot.set(key, { ttl: Math.max(0, ttl), dump });
  });
  return snapshot;
}

describe('a Redis Cluster master killed with SIGKILL mid-run', () => {
  const opened = chaosRunPerDescribe({ workers: 2, redisCluster: { scheduleShards: SHARDS } });

  it(
    'fails over to its replica, which lacks acknowledged ticks; they re-run identically: ticks 1..n once per mission, replay --verify clean',
    async () => {
      const run = opened.run;
      const ids = await startStandardMissions(run, MISSIONS, MISSION_TICK_MS);
      const { keys } = run.store;
      const shard = keys.scheduleShardOf(ids[0]!);
      const tag = hashTagOf(keys.missionsDue(shard));
      const inShard = ids.filter((id) => keys.scheduleShardOf(id) === shard);
      const victim = await run.redisCluster!.masterOf(keys.missionsDue(shard));
      const victimClient = new Redis({ host: '127.0.0.1', port: victim.port });

      // Asynchronous replication lets a promoted replica lack the last writes its master acknowledged.
      // A replica on the same machine rarely lags by a whole tick, so the lag is made certain: the
      // shard's keys are read atomically now, and after the failover the promoted replica is set back
      // to them, which is what a replica that lagged this far would hold (a consistent earlier prefix
      // of the shard: all its keys share one slot and one replication stream).
      await eventually(
        async () => (await run.durableTicks()) >= MISSIONS * 3,
        'three ticks a mission',
        CONDITION_MS,
      );
      const snapshot = await snapshotShard(victimClient, tag);
      victimClient.disconnect();
      const before = (await run.store.getActiveMissions(inShard)).map(tickOf);
      await eventually(
        async () => {
          const now = (await run.store.getActiveMissions(inShard)).map(tickOf);
          return now.filter((tick, i) => tick >= before[i]! + 2).length >= inShard.length / 2;
        },
        'two more acknowledged ticks on half the shard',
        CONDITION_MS,
      );
      const acknowledged = (await run.store.getActiveMissions(inShard)).map(tickOf);
      const killedAt = Date.now();
      victim.child.kill('SIGKILL');
      await victim.exited;
      // The others mark it failed after cluster-node-timeout (2 s), then its replica is elected.
      const promoted = await eventually(
        async () => {
          const owner = await run.redisCluster!.masterOf(keys.missionsDue(shard));
          return owner.port !== victim.port ? owner : null;
        },
        'the replica to be promoted',
        CONDITION_MS,
        250,
      );
      await run.redisCluster!.waitHealthy();
      const failedOverMs = Date.now() - killedAt;
      const target = new Redis({ host: '127.0.0.1', port: promoted.port });
      const rollback = target.multi();
      for (const [key, { ttl, dump }] of snapshot) rollback.restore(key, ttl, dump, 'REPLACE');
      await rollback.exec();
      target.disconnect();
      const rolledBack = (await run.store.getActiveMissions(inShard)).map(tickOf);
      const lost = acknowledged.reduce((sum, tick, i) => sum + Math.max(0, tick - rolledBack[i]!), 0);
      expect(lost).toBeGreaterThan(0);

      await run.waitUntilAllEnded();
      const audit = await expectCleanEnd(run, MISSIONS, [inShard[0]!, ids.at(-1)!]);
      console.info(
        `cluster failover: master ${victim.port} killed, ${promoted.port} promoted and serving ${failedOverMs} ms later; ${lost} acknowledged ticks of ${inShard.length} missions lost with it and re-run; ${audit.ticks} ticks of ${audit.missions} missions, each once`,
      );
    },
    CHAOS_TEST_TIMEOUT_MS,
  );
});
